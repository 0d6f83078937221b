"""Deals' records: registrations, the append-only history of what happened to each, existing customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from hub_app.store.base import Index, Kind, Store
from hub_app.store.codecs import MAYBE_WHEN, TUPLE, WHEN, Codec, Convert

DealStatus = Literal["draft", "submitted", "approved", "rejected", "more_info", "won", "lost", "expired"]
Stage = Literal["prospect", "qualified", "proposal", "negotiation"]
# Registrations another partner's could overlap: being decided, or protected.
ACTIVE: tuple[DealStatus, ...] = ("submitted", "more_info", "approved")


@dataclass(frozen=True)
class Deal:
    """A partner's registration of one end-customer opportunity. Money is a Decimal with its ISO currency."""

    id: str
    company_id: str  # the registering partner
    owner_id: str  # the partner user who registered it (earns the deal_won points)
    customer: str  # end customer company name
    website: str  # or bare domain
    country: str
    contact_email: str
    products: tuple[str, ...]  # program.yml product ids
    seats: int
    amount: Decimal
    currency: str
    expected_close: date | None
    stage: Stage
    meeting_date: date | None  # qualification evidence: when the customer was met
    notes: str  # qualification evidence: what was done, next step
    created: datetime
    status: DealStatus = "draft"
    submitted_at: datetime | None = None
    protected_until: datetime | None = None
    extension_used: bool = False
    extension_requested: bool = False
    reason: str = ""  # a program.yml deals.reasons id when rejected
    closed_on: date | None = None
    final_amount: Decimal | None = None
    contact_phone: str = ""  # as typed; matched in E.164 form (`hub_app.deals.customers.phone_key`)


DealAct = Literal[
    "registered",
    "revised",
    "submitted",
    "approved",
    "rejected",
    "info_requested",
    "extension_requested",
    "extended",
    "won",
    "lost",
    "expired",
]


@dataclass(frozen=True)
class DealEvent:
    """One fact of a deal's history: who did what when, under which rule (a reason code, a window)."""

    id: str
    deal_id: str
    at: datetime
    actor_id: str
    act: DealAct
    idempotency_key: str  # "<deal id>:<act>:<n>": a retried write records a fact once
    rule: str = ""
    note: str = ""


def _maybe(out: Any, back: Any) -> Convert:
    return (lambda v: None if v is None else out(v), lambda v: None if v is None else back(v))


MONEY: Convert = (str, Decimal)
MAYBE_MONEY = _maybe(str, Decimal)
MAYBE_DAY = _maybe(date.isoformat, date.fromisoformat)

DEALS: Kind[Deal] = Kind(
    "deal registration",
    "deals",
    Codec(
        Deal,
        {
            "products": TUPLE,
            "amount": MONEY,
            "final_amount": MAYBE_MONEY,
            "expected_close": MAYBE_DAY,
            "meeting_date": MAYBE_DAY,
            "closed_on": MAYBE_DAY,
            "created": WHEN,
            "submitted_at": MAYBE_WHEN,
            "protected_until": MAYBE_WHEN,
        },
    ),
    indexes=(Index("company", ("company_id",)), Index("status", ("status",))),
    order=("created",),
)
DEAL_EVENTS: Kind[DealEvent] = Kind(
    "deal history entry",
    "deal_events",
    Codec(DealEvent, {"at": WHEN}),
    indexes=(Index("deal", ("deal_id",)),),
    order=("at",),
    idempotency="idempotency_key",
)


@dataclass(frozen=True)
class Customer:
    """An end customer the vendor already has: imported (``direct``) or won through a registered deal."""

    id: str
    name: str
    website: str
    country: str
    phone: str
    contact_email: str
    source: Literal["direct", "won_deal"]
    created: datetime
    deal_id: str = ""  # the won deal, for source won_deal
    idempotency_key: str = ""  # won deals: "customer:<deal id>"; imports: "customer:<new id>"


CUSTOMERS: Kind[Customer] = Kind(
    "existing customer",
    "customers",
    Codec(Customer, {"created": WHEN}),
    indexes=(Index("source", ("source",)),),
    order=("created",),
    idempotency="idempotency_key",
)


KINDS: tuple[Kind[Any], ...] = (DEALS, DEAL_EVENTS, CUSTOMERS)


def deals_of(store: Store, company_id: str) -> list[Deal]:
    """The company's registrations, oldest first."""
    return store.select(DEALS, "company", company_id)


def active_deals(store: Store) -> list[Deal]:
    """Registrations being decided or protected, oldest first."""
    return [d for status in ACTIVE for d in store.select(DEALS, "status", status)]


def events_of(store: Store, deal_id: str) -> list[DealEvent]:
    """The deal's history, oldest first."""
    return store.select(DEAL_EVENTS, "deal", deal_id)
