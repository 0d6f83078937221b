"""Partner Hub's durable TinyDB: a journal storage with locks, transactions, compaction and backups.

Use it through TinyDB's own API::

    db = open_database("data/hub.json")
    with db.transaction():                      # atomic across tables, threads and processes
        db.table("partners").insert({"name": "Acme"})

Every write transaction holds a thread lock and an inter-process file lock, catches up with what other
processes wrote, applies its changes in memory and appends them as one fsynced journal record.
Reads are served from memory after a cheap check (one ``stat``) of the journal.

Compaction (folding the journal into a fresh snapshot) and backups write a frozen view of the tables: the
view is taken under the locks (a shallow copy of each table: documents are replaced, never changed in
place), written outside them, and, for compaction, swapped in under the locks together with the records
committed meanwhile. Readers and writers wait for the copy and the swap only, never for the writing.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from hub_app.kernel.errors import DatabaseCorrupt, RestoreRefused, StoreWriteFailed
from hub_app.store.tinydb import journal
from hub_app.store.tinydb.documents import DurableTable
from hub_app.store.tinydb.journal import Op, Tables
from hub_app.store.tinydb.locking import ProcessLock
from hub_app.store.tinydb.schema import MIGRATIONS, Migrations, schema_of, upgrade

__all__ = ["DurableDB", "JournalStorage", "Migrations", "open_database"]

log = logging.getLogger(__name__)
_MISSING = object()
# Called after the in-memory tables change: (table, key) for one document, (table, None) for a whole
# table, (None, None) for the whole database (a reload after another process compacted or restored).
Watcher = Callable[[str | None, str | None], None]


@dataclass(frozen=True)
class _Frozen:
    """The database at one commit, for writing outside the locks: what compaction and backup write."""

    tables: Tables
    next_ids: dict[str, int]
    generation: int
    commits: int
    offset: int  # where the journal's next record starts: what follows is copied at the swap
    identity: tuple[int, int] | None


class JournalStorage(Storage):
    """TinyDB storage over a journal file; the whole database lives in memory, kept current."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        compact_min_bytes: int = 1 << 20,
        background_compact_bytes: int = 4 << 20,
    ):
        self.path = str(path)
        self.compact_min_bytes = compact_min_bytes
        # A snapshot smaller than this is rewritten in place after the commit that outgrew it (milliseconds);
        # a larger one in a background thread, so no reader or writer waits for it.
        self.background_compact_bytes = background_compact_bytes
        self._compactor: threading.Thread | None = None
        self._closing = False
        self.version = 0  # bumped on every change seen, so tables know when to drop their query caches
        self._mutex = threading.RLock()
        self._file_lock = ProcessLock(self.path + ".lock")
        self._journal = journal.JournalFile(self.path)
        self._depth, self._staged, self._undo = 0, [], []  # type: int, list[Op], list[tuple]
        self._watchers: list[Watcher] = []
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._file_lock:
            if not os.path.exists(self.path):
                journal.write_atomically(self.path, journal.snapshot_record({}, {}, 1))
                self._file_lock.set_mark(0)  # a new database: a lock file left by a removed one keeps no promise
            self._reload()

    # -- TinyDB's Storage interface -------------------------------------------------------------
    def read(self) -> Tables:
        """The live in-memory tables (callers must not mutate them)."""
        with self.reading():
            return self.tables

    def write(self, data: Tables) -> None:
        """Make the database equal ``data``, table by table (TinyDB's drop_table uses this)."""
        with self.transaction():
            ops: list[Op] = [["drop", name] for name in self.tables if name not in data]
            for name, docs in data.items():
                if docs is not self.tables.get(name):
                    ops += [["clear", name]] + [["set", name, key, doc] for key, doc in docs.items()]
            self.stage(ops)

    def close(self) -> None:
        """Release the journal file and the lock file (after a compaction under way has finished)."""
        self._closing = True
        self.wait_for_compaction()
        with self._mutex:
            self._journal.close()
            self._file_lock.close()

    # -- keeping memory current -----------------------------------------------------------------
    def watch(self, watcher: Watcher) -> None:
        """Have ``watcher`` called (under the lock) after each change to memory, whoever made it.

        Derived in-memory structures (a store's indexes) follow the database with it instead of
        rebuilding: what another process appended arrives one document at a time.
        """
        self._watchers.append(watcher)

    def _changed(self, table: str | None, key: str | None) -> None:
        for watcher in self._watchers:
            watcher(table, key)

    def _changed_by(self, op: Op) -> None:
        if self._watchers:
            self._changed(op[1], str(op[2]) if op[0] in ("set", "del") else None)

    def _reload(self) -> None:
        # The database is long-lived and acyclic: frozen out of the collector's generations, it is not walked
        # again by every full collection (each would cost a second at 500,000 documents).
        with journal.no_gc(freeze=True):
            # The mark before the file: a writer appends, then marks, so a mark read first is never ahead.
            mark = self._file_lock.mark()
            snapshot, transactions = self._journal.load()
            if mark > self._journal.commits:
                reason = f"it ends at commit {self._journal.commits}, but commit {mark} was acknowledged"
                raise DatabaseCorrupt(self.path, self._journal.end, reason)
            self.tables, self.next_ids = snapshot["tables"], snapshot["next_ids"]
            self.generation = snapshot["generation"]
            for ops in transactions:
                self._replay(ops, announce=False)
            self.version += 1
            self._changed(None, None)

    def _replay(self, ops: list[Op], announce: bool = True) -> None:
        for op in ops:
            journal.apply(self.tables, op)
            if op[0] == "set":
                self._saw_id(op[1], op[2])
            if announce:
                self._changed_by(op)
        self.version += 1

    def _saw_id(self, table: str, doc_id: Any) -> None:
        if isinstance(doc_id, int):
            self.next_ids[table] = max(self.next_ids.get(table, 1), doc_id + 1)

    def _refresh(self) -> None:
        changes = self._journal.changes()
        if changes is None:
            self._reload()
        for ops in changes or ():
            self._replay(ops)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the thread lock with memory caught up to the file (no file lock: records are atomic)."""
        with self._mutex:
            if not self._depth:
                self._refresh()
            yield

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside become one journal record, or none do; nests (inner blocks join)."""
        with self._mutex:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            with self._file_lock:
                yield from self._outermost()
                self._maybe_compact()

    def _outermost(self) -> Iterator[None]:
        self._refresh()
        self._depth = 1
        try:
            yield
            if self._staged:
                self._journal.append(self._staged)
                self._file_lock.set_mark(self._journal.commits)
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth, self._staged, self._undo = 0, [], []

    def stage(self, ops: list[Op]) -> None:
        """Apply ``ops`` in memory now and journal them when the transaction commits."""
        assert self._depth, "stage() outside a transaction"
        for op in ops:
            self._undo.append(self._undo_entry(op))
            journal.apply(self.tables, op)
            if op[0] == "set":
                self._saw_id(op[1], op[2])
            self._staged.append(op)
            self._changed_by(op)
        self.version += 1

    def _undo_entry(self, op: Op) -> tuple:
        table = self.tables.get(op[1], _MISSING)
        if table is _MISSING or op[0] in ("clear", "drop"):
            return (op[1], None, table)
        return (op[1], str(op[2]), table.get(str(op[2]), _MISSING))

    def _rollback(self) -> None:
        for name, key, previous in reversed(self._undo):
            if key is None and previous is _MISSING:
                self.tables.pop(name, None)
            elif key is None:
                self.tables[name] = previous
            elif previous is _MISSING:
                self.tables[name].pop(key, None)
            else:
                self.tables[name][key] = previous
            if self._watchers:
                self._changed(name, key)
        self.version += 1

    def allocate_id(self, table: str) -> int:
        """A document id never used in ``table`` by any process (call inside a transaction)."""
        assert self._depth, "allocate_id() outside a transaction"
        doc_id = self.next_ids.get(table, 1)
        self.next_ids[table] = doc_id + 1
        return doc_id

    # -- compaction, backup, restore ----------------------------------------------------------
    def _maybe_compact(self) -> None:
        if self._journal.journal_bytes <= max(self.compact_min_bytes, self._journal.snapshot_size):
            return
        if self._journal.snapshot_size >= self.background_compact_bytes:
            if self._compactor is None and not self._closing:
                frozen = self._freeze()
                self._compactor = threading.Thread(
                    target=self._compact_in_background, args=(frozen,), name="compaction", daemon=True
                )
                self._compactor.start()
            return
        try:
            self._write_snapshot(self.path, self.generation + 1)
        except (OSError, StoreWriteFailed) as e:  # the commit is durable; compaction can wait for the next
            log.warning("Compacting %s failed (%s); will retry after the next write.", self.path, e)

    def _freeze(self) -> _Frozen:
        """The database now, as a view later commits do not change (call under the lock)."""
        tables = {name: dict(docs) for name, docs in self.tables.items()}
        j = self._journal
        return _Frozen(tables, dict(self.next_ids), self.generation, j.commits, j.end, j.identity)

    def _compact_in_background(self, frozen: _Frozen) -> None:
        try:
            self._compact_frozen(frozen)
        except StoreWriteFailed as e:
            log.warning("Compacting %s failed (%s); will retry after the next write.", self.path, e)
        finally:
            self._compactor = None

    def _compact_frozen(self, frozen: _Frozen) -> bool:
        """Write ``frozen`` as the next snapshot (no lock held), then swap it in with the records committed
        since (under the locks); False if another process compacted or restored meanwhile."""
        tmp = self.path + ".compacting"
        try:
            fd = journal.open_private(tmp)
            try:
                size = journal.write_snapshot(fd, frozen.tables, frozen.next_ids, frozen.generation + 1, frozen.commits)
                os.fsync(fd)
                return self._swap_in(frozen, tmp, fd, size)
            finally:
                os.close(fd)
        except OSError as e:
            raise journal.write_failed(self.path, e) from e
        finally:
            journal.remove(tmp)

    def _swap_in(self, frozen: _Frozen, tmp: str, fd: int, size: int) -> bool:
        with self._mutex, self._file_lock:
            if self._closing and threading.current_thread() is self._compactor:
                return False
            self._refresh()
            if self._journal.identity != frozen.identity or self.generation != frozen.generation:
                return False  # the file was replaced meanwhile (another process compacted or restored)
            tail = self._journal.end - frozen.offset
            if tail:
                assert self._journal.fd is not None
                journal.write_all(fd, os.pread(self._journal.fd, tail, frozen.offset), size)
                os.fsync(fd)
            os.replace(tmp, self.path)
            journal.fsync_dir(self.path)
            self.generation = frozen.generation + 1
            self._journal.adopt(self._journal.commits, snapshot_size=size)
            return True

    def wait_for_compaction(self) -> None:
        """Return when no compaction runs in the background (for close, tests and benchmarks)."""
        compactor = self._compactor
        if compactor is not None and compactor is not threading.current_thread():
            compactor.join()

    def _write_snapshot(self, path: str, generation: int) -> None:
        def write(fd: int) -> None:
            journal.write_snapshot(fd, self.tables, self.next_ids, generation, self._journal.commits)

        journal.write_atomically(path, write)
        if path == self.path:
            self.generation = generation
            self._journal.adopt(self._journal.commits)

    def compact(self) -> None:
        """Rewrite the file as one snapshot now (normally done when the journal outgrows it).

        Readers and writers go on meanwhile; records they commit are carried into the new file."""
        self.wait_for_compaction()
        with self._mutex:
            if self._depth:  # inside this thread's transaction: the staged writes must stay out of it
                self._write_snapshot(self.path, self.generation + 1)
                return
            with self._file_lock:
                self._refresh()
                frozen = self._freeze()
        if not self._compact_frozen(frozen):
            self.compact()  # another process compacted first: compact what is there now

    def backup(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent, compacted copy of the database to ``dest`` (atomically).

        The copy is of one commit; readers and writers go on while it is written."""
        with self._mutex:
            if not self._depth:
                self._refresh()
            frozen = self._freeze()

        def write(fd: int) -> None:
            journal.write_snapshot(fd, frozen.tables, frozen.next_ids, frozen.generation, frozen.commits)

        journal.write_atomically(str(dest), write)

    def replace(self, tables: Tables, next_ids: dict[str, int]) -> None:
        """Atomically make ``tables`` the whole database (for restore); other processes reload."""
        with self.transaction():
            if self._staged:
                raise RuntimeError("replace() inside a transaction with pending writes")
            self.tables, self.next_ids = tables, next_ids
            self._write_snapshot(self.path, self.generation + 1)
            self.version += 1
            self._changed(None, None)


def read_backup(source: str | os.PathLike[str]) -> tuple[Tables, dict[str, int]]:
    """The tables of a backup file, or RestoreRefused if it is missing or damaged anywhere."""
    file = journal.JournalFile(str(source))
    try:
        snapshot, transactions = file.load()
    except DatabaseCorrupt as e:
        raise RestoreRefused(str(source), f"damaged at byte {e.offset} ({e.reason})") from e
    except OSError as e:
        raise RestoreRefused(str(source), e.strerror or str(e)) from e
    finally:
        file.close()
    if file.problem:
        raise RestoreRefused(str(source), f"damaged at byte {file.end} ({file.problem})")
    tables, next_ids = snapshot["tables"], snapshot["next_ids"]
    for ops in transactions:
        for op in ops:
            journal.apply(tables, op)
    return tables, next_ids


class DurableDB(TinyDB):
    """TinyDB on a :class:`JournalStorage`, with transactions, schema version, backup and restore."""

    table_class = DurableTable
    default_storage_class = JournalStorage  # type: ignore[assignment]
    storage: JournalStorage  # type: ignore[assignment]

    @property
    def path(self) -> str:
        """The database file."""
        return self.storage.path

    def transaction(self):  # type: ignore[no-untyped-def]
        """Context manager: reads and writes inside are atomic w.r.t. other threads and processes."""
        return self.storage.transaction()

    def tables(self) -> set[str]:
        """Names of all tables in the database."""
        with self.storage.reading():
            return set(self.storage.tables)

    def drop_table(self, name: str) -> None:
        """Drop one table (cannot be undone)."""
        with self.transaction():
            self._tables.pop(name, None)
            self.storage.stage([["drop", name]])

    def drop_tables(self) -> None:
        """Drop every table (cannot be undone)."""
        with self.transaction():
            self.storage.stage([["drop", name] for name in self.storage.tables])
            self._tables.clear()

    def compact(self) -> None:
        """Fold the journal into a fresh snapshot now."""
        self.storage.compact()

    def backup(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent compacted copy to ``dest``; restore it with :meth:`restore`."""
        self.storage.backup(dest)

    def restore(self, source: str | os.PathLike[str], migrations: Migrations = MIGRATIONS) -> None:
        """Validate the backup at ``source``, then atomically replace this database with it."""
        tables, next_ids = read_backup(source)
        found = schema_of(tables)
        if found is not None and found > migrations.current:
            reason = f"it is schema {found}, newer than this Partner Hub (schema {migrations.current})"
            raise RestoreRefused(str(source), reason)
        self.storage.replace(tables, next_ids)
        upgrade(self, migrations)


def open_database(
    path: str | os.PathLike[str],
    *,
    migrations: Migrations = MIGRATIONS,
    compact_min_bytes: int = 1 << 20,
    background_compact_bytes: int = 4 << 20,
) -> DurableDB:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    db = DurableDB(path, compact_min_bytes=compact_min_bytes, background_compact_bytes=background_compact_bytes)
    try:
        upgrade(db, migrations)
    except BaseException:
        db.close()
        raise
    return db
