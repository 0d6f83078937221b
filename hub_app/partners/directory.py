"""People and companies by id, and certified members per company, derived once per store revision.

A board looks up thousands of people; read one at a time through the store, each costs a lock and a
catch-up check. What is derived here is kept per store instance and rebuilt only when the store's
revision of the records it comes from changes (by any process): never stale, and usually free.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_right
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from hub_app.certification import certificates as certification
from hub_app.certification.records import CERTIFICATES
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


def _derived(store: Store, name: str, kinds: tuple[Kind[Any], ...], build: Callable[[Store], T]) -> T:
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
    return _derived(store, "directory", (USERS, COMPANIES), _directory)


def _directory(store: Store) -> Directory:
    return Directory({u.id: u for u in store.select(USERS)}, {c.id: c for c in store.select(COMPANIES)})


def certified_members(store: Store, now: datetime) -> dict[str, int]:
    """Per company: its active members holding at least one certificate that still counts at ``now``."""
    counts = {}
    for company_id, ends in _members_valid_until(store).items():
        count = len(ends) - bisect_right(ends, now)
        if count:
            counts[company_id] = count
    return counts


def _members_valid_until(store: Store) -> dict[str, list[datetime]]:
    return _derived(store, "valid_until", (USERS, CERTIFICATES), _valid_until)


def _valid_until(store: Store) -> dict[str, list[datetime]]:
    """Per company, sorted: until when each active member holds some certificate that counts."""
    best: dict[str, datetime] = {}
    for c in store.select(CERTIFICATES):
        until = certification.counts_until(c)
        if until is not None and (c.user_id not in best or best[c.user_id] < until):
            best[c.user_id] = until
    ends: dict[str, list[datetime]] = {}
    for user in store.select(USERS):
        if user.active and user.company_id is not None and user.id in best:
            ends.setdefault(user.company_id, []).append(best[user.id])
    for found in ends.values():
        found.sort()
    return ends
