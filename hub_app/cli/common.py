"""What every `partnerhub` command shares: the acting system user, common options, the store, errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import typer

from hub_app.catalog import Catalog, ContentError, load_catalog
from hub_app.kernel.errors import HubError
from hub_app.partners.records import PROGRAM_ADMIN, User
from hub_app.store.base import HubStore

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


def open_data(data_dir: Path) -> HubStore:
    """The hub's store in `data_dir` (the TinyDB backend); a message and exit 1 when it cannot be opened."""
    from hub_app.store import open_store

    try:
        return open_store(data_dir)
    except HubError as e:  # not writable (a read-only disk), damaged
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e


def _catalog(root: Path) -> Catalog:
    try:
        return load_catalog(root)
    except ContentError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e


def _or_exit(chore: Callable[[], None]) -> None:
    try:
        chore()
    except HubError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
