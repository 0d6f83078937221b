"""Who holds certificates that count: certified members per company, derived once and kept current.

A pass adds one certificate; the members map follows it by looking again at the people whose
certificates or accounts changed (`partners.directory.derived` with an update), not at everyone.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime

from hub_app.certification import certificates as certification
from hub_app.certification.records import CERTIFICATES, Certificate
from hub_app.partners.directory import derived
from hub_app.partners.records import USERS, User
from hub_app.store.base import Store


@dataclass(frozen=True)
class _Holders:
    """Until when each counted member holds a certificate that counts, per company (sorted), and per person."""

    ends: dict[str, list[datetime]]  # company id -> sorted ends of its counted members
    counted: dict[str, tuple[str, datetime]]  # user id -> (company id, until) for each counted member
    owner: dict[Hashable, str]  # certificate key -> its holder's user id (to follow a removed certificate)


def certified_members(store: Store, now: datetime) -> dict[str, int]:
    """Per company: its active members holding at least one certificate that still counts at ``now``."""
    counts = {}
    for company_id, ends in _holders(store).ends.items():
        count = len(ends) - bisect_right(ends, now)
        if count:
            counts[company_id] = count
    return counts


def _holders(store: Store) -> _Holders:
    return derived(store, "valid_until", (USERS, CERTIFICATES), _build, _update)


def _best(certificates: list[Certificate]) -> dict[str, datetime]:
    best: dict[str, datetime] = {}
    for c in certificates:
        until = certification.counts_until(c)
        if until is not None and (c.user_id not in best or best[c.user_id] < until):
            best[c.user_id] = until
    return best


def _counts(user: User | None) -> bool:
    return user is not None and user.active and user.company_id is not None


def _build(store: Store) -> _Holders:
    """Per company, sorted: until when each active member holds some certificate that counts."""
    certificates = store.select(CERTIFICATES)
    best = _best(certificates)
    ends: dict[str, list[datetime]] = {}
    counted: dict[str, tuple[str, datetime]] = {}
    for user in store.select(USERS):
        if _counts(user) and user.id in best:
            assert user.company_id is not None
            ends.setdefault(user.company_id, []).append(best[user.id])
            counted[user.id] = (user.company_id, best[user.id])
    for found in ends.values():
        found.sort()
    return _Holders(ends, counted, {CERTIFICATES.key_of(c): c.user_id for c in certificates})


def _update(old: _Holders, store: Store, changed: dict[str, frozenset[Hashable]]) -> _Holders:
    owner = dict(old.owner)
    people = set(changed.get(USERS.table, ()))
    for key in changed.get(CERTIFICATES.table, ()):
        if key in owner:
            people.add(owner.pop(key))
        certificate = store.get(CERTIFICATES, key)
        if certificate is not None:
            owner[key] = certificate.user_id
            people.add(certificate.user_id)
    ends = {company: list(found) for company, found in old.ends.items()} if people else old.ends
    counted = dict(old.counted)
    for user_id in map(str, people):
        before = counted.pop(user_id, None)
        if before is not None:
            found = ends[before[0]]
            found.pop(bisect_right(found, before[1]) - 1)
            if not found:
                del ends[before[0]]
        user = store.get(USERS, user_id)
        until = _best(store.select(CERTIFICATES, "user", user_id)).get(user_id) if _counts(user) else None
        if until is not None and user is not None and user.company_id is not None:
            insort(ends.setdefault(user.company_id, []), until)
            counted[user_id] = (user.company_id, until)
    return _Holders(ends, counted, owner)
