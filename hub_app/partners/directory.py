"""People and companies by id, derived once per store revision and then kept current.

A board looks up thousands of people; read one at a time through the store, each costs a lock and a
catch-up check. What is derived here is kept per store instance and follows the store's revision of the
records it comes from (by any process): never stale, and usually free. When a few records changed, an
``update`` function folds in just those (`Store.changes`); only when the store cannot say what changed is
it derived again from everything.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from hub_app.partners.records import COMPANIES, USERS, Company, User
from hub_app.store.base import Kind, Store

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Directory:
    """Every user and company by id."""

    users: dict[str, User]
    companies: dict[str, Company]


_CACHE: weakref.WeakKeyDictionary[Store, dict[str, tuple[tuple[Hashable, ...], Any]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
# What changed per kind (its table) since the value was derived: the keys of its added, replaced or
# removed records. An update returns a new value and leaves the old one as it was (a reader may hold it).
Update = Callable[[T, Store, dict[str, frozenset[Hashable]]], T]


def derived(
    store: Store, name: str, kinds: tuple[Kind[Any], ...], build: Callable[[Store], T], update: Update[T] | None = None
) -> T:
    """`build(store)`, kept per store under `name` and following the revisions of `kinds`: by
    `update(value, store, changed keys per kind)` where the store says what changed, else built again."""
    # The revisions are read before building: a write landing meanwhile makes the next call look again.
    revisions = tuple(store.revision([kind]) for kind in kinds)
    with _LOCK:
        cached = _CACHE.setdefault(store, {}).get(name)
    if cached is not None and cached[0] == revisions:
        return cached[1]
    value, seen = None, revisions
    if cached is not None and update is not None:
        found = [store.changes(kind, since) for kind, since in zip(kinds, cached[0], strict=True)]
        if all(f is not None for f in found):
            changed = {kind.table: f.keys for kind, f in zip(kinds, found, strict=True) if f is not None}
            value = update(cached[1], store, changed)
            seen = tuple(f.revision for f in found if f is not None)
    if value is None:
        value = build(store)
    with _LOCK:
        _CACHE[store][name] = (seen, value)
    return value


def of(store: Store) -> Directory:
    """Users and companies by id, as stored now."""
    return derived(store, "directory", (USERS, COMPANIES), _directory, _updated)


def _directory(store: Store) -> Directory:
    return Directory({u.id: u for u in store.select(USERS)}, {c.id: c for c in store.select(COMPANIES)})


def _updated(old: Directory, store: Store, changed: dict[str, frozenset[Hashable]]) -> Directory:
    return Directory(_follow(old.users, store, USERS, changed), _follow(old.companies, store, COMPANIES, changed))


def _follow(old: dict[str, R], store: Store, kind: Kind[R], changed: dict[str, frozenset[Hashable]]) -> dict[str, R]:
    keys = changed.get(kind.table)
    if not keys:
        return old
    into = dict(old)
    for key in keys:
        record = store.get(kind, key)
        if record is None:
            into.pop(str(key), None)
        else:
            into[str(key)] = record
    return into
