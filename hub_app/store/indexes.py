"""In-memory indexes over one table of documents, kept current one changed document at a time.

An index keeps, per document key, what it last indexed: the record itself (``cache=True``, for tables
read in bulk: users, certificates, the ledger) or the raw document (attempts, whose records are large
and read a few at a time). Key functions take that kept object, so unlinking an old version needs no
copy of it. Unique keys map a value to one document key; groups map a value to the document keys
holding it, in the order they were indexed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, Generic, TypeVar

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
    ):
        self.table, self.codec, self.cache = table, codec, cache
        self._unique_fns, self._group_fns = dict(unique), dict(groups or {})
        self.version = 0  # bumped on every change, so callers can cache what they derive
        self.rebuild({})

    # -- keeping current ----------------------------------------------------------------------
    def rebuild(self, docs: Mapping[str, Doc]) -> None:
        """Index every document of the table afresh."""
        self.kept: dict[str, Any] = {}
        self.unique: dict[str, dict[Hashable, str]] = {name: {} for name in self._unique_fns}
        self.groups: dict[str, dict[Hashable, dict[str, None]]] = {name: {} for name in self._group_fns}
        # (dict, key function) pairs, so linking half a million documents looks nothing up by name.
        self._unique_pairs = [(self.unique[name], fn) for name, fn in self._unique_fns.items()]
        self._group_pairs = [(self.groups[name], fn) for name, fn in self._group_fns.items()]
        kept = self.kept
        if self.cache:
            kept.update((key, self.codec.from_doc(doc)) for key, doc in docs.items())
        else:
            kept.update(docs)
        # One pass per key over the whole table: a cold start links half a million ledger documents.
        for values, fn in self._unique_pairs:
            values.update(zip(map(fn, kept.values()), kept, strict=True))
        for members, fn in self._group_pairs:
            for key, value in zip(kept, map(fn, kept.values()), strict=True):
                group = members.get(value)
                if group is None:
                    group = members[value] = {}
                group[key] = None
        self.version += 1

    def changed(self, key: str, doc: Doc | None) -> None:
        """The document at ``key`` is now ``doc`` (None: removed)."""
        old = self.kept.pop(key, None)
        if old is not None:
            self._unlink(key, old)
        if doc is not None:
            self._link(key, doc)
        self.version += 1

    def _link(self, key: str, doc: Doc) -> None:
        kept = self.codec.from_doc(doc) if self.cache else doc
        self.kept[key] = kept
        for values, fn in self._unique_pairs:
            values[fn(kept)] = key
        for members, fn in self._group_pairs:
            value = fn(kept)
            group = members.get(value)
            if group is None:
                group = members[value] = {}
            group[key] = None

    def _unlink(self, key: str, kept: Any) -> None:
        for name, fn in self._unique_fns.items():
            if self.unique[name].get(fn(kept)) == key:
                del self.unique[name][fn(kept)]
        for name, fn in self._group_fns.items():
            members = self.groups[name].get(fn(kept))
            if members is not None:
                members.pop(key, None)
                if not members:
                    del self.groups[name][fn(kept)]

    # -- reading ------------------------------------------------------------------------------
    def record(self, key: str) -> R:
        """The record at a document key."""
        kept = self.kept[key]
        return kept if self.cache else self.codec.from_doc(kept)

    def key_of(self, name: str, value: Hashable) -> str | None:
        """The document key holding ``value`` under the unique key ``name``."""
        return self.unique[name].get(value)

    def find(self, name: str, value: Hashable) -> R | None:
        """The record holding ``value`` under the unique key ``name``, or None."""
        key = self.unique[name].get(value)
        return None if key is None else self.record(key)

    def group(self, name: str, value: Hashable) -> list[R]:
        """Records holding ``value`` under the group ``name``, in the order they were indexed."""
        return self._records(self.groups[name].get(value, ()))

    def all(self) -> list[R]:
        """Every record, in the order they were indexed."""
        return list(self.kept.values()) if self.cache else self._records(self.kept)

    def _records(self, keys: Iterable[str]) -> list[R]:
        return [self.record(key) for key in keys]

    def __len__(self) -> int:
        return len(self.kept)
