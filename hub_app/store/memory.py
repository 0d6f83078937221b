"""The memory backend: records of every declared kind in dicts, behind one re-entrant lock (tests, demos).

Generic over kinds: a table is made the first time a kind is used. Unique values map to keys and are kept
current with every write; a group (a non-unique index) is built on first use and kept current after that.
A transaction keeps an undo list, so a rollback costs what the transaction wrote.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from hub_app.store.base import Batch, ChangeLog, Changes, DuplicateRecord, Kind, RecordNotFound, probe, shown

R = TypeVar("R")
_MISSING = object()


class _Table:
    """One kind's records by key, its unique maps, its groups and (for a log) its append order."""

    def __init__(self, kind: Kind[Any]):
        self.kind = kind
        self.records: dict[Hashable, Any] = {}
        self.unique = {ix.name: {} for ix in kind.indexes if ix.unique}  # type: dict[str, dict[Hashable, Hashable]]
        self.groups: dict[str, dict[Hashable, dict[Hashable, None]]] = {}
        self.log: list[Hashable] = []
        self.epoch = 0  # bumped when the log loses an entry a cursor covered (a rollback): that cursor is stale
        self.issued = 0  # the furthest position a cursor of this epoch points at
        self.version = 0
        self.changes = ChangeLog()

    def taken(self, record: Any, own: Hashable) -> tuple[str, Any] | None:
        """(index name, value) of a unique value ``record`` holds that another record holds already."""
        for ix in self.kind.indexes:
            if ix.unique:
                value = self.kind.value_of(ix, record)
                holder = self.unique[ix.name].get(value, _MISSING)
                if holder is not _MISSING and holder != own:
                    return ix.name, value
        return None

    def set(self, key: Hashable, record: Any) -> None:
        old = self.records.get(key, _MISSING)
        if old is not _MISSING:
            self._unlink(key, old)
        if record is _MISSING:
            self.records.pop(key, None)
        else:
            self.records[key] = record
            self._link(key, record)
        self.version += 1
        self.changes.note(self.version, key)

    def _link(self, key: Hashable, record: Any) -> None:
        for name, values in self.unique.items():
            values[self.kind.value_of(self.kind.index(name), record)] = key
        for name, members in self.groups.items():
            members.setdefault(self.kind.value_of(self.kind.index(name), record), {})[key] = None

    def _unlink(self, key: Hashable, record: Any) -> None:
        for name, values in self.unique.items():
            value = self.kind.value_of(self.kind.index(name), record)
            if values.get(value) == key:
                del values[value]
        for name, members in self.groups.items():
            value = self.kind.value_of(self.kind.index(name), record)
            group = members.get(value, {})
            group.pop(key, None)
            if not group:
                members.pop(value, None)

    def group(self, name: str) -> dict[Hashable, dict[Hashable, None]]:
        members = self.groups.get(name)
        if members is None:
            index = self.kind.index(name)
            members = self.groups[name] = {}
            for key, record in self.records.items():
                members.setdefault(self.kind.value_of(index, record), {})[key] = None
        return members


class MemoryStore:
    """A `Store` in memory; thread-safe, with all-or-nothing transactions."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._tables: dict[str, _Table] = {}
        self._depth = 0
        self._undo: list[tuple[_Table, Hashable, Any, bool]] = []  # (table, key, previous, was an append)

    def _table(self, kind: Kind[Any]) -> _Table:
        table = self._tables.get(kind.table)
        if table is None:
            table = self._tables[kind.table] = _Table(kind)
        return table

    # --- transactions and revisions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen together or not at all; other threads wait until it ends."""
        with self._lock:
            self._depth += 1
            try:
                yield
            except BaseException:
                if self._depth == 1:
                    self._rollback()
                raise
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._undo = []

    def _rollback(self) -> None:
        for table, key, previous, appended in reversed(self._undo):
            table.set(key, previous)
            if appended:
                table.log.pop()
                if table.issued > len(table.log):
                    table.epoch, table.issued = table.epoch + 1, 0

    def _write(self, table: _Table, key: Hashable, record: Any, appended: bool = False) -> None:
        if self._depth:
            self._undo.append((table, key, table.records.get(key, _MISSING), appended))
        table.set(key, record)
        if appended:
            table.log.append(key)

    def revision(self, kinds: Iterable[Kind[Any]]) -> Hashable:
        """Per-kind write counters: they move with every write and every rollback."""
        with self._lock:
            return tuple(self._table(kind).version for kind in kinds)

    def changes(self, kind: Kind[Any], since: Hashable) -> Changes | None:
        """Keys written after the revision ``since`` of ``kind`` (None if it is not one of this store's)."""
        with self._lock:
            table = self._table(kind)
            if not (isinstance(since, tuple) and len(since) == 1 and isinstance(since[0], int)):
                return None
            keys = table.changes.since(since[0], table.version)
            return None if keys is None else Changes(keys, (table.version,))

    # --- reading
    def get(self, kind: Kind[R], key: Hashable) -> R | None:
        """The record with this key, or None."""
        with self._lock:
            return self._table(kind).records.get(key)

    def find(self, kind: Kind[R], index: str, value: Hashable) -> R | None:
        """The record holding ``value`` under a unique index, or None."""
        with self._lock:
            table = self._table(kind)
            key = table.unique[index].get(probe(kind.index(index), value), _MISSING)
            return None if key is _MISSING else table.records[key]

    def select(self, kind: Kind[R], index: str | None = None, value: Hashable = None) -> list[R]:
        """Records (all, or those holding ``value`` under ``index``) in the declared order."""
        with self._lock:
            table = self._table(kind)
            if index is None:
                found = list(table.records.values())
            else:
                keys = table.group(index).get(probe(kind.index(index), value), {})
                found = [table.records[key] for key in keys]
        return kind.ordered(found)

    def count(self, kind: Kind[Any], index: str | None = None, value: Hashable = None) -> int:
        """How many records `select` would return."""
        with self._lock:
            table = self._table(kind)
            if index is None:
                return len(table.records)
            return len(table.group(index).get(probe(kind.index(index), value), {}))

    # --- writing
    def add(self, kind: Kind[R], record: R) -> None:
        """Store a new record; DuplicateRecord if its key or a unique value is taken."""
        with self.transaction():
            self._insert(kind, record, appended=False)

    def _insert(self, kind: Kind[Any], record: Any, appended: bool) -> None:
        table, key = self._table(kind), kind.key_of(record)
        if key in table.records:
            raise DuplicateRecord(kind.name, shown(key))
        clash = table.taken(record, key)
        if clash is not None:
            raise DuplicateRecord(f"{kind.name} with {clash[0]}", shown(clash[1]))
        self._write(table, key, record, appended)

    def replace(self, kind: Kind[R], record: R) -> None:
        """Store a new version of a stored record; RecordNotFound if there is none."""
        with self.transaction():
            table, key = self._table(kind), kind.key_of(record)
            if key not in table.records:
                raise RecordNotFound(kind.name, shown(key))
            clash = table.taken(record, key)
            if clash is not None:
                raise DuplicateRecord(f"{kind.name} with {clash[0]}", shown(clash[1]))
            self._write(table, key, record)

    def remove(self, kind: Kind[Any], key: Hashable) -> None:
        """Delete the record with this key; RecordNotFound if there is none."""
        if kind.is_log:
            raise TypeError(f"{kind.name} is an append-only log: correct it with a new entry")
        with self.transaction():
            table = self._table(kind)
            if key not in table.records:
                raise RecordNotFound(kind.name, shown(key))
            self._write(table, key, _MISSING)

    def append(self, kind: Kind[R], record: R) -> bool:
        """Append to a log unless its idempotency key is there already (then False)."""
        assert kind.idempotency is not None, f"{kind.name} is not a log"
        with self.transaction():
            index = kind.index(kind.idempotency)
            if self._table(kind).unique[index.name].get(kind.value_of(index, record), _MISSING) is not _MISSING:
                return False
            self._insert(kind, record, appended=True)
            return True

    def after(self, kind: Kind[Any], cursor: Hashable = None, fields: tuple[str, ...] | None = None) -> Batch:
        """Entries appended since ``cursor``, in append order; the cursor is (epoch, entries seen)."""
        with self._lock:
            table = self._table(kind)
            seen, fresh = 0, True
            if isinstance(cursor, tuple) and cursor[0] == table.epoch and cursor[1] <= len(table.log):
                seen, fresh = cursor[1], False
            entries = [table.records[key] for key in table.log[seen:]]
            next_cursor = (table.epoch, len(table.log))
            table.issued = max(table.issued, len(table.log))
        if fields is not None:
            entries = kind.codec.project(entries, fields)
        return Batch(entries, next_cursor, fresh)

    def close(self) -> None:
        """Nothing to release."""
