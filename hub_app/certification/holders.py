"""Who holds certificates that count: certified members per company, derived once per store revision."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime

from hub_app.certification import certificates as certification
from hub_app.certification.records import CERTIFICATES
from hub_app.partners.directory import derived
from hub_app.partners.records import USERS
from hub_app.store.base import Store


def certified_members(store: Store, now: datetime) -> dict[str, int]:
    """Per company: its active members holding at least one certificate that still counts at ``now``."""
    counts = {}
    for company_id, ends in _members_valid_until(store).items():
        count = len(ends) - bisect_right(ends, now)
        if count:
            counts[company_id] = count
    return counts


def _members_valid_until(store: Store) -> dict[str, list[datetime]]:
    return derived(store, "valid_until", (USERS, CERTIFICATES), _valid_until)


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
