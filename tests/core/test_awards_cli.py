"""`partnerhub close-period quarter`, the hall of fame export and page, and serve's daily deal expiry."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from hub_app.catalog.loader import load_catalog
from hub_app.cli import awards as awards_cli
from hub_app.cli import deal_jobs
from hub_app.cli import main as cli
from hub_app.deals.records import DEALS, Deal
from hub_app.partners.records import COMPANIES, USERS, Company, User
from hub_app.publishing import hall_of_fame
from hub_app.recognition.records import AWARDS, LEDGER, PERIODS_CLOSED, LedgerEntry
from hub_app.store.memory import MemoryStore

CATALOG = load_catalog(".")
LAST_YEAR = datetime.now(UTC) - timedelta(days=400)


class Kept(MemoryStore):
    def close(self) -> None:  # the command closes its store; the test reads it afterwards
        pass


def _world(opt_out: bool = False) -> Kept:
    store = Kept()
    store.add(COMPANIES, Company("c1", "Acme Pte Ltd", "si", "apac", "SG", (), "registered", None, LAST_YEAR))
    user = User("u1", "ana@acme.io", "Ana Lim", "c1", frozenset({"partner_user"}), "sales", "", LAST_YEAR)
    store.add(USERS, user if not opt_out else User(**{**user.__dict__, "leaderboard_opt_out": True}))
    store.append(LEDGER, LedgerEntry("e1", "u1", "c1", "event_attended", 25, LAST_YEAR, "k1"))
    return store


def _period() -> str:
    return f"{LAST_YEAR.year}-Q{(LAST_YEAR.month - 1) // 3 + 1}"


def _run(monkeypatch, store, tmp_path, *args: str):
    monkeypatch.setattr(awards_cli, "open_data", lambda data_dir: store)
    return CliRunner().invoke(cli.app, ["close-period", *args, "--data", str(tmp_path)])


def test_close_period_records_the_winners_once_and_writes_the_export(monkeypatch, tmp_path):
    store = _world()
    first = _run(monkeypatch, store, tmp_path, "quarter", "--period", _period())
    assert first.exit_code == 0, first.output
    assert f"Closed {_period()}: 3 award(s) recorded, reward points credited." in first.output
    counts = (store.count(AWARDS), store.count(LEDGER), store.count(PERIODS_CLOSED))
    again = _run(monkeypatch, store, tmp_path, "quarter", "--period", _period())
    assert f"{_period()} was already closed on " in again.output and "nothing changed." in again.output
    assert (store.count(AWARDS), store.count(LEDGER), store.count(PERIODS_CLOSED)) == counts == (3, 2, 1)
    export = json.loads((tmp_path / hall_of_fame.EXPORT_FILE).read_text(encoding="utf-8"))
    assert [(w["award_id"], w["person"], w["company"]) for w in export["winners"]] == [
        ("most-improved", None, "Acme Pte Ltd"),
        ("top-people", "Ana Lim", "Acme Pte Ltd"),
        ("top-companies", None, "Acme Pte Ltd"),
    ]


def test_the_preview_records_nothing(monkeypatch, tmp_path):
    store = _world()
    result = _run(monkeypatch, store, tmp_path, "quarter", "--period", _period(), "--preview")
    assert f"Preview of {_period()}: nothing was recorded." in result.output
    assert store.count(AWARDS) == 0 and not (tmp_path / hall_of_fame.EXPORT_FILE).exists()


def test_an_unfinished_quarter_is_refused_with_its_end(monkeypatch, tmp_path):
    now = datetime.now(UTC)
    result = _run(monkeypatch, _world(), tmp_path, "quarter", "--period", f"{now.year + 1}-Q1")
    assert result.exit_code == 1
    assert result.output.startswith(f"{now.year + 1}-Q1 ends on {now.year + 1}-03-31; close it once it has ended.")


def test_the_export_does_not_name_a_winner_who_opted_out(monkeypatch, tmp_path):
    _run(monkeypatch, _world(opt_out=True), tmp_path, "quarter", "--period", _period())
    entries = hall_of_fame.read_export(tmp_path / hall_of_fame.EXPORT_FILE)
    assert [(e.award_id, e.person, e.company) for e in entries] == [
        ("most-improved", None, "Acme Pte Ltd"),
        ("top-people", None, None),
        ("top-companies", None, "Acme Pte Ltd"),
    ]
    page = hall_of_fame.page(CATALOG, entries, "en")
    assert "| Top 3 of the quarter's people board (1) | A partner who chose not to be named | 25 points |" in page
    assert "Ana Lim" not in page


def test_the_hall_of_fame_builds_without_an_export(tmp_path):
    pages = hall_of_fame.pages(CATALOG, tmp_path / "missing.json")
    assert sorted(pages) == ["program/hall-of-fame.md", "program/hall-of-fame.zh.md"]
    assert "No quarter has been closed yet." in pages["program/hall-of-fame.md"]
    assert "尚未结算任何季度。" in pages["program/hall-of-fame.zh.md"]


def test_the_hall_of_fame_escapes_names_as_markdown():
    entry = hall_of_fame.Entry("2026-Q1", "sales-champion", 1, "[x](https://evil.example)", None, "10", "won_value")
    page = hall_of_fame.page(CATALOG, [entry], "en")
    assert r"\[x\]\(https://evil\.example\)" in page and "[x](" not in page


def test_the_incentives_awards_table_comes_from_program_yml():
    table = hall_of_fame.awards_table(CATALOG, "en", "program/incentives.md")
    assert "| Sales champion of the quarter | The person with the most won deal value" in table
    assert "| Best partner of the quarter | A score of 100: 50 % won revenue, 30 % certifications gained" in table
    assert (
        "| Top 3 of the quarter's company board | Places 1 to 3 of the quarter's board. | 1,000 USD MDF bonus |"
        in table
    )


def _approved(deal_id: str, until: datetime) -> Deal:
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
        LAST_YEAR,
        status="approved",
        protected_until=until,
    )


def test_the_daily_expiry_expires_what_ran_out_while_serving(monkeypatch):
    store = Kept()
    now = datetime.now(UTC)
    store.add(DEALS, _approved("old", now - timedelta(minutes=1)))
    store.add(DEALS, _approved("new", now + timedelta(days=3)))
    monkeypatch.setattr(deal_jobs, "open_data", lambda data_dir: store)
    ran = threading.Event()
    once = deal_jobs.expire_once

    def expire_and_tell(data_dir, at):
        count = once(data_dir, at)
        ran.set()
        return count

    monkeypatch.setattr(deal_jobs, "expire_once", expire_and_tell)
    thread, stop = deal_jobs.start_daily_expiry(Path("unused"), every=0.01, clock=lambda: now)
    assert ran.wait(5)
    stop.set()
    thread.join(5)
    assert [store.get(DEALS, k).status for k in ("old", "new")] == ["expired", "approved"]
