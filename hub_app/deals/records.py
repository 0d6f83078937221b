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
DealType = Literal["resale", "referral"]  # the partner resells (holds the contract) or refers (we bill)
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
    deal_type: DealType = "resale"  # sets the commission rate (program.yml commissions.rates)
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


@dataclass(frozen=True)
class CommissionLine:
    """One entry of the append-only commission ledger: a won deal's commission, or a reversal of one.

    ``rate`` is the percentage applied to ``base`` (the deal's final amount) at ``tier`` on ``earned_on``;
    ``period`` is the statement's quarter ("2026-Q4"): the close date's, or the first open one after it
    when that statement is already approved (approved statements never change).
    """

    id: str
    company_id: str
    deal_id: str
    period: str
    earned_on: date
    tier: str
    deal_type: DealType
    rate: Decimal
    base: Decimal
    amount: Decimal
    currency: str
    at: datetime
    idempotency_key: str  # "commission:<deal id>" or "reversal:<line id>"
    reverses: str | None = None


StatementStatus = Literal["approved"]


@dataclass(frozen=True)
class Statement:
    """A partner's approved (frozen) quarterly statement: which lines it holds and its totals per currency.

    An open statement is not stored: it is the ledger's lines of that company and quarter, derived.
    """

    id: str  # "<company id>:<period>"
    company_id: str
    period: str
    line_ids: tuple[str, ...]
    totals: tuple[str, ...]  # "USD 1234.50", one per currency, sorted
    approved_by: str
    approved_at: datetime
    status: StatementStatus = "approved"


@dataclass(frozen=True)
class Dispute:
    """A partner's question on a statement line, and the channel manager's answer."""

    id: str
    line_id: str
    company_id: str
    period: str
    raised_by: str
    raised_at: datetime
    note: str
    answer: str = ""
    answered_by: str | None = None
    answered_at: datetime | None = None


COMMISSIONS: Kind[CommissionLine] = Kind(
    "commission line",
    "commissions",
    Codec(
        CommissionLine,
        {"rate": MONEY, "base": MONEY, "amount": MONEY, "earned_on": (date.isoformat, date.fromisoformat), "at": WHEN},
    ),
    indexes=(Index("statement", ("company_id", "period")), Index("company", ("company_id",))),
    order=("at",),
    idempotency="idempotency_key",
    keep="documents",
)
STATEMENTS: Kind[Statement] = Kind(
    "commission statement",
    "statements",
    Codec(Statement, {"line_ids": TUPLE, "totals": TUPLE, "approved_at": WHEN}),
    indexes=(Index("company", ("company_id",)),),
    order=("period",),
)
DISPUTES: Kind[Dispute] = Kind(
    "commission dispute",
    "disputes",
    Codec(Dispute, {"raised_at": WHEN, "answered_at": MAYBE_WHEN}),
    indexes=(Index("line", ("line_id",)), Index("statement", ("company_id", "period"))),
    order=("raised_at",),
)
KINDS: tuple[Kind[Any], ...] = (DEALS, DEAL_EVENTS, COMMISSIONS, STATEMENTS, DISPUTES, CUSTOMERS)


def deals_of(store: Store, company_id: str) -> list[Deal]:
    """The company's registrations, oldest first."""
    return store.select(DEALS, "company", company_id)


def active_deals(store: Store) -> list[Deal]:
    """Registrations being decided or protected, oldest first."""
    return [d for status in ACTIVE for d in store.select(DEALS, "status", status)]


def events_of(store: Store, deal_id: str) -> list[DealEvent]:
    """The deal's history, oldest first."""
    return store.select(DEAL_EVENTS, "deal", deal_id)
