"""Recognition's records: the append-only points ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
