"""The durable store on a full disk, a damaged or cut file, a racing torn tail, and file modes.

A full disk is a real small tmpfs where the machine lets us mount one (root, outside a sandbox that
refuses mounts); elsewhere the same budget of free bytes is enforced by a stand-in for `os.write` and
`os.pwrite` that writes short, then fails with ENOSPC, as a filling disk does.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import types
import uuid
from pathlib import Path

import pytest
from hub_cast import company
from typer.testing import CliRunner

from hub_app import store as stores
from hub_app.cli import main as cli
from hub_app.kernel.errors import DatabaseCorrupt, WriteFailed
from hub_app.store.tinydb import journal
from hub_app.store.tinydb.durable import open_database
from hub_app.ui.web import cookies

DISK = 512 * 1024


class FullDisk:
    """A directory on a small disk; ``fill(leave)`` takes all its free space but ``leave`` bytes."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch):
        self.root, self.monkeypatch, self.budget = root, monkeypatch, None
        self.mounted = os.geteuid() == 0 and shutil.which("mount") is not None and self._mount()
        if not self.mounted:
            fake = types.SimpleNamespace(**{name: getattr(os, name) for name in dir(os) if not name.startswith("__")})
            fake.write = lambda fd, data: self._spend(os.write, fd, data)
            fake.pwrite = lambda fd, data, offset: self._spend(os.pwrite, fd, data, offset)
            monkeypatch.setattr(journal, "os", fake)

    def _mount(self) -> bool:
        command = ["mount", "-t", "tmpfs", "-o", f"size={DISK}", "tmpfs", str(self.root)]
        done = subprocess.run(command, capture_output=True)
        return done.returncode == 0

    def _spend(self, write, fd: int, data, *offset: int) -> int:
        if self.budget is None:
            return write(fd, data, *offset)
        if self.budget <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written = write(fd, bytes(data[: self.budget]), *offset)
        self.budget -= written
        return written

    def fill(self, leave: int) -> None:
        if not self.mounted:
            self.budget = leave
            return
        with open(self.root / "filler", "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
            except OSError:
                pass
        free = os.statvfs(self.root)
        assert free.f_bavail * free.f_frsize == 0
        os.truncate(self.root / "filler", os.path.getsize(self.root / "filler") - leave)

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.root)], check=False)


@pytest.fixture
def disk(tmp_path, monkeypatch):
    root = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    root.mkdir()
    full = FullDisk(root, monkeypatch)
    yield full
    full.close()


def _filled_db(path: Path, compact_min_bytes: int = 1 << 30):
    db = open_database(path, compact_min_bytes=compact_min_bytes)
    with db.transaction():
        for n in range(100):
            db.table("docs").insert({"n": n, "pad": "x" * 1000})
    return db


def test_compaction_on_a_full_disk_fails_loudly_and_keeps_every_record(disk):
    path = disk.root / "hub.json"
    db = _filled_db(path)
    before = path.read_bytes()
    disk.fill(leave=20_000)  # less than the snapshot: the temp file would be cut short
    with pytest.raises(WriteFailed) as e:
        db.compact()
    assert str(e.value) == (
        f"Could not write {path}: No space left on device. Nothing was saved. "
        "Hint: free disk space (or fix the file system) and try again."
    )
    assert path.read_bytes() == before
    assert not Path(f"{path}.tmp").exists()
    db.close()
    with open_database(path) as again:
        assert len(again.table("docs")) == 100


def test_a_commit_on_a_full_disk_is_not_acknowledged_and_leaves_the_file_as_it_was(disk):
    path = disk.root / "hub.json"
    db = _filled_db(path)
    before = path.read_bytes()
    disk.fill(leave=500)
    with pytest.raises(WriteFailed):
        db.table("docs").insert({"n": 100, "pad": "y" * 5000})
    assert len(db.table("docs")) == 100  # rolled back in memory too
    assert path.read_bytes() == before
    db.close()
    with open_database(path) as again:
        assert len(again.table("docs")) == 100


def test_backup_to_a_full_disk_fails_and_writes_no_file(disk, tmp_path, monkeypatch):
    data = tmp_path / "data"
    db = _filled_db(data / "hub.json")
    db.close()
    dest = disk.root / "backup.json"
    disk.fill(leave=20_000)
    result = CliRunner().invoke(cli.app, ["backup", str(dest), "--data", str(data)])
    assert result.exit_code == 1
    assert f"Could not write {dest}: No space left on device. Nothing was saved." in result.output
    assert "Backed up" not in result.output
    assert not dest.exists() and not Path(f"{dest}.tmp").exists()


def test_a_kpi_import_on_a_full_disk_says_so_and_imports_nothing(disk, tmp_path):
    store = stores.open_store(disk.root)
    acme = company(store, "Acme")
    store.close()
    csv = tmp_path / "kpis.csv"
    rows = "".join(f"{acme.id},{year}-Q{q},1000,3,4.5\n" for year in range(2010, 2026) for q in range(1, 5))
    csv.write_text("company_id,period,revenue_12m,customers,csat\n" + rows, encoding="utf-8")
    disk.fill(leave=0)  # the import's one record outgrows the slack of the file's last page
    result = CliRunner().invoke(cli.app, ["import", "kpis", str(csv), "--data", str(disk.root)])
    assert result.exit_code == 1
    assert f"Could not write {disk.root / 'hub.json'}: No space left on device. Nothing was saved." in result.output
    assert "Traceback" not in result.output and "Imported" not in result.output
    disk.fill(leave=1 << 20) if not disk.mounted else os.unlink(disk.root / "filler")
    store = stores.open_store(disk.root)
    assert store.kpis_of(acme.id) == []
    store.close()


def test_a_torn_tail_replaced_by_another_writers_record_of_the_same_size_is_never_cut_off(tmp_path):
    path = tmp_path / "hub.json"
    with open_database(path) as db:
        db.table("a").insert({"n": 1})
    base, lock = path.read_bytes(), Path(f"{path}.lock")
    acknowledged = lock.read_bytes()
    with open_database(path) as writer:
        writer.table("a").insert({"n": 2})
    record = len(path.read_bytes()) - len(base)  # the size of the record the other writer will write
    path.write_bytes(base + b"x" * record)  # back to before it, with a torn tail of exactly that size
    lock.write_bytes(acknowledged)
    first = open_database(path)  # sees the torn tail
    second = open_database(path)
    second.table("a").insert({"n": 2})  # cuts the tail, writes a record of the same size
    assert path.stat().st_size == len(base) + record
    assert first.table("a").all() == [{"n": 1}, {"n": 2}]  # the first process sees it
    first.table("a").insert({"n": 3})  # and does not cut it off when it writes
    first.close()
    second.close()
    with open_database(path) as again:
        assert again.table("a").all() == [{"n": 1}, {"n": 2}, {"n": 3}]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_its_lock_backups_and_compactions_are_private(tmp_path):
    path = tmp_path / "hub.json"
    old = os.umask(0o022)
    try:
        db = open_database(path)
        db.table("a").insert({"n": 1})
        assert _mode(path) == _mode(Path(f"{path}.lock")) == 0o600
        db.compact()
        assert _mode(path) == 0o600
        db.backup(tmp_path / "backup.json")
        assert _mode(tmp_path / "backup.json") == 0o600
        db.close()
    finally:
        os.umask(old)


def test_the_session_secret_is_private_and_never_read_half_written(tmp_path, monkeypatch):
    monkeypatch.delenv("HUB_SECRET_KEY", raising=False)
    seen: list[str] = []
    real_link = os.link

    def race(src, dst):  # another first start reads the key while this one is writing it
        if not Path(dst).exists():
            seen.append(Path(dst).read_text() if Path(dst).exists() else "(absent)")
        real_link(src, dst)

    monkeypatch.setattr(cookies.os, "link", race)
    key = cookies.secret_key(tmp_path)
    assert len(key) >= 48 and seen == ["(absent)"]
    assert _mode(tmp_path / "secret_key") == 0o600
    assert cookies.secret_key(tmp_path) == key
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def _records(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def test_a_file_cut_at_a_record_boundary_is_refused_not_opened_short(tmp_path):
    path = tmp_path / "hub.json"
    with open_database(path) as db:
        for n in range(5):
            db.table("a").insert({"n": n})
    lines = _records(path)
    path.write_bytes(b"".join(lines[:-2]))  # the last two commits gone, cut cleanly between records
    with pytest.raises(DatabaseCorrupt) as e:
        open_database(path)
    assert str(e.value) == (
        f"Database file {path} is damaged at byte {path.stat().st_size} (the file ends at commit 4, but commit 6 "
        "was acknowledged: it was cut short or an older copy was put in its place). "
        "Hint: restore the latest backup; keep the damaged file for inspection."
    )


def test_a_running_reader_notices_the_file_cut_under_it(tmp_path):
    path = tmp_path / "hub.json"
    db = open_database(path)
    for n in range(3):
        db.table("a").insert({"n": n})
    lines = _records(path)
    with open(path, "r+b") as f:  # the same file, shortened in place
        f.truncate(sum(map(len, lines[:-1])))
    with pytest.raises(DatabaseCorrupt, match="ends at commit 3, but commit 4 was acknowledged"):
        db.table("a").all()
    db.close()


def test_a_record_out_of_its_place_is_refused(tmp_path):
    path = tmp_path / "hub.json"
    with open_database(path) as db:
        for n in range(3):
            db.table("a").insert({"n": n})
    lines = _records(path)
    path.write_bytes(b"".join([lines[0], lines[1], lines[3], lines[2]]))
    offset = len(lines[0]) + len(lines[1])
    with pytest.raises(DatabaseCorrupt) as e:
        open_database(path)
    assert f"is damaged at byte {offset} (commit 3 where commit 2 was due)" in str(e.value)


def test_a_journal_of_format_1_still_opens_and_takes_new_commits(tmp_path):
    path = tmp_path / "hub.json"
    old = journal.encode({"format": "partnerhub-journal/1", "generation": 1, "next_ids": {}, "tables": {}})
    old += journal.encode([["set", "_meta", 1, {"schema": 1}]]) + journal.encode([["set", "a", 1, {"n": 1}]])
    path.write_bytes(old)
    with open_database(path) as db:
        assert db.table("a").all() == [{"n": 1}]
        db.table("a").insert({"n": 2})
        db.compact()
    with open_database(path) as again:
        assert again.table("a").all() == [{"n": 1}, {"n": 2}]


def test_a_database_put_aside_on_purpose_starts_afresh(tmp_path):
    path = tmp_path / "hub.json"
    with open_database(path) as db:
        db.table("a").insert({"n": 1})
    path.rename(tmp_path / "hub.json.replaced")
    with open_database(path) as fresh:
        assert fresh.table("a").all() == []
        fresh.table("a").insert({"n": 2})
    with open_database(path) as again:
        assert again.table("a").all() == [{"n": 2}]


def test_restore_replaces_a_damaged_database_and_keeps_it_aside(tmp_path):
    data = tmp_path / "data"
    store = stores.open_store(data)
    acme = company(store, "Acme")
    store.backup(str(tmp_path / "backup.json"))
    store.close()
    lines = _records(data / "hub.json")
    (data / "hub.json").write_bytes(b"".join(lines[:-1]))
    result = CliRunner().invoke(cli.app, ["restore", str(tmp_path / "backup.json"), "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert [p.name.split("-")[0] for p in data.glob("hub.json.damaged-*")] == ["hub.json.damaged"]
    store = stores.open_store(data)
    assert store.company(acme.id) is not None
    store.close()


def test_a_command_on_a_read_only_data_dir_says_so(disk, tmp_path):
    if disk.mounted:  # root writes through permissions: only a read-only mount refuses it
        stores.open_store(disk.root).close()
        subprocess.run(["mount", "-o", "remount,ro", str(disk.root)], check=True)
    else:  # no mount here: the file system answers as a read-only one does

        def read_only(*args, **kwargs):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))

        disk.monkeypatch.setattr(stores.tempfile, "TemporaryFile", read_only)
    result = CliRunner().invoke(cli.app, ["export", str(tmp_path / "out"), "--data", str(disk.root)])
    assert result.exit_code == 1
    assert result.output == f"HUB_DATA_DIR '{disk.root}' is not writable. Hint: create it or set HUB_DATA_DIR.\n"
