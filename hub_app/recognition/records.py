"""Recognition's records: the append-only points ledger."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub_app.store.base import Index, Kind, Store, in_window
from hub_app.store.codecs import WHEN, Codec


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
KINDS: tuple[Kind[Any], ...] = (LEDGER,)

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
