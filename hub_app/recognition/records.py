"""Recognition's records: the append-only points ledger, awards and the quarters closed."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from hub_app.store.base import Index, Kind, Store, in_window
from hub_app.store.codecs import WHEN, Codec, Convert


@dataclass(frozen=True)
class LedgerEntry:
    """One line of the append-only points ledger; a correction is a new entry that `reverses` another."""

    id: str
    user_id: str
    company_id: str | None
    rule: str  # a program.yml points rule id, or "manual_adjustment" / "reversal"
    points: int
    at: datetime
    idempotency_key: str
    reason: str = ""
    reverses: str | None = None


# Half a million entries, read a person or a window at a time (and in full once per process, by the
# leaderboards' tallies, through a projection): documents, decoded on read.
LEDGER: Kind[LedgerEntry] = Kind(
    "ledger entry",
    "ledger",
    Codec(LedgerEntry, {"at": WHEN}),
    indexes=(Index("user", ("user_id",)),),
    order=("at",),
    idempotency="idempotency_key",
    keep="documents",
)


@dataclass(frozen=True)
class Award:
    """One winner of an award program or a leaderboard reward in a closed period, and what they got.

    The points were credited to the ledger when it was recorded; an MDF bonus (``mdf`` in ``currency``) is
    for the funds room to credit to the company's fund, once per award id."""

    id: str
    period: str  # "2026-Q3"
    award_id: str  # a program.yml awards.programs or awards.leaderboard_rewards id
    kind: Literal["award", "leaderboard"]
    place: int  # 1 for an award; the place on the board for a leaderboard reward
    user_id: str | None  # a person's award (their company_id is kept too)
    company_id: str | None
    score: Decimal  # the measure the winner ranked on (money, points or a 0-100 score)
    points: int
    mdf: Decimal
    currency: str
    badge: str
    closed_at: datetime
    idempotency_key: str  # "award:<period>:<award id>:<place>": a period closes once


@dataclass(frozen=True)
class PeriodClose:
    """A period whose awards were given: closing it again changes nothing."""

    period: str
    closed_at: datetime
    closed_by: str
    awards: int


_DECIMAL: Convert = (str, Decimal)
AWARDS: Kind[Award] = Kind(
    "award",
    "awards",
    Codec(Award, {"score": _DECIMAL, "mdf": _DECIMAL, "closed_at": WHEN}),
    indexes=(Index("period", ("period",)), Index("user", ("user_id",)), Index("company", ("company_id",))),
    order=("closed_at",),
    idempotency="idempotency_key",
)
PERIODS_CLOSED: Kind[PeriodClose] = Kind(
    "closed period",
    "periods_closed",
    Codec(PeriodClose, {"closed_at": WHEN}),
    order=("period",),
    key=("period",),
)
KINDS: tuple[Kind[Any], ...] = (LEDGER, AWARDS, PERIODS_CLOSED)

# What a points tally needs of one ledger entry: (at, user_id, company_id, points), with ``at`` as ISO 8601
# text with its UTC offset, as `datetime.isoformat` writes it.
PointsEvent = tuple[str, str, str | None, int]
POINTS_FIELDS = ("at", "user_id", "company_id", "points")


def ledger(store: Store, since: datetime | None = None, until: datetime | None = None) -> list[LedgerEntry]:
    """Entries with since <= at < until (either bound may be None), by time, then append order."""
    found = store.select(LEDGER)
    if since is None and until is None:
        return found
    return [e for e in found if in_window(e.at, since, until)]


def ledger_of(store: Store, user_id: str) -> list[LedgerEntry]:
    """The person's entries, by time."""
    return store.select(LEDGER, "user", user_id)


def points_after(store: Store, cursor: Hashable) -> tuple[list[PointsEvent], Hashable, bool]:
    """The `PointsEvent`s appended since ``cursor``, the next cursor, and whether they start afresh."""
    batch = store.after(LEDGER, cursor, fields=POINTS_FIELDS)
    return batch.entries, batch.cursor, batch.fresh
