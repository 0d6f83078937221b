"""Deal expiry from the command line: `partnerhub expire-deals` and at serve start, on a memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from typer.testing import CliRunner

from hub_app.catalog.loader import load_catalog
from hub_app.cli import main as cli
from hub_app.deals.records import DEALS, Deal
from hub_app.store.memory import MemoryStore


def _deal(deal_id: str, until: datetime) -> Deal:
    now = datetime.now(UTC)
    return Deal(
        deal_id,
        "c1",
        "u1",
        "Initech",
        "initech.com",
        "GB",
        "p@initech.com",
        ("flow",),
        5,
        Decimal("10"),
        "USD",
        None,
        "qualified",
        None,
        "",
        now,
        status="approved",
        protected_until=until,
    )


def test_expire_deals_expires_only_runs_out_protection(monkeypatch):
    store = MemoryStore()
    monkeypatch.setattr(cli, "open_data", lambda data_dir: store)
    now = datetime.now(UTC)
    store.add(DEALS, _deal("old", now - timedelta(days=1)))
    store.add(DEALS, _deal("new", now + timedelta(days=1)))
    result = CliRunner().invoke(cli.app, ["expire-deals"])
    assert result.exit_code == 0, result.output
    assert result.output == "1 deal registration(s) expired.\n"
    assert [store.get(DEALS, k).status for k in ("old", "new")] == ["expired", "approved"]


def test_serve_start_expires_deals_whose_protection_ran_out(capsys):
    store = MemoryStore()
    now = datetime.now(UTC)
    store.add(DEALS, _deal("old", now - timedelta(hours=1)))
    cli._start_jobs(load_catalog("."), store, now)
    assert capsys.readouterr().out == "1 deal registration(s) expired.\n"
    assert store.get(DEALS, "old").status == "expired"
