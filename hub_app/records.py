"""The hub's records: small frozen dataclasses that cross the storage seam (dicts stop at the store).

Every datetime is timezone-aware UTC. Ids are opaque strings made by `new_id()`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

PARTNER_USER = "partner_user"
PARTNER_ADMIN = "partner_admin"
CHANNEL_MANAGER = "channel_manager"
PROGRAM_ADMIN = "program_admin"
ROLES = frozenset({PARTNER_USER, PARTNER_ADMIN, CHANNEL_MANAGER, PROGRAM_ADMIN})

# An answer as the exam page sends it. Options are answered by their *displayed* position (0-based),
# never by their place in the bank, so the page learns nothing about the bank's order.
#   single -> int, multiple -> tuple[int, ...], true_false -> bool, short_text -> str, numeric -> float
Answer = int | tuple[int, ...] | bool | str | float

ProposalKind = Literal["promote", "demote"]
ProposalStatus = Literal["pending", "approved", "rejected"]


def new_id() -> str:
    """A fresh opaque record id."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Company:
    """A partner company."""

    id: str
    name: str
    type: str  # a program.yml partner_types id
    region: str
    country: str
    industries: tuple[str, ...]
    tier: str  # a program.yml tiers id
    channel_manager_id: str | None
    joined: datetime
    leaderboard_opt_out: bool = False
    active: bool = True


@dataclass(frozen=True)
class User:
    """A person who signs in: a partner's employee (company_id set) or vendor staff (company_id None)."""

    id: str
    email: str  # stored lower-cased; unique
    display_name: str
    company_id: str | None
    roles: frozenset[str]
    job_role: str | None
    password_hash: str
    created: datetime
    leaderboard_opt_out: bool = False
    active: bool = True
    failed_sign_ins: int = 0
    locked_until: datetime | None = None

    def has_role(self, role: str) -> bool:
        """True when the user holds `role`."""
        return role in self.roles


@dataclass(frozen=True)
class DrawnItem:
    """One item of an attempt, frozen at draw time: its bank id and version and the displayed option order.

    `option_order[i]` is the bank index of the option shown at position i (empty for items without options).
    """

    item_id: str
    item_version: int
    option_order: tuple[int, ...] = ()


@dataclass(frozen=True)
class Attempt:
    """One sitting of a course exam; open until `submitted_at` is set."""

    id: str
    user_id: str
    course_id: str
    course_version: str
    seed: int
    started_at: datetime
    deadline: datetime
    items: tuple[DrawnItem, ...]
    answers: Mapping[str, Answer] = field(default_factory=dict)  # item_id -> answer
    submitted_at: datetime | None = None
    score_pct: float | None = None
    passed: bool | None = None
    domain_scores: Mapping[str, float] = field(default_factory=dict)  # domain -> percent

    @property
    def is_open(self) -> bool:
        """True until the attempt is submitted."""
        return self.submitted_at is None


@dataclass(frozen=True)
class Certificate:
    """A certification held by a user; a renewal is a new certificate (`renews` names the old one)."""

    id: str
    verification_code: str  # XXXX-XXXX-XXXX, unguessable
    user_id: str
    company_id: str | None
    course_id: str
    course_version: str
    issued: datetime
    expires: datetime
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    recertify_by: datetime | None = None
    renews: str | None = None

    @property
    def course_major(self) -> int:
        """The semver major of the course version the certificate was earned on."""
        return int(self.course_version.split(".")[0])


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
