"""People and companies by id, derived once per store revision.

A board looks up thousands of people; read one at a time through the store, each costs a lock and a
catch-up check. What is derived here is kept per store instance and rebuilt only when the store's
revision of the records it comes from changes (by any process): never stale, and usually free.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from hub_app.partners.records import Company, User
from hub_app.store.base import HubStore

T = TypeVar("T")


@dataclass(frozen=True)
class Directory:
    """Every user and company by id."""

    users: dict[str, User]
    companies: dict[str, Company]


_CACHE: weakref.WeakKeyDictionary[HubStore, dict[str, tuple[tuple[int, ...], Any]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def derived(store: HubStore, name: str, kinds: tuple[str, ...], build: Callable[[HubStore], T]) -> T:
    """`build(store)`, kept per store under `name` until the revision of one of `kinds` changes."""
    # The revisions are read before building: a write landing meanwhile makes the next call rebuild.
    revisions = tuple(store.revision(kind) for kind in kinds)
    with _LOCK:
        cached = _CACHE.setdefault(store, {}).get(name)
    if cached is not None and cached[0] == revisions:
        return cached[1]
    value = build(store)
    with _LOCK:
        _CACHE[store][name] = (revisions, value)
    return value


def of(store: HubStore) -> Directory:
    """Users and companies by id, as stored now."""
    return derived(store, "directory", ("users", "companies"), _directory)


def _directory(store: HubStore) -> Directory:
    return Directory({u.id: u for u in store.users()}, {c.id: c for c in store.companies()})
