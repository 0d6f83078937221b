"""`partnerhub copy-store --from URL --to URL`: move a program between stores (TinyDB to PostgreSQL and back)."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from hub_app import store as stores
from hub_app.cli.migrate import ALL_KINDS
from hub_app.store.base import Kind
from hub_app.store.transfer import copy_store as copy_kinds

FROM = typer.Option(..., "--from", help="The store to copy from: tinydb:data/hub.json or postgresql://...")
TO = typer.Option(..., "--to", help="The empty store to copy into: postgresql://... or tinydb:other/hub.json")


def copy_store(source_url: str = FROM, target_url: str = TO) -> None:
    """Copy every record of every kind into an empty store, all or nothing, then verify counts and checksums."""
    stores.migrate(target_url, ALL_KINDS)  # PostgreSQL: the target's tables (empty) before the copy
    source = stores.open_store(source_url)
    try:
        target = stores.open_store(target_url)
        try:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()) as bar:
                tasks: dict[str, Any] = {}

                def step(kind: Kind[Any], done: int, total: int) -> None:
                    if kind.table not in tasks:
                        tasks[kind.table] = bar.add_task(f"Copying {kind.table}", total=total)
                    bar.update(tasks[kind.table], completed=done, total=total)

                before, after = copy_kinds(source, target, ALL_KINDS, step)
        finally:
            target.close()
    finally:
        source.close()
    table = Table("Kind", "Records", "sha256 (source = target)", title="Verified copy")
    for mine, theirs in zip(before, after, strict=True):
        table.add_row(mine.table, str(theirs.count), theirs.sha256[:16])
    Console().print(table)
    typer.echo(f"Copied {sum(s.count for s in after)} records of {len(after)} kinds; every count and checksum matches.")
