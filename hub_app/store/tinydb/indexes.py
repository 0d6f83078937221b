"""In-memory indexes over one table of documents, kept current one changed document at a time.

An index keeps, per document key, what it last indexed: the record itself (``cache=True``, for tables
read in bulk: users, certificates) or the raw document (attempts and the ledger, large and read a few at
a time). Key functions take that kept object, so unlinking an old version needs no
copy of it. Unique keys map a value to one document key; groups map a value to the document keys
holding it, in the order they were indexed. Each of those maps is built on first use, then kept current.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from typing import Any, Generic, TypeVar

from hub_app.store.base import ChangeLog
from hub_app.store.codecs import Codec, Doc

R = TypeVar("R")
KeyFn = Callable[[Any], Hashable]


class RecordIndex(Generic[R]):
    """One table: records by document key, unique keys and groups (see the module docstring)."""

    def __init__(
        self,
        table: str,
        codec: Codec[R],
        *,
        unique: Mapping[str, KeyFn],
        groups: Mapping[str, KeyFn] | None = None,
        cache: bool = True,
        record_key: KeyFn | None = None,
    ):
        self.table, self.codec, self.cache = table, codec, cache
        self.record_key = record_key  # a kept object's record key, for the change log (None: none kept)
        self.changes = ChangeLog()
        self._unique_fns, self._group_fns = dict(unique), dict(groups or {})
        self.version = 0  # bumped on every change, so callers can cache what they derive
        self.rebuild({})

    # -- keeping current ----------------------------------------------------------------------
    def rebuild(self, docs: Mapping[str, Doc]) -> None:
        """Index every document of the table afresh (each key's map is built when first asked for)."""
        self.kept: dict[str, Any] = {}
        # Built on first use, not here: a cold start answers its first board without ever looking up a
        # ledger entry by id or idempotency key, and linking half a million of them costs half a second.
        self.unique: dict[str, dict[Hashable, str]] = {}
        self.groups: dict[str, dict[Hashable, dict[str, None]]] = {}
        if self.cache:
            self.kept.update((key, self.codec.from_doc(doc)) for key, doc in docs.items())
        else:
            self.kept.update(docs)
        self.version += 1
        self.changes.reset(self.version)

    def _unique_map(self, name: str) -> dict[Hashable, str]:
        values = self.unique.get(name)
        if values is None:  # one pass over what is kept now, which follows every change: never stale
            kept = self.kept
            values = self.unique[name] = dict(zip(map(self._unique_fns[name], kept.values()), kept, strict=True))
        return values

    def _group_map(self, name: str) -> dict[Hashable, dict[str, None]]:
        members = self.groups.get(name)
        if members is None:
            members = self.groups[name] = {}
            kept = self.kept
            for key, value in zip(kept, map(self._group_fns[name], kept.values()), strict=True):
                group = members.get(value)
                if group is None:
                    group = members[value] = {}
                group[key] = None
        return members

    def changed(self, key: str, doc: Doc | None) -> None:
        """The document at ``key`` is now ``doc`` (None: removed)."""
        old = self.kept.pop(key, None)
        if old is not None:
            self._unlink(key, old)
        if doc is not None:
            self._link(key, doc)
        self.version += 1
        if self.record_key is not None:
            for kept in (old, self.kept.get(key)):
                if kept is not None:
                    self.changes.note(self.version, self.record_key(kept))

    def _link(self, key: str, doc: Doc) -> None:
        kept = self.codec.from_doc(doc) if self.cache else doc
        self.kept[key] = kept
        for name, values in self.unique.items():
            values[self._unique_fns[name](kept)] = key
        for name, members in self.groups.items():
            value = self._group_fns[name](kept)
            group = members.get(value)
            if group is None:
                group = members[value] = {}
            group[key] = None

    def _unlink(self, key: str, kept: Any) -> None:
        for name, values in self.unique.items():
            value = self._unique_fns[name](kept)
            if values.get(value) == key:
                del values[value]
        for name, members in self.groups.items():
            value = self._group_fns[name](kept)
            group = members.get(value)
            if group is not None:
                group.pop(key, None)
                if not group:
                    del members[value]

    # -- reading ------------------------------------------------------------------------------
    def record(self, key: str) -> R:
        """The record at a document key."""
        kept = self.kept[key]
        return kept if self.cache else self.codec.from_doc(kept)

    def key_of(self, name: str, value: Hashable) -> str | None:
        """The document key holding ``value`` under the unique key ``name``."""
        return self._unique_map(name).get(value)

    def find(self, name: str, value: Hashable) -> R | None:
        """The record holding ``value`` under the unique key ``name``, or None."""
        key = self._unique_map(name).get(value)
        return None if key is None else self.record(key)

    def group(self, name: str, value: Hashable) -> list[R]:
        """Records holding ``value`` under the group ``name``, in the order they were indexed."""
        return self._records(self.group_keys(name, value))

    def group_keys(self, name: str, value: Hashable) -> Collection[str]:
        """Document keys holding ``value`` under the group ``name``."""
        return self._group_map(name).get(value, {})

    def all(self) -> list[R]:
        """Every record, in the order they were indexed."""
        return list(self.kept.values()) if self.cache else self._records(self.kept)

    def _records(self, keys: Iterable[str]) -> list[R]:
        return [self.record(key) for key in keys]

    def __len__(self) -> int:
        return len(self.kept)
