"""The journal file: a snapshot record, then one record per committed transaction.

Every record is one line, ``<crc32 hex> <payload length> <payload JSON>\\n``. The first record is the
snapshot (a JSON object: format, generation, next ids, tables); each later record is a JSON list of
operations that one transaction applied. A torn or damaged *last* record is a write that was never
acknowledged and is dropped; only a line without its newline is torn: a complete record that does not
decode is damage, reported with its offset wherever it is, never dropped (nor cut off by the next append).
Every write checks its byte count: a short write or a full disk raises WriteFailed, nothing acknowledged.
"""

from __future__ import annotations

import errno
import gc
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson

from hub_app.kernel.errors import DatabaseCorrupt, WriteFailed

FORMAT = "partnerhub-journal/2"
FORMATS_READ = ("partnerhub-journal/1", FORMAT)
Tables = dict[str, dict[str, dict[str, Any]]]
Op = list[Any]  # ["set", table, id, doc] | ["del", table, id] | ["clear", table] | ["drop", table]
# orjson parses a whole database 2-3x faster than the json module and writes the same compact UTF-8 JSON.
# Keys become strings as json.dumps makes them; datetimes and dataclasses are refused (not silently turned
# into strings), so memory never holds a value that a reload would bring back as something else.
_DUMPS_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def encode(payload: Any) -> bytes:
    """One record: checksum, length and JSON payload on a single line."""
    body = orjson.dumps(payload, option=_DUMPS_OPTIONS)
    return b"%08x %d " % (zlib.crc32(body), len(body)) + body + b"\n"


def _decode_line(line: memoryview) -> Any:
    """The payload of one complete line, or ValueError naming what is wrong with it."""
    # A view, never a copy: a snapshot's line is the whole database, and every copy of it would add
    # its size to the peak memory of a cold start.
    crc, length, _ = bytes(line[:40]).split(b" ", 2)  # "<8 hex> <up to 20 digits> " fits in 40 bytes
    body = line[len(crc) + len(length) + 2 :]
    if len(body) != int(length):
        raise ValueError("length mismatch")
    if zlib.crc32(body) != int(crc, 16):
        raise ValueError("checksum mismatch")
    return orjson.loads(body)


@dataclass
class Scan:
    """What reading from an offset found: payloads, where the last good record ends, and why it stopped."""

    payloads: list[Any] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    end: int = 0
    first_end: int = 0
    problem: str | None = None


def scan(data: bytes, start: int, origin: str) -> Scan:
    """Decode records in ``data`` (read from file offset ``start``); only the last one may be bad."""
    found, pos, view = Scan(end=start), 0, memoryview(data)
    while pos < len(data):
        newline = data.find(b"\n", pos)
        if newline < 0:
            found.problem = "incomplete record"
            return found
        try:
            found.payloads.append(_decode_line(view[pos:newline]))
            found.starts.append(start + pos)
        except ValueError as e:  # orjson.JSONDecodeError is one too
            # A line with its newline was written whole: a bad one is damage, not a torn write.
            raise DatabaseCorrupt(origin, start + pos, str(e) or "unreadable record") from e
        pos = newline + 1
        found.end = start + pos
        found.first_end = found.first_end or found.end
    return found


def apply(tables: Tables, op: Op) -> None:
    """Replay one operation onto the in-memory tables."""
    kind, name = op[0], op[1]
    if kind == "set":
        tables.setdefault(name, {})[str(op[2])] = op[3]
    elif kind == "del":
        tables.get(name, {}).pop(str(op[2]), None)
    elif kind == "clear":
        tables[name] = {}
    elif kind == "drop":
        tables.pop(name, None)
    else:
        raise ValueError(f"unknown operation {kind!r}")


@contextmanager
def no_gc(freeze: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole database is parsed or serialised.

    Parsing allocates millions of containers and none of them is garbage; left on, the collector
    walks them again and again: half the time of loading or compacting 500,000 documents. With
    ``freeze``, what was allocated is long-lived: it leaves the collector's generations before the
    collector resumes, else the first collection after the pause walks all of it (1.5 s at that size).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def snapshot_record(tables: Tables, next_ids: dict[str, int], generation: int, commit: int = 0) -> bytes:
    """The first record of a journal file: the whole database at one moment (after commit ``commit``)."""
    snapshot = {"format": FORMAT, "generation": generation, "commit": commit, "next_ids": next_ids}
    return encode({**snapshot, "tables": tables})


def check_snapshot(payload: Any, origin: str) -> dict[str, Any]:
    """The snapshot payload, or DatabaseCorrupt if the first record is not one."""
    if not isinstance(payload, dict) or payload.get("format") not in FORMATS_READ:
        raise DatabaseCorrupt(origin, 0, "not a Partner Hub journal")
    return payload


def transaction_record(commit: int, ops: list[Op]) -> bytes:
    """The record of commit number ``commit``."""
    return encode({"commit": commit, "ops": ops})


def ops_of(payload: Any, expected: int, origin: str, offset: int) -> list[Op]:
    """The operations of a transaction record that must be commit ``expected``, else DatabaseCorrupt."""
    if isinstance(payload, list):  # format 1: no number, the next commit by position
        return payload
    if not isinstance(payload, dict) or not isinstance(payload.get("ops"), list):
        raise DatabaseCorrupt(origin, offset, "not a transaction record")
    if payload.get("commit") != expected:
        raise DatabaseCorrupt(origin, offset, f"commit {payload.get('commit')} where commit {expected} was due")
    return payload["ops"]


def fsync_dir(path: str) -> None:
    """Make a rename in ``path``'s directory durable."""
    fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes, path: str, offset: int | None = None) -> None:
    """Write every byte of ``data`` (at ``offset``, else at the file position), or WriteFailed naming ``path``.

    ``os.write`` may write less than asked (a disk filling up); the rest is written by looping, and a
    write that makes no progress is a full disk.
    """
    view, done = memoryview(data), 0
    try:
        while done < len(view):
            rest = view[done:]
            written = os.write(fd, rest) if offset is None else os.pwrite(fd, rest, offset + done)
            if written <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            done += written
    except OSError as e:
        raise WriteFailed(path, e.strerror or str(e)) from e


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` (mode 0600): temp file, fsync, rename, directory fsync. Never torn.

    On any failure the temp file goes and ``path`` stays as it was.
    """
    tmp = f"{path}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # a temp file left by a crash keeps its old mode through O_CREAT
        write_all(fd, data, path)
        try:
            os.fsync(fd)
        except OSError as e:
            raise WriteFailed(path, e.strerror or str(e)) from e
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path)


class JournalFile:
    """An open journal file: replays what others appended, appends our records, notices replacement."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None
        self.identity: tuple[int, int] | None = None
        self.end = 0  # offset just past the last good record
        self.seen_size = 0
        self.snapshot_size = 0
        self.commit = 0  # the number of the last good record's commit
        self.problem: str | None = None  # why the last load stopped before the end of the file

    def load(self) -> tuple[dict[str, Any], list[list[Op]]]:
        """(Re)open the file at ``path``: its snapshot and the transactions after it."""
        size = self._open()
        found = self._read(size)
        self.problem = found.problem
        if not found.payloads:
            raise DatabaseCorrupt(self.path, 0, found.problem or "empty file")
        self.snapshot_size = found.first_end
        snapshot = check_snapshot(found.payloads[0], self.path)
        self.commit = snapshot.get("commit", 0)
        return snapshot, self._numbered(found.payloads[1:], found.starts[1:])

    def _numbered(self, payloads: list[Any], starts: list[int]) -> list[list[Op]]:
        transactions = []
        for payload, start in zip(payloads, starts, strict=True):
            transactions.append(ops_of(payload, self.commit + 1, self.path, start))
            self.commit += 1
        return transactions

    def adopt(self, commit: int) -> None:
        """Open the file we just wrote as a snapshot alone (after commit ``commit``), without parsing it again."""
        self.end = self.seen_size = self.snapshot_size = self._open()
        self.commit = commit

    def _open(self) -> int:
        self.close()
        self.fd = os.open(self.path, os.O_RDWR)
        st = os.fstat(self.fd)
        self.identity, self.end = (st.st_dev, st.st_ino), 0
        return st.st_size

    def _read(self, size: int) -> Scan:
        assert self.fd is not None
        found = scan(os.pread(self.fd, size - self.end, self.end), self.end, self.path)
        self.end, self.seen_size = found.end, size
        return found

    def changes(self) -> list[Any] | None:
        """Transactions appended since the last look; None when the file was replaced (reload it)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        if (st.st_dev, st.st_ino) != self.identity or st.st_size < self.end:
            return None
        if st.st_size == self.end:
            return []
        # Bytes past our last good record: new records, or a torn tail -- which another process may have
        # cut off and replaced by a record of the very same size. Read them again from the last good
        # record; the size alone never says nothing changed.
        found = self._read(st.st_size)
        try:
            return self._numbered(found.payloads, found.starts)
        except DatabaseCorrupt:
            return None  # not the records that follow ours: the file was rewritten in place; reload it

    def append(self, ops: list[Op]) -> int:
        """Append one transaction after the last good record (cutting off a torn tail), fsync: its commit."""
        assert self.fd is not None
        record = transaction_record(self.commit + 1, ops)
        try:
            if self.seen_size != self.end:
                os.ftruncate(self.fd, self.end)
            write_all(self.fd, record, self.path, self.end)
            try:
                os.fdatasync(self.fd)
            except OSError as e:
                raise WriteFailed(self.path, e.strerror or str(e)) from e
        except (OSError, WriteFailed):
            os.ftruncate(self.fd, self.end)  # nothing of this transaction stays in the file
            raise
        self.end += len(record)
        self.seen_size = self.end
        self.commit += 1
        return self.commit

    @property
    def journal_bytes(self) -> int:
        """Bytes of transactions after the snapshot: what compaction would reclaim."""
        return self.end - self.snapshot_size

    def close(self) -> None:
        """Release the file descriptor."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
