"""The TinyDB backend: one table per record kind in the durable database, read through in-memory indexes.

Documents live in the durable layer's memory (``open_database``); this store keeps an index per table
(records by id, email, user, company, verification code, idempotency key) and follows every change
the durable layer makes, its own or another process's, through ``JournalStorage.watch``: a write by
the CLI costs the app one replayed document, not a rebuild. Only a reload (another process compacted
or restored the file) or a change to a whole table rebuilds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from hub_app.certification.records import Certificate
from hub_app.learning.records import Attempt
from hub_app.partners.records import Company, User
from hub_app.recognition.records import LedgerEntry
from hub_app.store import codecs
from hub_app.store.base import DuplicateRecord, PointsEvent, RecordNotFound, in_window
from hub_app.store.tinydb.durable import DurableDB, open_database
from hub_app.store.tinydb.indexes import RecordIndex
from hub_app.store.tinydb.journal import no_gc
from hub_app.store.tinydb.migrations import HUB_MIGRATIONS
from hub_app.tiers.records import KpiRecord, ProposalStatus, TierProposal

R = TypeVar("R")
ID = attrgetter("id")


def _indexes() -> dict[str, RecordIndex[Any]]:
    company_of = attrgetter("company_id")
    return {
        "companies": RecordIndex("companies", codecs.COMPANY, unique={"id": ID}),
        "users": RecordIndex(
            "users", codecs.USER, unique={"id": ID, "email": attrgetter("email")}, groups={"company": company_of}
        ),
        # Attempts are large (a dozen drawn items each) and read a few at a time: keep documents only.
        "attempts": RecordIndex(
            "attempts",
            codecs.ATTEMPT,
            unique={"id": itemgetter("id")},
            groups={"user": itemgetter("user_id")},
            cache=False,
        ),
        "certificates": RecordIndex(
            "certificates",
            codecs.CERTIFICATE,
            unique={"id": ID, "code": attrgetter("verification_code")},
            groups={"user": attrgetter("user_id"), "company": company_of},
        ),
        # Half a million entries, read a person or a window at a time (and in full once per process, by the
        # leaderboards' tallies): documents only, decoded on read, spare a cold start 500,000 records.
        "ledger": RecordIndex(
            "ledger",
            codecs.LEDGER,
            unique={"id": itemgetter("id"), "key": itemgetter("idempotency_key")},
            groups={"user": itemgetter("user_id")},
            cache=False,
        ),
        "kpis": RecordIndex(
            "kpis", codecs.KPI, unique={"period": attrgetter("company_id", "period")}, groups={"company": company_of}
        ),
        "proposals": RecordIndex("proposals", codecs.PROPOSAL, unique={"id": ID}),
    }


class TinyDBStore:
    """A `HubStore` on the durable TinyDB at ``path``; safe across threads and processes."""

    def __init__(self, path: str | os.PathLike[str]):
        self.db: DurableDB = open_database(path, migrations=HUB_MIGRATIONS)
        self._storage = self.db.storage
        self._ix = _indexes()
        self._ledger_order: list[str] = []  # ledger document keys in append order: sequence numbers
        self._sorted: dict[str, tuple[int, list[Any]]] = {}  # table -> (index version, sorted records)
        # Frozen like the documents (see JournalStorage._reload): full collections need not walk the indexes.
        with self._storage.reading(), no_gc(freeze=True):
            self._rebuild(None)
            self._storage.watch(self._changed)

    def close(self) -> None:
        """Release the database file."""
        self.db.close()

    def compact(self) -> None:
        """Fold the journal into a fresh snapshot now: after a bulk load, the next start parses one record."""
        self.db.compact()

    def backup(self, dest: str | os.PathLike[str]) -> None:
        """Write a consistent copy of the whole database to ``dest``."""
        self.db.backup(dest)

    def restore(self, source: str | os.PathLike[str]) -> None:
        """Replace the whole database with the backup at ``source`` (validated first)."""
        self.db.restore(source, HUB_MIGRATIONS)

    # --- following the durable layer
    def _changed(self, table: str | None, key: str | None) -> None:
        if table is None or key is None:
            self._rebuild(table)
            return
        index = self._ix.get(table)
        if index is None:
            return
        existed = key in index.kept
        index.changed(key, self._storage.tables.get(table, {}).get(key))
        if table == "ledger":
            self._follow_ledger(key, existed, key in index.kept)

    def _follow_ledger(self, key: str, existed: bool, exists: bool) -> None:
        order = self._ledger_order
        if exists and not existed and (not order or int(key) > int(order[-1])):
            order.append(key)  # an append: the common case, from this process or another
        elif existed and not exists and order and order[-1] == key:
            order.pop()  # a rolled-back append
        elif existed != exists:
            self._rebuild("ledger")  # anything else rewrote history: derive the order again

    def _rebuild(self, table: str | None) -> None:
        for name, index in self._ix.items():
            if table is None or table == name:
                index.rebuild(self._storage.tables.get(name, {}))
        if table in (None, "ledger"):
            keys = list(self._ix["ledger"].kept)
            numbers = list(map(int, keys))
            if numbers != sorted(numbers):
                keys.sort(key=int)
            self._ledger_order = keys

    # --- plumbing
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside happen together or not at all, isolated from other threads and processes."""
        with self._storage.transaction():
            yield

    def _reading(self) -> Any:
        return self._storage.reading()

    def revision(self, kind: str) -> int:
        """A number that changes whenever records of ``kind`` (a table name) change, in any process."""
        with self._reading():
            return self._ix[kind].version

    def _insert(self, table: str, record: Any, kind: str, **unique: Any) -> None:
        index = self._ix[table]
        with self._storage.transaction():
            for name, value in unique.items():
                if index.key_of(name, value) is not None:
                    raise DuplicateRecord(kind, value if isinstance(value, str) else str(value))
            doc_id = self._storage.allocate_id(table)
            self._storage.stage([["set", table, doc_id, index.codec.to_doc(record)]])

    def _update(self, table: str, record: Any, kind: str) -> None:
        index = self._ix[table]
        with self._storage.transaction():
            key = index.key_of("id", record.id)
            if key is None:
                raise RecordNotFound(kind, record.id)
            self._storage.stage([["set", table, int(key), index.codec.to_doc(record)]])

    def _find(self, table: str, name: str, value: Any) -> Any:
        with self._reading():
            return self._ix[table].find(name, value)

    def _group(self, table: str, name: str, value: Any) -> list[Any]:
        with self._reading():
            return self._ix[table].group(name, value)

    def _sorted_all(self, table: str, key: Any) -> list[Any]:
        # Derived lists are cached until the table changes: leaderboards ask for every certificate often.
        with self._reading():
            index = self._ix[table]
            cached = self._sorted.get(table)
            if cached is None or cached[0] != index.version:
                cached = self._sorted[table] = (index.version, sorted(index.all(), key=key))
            return list(cached[1])

    # --- companies
    def add_company(self, company: Company) -> None:
        self._insert("companies", company, "company", id=company.id)

    def company(self, company_id: str) -> Company | None:
        return self._find("companies", "id", company_id)

    def companies(self) -> list[Company]:
        return self._sorted_all("companies", lambda c: c.name.casefold())

    def update_company(self, company: Company) -> None:
        self._update("companies", company, "company")

    # --- users
    def add_user(self, user: User) -> None:
        user = replace(user, email=user.email.casefold())
        with self.transaction():
            if self._ix["users"].key_of("email", user.email) is not None:
                raise DuplicateRecord("user with email", user.email)
            self._insert("users", user, "user", id=user.id)

    def user(self, user_id: str) -> User | None:
        return self._find("users", "id", user_id)

    def user_by_email(self, email: str) -> User | None:
        return self._find("users", "email", email.strip().casefold())

    def users(self) -> list[User]:
        with self._reading():
            return self._ix["users"].all()

    def users_of_company(self, company_id: str) -> list[User]:
        return self._group("users", "company", company_id)

    def update_user(self, user: User) -> None:
        user = replace(user, email=user.email.casefold())
        with self.transaction():
            holder = self._ix["users"].find("email", user.email)
            if holder is not None and holder.id != user.id:
                raise DuplicateRecord("user with email", user.email)
            self._update("users", user, "user")

    # --- attempts
    def record_attempt(self, attempt: Attempt) -> None:
        self._insert("attempts", attempt, "attempt", id=attempt.id)

    def attempt(self, attempt_id: str) -> Attempt | None:
        return self._find("attempts", "id", attempt_id)

    def update_attempt(self, attempt: Attempt) -> None:
        self._update("attempts", attempt, "attempt")

    def attempts_of(self, user_id: str, course_id: str | None = None) -> list[Attempt]:
        found = self._group("attempts", "user", user_id)
        return sorted((a for a in found if course_id is None or a.course_id == course_id), key=attrgetter("started_at"))

    # --- certificates
    def add_certificate(self, certificate: Certificate) -> None:
        with self.transaction():
            if self._ix["certificates"].key_of("code", certificate.verification_code) is not None:
                raise DuplicateRecord("certificate with code", certificate.verification_code)
            self._insert("certificates", certificate, "certificate", id=certificate.id)

    def certificate(self, certificate_id: str) -> Certificate | None:
        return self._find("certificates", "id", certificate_id)

    def certificate_by_code(self, code: str) -> Certificate | None:
        return self._find("certificates", "code", code)

    def certificates_of(self, user_id: str) -> list[Certificate]:
        return sorted(self._group("certificates", "user", user_id), key=attrgetter("issued"))

    def certificates_of_company(self, company_id: str) -> list[Certificate]:
        return sorted(self._group("certificates", "company", company_id), key=attrgetter("issued"))

    def certificates(self) -> list[Certificate]:
        return self._sorted_all("certificates", attrgetter("issued"))

    def update_certificate(self, certificate: Certificate) -> None:
        self._update("certificates", certificate, "certificate")

    # --- ledger
    def append_ledger(self, entry: LedgerEntry) -> bool:
        # Checked under the write lock, which spans processes: two of them cannot both award a key.
        with self.transaction():
            if self._ix["ledger"].key_of("key", entry.idempotency_key) is not None:
                return False
            self._insert("ledger", entry, "ledger entry", id=entry.id)
            return True

    def ledger_entry(self, entry_id: str) -> LedgerEntry | None:
        return self._find("ledger", "id", entry_id)

    def ledger(self, since: datetime | None = None, until: datetime | None = None) -> list[LedgerEntry]:
        with self._reading():
            index = self._ix["ledger"]
            found = [e for e in map(index.record, self._ledger_order) if in_window(e.at, since, until)]
        return sorted(found, key=attrgetter("at"))

    def ledger_of(self, user_id: str) -> list[LedgerEntry]:
        return sorted(self._group("ledger", "user", user_id), key=attrgetter("at"))

    def ledger_count(self) -> int:
        with self._reading():
            return len(self._ledger_order)

    def ledger_after(self, seq: int) -> list[LedgerEntry]:
        with self._reading():
            return list(map(self._ix["ledger"].record, self._ledger_order[seq:]))

    def ledger_points_after(self, seq: int) -> list[PointsEvent]:
        # Straight from the documents: a cold start's first board tallies the whole ledger, and building
        # half a million records for it would cost more than the summing.
        with self._reading():
            return codecs.ledger_points(list(map(self._ix["ledger"].kept.__getitem__, self._ledger_order[seq:])))

    # --- KPIs
    def record_kpi(self, kpi: KpiRecord) -> None:
        index = self._ix["kpis"]
        with self.transaction():
            key = index.key_of("period", (kpi.company_id, kpi.period))
            doc_id = self._storage.allocate_id("kpis") if key is None else int(key)
            self._storage.stage([["set", "kpis", doc_id, index.codec.to_doc(kpi)]])

    def kpis_of(self, company_id: str) -> list[KpiRecord]:
        return sorted(self._group("kpis", "company", company_id), key=attrgetter("period"))

    # --- tier proposals
    def add_proposal(self, proposal: TierProposal) -> None:
        self._insert("proposals", proposal, "tier proposal", id=proposal.id)

    def proposal(self, proposal_id: str) -> TierProposal | None:
        return self._find("proposals", "id", proposal_id)

    def proposals(self, status: ProposalStatus | None = None) -> list[TierProposal]:
        found = self._sorted_all("proposals", attrgetter("created"))
        return [p for p in found if status is None or p.status == status]

    def update_proposal(self, proposal: TierProposal) -> None:
        self._update("proposals", proposal, "tier proposal")
