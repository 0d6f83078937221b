"""Compaction and backup of the durable store write a frozen view outside the locks: readers and writers go on."""

import os
import threading
from pathlib import Path

import pytest

from hub_app.kernel.errors import StoreWriteFailed
from hub_app.store.tinydb import journal
from hub_app.store.tinydb.durable import DurableDB, open_database


@pytest.fixture
def path(tmp_path):
    return str(tmp_path / "hub.json")


def contents(db: DurableDB) -> dict:
    return {name: {d.doc_id: dict(d) for d in db.table(name).all()} for name in db.tables()}


def records(path: str) -> list:
    """The payloads of every record in the file, the snapshot first."""
    data = Path(path).read_bytes()
    return journal.scan(data, 0, path).payloads


class Gate:
    """Holds the first snapshot write (in whatever thread it runs) until the test opens the gate."""

    def __init__(self, monkeypatch):
        self.entered, self.open = threading.Event(), threading.Event()
        real = journal.write_snapshot

        def held(*args, **kwargs):
            if not self.entered.is_set():
                self.entered.set()
                assert self.open.wait(10), "the test never opened the gate"
            return real(*args, **kwargs)

        monkeypatch.setattr(journal, "write_snapshot", held)


def test_a_streamed_snapshot_is_the_snapshot_record_byte_for_byte_but_its_header(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "SNAPSHOT_BATCH", 3)  # many batches, and tables of 0, 1, 3 and 7 documents
    tables = {
        "empty": {},
        "one": {"1": {"name": "Zoë", "tags": ["a"]}},
        "three": {str(n): {"n": n} for n in range(1, 4)},
        "seven": {str(n): {"n": n, "pad": "x" * n} for n in range(1, 8)},
    }
    expected = journal.snapshot_record(tables, {"one": 2, "seven": 8}, 5, 41)
    fd = journal.open_private(str(tmp_path / "snap"))
    try:
        size = journal.write_snapshot(fd, tables, {"one": 2, "seven": 8}, 5, 41)
    finally:
        os.close(fd)
    written = (tmp_path / "snap").read_bytes()
    assert size == len(written)
    assert written.split(b" ", 2)[2] == expected.split(b" ", 2)[2]
    assert journal.scan(written, 0, "snap").payloads == journal.scan(expected, 0, "x").payloads


def test_readers_and_writers_go_on_while_a_large_snapshot_is_written(path, monkeypatch):
    db = open_database(path, compact_min_bytes=2_000, background_compact_bytes=0)
    gate = Gate(monkeypatch)
    docs = db.table("docs")
    for n in range(40):  # the journal outgrows the snapshot: compaction starts in the background
        docs.insert({"n": n, "pad": "x" * 80})
        if gate.entered.is_set():
            break
    assert gate.entered.wait(5)
    frozen_at = len(docs)
    # The compactor is held inside its write: reads and committed writes do not wait for it.
    done = threading.Event()

    def meanwhile():
        assert docs.get(doc_id=1)["n"] == 0
        for n in range(100, 105):
            docs.insert({"n": n})
        done.set()

    worker = threading.Thread(target=meanwhile)
    worker.start()
    assert done.wait(5), "a writer waited for the compaction"
    gate.open.set()
    db.storage.wait_for_compaction()
    worker.join()
    expected = contents(db)
    found = records(path)
    # The snapshot is of the moment compaction started; what was committed after it follows as records.
    snapshot, carried = found[0], [op[3]["n"] for r in found[1:] for op in r["ops"]]
    assert carried[-5:] == [100, 101, 102, 103, 104]
    assert len(snapshot["tables"]["docs"]) + len(carried) == frozen_at + 5
    assert [r["c"] for r in found[1:]] == list(range(snapshot["commits"] + 1, snapshot["commits"] + 1 + len(carried)))
    db.close()
    with open_database(path) as again:
        assert contents(again) == expected
        assert again.table("docs").insert({"n": "new"}) == frozen_at + 6


def test_a_second_instance_follows_a_background_compaction(path, monkeypatch):
    db = open_database(path, compact_min_bytes=2_000, background_compact_bytes=0)
    other = open_database(path)
    for n in range(60):
        db.table("docs").insert({"n": n, "pad": "y" * 80})
    db.storage.wait_for_compaction()
    assert len(records(path)) < 61  # compacted at least once
    assert len(other.table("docs")) == 60
    assert other.table("docs").insert({"n": "other"}) == 61
    assert db.table("docs").get(doc_id=61) == {"n": "other"}
    db.close()
    other.close()


def test_a_compaction_is_dropped_when_another_process_replaced_the_file_meanwhile(path, monkeypatch):
    db = open_database(path, compact_min_bytes=10**9)
    for n in range(30):
        db.table("docs").insert({"n": n})
    gate = Gate(monkeypatch)
    compacting = threading.Thread(target=db.storage.compact)
    compacting.start()
    assert gate.entered.wait(5)
    other = open_database(path, compact_min_bytes=10**9)
    other.storage._write_snapshot(path, other.storage.generation + 1)  # noqa: SLF001 - what another process does
    other.table("docs").insert({"n": "after"})
    gate.open.set()
    compacting.join()  # the first attempt sees a new file and compacts again what is there now
    assert db.table("docs").get(doc_id=31) == {"n": "after"}
    assert len(records(path)) == 1
    other.close()
    db.close()
    with open_database(path) as again:
        assert len(again.table("docs")) == 31


def test_a_background_compaction_that_fails_leaves_the_database_and_no_temp_file(path, monkeypatch, caplog):
    db = open_database(path, compact_min_bytes=2_000, background_compact_bytes=0)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "write_snapshot", full_disk)
    for n in range(40):
        db.table("docs").insert({"n": n, "pad": "z" * 80})
        db.storage.wait_for_compaction()
    assert "No space left on device" in caplog.text
    assert not os.path.exists(path + ".compacting")
    expected = contents(db)
    db.close()
    with open_database(path) as again:
        assert contents(again) == expected


def test_an_explicit_compaction_on_a_full_disk_is_reported(path, monkeypatch):
    db = open_database(path)
    db.table("docs").insert({"n": 1})
    monkeypatch.setattr(journal, "write_snapshot", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space")))
    with pytest.raises(StoreWriteFailed):
        db.compact()
    assert db.table("docs").insert({"n": 2}) == 2
    db.close()


def test_a_backup_is_the_database_at_its_start_while_writes_go_on(path, tmp_path, monkeypatch):
    db = open_database(path)
    for n in range(10):
        db.table("docs").insert({"n": n})
    before = contents(db)
    gate = Gate(monkeypatch)
    dest = tmp_path / "backup.json"
    backing_up = threading.Thread(target=db.backup, args=(dest,))
    backing_up.start()
    assert gate.entered.wait(5)
    db.table("docs").insert({"n": "during"})  # not held up by the backup, and not in it
    gate.open.set()
    backing_up.join()
    assert dest.read_bytes().count(b"\n") == 1
    assert oct(dest.stat().st_mode & 0o777) == "0o600"
    with open_database(str(dest)) as copy:
        assert contents(copy) == before
    db.close()
