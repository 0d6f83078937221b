"""The storage seam: a `Store` of declared `Kind`s, implemented once per backend.

A context declares its kinds in its ``records.py`` (a `Kind` names the table, the codec, the key, the
indexes by field name, the declared order and, for a log, the idempotency field) and writes its
intention-revealing queries over the generic methods once (``certificates_of(store, user_id)``). A backend
builds each kind its own way (dicts, TinyDB documents and in-memory maps, SQL tables and indexes) and has
no code for any one kind: a new concept declares kinds, it never edits ``hub_app/store``.

The contract every backend holds (tests/core/test_store_contract.py and test_store_kinds.py run it against
each, including a second handle on the same database, as another process or replica would hold):

Records
  Records go in and come out as the frozen dataclasses the kind's codec names; no dicts, no queries.
  `get` / `find` return None when nothing matches. `add` of a key already stored, or of a value a unique
  index already holds, raises `DuplicateRecord` and writes nothing; `replace` / `remove` of a key not
  stored raise `RecordNotFound`. A unique index with ``fold_case`` compares text case-insensitively
  (``str.casefold``); the record is stored as given. `select` returns records in the kind's declared
  ``order`` (a stable sort by those fields, so ties keep insertion order; ``fold_order`` sorts text
  case-insensitively); with no order, in insertion order.

Transactions
  Write transactions are serializable: everything between entering and leaving `transaction()` (reads
  included) sees no write of another thread or process, and its writes commit together or not at all.
  The domain relies on it to check-then-write (an open attempt, attempt caps, a pending proposal, unique
  keys). Transactions nest: an inner one joins the outermost. A write outside a transaction is its own
  transaction. Reads outside a transaction see committed state (and a transaction sees its own writes).
  Memory: one re-entrant lock. TinyDB: a thread lock plus an inter-process file lock held for the
  outermost transaction, memory caught up with the journal when it starts. PostgreSQL: each outermost
  transaction takes ``pg_advisory_xact_lock`` (one lock per database), so writers queue as in TinyDB and
  never need to be retried.

Logs
  A kind with ``idempotency`` is an append-only log (ledgers, the outbox). `append` writes an entry unless
  its idempotency key is already present (then it returns False and writes nothing). Logs are read
  through cursors: ``after(kind, cursor)`` returns the entries appended since ``cursor`` (None: from the
  beginning) in append order, and the cursor to pass next time. It never skips a committed entry and
  never shows another transaction's uncommitted one. Cursors are opaque (no offsets, no sequence numbers)
  and belong to the store handle that issued them. When a cursor no longer names a point of the log's
  history (a rollback took back an entry its reader saw inside the transaction, a restore replaced the
  database), `after` starts again from the beginning and says so (``Batch.fresh``): the reader drops
  what it derived. ``fields=`` projects each entry to a tuple of those fields in document form (a
  datetime as ISO 8601 text with its offset): a backend holding documents builds no records for it.

Revisions
  ``revision(kinds)`` is an opaque, hashable token of the committed state of those kinds. It changes
  after every committed write to any of them, by any process; a token seen inside a transaction that
  rolled back is never given again. Equal tokens from one handle mean nothing changed: what was derived
  from those kinds is still valid. ``changes(kind, token)`` says which records of one kind changed after a
  token of ``revision([kind])`` (and the token that brings the caller up to date), so what is derived from
  a kind can follow a few writes instead of being derived again; None means "derive it again" (the log no
  longer reaches back, the kind was reloaded, or the backend keeps no such log). A rollback's undoing
  counts as a change of the keys it touched.

Lifetime
  ``close()`` releases the database (files, locks, connections); a closed store is not used again.
  ``hub_app.store.open_store(url)`` opens a backend from a URL: ``tinydb:data/hub.json`` (the default,
  from ``HUB_STORE``), ``memory:``; a bad URL gets `StoreUrlInvalid` with a hint. Backup, restore and
  compaction are the `Maintenance` protocol: callers check ``isinstance(store, Maintenance)``; a backend
  that cannot do one raises `MaintenanceRefused` with a hint.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Generic, Literal, NamedTuple, Protocol, TypeVar, runtime_checkable

from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Items, Term

if TYPE_CHECKING:
    import os

    from hub_app.store.codecs import Codec

R = TypeVar("R")
Keep = Literal["records", "documents"]


@dataclass(frozen=True)
class Index:
    """A lookup over one or more fields: ``unique`` (at most one record per value), ``fold_case`` (text
    compared case-insensitively). A value of a one-field index is the field's value; of a several-field
    index, a tuple of them in ``fields`` order."""

    name: str
    fields: tuple[str, ...]
    unique: bool = False
    fold_case: bool = False


@dataclass(frozen=True, eq=False)
class Kind(Generic[R]):
    """A kind of record and how the store keeps it (see the module docstring).

    ``name`` words the kind in messages ("user"); ``table`` names its table in every backend (existing
    data files hold these names). ``key`` is the field (or fields) identifying a record. ``keep`` is a
    hint for backends holding tables in memory: "documents" for large kinds read a few at a time (attempts,
    the ledger), decoded on read; "records" for kinds read in bulk, decoded once.
    """

    name: str
    table: str
    codec: Codec[R]
    key: tuple[str, ...] = ("id",)
    indexes: tuple[Index, ...] = ()
    order: tuple[str, ...] = ()
    fold_order: bool = False
    idempotency: str | None = None
    keep: Keep = "records"

    def __post_init__(self) -> None:
        # A log's idempotency field is a unique index, named for the field, whether declared or not.
        if self.idempotency is not None and all(ix.name != self.idempotency for ix in self.indexes):
            idempotency = Index(self.idempotency, (self.idempotency,), unique=True)
            object.__setattr__(self, "indexes", (*self.indexes, idempotency))

    def index(self, name: str) -> Index:
        """The declared index ``name`` (KeyError naming the kind if there is none)."""
        for index in self.indexes:
            if index.name == name:
                return index
        raise KeyError(f"kind {self.name!r} has no index {name!r}")

    def key_of(self, record: Any) -> Hashable:
        """The key of ``record``: a field's value, or a tuple for a several-field key."""
        return index_value(record.__dict__, self.key, False)

    def value_of(self, index: Index, record: Any) -> Hashable:
        """What ``record`` holds under ``index`` (case-folded if the index folds case)."""
        return index_value(record.__dict__, index.fields, index.fold_case)

    def sort_key(self, record: Any) -> Any:
        """What the declared order sorts ``record`` by."""
        return index_value(record.__dict__, self.order, self.fold_order)

    def ordered(self, records: Iterable[R]) -> list[R]:
        """``records`` in the declared order (stable: ties keep the order given)."""
        found = list(records)
        if self.order:
            found.sort(key=self.sort_key)
        return found

    @property
    def is_log(self) -> bool:
        """True for an append-only log (it has an idempotency field)."""
        return self.idempotency is not None


def fold(value: Any) -> Any:
    """``value`` case-folded if it is text."""
    return value.casefold() if isinstance(value, str) else value


def index_value(values: Any, fields: tuple[str, ...], fold_case: bool) -> Any:
    """The value of ``fields`` in a mapping of field values (a record's ``__dict__`` or a document)."""
    if len(fields) == 1:
        value = values.get(fields[0])
        return fold(value) if fold_case else value
    return tuple(fold(values.get(f)) if fold_case else values.get(f) for f in fields)


def probe(index: Index, value: Any) -> Any:
    """A looked-up value as the index holds it (case-folded if the index folds case)."""
    if not index.fold_case:
        return value
    return tuple(map(fold, value)) if isinstance(value, tuple) else fold(value)


class Batch(NamedTuple):
    """What `Store.after` found: the entries (or projected tuples), the cursor to pass next, and whether
    they start from the beginning of the log (``fresh``: drop what was derived from earlier batches)."""

    entries: list[Any]
    cursor: Hashable
    fresh: bool


class Changes(NamedTuple):
    """What `Store.changes` found: the keys of the records added, replaced or removed since the revision
    asked about, and the revision (of that kind alone) they bring the caller to."""

    keys: frozenset[Hashable]
    revision: Hashable


class ChangeLog:
    """The keys of the last ``limit`` writes of one kind, by the version each write took (for `changes`)."""

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self.entries: list[tuple[int, Hashable]] = []
        self.start = 0  # the log knows every change after this version

    def reset(self, version: int) -> None:
        """Forget every change: the kind was derived afresh at ``version`` (a reload, a restore)."""
        self.entries.clear()
        self.start = version

    def note(self, version: int, key: Hashable) -> None:
        """The write that took ``version`` changed the record at ``key``."""
        self.entries.append((version, key))
        if len(self.entries) > self.limit:
            del self.entries[: self.limit // 2]
            self.start = self.entries[0][0] - 1

    def since(self, version: int, now: int) -> frozenset[Hashable] | None:
        """Keys changed after ``version`` (None when the log no longer reaches back that far)."""
        if not self.start <= version <= now:
            return None
        first = bisect_right(self.entries, version, key=itemgetter(0))
        return frozenset(key for _, key in self.entries[first:])


class DuplicateRecord(HubError):
    """A record with this id (or unique key) is already stored."""

    msgid = "A {kind} '{key}' already exists. Use a different one or update the existing {kind}."

    def __init__(self, kind: str, key: str):
        super().__init__(kind=Term(kind), key=key)
        self.kind, self.key = kind, key


class RecordNotFound(HubError):
    """An update named a record that is not stored."""

    msgid = "No {kind} '{key}' is stored. Add it first, or check the id."

    def __init__(self, kind: str, key: str):
        super().__init__(kind=Term(kind), key=key)
        self.kind, self.key = kind, key


class MaintenanceRefused(HubError):
    """A backend cannot back up, restore or compact this way."""

    msgid = "This store ({backend}) cannot {what}. Hint: {hint}"

    def __init__(self, what: str, backend: str, hint: str):
        super().__init__(what=Term(what), backend=backend, hint=Term(hint))
        self.what, self.backend, self.hint = what, backend, hint


class StoreUrlInvalid(HubError):
    """HUB_STORE (or a store URL given another way) names no backend this Partner Hub has."""

    msgid = (
        "HUB_STORE '{url}' is not a store URL this Partner Hub opens (schemes: {schemes}). "
        "Hint: set HUB_STORE to tinydb:data/hub.json, memory: or postgresql://user@host/database."
    )

    def __init__(self, url: str, schemes: tuple[str, ...]):
        super().__init__(url=url, schemes=Items(schemes))
        self.url, self.schemes = url, schemes


def shown(key: Any) -> str:
    """A key as messages show it ("c1/2026-Q1" for a several-field key)."""
    return "/".join(map(str, key)) if isinstance(key, tuple) else str(key)


@runtime_checkable
class Store(Protocol):
    """Everything the domain stores and reads back, over declared kinds (contract: module docstring)."""

    def transaction(self) -> AbstractContextManager[None]:
        """A serializable write transaction: all writes inside happen together or not at all."""
        ...

    def revision(self, kinds: Iterable[Kind[Any]]) -> Hashable:
        """An opaque token of the committed state of ``kinds``; it changes with every write to them."""
        ...

    def get(self, kind: Kind[R], key: Hashable) -> R | None:
        """The record with this key, or None."""
        ...

    def find(self, kind: Kind[R], index: str, value: Hashable) -> R | None:
        """The record holding ``value`` under the unique index ``index``, or None."""
        ...

    def select(self, kind: Kind[R], index: str | None = None, value: Hashable = None) -> list[R]:
        """Every record (or those holding ``value`` under ``index``), in the kind's declared order."""
        ...

    def count(self, kind: Kind[Any], index: str | None = None, value: Hashable = None) -> int:
        """How many records `select` would return, without building them."""
        ...

    def add(self, kind: Kind[R], record: R) -> None:
        """Store a new record; `DuplicateRecord` if its key or a unique value is taken."""
        ...

    def replace(self, kind: Kind[R], record: R) -> None:
        """Store a new version of the record with the same key; `RecordNotFound` if there is none."""
        ...

    def remove(self, kind: Kind[Any], key: Hashable) -> None:
        """Delete the record with this key (never an entry of a log); `RecordNotFound` if there is none."""
        ...

    def append(self, kind: Kind[R], record: R) -> bool:
        """Append to a log; False (and nothing written) when its idempotency key is already there."""
        ...

    def after(self, kind: Kind[Any], cursor: Hashable = None, fields: tuple[str, ...] | None = None) -> Batch:
        """Log entries appended since ``cursor`` (None: all), in append order, and the next cursor."""
        ...

    def changes(self, kind: Kind[Any], since: Hashable) -> Changes | None:
        """Keys of the records of ``kind`` added, replaced or removed after ``since`` (a token of
        ``revision([kind])``), for what is derived from a kind to follow it instead of starting again;
        None when the store cannot say (too long ago, a reload, or a backend that keeps no such log)."""
        ...

    def close(self) -> None:
        """Release the database; the store is not used again."""
        ...


@runtime_checkable
class Maintenance(Protocol):
    """Backup, restore and compaction, for backends that do them (others raise `MaintenanceRefused`)."""

    def backup(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent copy of the whole database to ``dest``."""
        ...

    def restore(self, source: str | os.PathLike[str]) -> None:
        """Replace the whole database with the backup at ``source``, after validating all of it."""
        ...

    def compact(self) -> None:
        """Fold what the backend wrote incrementally into a fresh copy now (after a bulk load)."""
        ...


def in_window(at: datetime, since: datetime | None, until: datetime | None) -> bool:
    """since <= at < until, with None meaning unbounded (shared by queries so they agree)."""
    return (since is None or at >= since) and (until is None or at < until)


__all__ = [
    "Batch",
    "DuplicateRecord",
    "Index",
    "Kind",
    "Maintenance",
    "MaintenanceRefused",
    "RecordNotFound",
    "Store",
    "StoreUrlInvalid",
    "in_window",
]
