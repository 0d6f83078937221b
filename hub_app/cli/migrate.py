"""`partnerhub migrate`: bring the store to this Partner Hub's schema (PostgreSQL: numbered SQL migrations)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from hub_app import store as stores
from hub_app.certification import records as certification
from hub_app.cli.common import DATA, _or_exit, data_url
from hub_app.community import records as community
from hub_app.deals import records as deals
from hub_app.funds import records as funds
from hub_app.learning import records as learning
from hub_app.notifications import records as notifications
from hub_app.partners import records as partners
from hub_app.recognition import records as recognition
from hub_app.store.base import Kind
from hub_app.tiers import records as tiers

# Every declared kind: on PostgreSQL, migrate makes their tables (or rebuilds one declared anew).
ALL_KINDS: tuple[Kind[Any], ...] = (
    *partners.KINDS,
    *learning.KINDS,
    *certification.KINDS,
    *recognition.KINDS,
    *tiers.KINDS,
    *notifications.KINDS,
    *deals.KINDS,
    *community.KINDS,
    *funds.KINDS,
)


def migrate(data: Path = DATA) -> None:
    """Apply the schema migrations the store (HUB_STORE, else the data directory's file) lacks."""
    url = data_url(data)
    applied: list[int] = []
    _or_exit(lambda: applied.extend(stores.migrate(url, ALL_KINDS)))
    if applied:
        typer.echo(f"Applied migrations {', '.join(f'{n:04d}' for n in applied)}; the store is up to date.")
    else:
        typer.echo("The store is up to date; no migration to apply.")
