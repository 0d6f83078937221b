"""What every `partnerhub` command shares: the acting system user, common options, the store, errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from hub_app.catalog import Catalog, ContentError, load_catalog
from hub_app.kernel.errors import HubError
from hub_app.partners.records import PROGRAM_ADMIN, User
from hub_app.store.base import Store

# The command line acts as a program admin: whoever can run it can read the data directory anyway.
SYSTEM = User(
    "system",
    "system@partnerhub.local",
    "Partner Hub CLI",
    None,
    frozenset({PROGRAM_ADMIN}),
    None,
    "",
    datetime(2000, 1, 1, tzinfo=UTC),
)
ROOT = typer.Option(Path("."), help="Project folder holding program.yml and courses/.")
DATA = typer.Option(Path("data"), "--data", envvar="HUB_DATA_DIR", help="The hub's data directory.")


def data_url(data_dir: Path) -> str:
    """The store's URL: ``HUB_STORE`` if set, else the TinyDB file in `data_dir`."""
    from hub_app.store import tinydb_url

    return os.environ.get("HUB_STORE") or tinydb_url(data_dir)


def open_data(data_dir: Path) -> Store:
    """The hub's store: ``HUB_STORE`` if set, else the TinyDB file in `data_dir`."""
    from hub_app.store import open_store

    return open_store(data_url(data_dir))


def _catalog(root: Path) -> Catalog:
    try:
        return load_catalog(root)
    except ContentError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e


class HubCommands(TyperGroup):
    """The command group of `partnerhub`: a HubError from any command is its message on stderr and exit 1.

    Whatever a command meets (a full disk, a read-only data directory, a damaged database), the person
    reads what happened and what to do, never a traceback; anything else is a bug and keeps its traceback.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except HubError as e:
            typer.echo(str(e), err=True)
            raise typer.Exit(1) from e


def _or_exit(chore: Callable[[], None]) -> None:
    try:
        chore()
    except HubError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
