"""`partnerhub ...`: check content, build and serve the site and app, and the program's chores."""

from __future__ import annotations

from pathlib import Path

import typer

from hub_app.catalog import ContentError, load_catalog

app = typer.Typer(help="Partner Hub: enablement site, certification exams, tiers and leaderboards.",
                  no_args_is_help=True, add_completion=False)


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


if __name__ == "__main__":
    app()
