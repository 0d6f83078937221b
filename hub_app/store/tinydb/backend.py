"""The TinyDB backend: one table per declared kind in the durable database, read through in-memory indexes.

Generic over kinds: the first time a kind is used, its table gets a `RecordIndex` built from the kind's
declaration (its key and unique indexes map values to document keys, its other indexes group document
keys, each map built on first use). Documents live in the durable layer's memory (``open_database``);
the index keeps decoded records (``keep="records"``) or the documents themselves, decoded on read
(``keep="documents"``: large kinds read a few at a time). Every change the durable layer makes, its own
or another process's, reaches the indexes through ``JournalStorage.watch``: a write by the CLI costs the
app one replayed document, not a rebuild. Only a reload (another process compacted or restored the file)
or a change to a whole table rebuilds.

A log kind also keeps its document keys in append order. Document ids are allocated under the write
lock, which spans processes, so append order is id order everywhere; a cursor is (epoch, entries seen),
and the epoch moves when the order loses an entry (a rollback) or is rebuilt into a different history.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import Any, TypeVar

from hub_app.store.base import Batch, Changes, DuplicateRecord, Index, Kind, RecordNotFound, fold, probe, shown
from hub_app.store.tinydb.durable import DurableDB, open_database
from hub_app.store.tinydb.indexes import KeyFn, RecordIndex
from hub_app.store.tinydb.journal import no_gc
from hub_app.store.tinydb.migrations import HUB_MIGRATIONS

R = TypeVar("R")
KEY = "__key__"  # the unique map of a kind's key


def _key_fn(kind: Kind[Any], fields: tuple[str, ...], fold_case: bool) -> KeyFn:
    """What an index keys a kept object (a record or a document) by."""
    if kind.keep == "records":
        if fold_case:
            return lambda record: kind.value_of(Index("", fields, fold_case=True), record)
        return attrgetter(*fields)
    codec = kind.codec
    plain = all(f not in codec.special and codec.defaults.get(f) is None for f in fields)
    if plain and not fold_case and len(fields) == 1:
        name = fields[0]
        return lambda doc: doc.get(name)
    values = [(f, codec.field_value) for f in fields]

    def of(doc: Any) -> Hashable:
        found = [fold(get(doc, f)) if fold_case else get(doc, f) for f, get in values]
        return found[0] if len(found) == 1 else tuple(found)

    return of


def _index_for(kind: Kind[Any]) -> RecordIndex[Any]:
    unique = {KEY: _key_fn(kind, kind.key, False)}
    unique.update({ix.name: _key_fn(kind, ix.fields, ix.fold_case) for ix in kind.indexes if ix.unique})
    groups = {ix.name: _key_fn(kind, ix.fields, ix.fold_case) for ix in kind.indexes if not ix.unique}
    cache = kind.keep == "records"
    return RecordIndex(kind.table, kind.codec, unique=unique, groups=groups, cache=cache, record_key=unique[KEY])


class _Log:
    """A log kind's document keys in append order, and the epoch its cursors carry."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.epoch = 0
        self.issued = 0  # the furthest position a cursor of this epoch points at

    def issue(self) -> tuple[int, int]:
        """A cursor at the end of the order."""
        self.issued = max(self.issued, len(self.order))
        return (self.epoch, len(self.order))

    def pop(self) -> None:
        """A rolled-back append: a cursor that covered it is stale."""
        self.order.pop()
        if self.issued > len(self.order):
            self.epoch, self.issued = self.epoch + 1, 0

    def rebuild(self, keys: Iterable[str]) -> None:
        order = list(keys)
        numbers = list(map(int, order))
        if numbers != sorted(numbers):
            order.sort(key=int)
        if order[: len(self.order)] != self.order:  # not the same history continued: cursors start over
            self.epoch, self.issued = self.epoch + 1, 0
        self.order = order


class TinyDBStore:
    """A `Store` on the durable TinyDB at ``path``; safe across threads and processes."""

    def __init__(self, path: str | os.PathLike[str]):
        self.db: DurableDB = open_database(path, migrations=HUB_MIGRATIONS)
        self._storage = self.db.storage
        self._ix: dict[str, RecordIndex[Any]] = {}  # table -> index, made when its kind is first used
        self._logs: dict[str, _Log] = {}
        self._sorted: dict[str, tuple[int, list[Any]]] = {}  # table -> (index version, records in order)
        self._storage.watch(self._changed)

    def close(self) -> None:
        """Release the database file."""
        self.db.close()

    # --- Maintenance
    def compact(self) -> None:
        """Fold the journal into a fresh snapshot now: after a bulk load, the next start parses one record."""
        self.db.compact()

    def backup(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent copy of the whole database to ``dest``."""
        self.db.backup(dest)

    def restore(self, source: str | os.PathLike[str]) -> None:
        """Replace the whole database with the backup at ``source`` (validated first)."""
        self.db.restore(source, HUB_MIGRATIONS)

    # --- following the durable layer
    def _index(self, kind: Kind[Any]) -> RecordIndex[Any]:
        index = self._ix.get(kind.table)
        if index is None:  # callers hold the storage's lock, with memory caught up
            # Frozen like the documents (see JournalStorage._reload): full collections need not walk them.
            with no_gc(freeze=True):
                index = self._ix[kind.table] = _index_for(kind)
                if kind.is_log:
                    self._logs[kind.table] = _Log()
                self._load(kind.table, index)
        return index

    def _load(self, table: str, index: RecordIndex[Any]) -> None:
        index.rebuild(self._storage.tables.get(table, {}))
        log = self._logs.get(table)
        if log is not None:
            log.rebuild(index.kept)

    def _changed(self, table: str | None, key: str | None) -> None:
        if table is None or key is None:
            self._rebuild(table)
            return
        index = self._ix.get(table)
        if index is None:
            return  # a kind not used yet: built from the documents when it is
        existed = key in index.kept
        index.changed(key, self._storage.tables.get(table, {}).get(key))
        log = self._logs.get(table)
        if log is not None:
            self._follow(table, log, key, existed, key in index.kept)

    def _follow(self, table: str, log: _Log, key: str, existed: bool, exists: bool) -> None:
        order = log.order
        if exists and not existed and (not order or int(key) > int(order[-1])):
            order.append(key)  # an append: the common case, from this process or another
        elif existed and not exists and order and order[-1] == key:
            log.pop()  # a rolled-back append
        elif existed != exists:
            self._rebuild(table)  # anything else rewrote history: derive the order again

    def _rebuild(self, table: str | None) -> None:
        for name, index in self._ix.items():
            if table is None or table == name:
                self._load(name, index)

    # --- transactions and revisions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen together or not at all, isolated from other threads and processes."""
        with self._storage.transaction():
            yield

    def revision(self, kinds: Iterable[Kind[Any]]) -> Hashable:
        """The indexes' change counters: they follow every change, in any process (and every rollback)."""
        with self._storage.reading():
            return tuple(self._index(kind).version for kind in kinds)

    def changes(self, kind: Kind[Any], since: Hashable) -> Changes | None:
        """Keys written after the revision ``since`` of ``kind``, by any process (None after a reload)."""
        with self._storage.reading():
            index = self._index(kind)
            if not (isinstance(since, tuple) and len(since) == 1 and isinstance(since[0], int)):
                return None
            keys = index.changes.since(since[0], index.version)
            return None if keys is None else Changes(keys, (index.version,))

    # --- reading
    def get(self, kind: Kind[R], key: Hashable) -> R | None:
        """The record with this key, or None."""
        with self._storage.reading():
            return self._index(kind).find(KEY, key)

    def find(self, kind: Kind[R], index: str, value: Hashable) -> R | None:
        """The record holding ``value`` under a unique index, or None."""
        with self._storage.reading():
            return self._index(kind).find(index, probe(kind.index(index), value))

    def select(self, kind: Kind[R], index: str | None = None, value: Hashable = None) -> list[R]:
        """Records (all, or those holding ``value`` under ``index``) in the declared order."""
        with self._storage.reading():
            ix = self._index(kind)
            if index is not None:
                return kind.ordered(ix.group(index, probe(kind.index(index), value)))
            if kind.keep == "documents":
                log = self._logs.get(kind.table)
                return kind.ordered(map(ix.record, log.order) if log is not None else ix.all())
            # Kept in order until the table changes: leaderboards ask for every certificate often.
            cached = self._sorted.get(kind.table)
            if cached is None or cached[0] != ix.version:
                cached = self._sorted[kind.table] = (ix.version, kind.ordered(ix.all()))
            return list(cached[1])

    def count(self, kind: Kind[Any], index: str | None = None, value: Hashable = None) -> int:
        """How many records `select` would return, without building them."""
        with self._storage.reading():
            ix = self._index(kind)
            if index is None:
                return len(ix)
            return len(ix.group_keys(index, probe(kind.index(index), value)))

    # --- writing
    def _clash(self, kind: Kind[Any], ix: RecordIndex[Any], record: Any, own: str | None) -> None:
        for declared in kind.indexes:
            if declared.unique:
                value = kind.value_of(declared, record)
                holder = ix.key_of(declared.name, value)
                if holder is not None and holder != own:
                    raise DuplicateRecord(f"{kind.name} with {declared.name}", shown(value))

    def add(self, kind: Kind[R], record: R) -> None:
        """Store a new record; DuplicateRecord if its key or a unique value is taken."""
        with self._storage.transaction():
            ix = self._index(kind)
            key = kind.key_of(record)
            if ix.key_of(KEY, key) is not None:
                raise DuplicateRecord(kind.name, shown(key))
            self._clash(kind, ix, record, None)
            doc_id = self._storage.allocate_id(kind.table)
            self._storage.stage([["set", kind.table, doc_id, kind.codec.to_doc(record)]])

    def replace(self, kind: Kind[R], record: R) -> None:
        """Store a new version of a stored record; RecordNotFound if there is none."""
        with self._storage.transaction():
            ix = self._index(kind)
            key = kind.key_of(record)
            doc_key = ix.key_of(KEY, key)
            if doc_key is None:
                raise RecordNotFound(kind.name, shown(key))
            self._clash(kind, ix, record, doc_key)
            self._storage.stage([["set", kind.table, int(doc_key), kind.codec.to_doc(record)]])

    def remove(self, kind: Kind[Any], key: Hashable) -> None:
        """Delete the record with this key; RecordNotFound if there is none."""
        if kind.is_log:
            raise TypeError(f"{kind.name} is an append-only log: correct it with a new entry")
        with self._storage.transaction():
            doc_key = self._index(kind).key_of(KEY, key)
            if doc_key is None:
                raise RecordNotFound(kind.name, shown(key))
            self._storage.stage([["del", kind.table, int(doc_key)]])

    def append(self, kind: Kind[R], record: R) -> bool:
        """Append to a log unless its idempotency key is there already (then False)."""
        assert kind.idempotency is not None, f"{kind.name} is not a log"
        # Checked under the write lock, which spans processes: two of them cannot both append a key.
        with self._storage.transaction():
            index = kind.index(kind.idempotency)
            if self._index(kind).key_of(index.name, kind.value_of(index, record)) is not None:
                return False
            self.add(kind, record)
            return True

    def after(self, kind: Kind[Any], cursor: Hashable = None, fields: tuple[str, ...] | None = None) -> Batch:
        """Entries appended since ``cursor``, in append order (see the module docstring)."""
        with self._storage.reading():
            ix = self._index(kind)
            log = self._logs[kind.table]
            seen, fresh = 0, True
            if isinstance(cursor, tuple) and cursor[0] == log.epoch and cursor[1] <= len(log.order):
                seen, fresh = cursor[1], False
            keys = log.order[seen:]
            next_cursor = log.issue()
            if fields is None:
                entries: list[Any] = list(map(ix.record, keys))
            elif ix.cache:
                entries = kind.codec.project(list(map(ix.kept.__getitem__, keys)), fields)
            else:
                # Straight from the documents: a cold start's first board tallies the whole ledger, and
                # building half a million records for it would cost more than the summing.
                entries = kind.codec.project_docs(list(map(ix.kept.__getitem__, keys)), fields)
        return Batch(entries, next_cursor, fresh)
