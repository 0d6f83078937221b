"""Funds' records: a partner's quarterly fund, its append-only ledger, MDF requests (with their claim) and
the proof files uploaded with a claim (metadata only: the bytes are in the blob directory by content hash).

The ledger's entries are signed by what they do to the money *available*: an allocation adds, a pending
request or an approval reserves (a negative entry), a release gives back, a payment or an expiry spends.
So a fund's available balance is the plain sum of its entries, and each bucket is the (negated) sum of
its own entries: available = allocated − paid − approved − pending − expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from hub_app.store.base import Index, Kind, Store
from hub_app.store.codecs import MAYBE_WHEN, TUPLE, WHEN, Codec, Convert

Bucket = Literal["allocated", "pending", "approved", "paid", "expired"]
RequestStatus = Literal["pending", "preapproved", "declined", "claimed", "approved", "partial", "denied", "paid"]
AllocationRule = Literal["fixed", "percent"]


def _maybe(out: Any, back: Any) -> Convert:
    return (lambda v: None if v is None else out(v), lambda v: None if v is None else back(v))


MONEY: Convert = (str, Decimal)
MAYBE_MONEY = _maybe(str, Decimal)
DAY: Convert = (date.isoformat, date.fromisoformat)


@dataclass(frozen=True)
class Fund:
    """A partner's MDF allocation for one quarter, in the program's currency, and when what is left expires."""

    id: str  # "<company id>:<quarter>"
    company_id: str
    quarter: str  # "2026-Q4"
    currency: str
    allocated: Decimal
    rule: AllocationRule
    basis: Decimal  # last quarter's won revenue (a percent rule), 0 for a fixed one
    tier: str
    expires_on: date  # what is still available at the start of this day expires
    created: datetime


@dataclass(frozen=True)
class FundEntry:
    """One movement of a fund: its bucket and its signed effect on the available balance."""

    id: str
    fund_id: str
    company_id: str
    bucket: Bucket
    amount: Decimal
    at: datetime
    actor_id: str
    idempotency_key: str
    request_id: str | None = None


@dataclass(frozen=True)
class MdfRequest:
    """A partner's MDF request, its pre-approval (fixing the proof required), its claim and payment."""

    id: str
    company_id: str
    fund_id: str
    requested_by: str
    activity: str  # a program.yml funds.activities id
    title: str
    starts: date
    ends: date
    expected_leads: int
    cost: Decimal
    vendor_share_pct: int
    amount: Decimal  # the vendor's share of the cost: what is reserved while pending
    currency: str
    created: datetime
    status: RequestStatus = "pending"
    preapproved_amount: Decimal | None = None
    proofs_required: tuple[str, ...] = ()  # program.yml funds.proofs ids
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str = ""
    actual_cost: Decimal | None = None
    actual_leads: int | None = None
    claim_note: str = ""
    claimed_amount: Decimal | None = None
    claimed_at: datetime | None = None
    approved_amount: Decimal | None = None
    claim_decided_by: str | None = None
    claim_decided_at: datetime | None = None
    claim_decision_note: str = ""
    paid_reference: str = ""
    paid_at: datetime | None = None
    paid_by: str | None = None


@dataclass(frozen=True)
class ProofFile:
    """A proof-of-performance file of a claim: named by the SHA-256 of its bytes in the blob directory."""

    id: str
    request_id: str
    proof: str  # a program.yml funds.proofs id
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


FUNDS: Kind[Fund] = Kind(
    "MDF fund",
    "funds",
    Codec(Fund, {"allocated": MONEY, "basis": MONEY, "expires_on": DAY, "created": WHEN}),
    indexes=(Index("company", ("company_id",)),),
    order=("quarter",),
)
FUND_LEDGER: Kind[FundEntry] = Kind(
    "fund ledger entry",
    "fund_ledger",
    Codec(FundEntry, {"amount": MONEY, "at": WHEN}),
    indexes=(Index("fund", ("fund_id",)), Index("company", ("company_id",))),
    order=("at",),
    idempotency="idempotency_key",
    keep="documents",
)
REQUESTS: Kind[MdfRequest] = Kind(
    "MDF request",
    "mdf_requests",
    Codec(
        MdfRequest,
        {
            "starts": DAY,
            "ends": DAY,
            "cost": MONEY,
            "amount": MONEY,
            "created": WHEN,
            "preapproved_amount": MAYBE_MONEY,
            "proofs_required": TUPLE,
            "decided_at": MAYBE_WHEN,
            "actual_cost": MAYBE_MONEY,
            "claimed_amount": MAYBE_MONEY,
            "claimed_at": MAYBE_WHEN,
            "approved_amount": MAYBE_MONEY,
            "claim_decided_at": MAYBE_WHEN,
            "paid_at": MAYBE_WHEN,
        },
    ),
    indexes=(Index("company", ("company_id",)), Index("status", ("status",))),
    order=("created",),
)
PROOFS: Kind[ProofFile] = Kind(
    "MDF proof file",
    "mdf_proofs",
    Codec(ProofFile, {"uploaded_at": WHEN}),
    indexes=(Index("request", ("request_id",)),),
    order=("uploaded_at",),
)
KINDS: tuple[Kind[Any], ...] = (FUNDS, FUND_LEDGER, REQUESTS, PROOFS)


def funds_of(store: Store, company_id: str) -> list[Fund]:
    """The company's funds, oldest quarter first."""
    return store.select(FUNDS, "company", company_id)


def entries_of(store: Store, fund_id: str) -> list[FundEntry]:
    """The fund's ledger, oldest first."""
    return store.select(FUND_LEDGER, "fund", fund_id)


def requests_of(store: Store, company_id: str) -> list[MdfRequest]:
    """The company's MDF requests, oldest first."""
    return store.select(REQUESTS, "company", company_id)


def proofs_of(store: Store, request_id: str) -> list[ProofFile]:
    """The proof files of a request's claim."""
    return store.select(PROOFS, "request", request_id)
