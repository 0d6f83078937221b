"""Partner Hub's durable TinyDB: a journal storage with locks, transactions, compaction and backups.

Use it through TinyDB's own API::

    db = open_database("data/hub.json")
    with db.transaction():                      # atomic across tables, threads and processes
        db.table("partners").insert({"name": "Acme"})

Every write transaction holds a thread lock and an inter-process file lock, catches up with what other
processes wrote, applies its changes in memory and appends them as one fsynced journal record.
Reads are served from memory after a cheap check (one ``stat``) of the journal.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from hub_app.kernel.errors import DatabaseCorrupt, RestoreRefused, WriteFailed
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


class JournalStorage(Storage):
    """TinyDB storage over a journal file; the whole database lives in memory, kept current."""

    def __init__(self, path: str | os.PathLike[str], compact_min_bytes: int = 1 << 20):
        self.path = str(path)
        self.compact_min_bytes = compact_min_bytes
        self.version = 0  # bumped on every change seen, so tables know when to drop their query caches
        self._mutex = threading.RLock()
        self._file_lock = ProcessLock(self.path + ".lock")
        self._journal = journal.JournalFile(self.path)
        self._depth, self._staged, self._undo = 0, [], []  # type: int, list[Op], list[tuple]
        self._watchers: list[Watcher] = []
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._file_lock:
            if not os.path.exists(self.path):
                # A new file goes on counting from the last acknowledged commit: one put aside is no cut.
                commit = self._file_lock.acknowledged()
                journal.write_atomically(self.path, journal.snapshot_record({}, {}, 1, commit))
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
        """Release the journal file and the lock file."""
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
        # Read before the journal: a writer records its commit only after its record is in the journal.
        known = max(self._file_lock.acknowledged(), self._journal.commit)
        # The database is long-lived and acyclic: frozen out of the collector's generations, it is not walked
        # again by every full collection (each would cost a second at 500,000 documents).
        with journal.no_gc(freeze=True):
            snapshot, transactions = self._journal.load()
            if self._journal.commit < known:
                self._cut_short(known)
            self.tables, self.next_ids = snapshot["tables"], snapshot["next_ids"]
            self.generation = snapshot["generation"]
            for ops in transactions:
                self._replay(ops, announce=False)
            self.version += 1
            self._changed(None, None)

    def _cut_short(self, known: int) -> None:
        if not self._file_lock.held:  # make sure under the lock: no writer between its two writes
            with self._file_lock:
                known = self._file_lock.acknowledged()
                self._journal.load()
        if self._journal.commit < known:
            reason = (
                f"the file ends at commit {self._journal.commit}, but commit {known} was acknowledged: "
                "it was cut short or an older copy was put in its place"
            )
            raise DatabaseCorrupt(self.path, self._journal.end, reason)

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
                self._file_lock.acknowledge(self._journal.append(self._staged))
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
        if self._journal.journal_bytes > max(self.compact_min_bytes, self._journal.snapshot_size):
            try:
                self._write_snapshot(self.path, self.generation + 1)
            except (OSError, WriteFailed) as e:  # the commit is durable already; compaction can wait
                log.warning("Compacting %s failed (%s); will retry after the next write.", self.path, e)

    def _write_snapshot(self, path: str, generation: int, commit: int | None = None) -> None:
        commit = self._journal.commit if commit is None else commit
        with journal.no_gc():
            record = journal.snapshot_record(self.tables, self.next_ids, generation, commit)
        journal.write_atomically(path, record)
        if path == self.path:
            self.generation = generation
            self._journal.adopt(commit)

    def compact(self) -> None:
        """Rewrite the file as one snapshot now (normally done when the journal outgrows it)."""
        with self.transaction():
            self._write_snapshot(self.path, self.generation + 1)

    def backup(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent, compacted copy of the database to ``dest`` (atomically)."""
        with self.transaction():
            self._write_snapshot(str(dest), self.generation)

    def replace(self, tables: Tables, next_ids: dict[str, int]) -> None:
        """Atomically make ``tables`` the whole database (for restore); other processes reload."""
        with self.transaction():
            if self._staged:
                raise RuntimeError("replace() inside a transaction with pending writes")
            previous = self.tables, self.next_ids
            self.tables, self.next_ids = tables, next_ids
            try:  # a restore is a commit: numbers go on rising, so others never take it for a cut
                self._write_snapshot(self.path, self.generation + 1, self._journal.commit + 1)
            except BaseException:
                self.tables, self.next_ids = previous
                raise
            self._file_lock.acknowledge(self._journal.commit)
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
    path: str | os.PathLike[str], *, migrations: Migrations = MIGRATIONS, compact_min_bytes: int = 1 << 20
) -> DurableDB:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    db = DurableDB(path, compact_min_bytes=compact_min_bytes)
    try:
        upgrade(db, migrations)
    except BaseException:
        db.close()
        raise
    return db
