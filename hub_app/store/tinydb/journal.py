"""The journal file: a snapshot record, then one record per committed transaction.

Every record is one line, ``<crc32 hex> <payload length> <payload JSON>\\n``. The first record is the
snapshot (a JSON object: format, generation, next ids, tables); each later record is a JSON list of
operations that one transaction applied. A torn or damaged *last* record is a write that was never
acknowledged and is dropped; damage anywhere else is reported, never skipped.
"""

from __future__ import annotations

import errno
import gc
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import orjson

from hub_app.kernel.errors import DatabaseCorrupt, StoreWriteFailed

FORMAT = "partnerhub-journal/1"
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
    starts: list[int] = field(default_factory=list)  # file offset of each payload's record
    end: int = 0
    first_end: int = 0
    problem: str | None = None


def scan(data: bytes, start: int, origin: str) -> Scan:
    """Decode records in ``data`` (read from file offset ``start``); only a last line without its newline may
    be incomplete (a torn write), any complete line that does not decode is DatabaseCorrupt."""
    found, pos, view = Scan(end=start), 0, memoryview(data)
    while pos < len(data):
        newline = data.find(b"\n", pos)
        if newline < 0:
            found.problem = "incomplete record"
            return found
        try:
            found.payloads.append(_decode_line(view[pos:newline]))
        except ValueError as e:  # orjson.JSONDecodeError is one too
            raise DatabaseCorrupt(origin, start + pos, str(e) or "unreadable record") from e
        found.starts.append(start + pos)
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


def snapshot_record(tables: Tables, next_ids: dict[str, int], generation: int, commits: int = 0) -> bytes:
    """The first record of a journal file: the whole database at one moment, after ``commits`` commits."""
    snapshot = {"format": FORMAT, "generation": generation, "commits": commits, "next_ids": next_ids}
    return encode({**snapshot, "tables": tables})


# A streamed snapshot's header has a fixed width, so it can be written last, over its placeholder: the
# checksum and the length are only known at the end. Readers parse "00000000000000001234" as 1234.
_HEADER_WIDTH = len(b"%08x %020d " % (0, 0))
SNAPSHOT_BATCH = 2_000  # documents serialised per call: one call is the longest the writer holds the GIL


def _snapshot_chunks(tables: Tables, next_ids: dict[str, int], generation: int, commits: int) -> Iterator[bytes]:
    """The snapshot payload of `snapshot_record`, byte for byte, in pieces of at most SNAPSHOT_BATCH documents."""
    meta = {"format": FORMAT, "generation": generation, "commits": commits, "next_ids": next_ids}
    yield orjson.dumps(meta, option=_DUMPS_OPTIONS)[:-1] + b',"tables":{'
    for t, (name, docs) in enumerate(tables.items()):
        yield (b"," if t else b"") + orjson.dumps(name) + b":{"
        items, separator = iter(docs.items()), b""
        while batch := dict(islice(items, SNAPSHOT_BATCH)):
            yield separator + orjson.dumps(batch, option=_DUMPS_OPTIONS)[1:-1]
            separator = b","
        yield b"}"
    yield b"}}"


def write_snapshot(fd: int, tables: Tables, next_ids: dict[str, int], generation: int, commits: int) -> int:
    """Write the snapshot record into the empty file ``fd`` without holding it whole in memory; its size.

    The database is serialised a batch at a time and written in pieces of about a MiB, so compaction and
    backup never hold a second copy of the database; the caller may run this outside every lock on a
    frozen view (tables whose documents are replaced, never changed in place)."""
    crc, length, pending, size = 0, 0, [], 0
    for chunk in _snapshot_chunks(tables, next_ids, generation, commits):
        crc, length = zlib.crc32(chunk, crc), length + len(chunk)
        pending.append(chunk)
        size += len(chunk)
        if size >= 1 << 20:
            write_all(fd, b"".join(pending), _HEADER_WIDTH + length - size)
            pending, size = [], 0
    write_all(fd, b"".join(pending) + b"\n", _HEADER_WIDTH + length - size)
    write_all(fd, b"%08x %020d " % (crc, length), 0)
    return _HEADER_WIDTH + length + 1


def check_snapshot(payload: Any, origin: str) -> dict[str, Any]:
    """The snapshot payload, or DatabaseCorrupt if the first record is not one."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise DatabaseCorrupt(origin, 0, "not a Partner Hub journal")
    return payload


def fsync_dir(path: str) -> None:
    """Make a rename in ``path``'s directory durable."""
    fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


FILE_MODE = 0o600  # the database holds password hashes and people's records: its owner's alone


def write_all(fd: int, data: bytes | memoryview, offset: int | None = None) -> None:
    """Write every byte of ``data`` (at ``offset``, or at the file position), or raise OSError.

    ``os.write`` and ``os.pwrite`` may write less than they were given (a full disk writes what fits,
    then fails): each call's count is checked and the rest written, so a short write never passes
    for a whole one.
    """
    view, done = memoryview(data), 0
    while done < len(view):
        n = os.write(fd, view[done:]) if offset is None else os.pwrite(fd, view[done:], offset + done)
        if n <= 0:  # pragma: no cover - the kernel raises ENOSPC rather than return 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        done += n


def write_failed(path: str, error: OSError) -> StoreWriteFailed:
    """The error to raise when writing ``path`` failed (ENOSPC and friends, named as the system names them)."""
    return StoreWriteFailed(path, error.strerror or str(error))


def write_atomically(path: str, data: bytes | Callable[[int], object], suffix: str = ".tmp") -> None:
    """Replace ``path`` with ``data`` (bytes, or a function writing into the open file): temp file, fsync,
    rename, directory fsync. Never torn.

    If any step fails, the temp file is removed and ``path`` is untouched (StoreWriteFailed)."""
    tmp = path + suffix
    try:
        fd = open_private(tmp)
        try:
            if callable(data):
                data(fd)
            else:
                write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as e:
        remove(tmp)
        raise write_failed(path, e) from e
    fsync_dir(path)


def open_private(path: str) -> int:
    """A new, empty file only its owner may read (an older leftover of the same name is truncated)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # a temp file left by an older version may be wider
    return fd


def remove(path: str) -> None:
    """Remove ``path`` if it can be removed (a temp file after a failure)."""
    with suppress(OSError):
        os.unlink(path)


class JournalFile:
    """An open journal file: replays what others appended, appends our records, notices replacement."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None
        self.identity: tuple[int, int] | None = None
        self.end = 0  # offset just past the last good record
        self.seen_size = 0
        self.snapshot_size = 0
        self.commits = 0  # the commit number of the last record read or written
        self.problem: str | None = None  # why the last load stopped before the end of the file

    def load(self) -> tuple[dict[str, Any], list[Any]]:
        """(Re)open the file at ``path``: its snapshot and the transactions after it."""
        size = self._open()
        found = self._read(size)
        self.problem = found.problem
        if not found.payloads:
            raise DatabaseCorrupt(self.path, 0, found.problem or "empty file")
        self.snapshot_size = found.first_end
        snapshot = check_snapshot(found.payloads[0], self.path)
        self.commits = snapshot.get("commits", 0)
        return snapshot, self._transactions(found, 1)

    def _transactions(self, found: Scan, first: int) -> list[Any]:
        """The operations of each transaction record, checking that their commit numbers follow on."""
        out = []
        for payload, start in zip(found.payloads[first:], found.starts[first:], strict=True):
            if isinstance(payload, dict):
                if payload.get("c") != self.commits + 1:
                    reason = f"commit {self.commits + 1} is missing: the next record is commit {payload.get('c')}"
                    raise DatabaseCorrupt(self.path, start, reason)
                payload = payload["ops"]
            self.commits += 1  # a record from before commit numbers counts all the same
            out.append(payload)
        return out

    def adopt(self, commits: int, snapshot_size: int | None = None) -> None:
        """Open the file we just wrote, a snapshot after ``commits`` commits, without parsing it again.

        A compacted file may carry the records appended while its snapshot was written: ``snapshot_size``
        says where they start, and ``commits`` is then the number of the last of them."""
        self.end = self.seen_size = self._open()
        self.snapshot_size = self.end if snapshot_size is None else snapshot_size
        self.commits = commits

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
        # Unchanged only if no torn tail was seen: the writer who cut that tail off may have appended a
        # record of exactly its size, so the size alone would hide an acknowledged commit.
        if st.st_size == self.seen_size == self.end:
            return []
        return self._transactions(self._read(st.st_size), 0)

    def append(self, ops: list[Op]) -> None:
        """Append one transaction after the last good record (cutting off a torn tail) and fsync.

        Call with the write lock held and the file read to its end (`changes`): the tail cut off is then
        one no writer acknowledged."""
        assert self.fd is not None
        record = encode({"c": self.commits + 1, "ops": ops})
        try:
            if self.seen_size != self.end:
                os.ftruncate(self.fd, self.end)
            write_all(self.fd, record, self.end)
            os.fdatasync(self.fd)
        except OSError as e:
            with suppress(OSError):  # if this fails too, the bytes past `end` are a torn tail the next load drops
                os.ftruncate(self.fd, self.end)
            self.seen_size = -1  # whatever is past `end` now, read it again before the next append
            raise write_failed(self.path, e) from e
        self.end += len(record)
        self.seen_size = self.end
        self.commits += 1

    @property
    def journal_bytes(self) -> int:
        """Bytes of transactions after the snapshot: what compaction would reclaim."""
        return self.end - self.snapshot_size

    def close(self) -> None:
        """Release the file descriptor."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
