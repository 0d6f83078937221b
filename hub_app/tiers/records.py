"""Tiers' records: company KPIs per period and tier proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from hub_app.store.base import Index, Kind, Store
from hub_app.store.codecs import MAYBE_WHEN, WHEN, Codec

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
    # Credited to SIs and consultancies at program.yml tier_credit's share (0 when not measured).
    implemented_revenue_12m: float = 0.0
    influenced_revenue_12m: float = 0.0
    # What ISVs and technology partners may prove instead of revenue and customers.
    listings: int = 0
    installs: int = 0
    joint_customers: int = 0


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

KPIS: Kind[KpiRecord] = Kind(
    "KPI record",
    "kpis",
    Codec(KpiRecord, {"recorded_at": WHEN}),
    key=("company_id", "period"),
    indexes=(Index("company", ("company_id",)),),
    order=("period",),
)
PROPOSALS: Kind[TierProposal] = Kind(
    "tier proposal",
    "proposals",
    Codec(TierProposal, {"created": WHEN, "decided_at": MAYBE_WHEN, "below_since": MAYBE_WHEN}),
    indexes=(Index("status", ("status",)), Index("company", ("company_id",))),
    order=("created",),
)
KINDS: tuple[Kind[Any], ...] = (KPIS, PROPOSALS)


def record_kpi(store: Store, kpi: KpiRecord) -> None:
    """Store the company's figures for a period, replacing what was recorded for the same period."""
    with store.transaction():
        if store.get(KPIS, (kpi.company_id, kpi.period)) is None:
            store.add(KPIS, kpi)
        else:
            store.replace(KPIS, kpi)


def kpis_of(store: Store, company_id: str) -> list[KpiRecord]:
    """The company's KPI records, by period."""
    return store.select(KPIS, "company", company_id)


def proposals(store: Store, status: ProposalStatus | None = None) -> list[TierProposal]:
    """Tier proposals (with this status, if given), oldest first."""
    return store.select(PROPOSALS) if status is None else store.select(PROPOSALS, "status", status)
