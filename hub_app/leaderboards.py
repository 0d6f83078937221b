"""Leaderboards of people and companies over a calendar window, from per-period point buckets.

The ledger is append-only, so the buckets are kept per store instance and caught up on every call
with what was appended since (`ledger_after`): no call scans the ledger. Windows are the calendar
month, quarter or year containing `now` in the program's time zone, or all time.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hub_app import certification
from hub_app.catalog.models import Program
from hub_app.errors import HubError
from hub_app.permissions import require, sees_company, sees_user
from hub_app.points import window_bounds
from hub_app.records import Company, LedgerEntry, User
from hub_app.store.base import HubStore

ANONYMOUS = "Anonymous"
Key = tuple[str, int]  # ("month", months since year 0) / ("quarter", ...) / ("year", y) / ("all", 0)


class UnknownWindow(HubError):
    def __init__(self, window: str, known: list[str]):
        super().__init__(f"Unknown leaderboard window '{window}'. Use one of: {', '.join(known)}.")
        self.window = window


class UnknownSubject(HubError):
    def __init__(self) -> None:
        super().__init__("Name exactly one of user_id or company_id to chart points for.")


@dataclass(frozen=True)
class Row:
    """One line of a board; `id` is None on anonymous lines (the name is then 'Anonymous')."""

    rank: int
    name: str
    points: int
    id: str | None
    company: str | None = None  # people boards: the person's company
    average: float | None = None  # company boards: points per certified member
    certified_members: int = 0
    you: bool = False


@dataclass(frozen=True)
class Board:
    """The top rows of a board and the caller's own row (even when outside the top)."""

    kind: str  # "people" or "companies"
    window: str
    since: datetime | None
    until: datetime | None
    rows: tuple[Row, ...]
    you: Row | None


# --- buckets ---------------------------------------------------------------------------------------


def period_keys(local: datetime) -> tuple[Key, ...]:
    """The bucket keys a local time falls in, one per window."""
    return (
        ("month", local.year * 12 + local.month - 1),
        ("quarter", local.year * 4 + (local.month - 1) // 3),
        ("year", local.year),
        ("all", 0),
    )


class _Buckets:
    """Points per (period, user) and (period, company), caught up incrementally from the ledger."""

    def __init__(self, timezone: str) -> None:
        self.zone = ZoneInfo(timezone)
        self.lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.seq = 0
        self.users: dict[Key, dict[str, int]] = {}
        self.companies: dict[Key, dict[str, int]] = {}

    def catch_up(self, store: HubStore) -> None:
        with self.lock:
            if store.ledger_count() < self.seq:  # a rolled-back transaction took entries back: rebuild
                self._reset()
            new = store.ledger_after(self.seq)
            for entry in new:
                self._add(entry)
            self.seq += len(new)

    def _add(self, entry: LedgerEntry) -> None:
        for key in period_keys(entry.at.astimezone(self.zone)):
            _bump(self.users, key, entry.user_id, entry.points)
            if entry.company_id is not None:
                _bump(self.companies, key, entry.company_id, entry.points)


def _bump(table: dict[Key, dict[str, int]], key: Key, owner: str, points: int) -> None:
    bucket = table.setdefault(key, {})
    bucket[owner] = bucket.get(owner, 0) + points


_CACHE: weakref.WeakKeyDictionary[HubStore, dict[str, _Buckets]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _buckets(store: HubStore, timezone: str) -> _Buckets:
    with _CACHE_LOCK:
        per_zone = _CACHE.setdefault(store, {})
        buckets = per_zone.setdefault(timezone, _Buckets(timezone))
    buckets.catch_up(store)
    return buckets


def _window_key(program: Program, window: str, now: datetime) -> Key:
    known = list(program.leaderboards.windows)
    if window not in known:
        raise UnknownWindow(window, known)
    keys = period_keys(now.astimezone(ZoneInfo(program.program.timezone)))
    return next(k for k in keys if k[0] == window)


def _bounds(program: Program, window: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    if window == "all":
        return None, None
    return window_bounds(window, now, program.program.timezone)


# --- boards ----------------------------------------------------------------------------------------


def _require_viewer(actor: User) -> None:
    require(actor.active, actor, "see leaderboards")


def _matches(company: Company | None, partner_type: str | None, region: str | None) -> bool:
    if partner_type is None and region is None:
        return True
    if company is None:
        return False
    return (partner_type is None or company.type == partner_type) and (region is None or company.region == region)


def _ranked(points: Iterable[tuple[str, int]]) -> list[tuple[int, str, int]]:
    """(rank, id, points) by points, standard competition ranking: 1, 2, 2, 4."""
    ordered = sorted(points, key=lambda p: (-p[1], p[0]))
    ranked, rank = [], 0
    for i, (owner, pts) in enumerate(ordered):
        if i == 0 or pts != ordered[i - 1][1]:
            rank = i + 1
        ranked.append((rank, owner, pts))
    return ranked


def _rank_of(points: int, ranked: list[tuple[int, str, int]]) -> int:
    return 1 + sum(1 for _, _, pts in ranked if pts > points)


def people_board(
    actor: User,
    store: HubStore,
    program: Program,
    window: str,
    now: datetime,
    *,
    partner_type: str | None = None,
    region: str | None = None,
    top_n: int | None = None,
) -> Board:
    """People ranked by points in the window; active people only, opted-out ones as 'Anonymous'."""
    _require_viewer(actor)
    key = _window_key(program, window, now)
    totals = _buckets(store, program.program.timezone).users.get(key, {})
    companies: dict[str, Company | None] = {}
    people: dict[str, tuple[User, Company | None]] = {}
    for user_id in totals:
        user = store.user(user_id)
        if user is None or not user.active:
            continue
        company = _company(store, user.company_id, companies)
        if _matches(company, partner_type, region):
            people[user_id] = (user, company)
    ranked = _ranked((uid, totals[uid]) for uid in people)
    top = ranked[: top_n or program.leaderboards.top_n]
    rows = tuple(_person_row(r, *people[uid], pts, actor) for r, uid, pts in top)
    you = next((_person_row(r, *people[u], pts, actor) for r, u, pts in ranked if u == actor.id), None)
    if you is None and actor.company_id is not None:
        company = _company(store, actor.company_id, companies)
        if _matches(company, partner_type, region):
            you = _person_row(_rank_of(0, ranked), actor, company, 0, actor)
    return Board("people", window, *_bounds(program, window, now), rows, you)


def _company(store: HubStore, company_id: str | None, seen: dict[str, Company | None]) -> Company | None:
    if company_id is None:
        return None
    if company_id not in seen:
        seen[company_id] = store.company(company_id)
    return seen[company_id]


def _person_row(rank: int, user: User, company: Company | None, points: int, actor: User) -> Row:
    you = user.id == actor.id
    hidden = user.leaderboard_opt_out and not you
    company_name = None if company is None else _company_name(company, actor)
    return Row(rank, ANONYMOUS if hidden else user.display_name, points, None if hidden else user.id,
               company=company_name, you=you)  # fmt: skip


def _company_name(company: Company, actor: User) -> str:
    shown = not company.leaderboard_opt_out or company.id == actor.company_id
    return company.name if shown else ANONYMOUS


def company_board(
    actor: User,
    store: HubStore,
    program: Program,
    window: str,
    now: datetime,
    *,
    partner_type: str | None = None,
    region: str | None = None,
    top_n: int | None = None,
) -> Board:
    """Active companies ranked by total points in the window, with points per certified member."""
    _require_viewer(actor)
    key = _window_key(program, window, now)
    totals = _buckets(store, program.program.timezone).companies.get(key, {})
    shown: dict[str, Company] = {}
    for company_id in totals:
        company = store.company(company_id)
        if company is not None and company.active and _matches(company, partner_type, region):
            shown[company_id] = company
    ranked = _ranked((cid, totals[cid]) for cid in shown)
    certified = certified_members(store, program, now)
    top = ranked[: top_n or program.leaderboards.top_n]
    rows = tuple(_company_row(r, shown[cid], pts, certified, actor) for r, cid, pts in top)
    mine = [(r, cid, pts) for r, cid, pts in ranked if cid == actor.company_id]
    you = next((_company_row(r, shown[cid], pts, certified, actor) for r, cid, pts in mine), None)
    own = store.company(actor.company_id) if actor.company_id else None
    if you is None and own is not None and own.active and _matches(own, partner_type, region):
        you = _company_row(_rank_of(0, ranked), own, 0, certified, actor)
    return Board("companies", window, *_bounds(program, window, now), rows, you)


def _company_row(rank: int, company: Company, points: int, certified: dict[str, int], actor: User) -> Row:
    name = _company_name(company, actor)
    count = certified.get(company.id, 0)
    average = round(points / count, 1) if count else None
    you = company.id == actor.company_id
    return Row(rank, name, points, None if name == ANONYMOUS else company.id, average=average,
               certified_members=count, you=you)  # fmt: skip


def certified_members(store: HubStore, program: Program, now: datetime) -> dict[str, int]:
    """Per company: its active members holding at least one certificate that is still valid at `now`."""
    valid = {
        c.user_id
        for c in store.certificates()
        if certification.status(c, program, now) in ("active", "expiring")
    }
    counts: dict[str, int] = {}
    for user in store.users():
        if user.active and user.company_id is not None and user.id in valid:
            counts[user.company_id] = counts.get(user.company_id, 0) + 1
    return counts


# --- history ---------------------------------------------------------------------------------------


def points_history(
    actor: User,
    store: HubStore,
    program: Program,
    *,
    user_id: str | None = None,
    company_id: str | None = None,
    months: int = 12,
    now: datetime,
) -> list[tuple[str, int]]:
    """Points per calendar month ("2026-03", points), oldest first, ending with the month of `now`."""
    if (user_id is None) == (company_id is None):
        raise UnknownSubject()
    if user_id is not None:
        user = store.user(user_id)
        require(user is not None and sees_user(actor, user, store), actor, f"see the points of user '{user_id}'")
        owner, side = user_id, "users"
    else:
        assert company_id is not None
        company = store.company(company_id)
        require(sees_company(actor, company), actor, f"see the points of company '{company_id}'")
        owner, side = company_id, "companies"
    buckets = _buckets(store, program.program.timezone)
    table = getattr(buckets, side)
    last = period_keys(now.astimezone(buckets.zone))[0][1]
    return [
        (f"{m // 12:04d}-{m % 12 + 1:02d}", table.get(("month", m), {}).get(owner, 0))
        for m in range(last - months + 1, last + 1)
    ]
