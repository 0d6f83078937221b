"""The command line's tier, KPI and export commands, on a memory store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hub_cast import ROOT, T0, certify, company, give_points, person, staff
from typer.testing import CliRunner

from hub_app.cli import main as cli
from hub_app.store.memory import MemoryStore
from hub_app.tiers.records import kpis_of


@pytest.fixture
def store(monkeypatch) -> MemoryStore:
    store = MemoryStore()
    monkeypatch.setattr(cli, "open_data", lambda data_dir: store)
    return store


def _run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def test_import_kpis_command_imports_every_row(store, tmp_path):
    acme = company(store, "Acme")
    path = tmp_path / "kpis.csv"
    path.write_text(f"company_id,period,revenue_12m,customers,csat\n{acme.id},2026-Q1,1000,3,4.5\n", encoding="utf-8")
    result = _run("import", "kpis", str(path))
    assert result.exit_code == 0, result.output
    assert f"Imported 1 KPI rows from {path}." in result.output
    assert kpis_of(store, acme.id)[0].recorded_by == "system"


def test_import_kpis_command_prints_every_bad_row_and_imports_nothing(store, tmp_path):
    acme = company(store, "Acme")
    path = tmp_path / "kpis.csv"
    rows = f"{acme.id},2026-Q1,1000,3,4.5\n{acme.id},2026-Q9,-1,3,4.5\nghost,2026-Q1,1,1,1\n"
    path.write_text("company_id,period,revenue_12m,customers,csat\n" + rows, encoding="utf-8")
    result = _run("import", "kpis", str(path))
    assert result.exit_code == 1
    for line in (
        f"{path}:3: period: '2026-Q9' is not a quarter; write it like 2026-Q3",
        f"{path}:3: revenue_12m: must be 0 or more (got -1)",
        f"{path}:4: company_id: no partner company 'ghost'",
        "Nothing was imported: 3 problem(s). Fix them and import again.",
    ):
        assert line in result.output
    assert kpis_of(store, acme.id) == []


def test_evaluate_tiers_command_lists_companies_and_proposals(store):
    acme = company(store, "Acme", manager=staff(store, "Cm", "channel_manager"))
    for name in ("Ana", "Bob"):
        certify(store, person(store, acme, name), "qs-fundamentals", T0 - timedelta(days=1))
    result = _run("evaluate-tiers", "--root", str(ROOT))
    assert result.exit_code == 0, result.output
    assert "Acme" in result.output
    assert "1 companies evaluated, 0 proposals made, 0 at risk before the next review." in result.output


def test_export_command_writes_partners_certificates_and_ledger(store, tmp_path):
    acme = company(store, "Acme")
    ana = person(store, acme, "Ana")
    certify(store, ana, "qs-fundamentals")
    give_points(store, ana, 10)
    result = _run("export", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "out" / "ledger.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "id,user_id,company_id,rule,points,at,idempotency_key,reason,reverses"
    assert len(lines) == 2
    assert "partners.csv: 1 rows" in result.output and "certificates.csv: 1 rows" in result.output
