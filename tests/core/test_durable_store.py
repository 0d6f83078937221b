"""The durable TinyDB store: journal format, reloads, other instances and processes, schema, backups."""

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tinydb import Query
from tinydb.operations import increment

from hub_app.kernel.errors import DatabaseCorrupt, HubError, MigrationMissing, RestoreRefused, SchemaTooNew
from hub_app.store.tinydb.durable import DurableDB, open_database
from hub_app.store.tinydb.journal import encode
from hub_app.store.tinydb.schema import Migrations

ROOT = Path(__file__).resolve().parents[2]
P = Query()


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "hub.json")


@pytest.fixture
def db(path):
    db = open_database(path)
    yield db
    db.close()


def contents(db: DurableDB) -> dict:
    return {name: {d.doc_id: dict(d) for d in db.table(name).all()} for name in db.tables()}


def run_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_round_trip_through_tinydb_api(db):
    partners = db.table("partners")
    assert partners.insert({"name": "Acme", "tier": "silver"}) == 1
    assert partners.insert_multiple([{"name": "Globex"}, {"name": "Initech"}]) == [2, 3]
    assert partners.get(doc_id=2) == {"name": "Globex"}
    assert partners.search(P.tier == "silver") == [{"name": "Acme", "tier": "silver"}]
    assert partners.update({"tier": "gold"}, P.name == "Acme") == [1]
    assert partners.upsert({"name": "Hooli", "tier": "bronze"}, P.name == "Hooli") == [4]
    assert partners.upsert({"tier": "gold"}, P.name == "Hooli") == [4]
    assert partners.remove(P.name == "Initech") == [3]
    partners.update({"visits": 0}, doc_ids=[2])
    assert partners.update(increment("visits"), P.name == "Globex") == [2]
    assert partners.get(P.name == "Globex") == {"name": "Globex", "visits": 1}
    assert partners.count(P.tier == "gold") == 2
    assert len(partners) == 3 and db.tables() == {"_meta", "partners"}


def test_reopen_loads_every_acknowledged_write(path, db):
    db.table("a").insert({"x": 1})
    db.table("b").insert({"y": [1, {"z": "ü"}]})
    db.table("a").update({"x": 2}, doc_ids=[1])
    db.table("b").truncate()
    expected = contents(db)
    db.close()
    with open_database(path) as again:
        assert contents(again) == expected == {"_meta": {1: {"schema": 1}}, "a": {1: {"x": 2}}, "b": {}}


@pytest.mark.parametrize(
    "tail",
    [b"5f3a", b'0badc0de 44 [["set","a",9,{', b"\x00" * 300],
    ids=["torn-header", "torn-payload", "zero-filled"],
)
def test_a_torn_last_line_is_dropped_and_cut_off_by_the_next_write(path, db, tail):
    db.table("a").insert({"n": 1})
    db.close()
    with open(path, "ab") as f:
        f.write(tail)
    with open_database(path) as again:
        assert again.table("a").all() == [{"n": 1}]
        assert again.table("a").insert({"n": 2}) == 2
    with open_database(path) as third:
        assert third.table("a").all() == [{"n": 1}, {"n": 2}]


def test_a_complete_last_record_with_a_bad_checksum_is_refused_and_kept(path, db):
    db.table("a").insert({"n": 1})
    db.close()
    size = Path(path).stat().st_size
    with open(path, "ab") as f:
        f.write(b"00000000 3 [1]\n")
    before = Path(path).read_bytes()
    with pytest.raises(DatabaseCorrupt) as e:
        open_database(path)
    assert str(e.value) == (
        f"Database file {path} is damaged at byte {size} (checksum mismatch). "
        "Hint: restore the latest backup; keep the damaged file for inspection."
    )
    assert Path(path).read_bytes() == before  # nothing erased it


def test_damage_before_the_last_record_is_reported_not_skipped(path, db):
    for n in range(3):
        db.table("a").insert({"n": n})
    db.close()
    data = Path(path).read_bytes()
    second = data.index(b"\n", data.index(b"\n") + 1) + 1  # start of the 2nd transaction record
    Path(path).write_bytes(data[: second + 20] + b"X" + data[second + 21 :])
    with pytest.raises(DatabaseCorrupt) as e:
        open_database(path)
    assert str(e.value) == (
        f"Database file {path} is damaged at byte {second} (checksum mismatch). "
        "Hint: restore the latest backup; keep the damaged file for inspection."
    )
    assert isinstance(e.value, HubError)


def test_compaction_preserves_data_and_never_reuses_ids(path):
    with open_database(path, compact_min_bytes=2_000) as db:
        docs = db.table("docs")
        for n in range(60):
            docs.insert({"n": n, "pad": "x" * 50})
        docs.remove(doc_ids=[60])
        expected = contents(db)
        assert Path(path).read_bytes().count(b"\n") < 62 / 2  # 62 transactions, folded into snapshots
        db.compact()
        assert Path(path).read_bytes().count(b"\n") == 1
    with open_database(path) as again:
        assert contents(again) == expected
        assert again.table("docs").insert({"n": "new"}) == 61


def test_a_second_instance_sees_writes_without_reopening(path, db):
    other = open_database(path, compact_min_bytes=0)
    assert db.table("a").search(P.n == 1) == []  # primes TinyDB's query cache
    other.table("a").insert({"n": 1})
    assert db.table("a").search(P.n == 1) == [{"n": 1}]
    other.table("a").insert({"n": 2})  # compacts: the file is replaced, not appended to
    assert db.table("a").count(P.n > 0) == 2
    assert db.table("a").insert({"n": 3}) == 3
    assert [d.doc_id for d in other.table("a")] == [1, 2, 3]
    other.close()


def test_another_process_sees_writes_and_ours_see_its_writes(path, db):
    db.table("a").insert({"from": "parent"})
    code = (
        "from hub_app.store.tinydb.durable import open_database\n"
        f"db = open_database({path!r})\n"
        "print(db.table('a').all())\n"
        "print(db.table('a').insert({'from': 'child'}))\n"
    )
    assert run_python(code) == "[{'from': 'parent'}]\n2\n"
    assert db.table("a").all() == [{"from": "parent"}, {"from": "child"}]


def test_transaction_is_all_or_nothing_across_tables(path, db):
    db.table("points").insert({"total": 10})
    with pytest.raises(RuntimeError), db.transaction():
        db.table("points").update({"total": 20}, doc_ids=[1])
        db.table("ledger").insert({"delta": 10})
        assert db.table("ledger").all() == [{"delta": 10}]  # reads see the transaction's own writes
        raise RuntimeError("boom")
    assert contents(db) == {"_meta": {1: {"schema": 1}}, "points": {1: {"total": 10}}}
    db.close()
    with open_database(path) as again:
        assert again.table("points").all() == [{"total": 10}] and "ledger" not in again.tables()


def test_a_document_that_is_not_json_is_refused_and_nothing_is_written(db):
    with pytest.raises(TypeError):
        db.table("a").insert({"when": object()})
    assert db.table("a").all() == []


def two_step_migrations(calls: list) -> Migrations:
    migrations = Migrations()

    @migrations.register(1)
    def add_tier(db):
        calls.append(1)
        db.table("partners").update({"tier": "registered"})

    @migrations.register(2)
    def rename_tier(db):
        calls.append(2)
        db.table("partners").update(lambda doc: doc.update(level=doc.pop("tier")))

    return migrations


def test_migrations_run_once_and_in_order(path):
    with open_database(path) as v1:
        v1.table("partners").insert({"name": "Acme"})
    calls: list[int] = []
    with open_database(path, migrations=two_step_migrations(calls)) as v3:
        assert v3.table("partners").all() == [{"name": "Acme", "level": "registered"}]
        assert v3.table("_meta").get(doc_id=1) == {"schema": 3}
    with open_database(path, migrations=two_step_migrations(calls)):
        pass
    assert calls == [1, 2]


def test_a_failing_migration_leaves_the_database_as_it_was(path):
    with open_database(path) as v1:
        v1.table("partners").insert({"name": "Acme"})
    migrations = Migrations()
    migrations.register(1, lambda db: db.table("partners").update({"tier": "x"}))
    migrations.register(2, lambda db: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        open_database(path, migrations=migrations)
    with open_database(path) as again:
        assert contents(again) == {"_meta": {1: {"schema": 1}}, "partners": {1: {"name": "Acme"}}}


def test_a_missing_migration_is_named():
    migrations = Migrations()
    migrations.register(2, lambda db: None)
    with pytest.raises(MigrationMissing) as e:
        migrations.step(1, "data/hub.json")
    assert str(e.value) == (
        "Database file data/hub.json is at schema 1, but no migration from schema 1 is registered. "
        "Hint: register_migration(1, fn) before opening."
    )


def test_a_newer_database_is_refused(path):
    with open_database(path, migrations=two_step_migrations([])):
        pass
    with pytest.raises(SchemaTooNew) as e:
        open_database(path)
    assert str(e.value) == (
        f"Database file {path} is newer (schema 3) than this Partner Hub (schema 1). Hint: upgrade Partner Hub."
    )


def test_backup_then_restore_brings_back_the_backed_up_state(path, db, tmp_path):
    db.table("a").insert_multiple([{"n": 1}, {"n": 2}])
    backup = tmp_path / "backup.json"
    db.backup(backup)
    expected = contents(db)
    other = open_database(path)
    db.table("a").truncate()
    db.table("b").insert({"late": True})
    db.restore(backup)
    assert contents(db) == expected
    assert contents(other) == expected  # another instance picks the replaced file up
    assert Path(backup).read_bytes().count(b"\n") == 1  # a backup is compacted
    other.close()


def flip_byte(data: bytes) -> bytes:
    return data[:30] + b"#" + data[31:]


@pytest.mark.parametrize(
    "make, reason",
    [
        (flip_byte, "damaged at byte 0 (checksum mismatch)"),
        (lambda data: data[:-5], "damaged at byte 0 (incomplete record)"),
        (lambda data: data + b"0000 1 [\n" + data, "damaged at byte {size} (checksum mismatch)"),
        (lambda data: encode({"tables": {}}), "damaged at byte 0 (not a Partner Hub journal)"),
        (None, "No such file or directory"),
    ],
    ids=["flipped-byte", "truncated", "damage-inside", "not-a-journal", "missing"],
)
def test_restoring_a_damaged_backup_is_refused_and_nothing_is_replaced(path, db, tmp_path, make, reason):
    db.table("a").insert({"n": 1})
    src = tmp_path / "backup.json"
    db.backup(src)
    if make is None:
        src.unlink()
    else:
        size = src.stat().st_size
        src.write_bytes(make(src.read_bytes()))
        reason = reason.format(size=size)
    before = Path(path).read_bytes()
    with pytest.raises(RestoreRefused) as e:
        db.restore(src)
    assert str(e.value) == (
        f"Backup {src} was not restored: {reason}. Nothing was replaced. Hint: pick another backup file."
    )
    assert Path(path).read_bytes() == before
    assert db.table("a").all() == [{"n": 1}]


def test_restoring_a_newer_backup_is_refused(path, db, tmp_path):
    newer = str(tmp_path / "newer.json")
    with open_database(newer, migrations=two_step_migrations([])) as other:
        other.backup(tmp_path / "b.json")
    with pytest.raises(RestoreRefused) as e:
        db.restore(tmp_path / "b.json")
    assert "it is schema 3, newer than this Partner Hub (schema 1)" in str(e.value)


def test_the_write_lock_excludes_another_instance_until_the_transaction_ends(path, db):
    other = open_database(path)
    try:
        theirs = _lock_fd(other)
        with db.transaction(), pytest.raises(BlockingIOError):  # the other instance cannot lock while we write
            fcntl.flock(theirs, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(theirs, fcntl.LOCK_EX | fcntl.LOCK_NB)  # and can once we committed
        fcntl.flock(theirs, fcntl.LOCK_UN)
    finally:
        other.close()


def test_the_lock_file_stays_open_between_transactions_and_closes_with_the_database(path):
    db = open_database(path)
    first = _lock_fd(db)
    db.table("docs").insert({"n": 1})
    db.table("docs").insert({"n": 2})
    assert _lock_fd(db) == first  # one open lock file, not one per transaction
    db.close()
    assert db.storage._file_lock._fd is None


def _lock_fd(db: DurableDB) -> int:
    lock = db.storage._file_lock
    with lock:  # opens the lock file on first use
        pass
    return lock._fd
