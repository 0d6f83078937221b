"""`partnerhub ...`: check content, build and serve the site and app, and the program's chores."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from hub_app import exports, kpis, tier_reviews
from hub_app import store as stores
from hub_app.catalog import Catalog, ContentError, load_catalog
from hub_app.errors import HubError
from hub_app.records import PROGRAM_ADMIN, User
from hub_app.store.base import HubStore

app = typer.Typer(help="Partner Hub: enablement site, certification exams, tiers and leaderboards.",
                  no_args_is_help=True, add_completion=False)


import_app = typer.Typer(help="Import data from files; nothing is imported while any row is bad.",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")

# The command line acts as a program admin: whoever can run it can read the data directory anyway.
SYSTEM = User("system", "system@partnerhub.local", "Partner Hub CLI", None, frozenset({PROGRAM_ADMIN}), None, "",
              datetime(2000, 1, 1, tzinfo=UTC))
ROOT = typer.Option(Path("."), help="Project folder holding program.yml and courses/.")
DATA = typer.Option(Path("data"), "--data", envvar="HUB_DATA_DIR", help="The hub's data directory.")
KPI_FILE = typer.Argument(..., exists=True, dir_okay=False, help="CSV: company_id,period,revenue_12m,customers,csat")
BACKUP_TO = typer.Argument(..., dir_okay=False, help="The backup file to write.")
BACKUP_FROM = typer.Argument(..., exists=True, dir_okay=False, help="A file written by partnerhub backup.")
EXPORT_DIR = typer.Argument(..., file_okay=False, help="Folder to write the CSV files into.")


def open_data(data_dir: Path) -> HubStore:
    """The hub's store in `data_dir` (the TinyDB backend)."""
    from hub_app.store import open_store

    return open_store(data_dir)


def _catalog(root: Path) -> Catalog:
    try:
        return load_catalog(root)
    except ContentError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e


@app.callback()
def main() -> None:
    """Partner Hub's command line; run a command with --help for its options."""


@app.command()
def check(root: Path = typer.Option(Path("."), help="Project folder holding program.yml and courses/.")) -> None:
    """Validate program.yml and every course; print every problem as path:line: key: message."""
    try:
        catalog = load_catalog(root)
    except ContentError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e
    items = sum(len(c.exam.items) for c in catalog.courses.values() if c.exam)
    typer.echo(f"Content OK: {len(catalog.program.tiers)} tiers, {len(catalog.courses)} courses, "
               f"{sum(len(c.lessons) for c in catalog.courses.values())} lessons, {items} exam items.")


@app.command("evaluate-tiers")
def evaluate_tiers(root: Path = ROOT, data: Path = DATA) -> None:
    """Evaluate every partner's tier, propose promotions and due demotions, and flag tiers at risk."""
    catalog = _catalog(root)
    summary = tier_reviews.evaluate_all(SYSTEM, open_data(data), catalog, datetime.now(UTC))
    table = Table("Company", "Tier", "Qualifies for", "Proposal", "At risk")
    for o in summary.outcomes:
        ev, made = o.evaluation, o.proposed
        proposal = f"new: {made.kind} to {made.to_tier}" if made else (
            f"pending: {o.pending.kind} to {o.pending.to_tier}" if o.pending else "")
        risk = f"{ev.at_risk_on:%Y-%m-%d}: {ev.at_risk_reason}" if ev.at_risk_on else ""
        table.add_row(ev.company_name, ev.current_tier, ev.qualifies_for, proposal, risk)
    Console().print(table)
    typer.echo(f"{len(summary.outcomes)} companies evaluated, {summary.proposals_made} proposals made, "
               f"{summary.at_risk} at risk before the next review.")


@import_app.command("kpis")
def import_kpis(file: Path = KPI_FILE, data: Path = DATA) -> None:
    """Import company KPIs from a CSV file: every row, or none when any row is bad."""
    store = open_data(data)
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task("Importing KPIs", total=None)
            done = kpis.import_kpis_csv(SYSTEM, store, file, datetime.now(UTC),
                                        on_row=lambda i, n: progress.update(task, completed=i, total=n))
    except kpis.ImportRejected as e:
        for problem in e.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"Nothing was imported: {len(e.problems)} problem(s). Fix them and import again.", err=True)
        raise typer.Exit(1) from e
    typer.echo(f"Imported {len(done)} KPI rows from {file}.")


@app.command()
def export(directory: Path = EXPORT_DIR, data: Path = DATA) -> None:
    """Export partners, certificates and the points ledger as CSV files."""
    counts = exports.export_all(SYSTEM, open_data(data), directory)
    for name, rows in counts.items():
        typer.echo(f"{directory / name}: {rows} rows")


@app.command()
def backup(file: Path = BACKUP_TO, data: Path = DATA) -> None:
    """Write a consistent copy of the hub's database to FILE; the app may keep running."""
    _or_exit(lambda: stores.backup(data, file))
    typer.echo(f"Backed up {data} to {file}. Restore it with: partnerhub restore {file}")


@app.command()
def restore(file: Path = BACKUP_FROM, data: Path = DATA) -> None:
    """Replace the hub's database with the backup FILE, after checking all of it; a running app follows."""
    _or_exit(lambda: stores.restore(data, file))
    typer.echo(f"Restored {data} from {file}.")


def _or_exit(chore: Callable[[], None]) -> None:
    try:
        chore()
    except HubError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1) from e

if __name__ == "__main__":
    app()
