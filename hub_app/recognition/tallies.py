"""Points per calendar month, per person and per company, caught up from the append-only ledger.

Kept per store instance and time zone. Every read first catches up with what was appended since the last
one (`records.points_after`: a cursor over the ledger, no records built), so no read scans the ledger. A
month is one dict per side; a quarter, year or all-time total is the sum of its months, derived on first
use and then kept current by the same catch-up, so a board costs the same however long its window is.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_right
from collections.abc import Hashable, Iterable
from datetime import UTC, datetime
from functools import partial
from operator import methodcaller
from zoneinfo import ZoneInfo

from hub_app.kernel import calendar
from hub_app.kernel.calendar import Key, window_key
from hub_app.recognition.records import PointsEvent, points_after
from hub_app.store.base import Store

Totals = dict[str, int]  # owner id -> points
SIDES = ("users", "companies")
_KEPT_WINDOWS = 32  # derived totals kept at most (older windows are rarely asked for again)


class Tallies:
    """Month dicts per side, and the derived window totals asked for so far."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.cursor: Hashable = None
        self._first, self._starts = 0, []  # type: int, list[float]  # month number of _starts[0]
        self._utc_starts: list[str] = []  # the same instants as ISO text in UTC
        self.months: dict[str, dict[int, Totals]] = {side: {} for side in SIDES}
        self._windows: dict[tuple[str, Key], Totals] = {}

    def catch_up(self, store: Store) -> None:
        """Fold in what was appended since the last call (all of it again when the ledger's history changed)."""
        with self.lock:
            new, cursor, fresh = points_after(store, self.cursor)
            if fresh and self.cursor is not None:  # a rollback or a restore took back entries folded in
                self._reset()
            self._add(new)
            self.cursor = cursor

    def totals(self, side: str, key: Key) -> Totals:
        """A copy of the totals of ``side`` ("users" or "companies") in the window ``key``."""
        with self.lock:
            if key[0] == "month":
                return dict(self.months[side].get(key[1], {}))
            found = self._windows.get((side, key))
            if found is None:
                if len(self._windows) >= _KEPT_WINDOWS:
                    self._windows.clear()
                found = self._windows[(side, key)] = self._sum(side, key)
            return dict(found)

    def month_points(self, side: str, owner: str, month: int) -> int:
        """Points of one owner in one month."""
        with self.lock:
            return self.months[side].get(month, {}).get(owner, 0)

    def _sum(self, side: str, key: Key) -> Totals:
        found: Totals = {}
        for month, totals in self.months[side].items():
            if window_key(key[0], month) == key:
                _merge(found, totals.items())
        return found

    def _month(self, at: datetime) -> int:
        # A bisection of the months' start instants: no time zone conversion per entry, and the same
        # boundaries as `calendar.window_bounds` (local midnight on the 1st), so totals match a window's sum.
        i = bisect_right(self._starts, at.timestamp())
        if 0 < i < len(self._starts):
            return self._first + i - 1
        self._cover(at)
        return self._month(at)

    def _months(self, ats: list[str]) -> list[int]:
        # ISO texts in UTC, seconds and all, sort like the instants they name (a fraction of a second sorts
        # after the whole second: "." > "+"): when every entry is in UTC, as the hub writes them, a month is
        # a bisection of the months' starts as text, no entry parsed and the whole loop run in C.
        if not ats or not all(map(methodcaller("endswith", "+00:00"), ats)):
            return [self._month(datetime.fromisoformat(at)) for at in ats]
        self._month(datetime.fromisoformat(min(ats)))  # covers the range, so each bisection lands inside
        self._month(datetime.fromisoformat(max(ats)))
        before = self._first - 1
        return [before + i for i in map(partial(bisect_right, self._utc_starts), ats)]

    def _cover(self, at: datetime) -> None:
        month = calendar.month_of(at.astimezone(self.zone))
        last = self._first + len(self._starts) - 1
        first, last = (month, month + 1) if not self._starts else (min(self._first, month), max(last, month + 1))
        self._first, self._starts = first - 12, [self._start(m) for m in range(first - 12, last + 13)]
        self._utc_starts = [datetime.fromtimestamp(start, UTC).isoformat() for start in self._starts]

    def _start(self, month: int) -> float:
        return calendar.month_start(month, self.zone).timestamp()

    def _add(self, events: list[PointsEvent]) -> None:
        users, companies = self.months["users"], self.months["companies"]
        months = self._months([e[0] for e in events])
        # Inlined on purpose: a cold start runs this loop for the whole ledger.
        for (_, user, company, points), month in zip(events, months, strict=True):
            totals = users.get(month) or users.setdefault(month, {})
            totals[user] = totals.get(user, 0) + points
            if company is not None:
                totals = companies.get(month) or companies.setdefault(month, {})
                totals[company] = totals.get(company, 0) + points
        for (side, key), totals in self._windows.items():
            for (_, user, company, points), month in zip(events, months, strict=True):
                owner = user if side == "users" else company
                if owner is not None and window_key(key[0], month) == key:
                    _bump(totals, owner, points)


def _bump(totals: Totals, owner: str, points: int) -> None:
    totals[owner] = totals.get(owner, 0) + points


def _merge(into: Totals, items: Iterable[tuple[str, int]]) -> None:
    for owner, points in items:
        into[owner] = into.get(owner, 0) + points


_CACHE: weakref.WeakKeyDictionary[Store, dict[str, Tallies]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def of(store: Store, timezone: str) -> Tallies:
    """The store's tallies in ``timezone``, caught up with its ledger."""
    with _CACHE_LOCK:
        per_zone = _CACHE.setdefault(store, {})
        tallies = per_zone.get(timezone) or per_zone.setdefault(timezone, Tallies(timezone))
    tallies.catch_up(store)
    return tallies
