"""The storage seam: one protocol with intention-revealing methods, implemented by every backend.

Contract shared by all backends (tests/core/test_store_contract.py runs it against each):
- records go in and come out as the frozen dataclasses of `hub_app.records`; no dicts, no queries;
- lookups by id return None when nothing matches; `update_*` of an unknown id raises `RecordNotFound`;
- `add_*` of an existing id (or a user's email already taken) raises `DuplicateRecord`;
- lists come back in a stable order: attempts by `started_at`, certificates by `issued`,
  ledger entries by `at` (then insertion), KPIs by `period`, proposals by `created`;
- `append_ledger` never overwrites: it returns False when the entry's idempotency key is already there;
  every appended entry gets the next sequence number (0, 1, 2...), the same in every process, so
  `ledger_after(seq)` returns exactly what was appended since a reader last looked;
- `transaction()` makes the writes inside it all-or-nothing and isolated from other threads;
  transactions nest (the inner one joins the outer);
- `revision(kind)` changes after every write to that kind of record (a rolled-back one too), whoever made it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol, runtime_checkable

from hub_app.certification.records import Certificate
from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Term
from hub_app.learning.records import Attempt
from hub_app.partners.records import Company, User
from hub_app.recognition.records import LedgerEntry
from hub_app.tiers.records import KpiRecord, ProposalStatus, TierProposal

# What a points tally needs of one ledger entry: (at, user_id, company_id, points), with ``at`` as ISO 8601
# text with its UTC offset, as `datetime.isoformat` writes it.
PointsEvent = tuple[str, str, str | None, int]


class DuplicateRecord(HubError):
    """A record with this id (or unique key) is already stored."""

    msgid = "A {kind} '{key}' already exists. Use a different one or update the existing {kind}."

    def __init__(self, kind: str, key: str):
        super().__init__(kind=Term(kind), key=key)
        self.kind, self.key = kind, key


class RecordNotFound(HubError):
    """An update named a record that is not stored."""

    msgid = "No {kind} '{key}' is stored. Add it first, or check the id."

    def __init__(self, kind: str, key: str):
        super().__init__(kind=Term(kind), key=key)
        self.kind, self.key = kind, key


@runtime_checkable
class HubStore(Protocol):
    """Everything the domain stores and reads back."""

    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside happen together or not at all."""
        ...

    def revision(self, kind: str) -> int:
        """A number that changes whenever records of ``kind`` change ("users", "certificates"...), in any
        process: what the domain derives from them stays valid while it is the same."""
        ...

    # --- companies
    def add_company(self, company: Company) -> None: ...
    def company(self, company_id: str) -> Company | None: ...
    def companies(self) -> list[Company]: ...
    def update_company(self, company: Company) -> None: ...

    # --- users
    def add_user(self, user: User) -> None: ...
    def user(self, user_id: str) -> User | None: ...
    def user_by_email(self, email: str) -> User | None:
        """Case-insensitive."""
        ...

    def users(self) -> list[User]: ...
    def users_of_company(self, company_id: str) -> list[User]: ...
    def update_user(self, user: User) -> None: ...

    # --- exam attempts
    def record_attempt(self, attempt: Attempt) -> None: ...
    def attempt(self, attempt_id: str) -> Attempt | None: ...
    def update_attempt(self, attempt: Attempt) -> None: ...
    def attempts_of(self, user_id: str, course_id: str | None = None) -> list[Attempt]: ...

    # --- certificates
    def add_certificate(self, certificate: Certificate) -> None: ...
    def certificate(self, certificate_id: str) -> Certificate | None: ...
    def certificate_by_code(self, code: str) -> Certificate | None: ...
    def certificates_of(self, user_id: str) -> list[Certificate]: ...
    def certificates_of_company(self, company_id: str) -> list[Certificate]: ...
    def certificates(self) -> list[Certificate]: ...
    def update_certificate(self, certificate: Certificate) -> None: ...

    # --- points ledger (append-only)
    def append_ledger(self, entry: LedgerEntry) -> bool:
        """Append; False (and nothing written) when the idempotency key is already in the ledger."""
        ...

    def ledger_entry(self, entry_id: str) -> LedgerEntry | None: ...
    def ledger(self, since: datetime | None = None, until: datetime | None = None) -> list[LedgerEntry]:
        """Entries with since <= at < until (either bound may be None)."""
        ...

    def ledger_of(self, user_id: str) -> list[LedgerEntry]: ...
    def ledger_count(self) -> int:
        """How many entries were ever appended: the sequence number the next entry gets."""
        ...

    def ledger_after(self, seq: int) -> list[LedgerEntry]:
        """Entries appended after the first `seq`, in append order (derived aggregates catch up with it)."""
        ...

    def ledger_points_after(self, seq: int) -> list[PointsEvent]:
        """`ledger_after(seq)` reduced to `PointsEvent`s: a backend keeping documents builds no records."""
        ...

    # --- KPIs
    def record_kpi(self, kpi: KpiRecord) -> None:
        """Store, replacing the company's record for the same period."""
        ...

    def kpis_of(self, company_id: str) -> list[KpiRecord]: ...

    # --- tier proposals
    def add_proposal(self, proposal: TierProposal) -> None: ...
    def proposal(self, proposal_id: str) -> TierProposal | None: ...
    def proposals(self, status: ProposalStatus | None = None) -> list[TierProposal]: ...
    def update_proposal(self, proposal: TierProposal) -> None: ...


def in_window(at: datetime, since: datetime | None, until: datetime | None) -> bool:
    """since <= at < until, with None meaning unbounded (shared by backends so they agree)."""
    return (since is None or at >= since) and (until is None or at < until)


__all__ = ["DuplicateRecord", "HubStore", "PointsEvent", "RecordNotFound", "in_window"]
