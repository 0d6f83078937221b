"""Tiers' records: company KPIs per period and tier proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

ProposalKind = Literal["promote", "demote"]
ProposalStatus = Literal["pending", "approved", "rejected"]


@dataclass(frozen=True)
class KpiRecord:
    """A company's business figures for one period, as a channel manager recorded them."""

    company_id: str
    period: str  # e.g. "2026-Q3"
    revenue_12m: float
    customers: int
    csat: float | None
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class TierProposal:
    """A proposed tier change for a company, decided by a channel manager or program admin.

    It keeps facts, never sentences: the words of its reason are chosen when shown (`reviews.reason`).
    A promotion was evaluated on `created`; a demotion also keeps since when the company has been below
    `from_tier` and the grace period it waited out. `note` is the decider's own words (required to reject).
    """

    id: str
    company_id: str
    from_tier: str
    to_tier: str
    kind: ProposalKind
    created: datetime
    status: ProposalStatus = "pending"
    decided_by: str | None = None
    decided_at: datetime | None = None
    below_since: datetime | None = None
    grace_days: int | None = None
    note: str = ""


TierChange = TierProposal
