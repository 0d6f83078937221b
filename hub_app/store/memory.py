"""The memory backend: dicts of frozen records behind one re-entrant lock (tests, demos, benchmarks)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

from hub_app.certification.records import Certificate
from hub_app.learning.records import Attempt
from hub_app.partners.records import Company, User
from hub_app.recognition.records import LedgerEntry
from hub_app.store.base import DuplicateRecord, PointsEvent, RecordNotFound, in_window
from hub_app.tiers.records import KpiRecord, ProposalStatus, TierProposal


@dataclass
class _Tables:
    companies: dict[str, Company] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    attempts: dict[str, Attempt] = field(default_factory=dict)
    certificates: dict[str, Certificate] = field(default_factory=dict)
    ledger: dict[str, LedgerEntry] = field(default_factory=dict)
    ledger_seq: list[LedgerEntry] = field(default_factory=list)  # append order, for ledger_after()
    kpis: dict[tuple[str, str], KpiRecord] = field(default_factory=dict)
    proposals: dict[str, TierProposal] = field(default_factory=dict)

    def copy(self) -> _Tables:
        # Records are frozen, so copying the dicts is a full snapshot.
        return _Tables(**{name: table.copy() for name, table in vars(self).items()})


class MemoryStore:
    """A `HubStore` in memory; thread-safe, with all-or-nothing transactions."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._t = _Tables()
        self._depth = 0
        self._writes = 0  # one revision for every kind: coarse, but never stale

    def revision(self, kind: str) -> int:
        """Changes with every write (and rollback) to any record."""
        return self._writes

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen together or not at all; other threads wait until it ends."""
        with self._lock:
            snapshot = self._t.copy() if self._depth == 0 else None
            self._depth += 1
            try:
                yield
            except BaseException:
                if snapshot is not None:
                    self._t = snapshot
                    self._writes += 1
                raise
            finally:
                self._depth -= 1

    # --- generic helpers
    def _add(self, table: dict, key: str, record: object, kind: str) -> None:
        with self._lock:
            if key in table:
                raise DuplicateRecord(kind, key)
            table[key] = record
            self._writes += 1

    def _update(self, table: dict, key: str, record: object, kind: str) -> None:
        with self._lock:
            if key not in table:
                raise RecordNotFound(kind, key)
            table[key] = record
            self._writes += 1

    def _values(self, table: dict) -> list:
        with self._lock:
            return list(table.values())

    # --- companies
    def add_company(self, company: Company) -> None:
        self._add(self._t.companies, company.id, company, "company")

    def company(self, company_id: str) -> Company | None:
        return self._t.companies.get(company_id)

    def companies(self) -> list[Company]:
        return sorted(self._values(self._t.companies), key=lambda c: c.name.casefold())

    def update_company(self, company: Company) -> None:
        self._update(self._t.companies, company.id, company, "company")

    # --- users
    def add_user(self, user: User) -> None:
        with self._lock:
            if self.user_by_email(user.email) is not None:
                raise DuplicateRecord("user with email", user.email)
            self._add(self._t.users, user.id, replace(user, email=user.email.casefold()), "user")

    def user(self, user_id: str) -> User | None:
        return self._t.users.get(user_id)

    def user_by_email(self, email: str) -> User | None:
        wanted = email.strip().casefold()
        return next((u for u in self._values(self._t.users) if u.email == wanted), None)

    def users(self) -> list[User]:
        return self._values(self._t.users)

    def users_of_company(self, company_id: str) -> list[User]:
        return [u for u in self._values(self._t.users) if u.company_id == company_id]

    def update_user(self, user: User) -> None:
        with self._lock:
            holder = self.user_by_email(user.email)
            if holder is not None and holder.id != user.id:
                raise DuplicateRecord("user with email", user.email.casefold())
            self._update(self._t.users, user.id, replace(user, email=user.email.casefold()), "user")

    # --- attempts
    def record_attempt(self, attempt: Attempt) -> None:
        self._add(self._t.attempts, attempt.id, attempt, "attempt")

    def attempt(self, attempt_id: str) -> Attempt | None:
        return self._t.attempts.get(attempt_id)

    def update_attempt(self, attempt: Attempt) -> None:
        self._update(self._t.attempts, attempt.id, attempt, "attempt")

    def attempts_of(self, user_id: str, course_id: str | None = None) -> list[Attempt]:
        found = [
            a
            for a in self._values(self._t.attempts)
            if a.user_id == user_id and (course_id is None or a.course_id == course_id)
        ]
        return sorted(found, key=lambda a: a.started_at)

    # --- certificates
    def add_certificate(self, certificate: Certificate) -> None:
        with self._lock:
            if self.certificate_by_code(certificate.verification_code) is not None:
                raise DuplicateRecord("certificate with code", certificate.verification_code)
            self._add(self._t.certificates, certificate.id, certificate, "certificate")

    def certificate(self, certificate_id: str) -> Certificate | None:
        return self._t.certificates.get(certificate_id)

    def certificate_by_code(self, code: str) -> Certificate | None:
        return next((c for c in self._values(self._t.certificates) if c.verification_code == code), None)

    def certificates_of(self, user_id: str) -> list[Certificate]:
        return [c for c in self.certificates() if c.user_id == user_id]

    def certificates_of_company(self, company_id: str) -> list[Certificate]:
        return [c for c in self.certificates() if c.company_id == company_id]

    def certificates(self) -> list[Certificate]:
        return sorted(self._values(self._t.certificates), key=lambda c: c.issued)

    def update_certificate(self, certificate: Certificate) -> None:
        self._update(self._t.certificates, certificate.id, certificate, "certificate")

    # --- ledger
    def append_ledger(self, entry: LedgerEntry) -> bool:
        with self._lock:
            if any(e.idempotency_key == entry.idempotency_key for e in self._t.ledger.values()):
                return False
            self._add(self._t.ledger, entry.id, entry, "ledger entry")
            self._t.ledger_seq.append(entry)
            return True

    def ledger_entry(self, entry_id: str) -> LedgerEntry | None:
        return self._t.ledger.get(entry_id)

    def ledger(self, since: datetime | None = None, until: datetime | None = None) -> list[LedgerEntry]:
        # dicts keep insertion order and sorted() is stable, so equal timestamps stay in append order.
        found = [e for e in self._values(self._t.ledger) if in_window(e.at, since, until)]
        return sorted(found, key=lambda e: e.at)

    def ledger_of(self, user_id: str) -> list[LedgerEntry]:
        return [e for e in self.ledger() if e.user_id == user_id]

    def ledger_count(self) -> int:
        with self._lock:
            return len(self._t.ledger_seq)

    def ledger_after(self, seq: int) -> list[LedgerEntry]:
        with self._lock:
            return self._t.ledger_seq[seq:]

    def ledger_points_after(self, seq: int) -> list[PointsEvent]:
        return [(e.at.isoformat(), e.user_id, e.company_id, e.points) for e in self.ledger_after(seq)]

    # --- KPIs
    def record_kpi(self, kpi: KpiRecord) -> None:
        with self._lock:
            self._t.kpis[(kpi.company_id, kpi.period)] = kpi
            self._writes += 1

    def kpis_of(self, company_id: str) -> list[KpiRecord]:
        found = [k for k in self._values(self._t.kpis) if k.company_id == company_id]
        return sorted(found, key=lambda k: k.period)

    # --- tier proposals
    def add_proposal(self, proposal: TierProposal) -> None:
        self._add(self._t.proposals, proposal.id, proposal, "tier proposal")

    def proposal(self, proposal_id: str) -> TierProposal | None:
        return self._t.proposals.get(proposal_id)

    def proposals(self, status: ProposalStatus | None = None) -> list[TierProposal]:
        found = [p for p in self._values(self._t.proposals) if status is None or p.status == status]
        return sorted(found, key=lambda p: p.created)

    def update_proposal(self, proposal: TierProposal) -> None:
        self._update(self._t.proposals, proposal.id, proposal, "tier proposal")
