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


@dataclass(frozen=True)
class TierProposal:
    """A proposed tier change for a company, decided by a channel manager or program admin."""

    id: str
    company_id: str
    from_tier: str
    to_tier: str
    kind: ProposalKind
    reason: str
    created: datetime
    status: ProposalStatus = "pending"
    decided_by: str | None = None
    decided_at: datetime | None = None


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
    Codec(TierProposal, {"created": WHEN, "decided_at": MAYBE_WHEN}),
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
