"""`partnerhub close-period quarter`: give a finished quarter's awards and leaderboard rewards, once."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from hub_app.catalog import Catalog
from hub_app.cli.common import DATA, ROOT, SYSTEM, _catalog, open_data
from hub_app.deals import results
from hub_app.interchange import hall_of_fame
from hub_app.partners.records import COMPANIES, USERS
from hub_app.publishing.hall_of_fame import EXPORT_FILE
from hub_app.recognition import awards
from hub_app.store.base import Store


class Window(StrEnum):
    quarter = "quarter"


WINDOW = typer.Argument(..., help="The period to close: quarter (the only one with awards).")
PERIOD = typer.Option(None, "--period", help="The quarter, like 2026-Q3 (default: the last one that has ended).")
PREVIEW = typer.Option(False, "--preview", help="Show the winners without recording anything.")


def close_period(
    window: Window = WINDOW, period: str | None = PERIOD, preview: bool = PREVIEW, data: Path = DATA, root: Path = ROOT
) -> None:
    """Record a finished quarter's awards and credit their rewards; closing it again changes nothing."""
    catalog, store = _catalog(root), open_data(data)
    try:
        now = datetime.now(UTC)
        label = period or awards.last_finished(catalog.program, now)
        facts = results.period_facts(store, catalog.program, label)
        run = awards.preview if preview else awards.close_period
        closing = run(SYSTEM, store, catalog.program, label, facts, now)
        _print(store, closing)
        if not preview:
            written = export_hall_of_fame(store, catalog, data)
            typer.echo(f"Hall of fame export: {written} (rebuild the site to publish it).")
    finally:
        store.close()


def export_hall_of_fame(store: Store, catalog: Catalog, data: Path) -> Path:
    """Write the site's hall of fame export into the data directory; its path."""
    path = data / EXPORT_FILE
    hall_of_fame.export(store, catalog.program, path)
    return path


def _print(store: Store, closing: awards.Closing) -> None:
    table = Table("Award", "Place", "Winner", "Score", "Reward", title=f"Awards of {closing.period}")
    for result in closing.results:
        for w in result.winners:
            user = store.get(USERS, w.user_id) if w.user_id else None
            company = store.get(COMPANIES, w.company_id) if w.company_id else None
            who = " · ".join(x for x in (user.display_name if user else "", company.name if company else "") if x)
            reward = ", ".join(
                x
                for x in (
                    f"{w.reward.points} points" if w.reward.points else "",
                    f"{w.reward.mdf} MDF" if w.reward.mdf else "",
                    f"badge {w.reward.badge}" if w.reward.badge else "",
                )
                if x
            )
            table.add_row(result.name.en, str(w.place), who, f"{w.score:,}", reward)
    Console().print(table)
    for currency in closing.unconverted:
        typer.echo(f"Won deals in {currency} were left out: program.yml awards.exchange_rates has no rate for it.")
    if closing.already and closing.closed is not None:
        typer.echo(f"{closing.period} was already closed on {closing.closed.closed_at:%Y-%m-%d}: nothing changed.")
    elif closing.closed is not None:
        typer.echo(f"Closed {closing.period}: {closing.closed.awards} award(s) recorded, reward points credited.")
    else:
        typer.echo(f"Preview of {closing.period}: nothing was recorded.")
