"""The durable store when the disk fails it: a full disk, short writes, damaged and cut files, a torn tail
raced by another writer, file modes. Nothing acknowledged is ever lost, and nothing unacknowledged is kept."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

from hub_app.kernel.errors import DatabaseCorrupt, StoreWriteFailed
from hub_app.store.tinydb import journal
from hub_app.store.tinydb.durable import open_database
from hub_app.store.tinydb.journal import encode
from hub_app.ui.web import cookies

NO_SPACE = os.strerror(28)  # "No space left on device"


@pytest.fixture
def small_disk(tmp_path):
    """A real 512 KiB tmpfs (we run as root, in CI too), removed afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(mount)]
    done = subprocess.run(command, capture_output=True)
    if done.returncode != 0:
        pytest.fail(f"cannot mount a small tmpfs for the full-disk tests: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path) -> None:
    """Fill ``disk`` to the last byte."""
    fd = os.open(disk / "ballast", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for chunk in (1 << 16, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(fd)


def docs(db) -> list[dict]:
    return [dict(d) for d in db.table("a").all()]


def written_message(path) -> str:
    return (
        f"Could not write {path} ({NO_SPACE}). Nothing was saved; the data as it was before is intact. "
        "Hint: free disk space (or fix the disk) and try again."
    )


# --- 0a: a full disk ------------------------------------------------------------------------------------------
def test_a_write_on_a_full_disk_is_refused_and_every_acknowledged_one_survives(small_disk):
    path = str(small_disk / "hub.json")
    db = open_database(path)
    db.table("a").insert({"n": 0})
    fill(small_disk)
    acknowledged = [{"n": 0}]
    with pytest.raises(StoreWriteFailed) as e:
        for n in range(1, 10_000):
            db.table("a").insert({"n": n, "pad": "x" * 2000})
            acknowledged.append({"n": n, "pad": "x" * 2000})
    assert str(e.value) == written_message(path)
    assert docs(db) == acknowledged  # the refused write is not in memory either
    db.close()
    with open_database(path) as again:
        assert docs(again) == acknowledged


def test_compaction_on_a_full_disk_keeps_the_database_whole(small_disk):
    path = str(small_disk / "hub.json")
    db = open_database(path)
    for n in range(40):
        db.table("a").insert({"n": n, "pad": "y" * 1000})
    expected = docs(db)
    fill(small_disk)
    with pytest.raises(StoreWriteFailed) as e:
        db.compact()
    assert str(e.value) == written_message(path)
    assert not Path(path + ".tmp").exists()
    db.close()
    with open_database(path) as again:
        assert docs(again) == expected


def test_automatic_compaction_failing_on_a_full_disk_does_not_fail_the_write(small_disk):
    path = str(small_disk / "hub.json")
    db = open_database(path, compact_min_bytes=1)  # compacts after every write
    db.table("a").insert({"n": 0, "pad": "z" * 30_000})
    (small_disk / "spare").write_bytes(b"\0" * 100_000)
    fill(small_disk)
    os.unlink(small_disk / "spare")  # room for the next record, not for a snapshot of the whole database
    db.table("a").insert({"n": 1})  # acknowledged: the journal has it, compaction waits
    db.close()
    with open_database(path) as again:
        assert docs(again) == [{"n": 0, "pad": "z" * 30_000}, {"n": 1}]


def test_a_backup_to_a_full_disk_fails_loudly_and_leaves_no_file(tmp_path, small_disk):
    db = open_database(str(tmp_path / "hub.json"))
    for n in range(40):
        db.table("a").insert({"n": n, "pad": "w" * 1000})
    fill(small_disk)
    dest = small_disk / "backup.json"
    with pytest.raises(StoreWriteFailed) as e:
        db.backup(dest)
    assert str(e.value) == written_message(dest)
    assert not dest.exists() and not Path(f"{dest}.tmp").exists()
    db.close()


def test_an_import_on_a_full_disk_says_so_and_writes_nothing(small_disk, tmp_path, monkeypatch):
    from hub_cast import company
    from typer.testing import CliRunner

    from hub_app.cli import main as cli
    from hub_app.store.tinydb.backend import TinyDBStore

    store = TinyDBStore(small_disk / "hub.json")
    monkeypatch.setattr(cli, "open_data", lambda data_dir: store)
    acme = company(store, "Acme")
    rows = "".join(f"{acme.id},{year}-Q{q},{1000 + q},3,4.5\n" for year in range(2001, 2026) for q in range(1, 5))
    csv = tmp_path / "kpis.csv"
    csv.write_text("company_id,period,revenue_12m,customers,csat\n" + rows, encoding="utf-8")
    fill(small_disk)
    before = (small_disk / "hub.json").read_bytes()
    result = CliRunner().invoke(cli.app, ["import", "kpis", str(csv)])
    store.close()
    assert result.exit_code == 1, result.output
    assert written_message(small_disk / "hub.json") in " ".join(result.output.split())
    assert (small_disk / "hub.json").read_bytes() == before


def test_a_short_write_is_completed_not_acknowledged_torn(path_in, monkeypatch):
    real_pwrite = os.pwrite
    monkeypatch.setattr(journal.os, "pwrite", lambda fd, data, offset: real_pwrite(fd, bytes(data)[:7], offset))
    db = open_database(path_in)
    db.table("a").insert({"n": 1, "text": "a record longer than seven bytes"})
    db.close()
    monkeypatch.undo()
    with open_database(path_in) as again:
        assert docs(again) == [{"n": 1, "text": "a record longer than seven bytes"}]


@pytest.fixture
def path_in(tmp_path):
    return str(tmp_path / "hub.json")


# --- 0b: damaged and cut files -----------------------------------------------------------------------------------
def test_a_complete_last_record_with_a_bad_checksum_is_refused_and_kept(path_in):
    with open_database(path_in) as db:
        db.table("a").insert({"n": 1})
    size = os.path.getsize(path_in)
    with open(path_in, "ab") as f:
        f.write(b'00000000 16 {"c":3,"ops":[]}\n')
    damaged = Path(path_in).read_bytes()
    with pytest.raises(DatabaseCorrupt) as e:
        open_database(path_in)
    assert str(e.value) == (
        f"Database file {path_in} is damaged at byte {size} (checksum mismatch). "
        "Hint: restore the latest backup; keep the damaged file for inspection."
    )
    assert Path(path_in).read_bytes() == damaged  # nothing dropped, nothing overwritten


def test_a_file_cut_at_a_record_boundary_is_noticed(path_in):
    with open_database(path_in) as db:
        for n in range(3):
            db.table("a").insert({"n": n})
    data = Path(path_in).read_bytes()
    cut = data.rindex(b"\n", 0, len(data) - 1) + 1  # drop the last whole record
    Path(path_in).write_bytes(data[:cut])
    with pytest.raises(DatabaseCorrupt) as e:
        open_database(path_in)
    assert str(e.value) == (
        f"Database file {path_in} is damaged at byte {cut} (it ends at commit 3, but commit 4 was acknowledged). "
        "Hint: restore the latest backup; keep the damaged file for inspection."
    )


def test_a_record_missing_between_two_is_reported(path_in):
    with open_database(path_in) as db:
        for n in range(3):
            db.table("a").insert({"n": n})
    lines = Path(path_in).read_bytes().splitlines(keepends=True)
    Path(path_in).write_bytes(b"".join(lines[:2] + lines[3:]))
    with pytest.raises(DatabaseCorrupt) as e:
        open_database(path_in)
    offset = len(lines[0]) + len(lines[1])
    assert str(e.value) == (
        f"Database file {path_in} is damaged at byte {offset} (commit 2 is missing: the next record is commit 3). "
        "Hint: restore the latest backup; keep the damaged file for inspection."
    )


def test_a_file_written_before_commit_numbers_opens_and_takes_numbered_records(path_in):
    old = journal.snapshot_record({"a": {"1": {"n": 1}}}, {"a": 2}, 1)
    old = encode({k: v for k, v in __import__("orjson").loads(old.split(b" ", 2)[2]).items() if k != "commits"})
    Path(path_in).write_bytes(old + encode([["set", "a", 2, {"n": 2}]]))
    with open_database(path_in) as db:
        assert docs(db) == [{"n": 1}, {"n": 2}]
        db.table("a").insert({"n": 3})
    with open_database(path_in) as again:
        assert docs(again) == [{"n": 1}, {"n": 2}, {"n": 3}]


# --- 0c: a torn tail and another writer ---------------------------------------------------------------------------
def test_a_torn_tail_replaced_by_another_writers_record_of_the_same_size_is_not_cut_off(path_in):
    a, b = open_database(path_in), open_database(path_in)
    try:
        a.table("t").insert({"n": 1})
        assert [dict(d) for d in b.table("t").all()] == [{"n": 1}]
        commits = b.storage._journal.commits
        record = encode({"c": commits + 1, "ops": [["set", "t", 2, {"n": 2}]]})
        with open(path_in, "ab") as f:
            f.write(b"x" * len(record))  # a torn write of exactly the size of b's next record
        assert [dict(d) for d in a.table("t").all()] == [{"n": 1}]  # a has seen the torn tail
        b.table("t").insert({"n": 2})  # b cuts the tail off and appends a record of the same size
        assert [dict(d) for d in a.table("t").all()] == [{"n": 1}, {"n": 2}]
        a.table("t").insert({"n": 3})
    finally:
        a.close()
        b.close()
    with open_database(path_in) as again:
        assert [dict(d) for d in again.table("t").all()] == [{"n": 1}, {"n": 2}, {"n": 3}]


# --- 0e: file modes and the secret key ------------------------------------------------------------------------
def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_database_lock_backup_and_compacted_files_are_the_owners_alone(tmp_path, path_in):
    db = open_database(path_in)
    db.table("a").insert({"n": 1})
    os.chmod(path_in, 0o644)  # as an older version left it
    db.compact()
    db.backup(tmp_path / "backup.json")
    db.close()
    assert (mode(path_in), mode(path_in + ".lock"), mode(tmp_path / "backup.json")) == (0o600, 0o600, 0o600)


def test_the_generated_secret_key_is_the_owners_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("HUB_SECRET_KEY", raising=False)
    key = cookies.secret_key(tmp_path, None)
    assert len(key) >= 48 and mode(tmp_path / "secret_key") == 0o600


def test_two_first_starts_at_once_agree_on_one_non_empty_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("HUB_SECRET_KEY", raising=False)
    first_is_writing, second_done = threading.Event(), threading.Event()
    real = cookies.secrets.token_urlsafe

    def token(n: int) -> str:
        if threading.current_thread().name == "first":
            first_is_writing.set()
            second_done.wait(5)  # the first start is slow to make its key
        return real(n) + uuid.uuid4().hex

    monkeypatch.setattr(cookies.secrets, "token_urlsafe", token)
    keys: dict[str, str] = {}
    first = threading.Thread(target=lambda: keys.update(first=cookies.secret_key(tmp_path, None)), name="first")
    first.start()
    first_is_writing.wait(5)
    keys["second"] = cookies.secret_key(tmp_path, None)
    second_done.set()
    first.join(5)
    assert keys["first"] == keys["second"] != ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]
