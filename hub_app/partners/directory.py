"""People and companies by id, derived once per store revision.

A board looks up thousands of people; read one at a time through the store, each costs a lock and a
catch-up check. What is derived here is kept per store instance and rebuilt only when the store's
revision of the records it comes from changes (by any process): never stale, and usually free.
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


@dataclass(frozen=True)
class Directory:
    """Every user and company by id."""

    users: dict[str, User]
    companies: dict[str, Company]


_CACHE: weakref.WeakKeyDictionary[Store, dict[str, tuple[Hashable, Any]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def derived(store: Store, name: str, kinds: tuple[Kind[Any], ...], build: Callable[[Store], T]) -> T:
    """`build(store)`, kept per store under `name` until the revision of one of `kinds` changes."""
    # The revision is read before building: a write landing meanwhile makes the next call rebuild.
    revisions = store.revision(kinds)
    with _LOCK:
        cached = _CACHE.setdefault(store, {}).get(name)
    if cached is not None and cached[0] == revisions:
        return cached[1]
    value = build(store)
    with _LOCK:
        _CACHE[store][name] = (revisions, value)
    return value


def of(store: Store) -> Directory:
    """Users and companies by id, as stored now."""
    return derived(store, "directory", (USERS, COMPANIES), _directory)


def _directory(store: Store) -> Directory:
    return Directory({u.id: u for u in store.select(USERS)}, {c.id: c for c in store.select(COMPANIES)})
