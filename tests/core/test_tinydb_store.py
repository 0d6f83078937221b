"""The TinyDB store across processes: another process's writes, restores and races, seen without reopening."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hub_cast import T0 as NOW
from hub_cast import real_catalog
from typer.testing import CliRunner

from hub_app.certification.records import CERTIFICATES
from hub_app.cli.main import app
from hub_app.kernel.errors import DataDirNotWritable
from hub_app.kernel.ids import new_id
from hub_app.learning.records import ATTEMPTS, Attempt, DrawnItem
from hub_app.partners.records import COMPANIES, USERS, Company, User
from hub_app.recognition import leaderboards
from hub_app.recognition.records import LEDGER, POINTS_FIELDS, LedgerEntry
from hub_app.store import open_store, tinydb_url
from hub_app.store.tinydb.backend import TinyDBStore
from hub_app.store.tinydb.durable import open_database
from hub_app.store.tinydb.migrations import HUB_MIGRATIONS
from hub_app.store.tinydb.schema import Migrations
from hub_app.tiers.records import PROPOSALS

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 1, 1, tzinfo=UTC)
PRELUDE = """
from datetime import UTC, datetime
from hub_app.certification.records import Certificate
from hub_app.kernel.ids import new_id
from hub_app.partners.records import User
from hub_app.recognition.records import LedgerEntry
from hub_app.store.tinydb.backend import TinyDBStore
from hub_app.partners.records import USERS
from hub_app.certification.records import CERTIFICATES
from hub_app.recognition.records import LEDGER
T0 = datetime(2026, 1, 1, tzinfo=UTC)
"""


def run_python(code: str, wait: bool = True) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", PRELUDE + code], env=env, text=True, stderr=subprocess.PIPE)
    if wait:
        assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    return child


def _entry(key: str, user_id: str = "u1") -> LedgerEntry:
    return LedgerEntry(new_id(), user_id, "c1", "deal_won", 500, T0, key)


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "hub.json"


@pytest.fixture
def store(path):
    store = TinyDBStore(path)
    yield store
    store.close()


def test_a_reopened_store_holds_every_acknowledged_write(path, store):
    user = User("u1", "ana@acme.io", "Ana", "c1", frozenset({"partner_user"}), None, "h", T0)
    store.add(USERS, user)
    store.append(LEDGER, _entry("k1"))
    again = TinyDBStore(path)
    assert again.find(USERS, "email", "ANA@acme.io") == user
    assert [e.idempotency_key for e in again.after(LEDGER).entries] == ["k1"]


def test_another_process_writes_are_followed_without_reopening_or_rebuilding(path, store, monkeypatch):
    store.append(LEDGER, _entry("mine"))
    seen = store.after(LEDGER).cursor
    monkeypatch.setattr(store, "_rebuild", lambda table: pytest.fail(f"rebuilt {table} for a few appends"))
    run_python(f"""
other = TinyDBStore({str(path)!r})
other.add(USERS, User("u2", "Bob@Globex.io", "Bob", "c2", frozenset(), None, "h", T0))
other.add(CERTIFICATES, Certificate("k1", "ABCD-EFGH-JKLM", "u2", "c2", "qs", "1.0.0", T0, T0))
for key in ("theirs-1", "theirs-2"):
    assert other.append(LEDGER, LedgerEntry(new_id(), "u2", "c2", "deal_won", 500, T0, key))
""")
    assert store.find(USERS, "email", "bob@globex.io").id == "u2"
    assert store.find(CERTIFICATES, "code", "ABCD-EFGH-JKLM").user_id == "u2"
    assert [e.idempotency_key for e in store.after(LEDGER, seen).entries] == ["theirs-1", "theirs-2"]
    assert store.count(LEDGER) == 3 and [c.id for c in store.select(CERTIFICATES, "company", "c2")] == ["k1"]


def test_a_restore_by_another_process_is_followed(path, store, tmp_path):
    store.append(LEDGER, _entry("before"))
    store.backup(tmp_path / "backup.json")
    store.append(LEDGER, _entry("after"))
    run_python(f"TinyDBStore({str(path)!r}).restore({str(tmp_path / 'backup.json')!r})")
    assert [e.idempotency_key for e in store.after(LEDGER).entries] == ["before"]
    assert store.append(LEDGER, _entry("after")) is True


@pytest.mark.slow
def test_every_key_is_awarded_exactly_once_by_four_threads_and_a_process(path, store):
    keys = [f"deal_won:u1:{i}" for i in range(150)]
    child = run_python(
        f"""
other = TinyDBStore({str(path)!r})
for key in {keys!r}:
    other.append(LEDGER, LedgerEntry(new_id(), "u1", "c1", "deal_won", 500, T0, key))
""",
        wait=False,
    )
    won: list[str] = []

    def award(offset: int) -> None:
        for key in keys[offset:] + keys[:offset]:
            if store.append(LEDGER, _entry(key)):
                won.append(key)

    threads = [threading.Thread(target=award, args=(n * 37,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    appended = [e.idempotency_key for e in store.after(LEDGER).entries]
    assert sorted(appended) == sorted(keys) and len(set(won)) == len(won)
    assert [e.idempotency_key for e in TinyDBStore(path).after(LEDGER).entries] == appended


def test_open_store_names_a_data_dir_it_cannot_write(tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(DataDirNotWritable) as caught:
        open_store(tinydb_url(tmp_path / "taken" / "hub"))
    assert str(caught.value) == (
        f"HUB_DATA_DIR '{tmp_path / 'taken' / 'hub'}' is not writable. Hint: create it or set HUB_DATA_DIR."
    )


def test_cli_backup_then_restore_brings_back_the_backed_up_state(tmp_path):
    data, backup = tmp_path / "data", tmp_path / "hub-backup.json"
    store = open_store(tinydb_url(data))
    store.append(LEDGER, _entry("kept"))
    runner = CliRunner()
    done = runner.invoke(app, ["backup", str(backup), "--data", str(data)])
    assert done.exit_code == 0 and f"Backed up {data} to {backup}." in done.output
    store.append(LEDGER, _entry("dropped"))
    done = runner.invoke(app, ["restore", str(backup), "--data", str(data)])
    assert done.exit_code == 0 and done.output == f"Restored {data} from {backup}.\n"
    assert [e.idempotency_key for e in store.after(LEDGER).entries] == ["kept"]


def test_cli_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path):
    data, damaged = tmp_path / "data", tmp_path / "damaged.json"
    open_store(tinydb_url(data)).append(LEDGER, _entry("kept"))
    damaged.write_text("not a backup\nat all\n")
    done = CliRunner().invoke(app, ["restore", str(damaged), "--data", str(data)])
    assert done.exit_code == 1 and f"Backup {damaged} was not restored" in done.output
    assert [e.idempotency_key for e in open_store(tinydb_url(data)).after(LEDGER).entries] == ["kept"]


def test_boards_see_another_process_writes_without_a_stale_cache(path, store):
    program = real_catalog().program
    ana = User("u1", "ana@acme.io", "Ana", "c1", frozenset({"partner_user"}), None, "h", T0)
    store.add(COMPANIES, Company("c1", "Acme", "si", "apac", "SG", (), "registered", None, T0))
    store.add(USERS, ana)
    assert leaderboards.company_board(ana, store, program, "all", NOW).rows == ()
    assert leaderboards.certified_members(store, program, NOW) == {}
    run_python(f"""
other = TinyDBStore({str(path)!r})
other.add(USERS, User("u2", "bob@acme.io", "Bob", "c1", frozenset(), None, "h", T0))
later = datetime(2030, 1, 1, tzinfo=UTC)
other.add(CERTIFICATES, Certificate("k1", "ABCD-EFGH-JKLM", "u2", "c1", "qs", "1.0.0", T0, later))
assert other.append(LEDGER, LedgerEntry(new_id(), "u2", "c1", "deal_won", 500, T0, "theirs"))
""")
    people = leaderboards.people_board(ana, store, program, "all", NOW)
    assert [(r.name, r.points) for r in people.rows] == [("Bob", 500)]
    companies = leaderboards.company_board(ana, store, program, "all", NOW)
    assert [(r.name, r.points, r.certified_members) for r in companies.rows] == [("Acme", 500, 1)]


def test_attempts_written_unpacked_by_schema_1_are_packed_on_open_and_read_back(path):
    attempt = Attempt(
        "a1",
        "u1",
        "qs",
        "1.0.0",
        3,
        T0,
        T0,
        (DrawnItem("q1", 1, (2, 0, 1)),),
        {"q1": (0, 2)},
        T0,
        100.0,
        True,
        {"api": 100.0},
    )
    unpacked = {
        **ATTEMPTS.codec.to_doc(attempt),
        "items": [["q1", 1, [2, 0, 1]]],
        "answers": {"q1": [0, 2]},
        "domain_scores": {"api": 100.0},
    }
    with open_database(path, migrations=Migrations()) as old:  # a schema-1 hub, before packing
        old.table("attempts").insert(unpacked)
    store = TinyDBStore(path)
    assert store.get(ATTEMPTS, "a1") == attempt
    assert isinstance(store.db.storage.tables["attempts"]["1"]["items"], str)
    assert store.db.table("_meta").get(doc_id=1) == {"schema": HUB_MIGRATIONS.current}


def test_tier_proposals_written_with_english_reasons_by_schema_2_keep_their_facts(path):
    schema_2 = Migrations()
    schema_2.register(1, lambda db: None)
    rejected = "Meets every requirement of Silver (evaluated 2026-03-02). Rejected: Waiting for the Q1 audit."
    below = "Below Silver since 2025-11-20 (90 days; the grace period is 90 days)."
    common = {"company_id": "c1", "created": T0.isoformat()}
    promoted = {**common, "id": "p1", "from_tier": "registered", "to_tier": "silver", "kind": "promote"}
    demoted = {**common, "id": "p2", "from_tier": "silver", "to_tier": "registered", "kind": "demote"}
    promoted |= {"reason": rejected, "status": "rejected"}
    demoted |= {"reason": below}
    with open_database(path, migrations=schema_2) as old:
        old.table("proposals").insert_multiple([promoted, demoted])
    store = TinyDBStore(path)
    first, second = store.get(PROPOSALS, "p1"), store.get(PROPOSALS, "p2")
    assert (first.note, first.below_since, first.status) == ("Waiting for the Q1 audit.", None, "rejected")
    assert (second.note, second.below_since, second.grace_days) == ("", datetime(2025, 11, 20, tzinfo=UTC), 90)
    assert "reason" not in store.db.storage.tables["proposals"]["1"]
    assert store.db.table("_meta").get(doc_id=1) == {"schema": HUB_MIGRATIONS.current}


def test_regions_stored_as_names_by_schema_3_become_codes(path):
    schema_3 = Migrations()
    schema_3.register(1, lambda db: None)
    schema_3.register(2, lambda db: None)
    company = {"id": "c1", "name": "Jade", "type": "si", "region": "Greater China", "country": "CN"}
    company |= {"industries": [], "tier": "registered", "channel_manager_id": None, "joined": T0.isoformat()}
    odd = {**company, "id": "c2", "region": "Mars"}
    with open_database(path, migrations=schema_3) as old:
        old.table("companies").insert_multiple([company, {**company, "id": "c3", "region": "Americas"}, odd])
    store = TinyDBStore(path)
    assert [store.get(COMPANIES, c).region for c in ("c1", "c3", "c2")] == ["china", "amer", "Mars"]
    assert store.db.table("_meta").get(doc_id=1) == {"schema": HUB_MIGRATIONS.current}


def test_indexes_first_used_after_another_process_appended_include_its_entries(path):
    first = _entry("mine")
    TinyDBStore(path).append(LEDGER, first)
    store = TinyDBStore(path)  # opened without building the ledger's id, key or person indexes
    run_python(f"""
other = TinyDBStore({str(path)!r})
assert other.append(LEDGER, LedgerEntry("theirs-id", "u2", "c2", "deal_won", 500, T0, "theirs"))
""")
    assert store.append(LEDGER, _entry("theirs", "u3")) is False  # its key is known: not awarded twice
    assert store.get(LEDGER, "theirs-id").idempotency_key == "theirs"
    assert [e.idempotency_key for e in store.select(LEDGER, "user", "u2")] == ["theirs"]
    assert store.get(LEDGER, first.id) == first


def test_an_index_built_late_follows_later_changes_like_one_built_early(store):
    store.append(LEDGER, _entry("one", "u1"))
    assert [e.idempotency_key for e in store.select(LEDGER, "user", "u1")] == ["one"]  # builds the person index now
    store.append(LEDGER, _entry("two", "u1"))
    with pytest.raises(RuntimeError), store.transaction():
        store.append(LEDGER, _entry("three", "u1"))
        raise RuntimeError("rolled back")
    assert [e.idempotency_key for e in store.select(LEDGER, "user", "u1")] == ["one", "two"]
    assert store.append(LEDGER, _entry("three", "u1")) is True


def test_points_events_come_from_the_documents_with_a_missing_company_as_none(store):
    entries = [_entry("a"), LedgerEntry(new_id(), "u9", None, "manual_adjustment", -5, NOW, "b", "why")]
    for entry in entries:
        store.append(LEDGER, entry)
    expected = [(e.at.isoformat(), e.user_id, e.company_id, e.points) for e in entries]
    first = store.after(LEDGER, fields=POINTS_FIELDS)
    assert first.entries == expected
    store.append(LEDGER, entries[0])  # already there: nothing appended
    assert store.after(LEDGER, first.cursor, fields=POINTS_FIELDS).entries == []
