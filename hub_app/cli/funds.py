"""`partnerhub fund-jobs`: the daily MDF chores, also run when the hub starts: allocate the current
quarter's funds (once per partner), credit award MDF bonuses (once per award), expire what is past its
date, queue the expiry reminders due."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from hub_app.catalog import Catalog
from hub_app.cli.common import DATA, ROOT, SYSTEM, _catalog, open_data
from hub_app.funds import allocation
from hub_app.store.base import Store


def run(catalog: Catalog, store: Store, now: datetime) -> str:
    """Allocate, expire, remind; what was done, in a sentence ("" when there was nothing to do)."""
    program = catalog.program
    quarter = allocation.current_quarter(program, now)
    made = allocation.allocate_quarter(store, program, quarter, now, SYSTEM.id)
    bonuses = allocation.credit_award_bonuses(store, program, now, SYSTEM.id)
    expired = allocation.expire(store, program, now, SYSTEM.id)
    reminded = allocation.remind(store, program, now)
    if not (made or bonuses or expired or reminded):
        return ""
    return (
        f"MDF: {len(made)} allocation(s) for {quarter}, {len(bonuses)} award bonus(es) credited, "
        f"{len(expired)} fund(s) expired, {reminded} reminder(s) queued."
    )


def fund_jobs(root: Path = ROOT, data: Path = DATA) -> None:
    """Allocate this quarter's market development funds, expire unspent ones past their date, queue reminders."""
    typer.echo(run(_catalog(root), open_data(data), datetime.now(UTC)) or "MDF: nothing to do.")
