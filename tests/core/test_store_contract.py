"""The store contract, run against every backend (add a backend to BACKENDS to hold it to the same rules)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hub_app.certification.records import Certificate
from hub_app.kernel.ids import new_id
from hub_app.learning.records import Attempt, DrawnItem
from hub_app.partners.records import Company, User
from hub_app.recognition.records import LedgerEntry
from hub_app.store.base import DuplicateRecord, HubStore, RecordNotFound
from hub_app.store.memory import MemoryStore
from hub_app.store.tinydb.backend import TinyDBStore
from hub_app.tiers.records import KpiRecord, TierProposal

T0 = datetime(2026, 1, 1, tzinfo=UTC)
BACKENDS = {"memory": lambda tmp_path: MemoryStore(), "tinydb": lambda tmp_path: TinyDBStore(tmp_path / "hub.json")}


@pytest.fixture(params=sorted(BACKENDS))
def store(request, tmp_path) -> HubStore:
    store = BACKENDS[request.param](tmp_path)
    yield store
    if hasattr(store, "close"):
        store.close()


def _user(email: str = "Ana@Example.com", company_id: str | None = "c1") -> User:
    return User(new_id(), email, "Ana", company_id, frozenset({"partner_user"}), "sales", "h", T0)


def _entry(key: str, at: datetime = T0, points: int = 10) -> LedgerEntry:
    return LedgerEntry(new_id(), "u1", "c1", "course_first_pass", points, at, key)


def test_every_backend_satisfies_the_protocol(store):
    assert isinstance(store, HubStore)


def test_user_email_is_unique_and_found_case_insensitively(store):
    user = _user()
    store.add_user(user)
    assert store.user_by_email(" ana@EXAMPLE.com").id == user.id
    with pytest.raises(DuplicateRecord, match="already exists"):
        store.add_user(_user("ANA@example.com"))


def test_update_of_unknown_record_is_refused(store):
    with pytest.raises(RecordNotFound, match="No user 'x' is stored"):
        store.update_user(User("x", "x@x.io", "X", None, frozenset(), None, "h", T0))


def test_records_come_back_equal(store):
    company = Company("c1", "Acme", "si", "apac", "SG", ("finance",), "registered", None, T0)
    attempt = Attempt("a1", "u1", "qs", "1.0.0", 7, T0, T0 + timedelta(minutes=30), (DrawnItem("i1", 1, (2, 0, 1)),))
    cert = Certificate("k1", "ABCD-EFGH-JKLM", "u1", "c1", "qs", "1.0.0", T0, T0 + timedelta(days=700))
    store.add_company(company)
    store.record_attempt(attempt)
    store.add_certificate(cert)
    assert store.company("c1") == company
    assert store.attempts_of("u1", "qs") == [attempt]
    assert store.certificate_by_code("ABCD-EFGH-JKLM") == cert
    assert store.certificates_of_company("c1") == [cert]
    assert store.company("nope") is None


def test_append_ledger_refuses_a_repeated_idempotency_key(store):
    assert store.append_ledger(_entry("k")) is True
    assert store.append_ledger(_entry("k", points=99)) is False
    assert [e.points for e in store.ledger_of("u1")] == [10]


def test_ledger_window_includes_since_and_excludes_until(store):
    for day in range(3):
        store.append_ledger(_entry(f"k{day}", T0 + timedelta(days=day)))
    got = store.ledger(since=T0 + timedelta(days=1), until=T0 + timedelta(days=2))
    assert [e.idempotency_key for e in got] == ["k1"]


def test_failed_transaction_writes_nothing(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.append_ledger(_entry("k"))
        store.add_user(_user())
        raise RuntimeError("boom")
    assert store.ledger() == [] and store.users() == []


def test_concurrent_appends_lose_nothing(store):
    def work(n: int) -> None:
        for i in range(50):
            store.append_ledger(_entry(f"{n}:{i}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.ledger()) == 400


def test_updating_a_user_to_a_taken_email_is_refused(store):
    ana, bob = _user(), _user("bob@example.com")
    store.add_user(ana)
    store.add_user(bob)
    with pytest.raises(DuplicateRecord, match="A user with email 'ana@example.com' already exists"):
        store.update_user(replace(bob, email="ANA@example.com"))
    assert store.user_by_email("bob@example.com") == bob


def test_every_record_kind_comes_back_equal(store):
    user = replace(_user(), email="ana@example.com", locked_until=T0 + timedelta(minutes=5), failed_sign_ins=3)
    answers = {"i1": 2, "i2": (0, 3), "i3": True, "i4": "SCIM", "i5": 2.5}
    attempt = Attempt("a1", user.id, "qs", "1.0.0", 7, T0, T0 + timedelta(minutes=30), (DrawnItem("i1", 2, (1, 0)),),
                      answers, T0 + timedelta(minutes=9), 87.5, True, {"api": 100.0, "plans": 75.0})  # fmt: skip
    kpi = KpiRecord("c1", "2026-Q1", 125_000.5, 12, None, "cm", T0)
    proposal = TierProposal("p1", "c1", "silver", "registered", "demote", T0, note="Confirmed with the partner")
    proposal = replace(proposal, below_since=T0 - timedelta(days=95), grace_days=90)
    store.add_user(user)
    store.record_attempt(attempt)
    store.record_kpi(kpi)
    store.add_proposal(proposal)
    assert store.user(user.id) == user and store.users_of_company("c1") == [user]
    assert store.attempt("a1") == attempt and store.attempts_of(user.id, "other") == []
    assert store.kpis_of("c1") == [kpi] and store.proposals("pending") == [proposal] == [store.proposal("p1")]


def test_a_kpi_for_the_same_period_replaces_the_old_one(store):
    store.record_kpi(KpiRecord("c1", "2026-Q2", 1.0, 1, 4.5, "cm", T0))
    store.record_kpi(KpiRecord("c1", "2026-Q1", 2.0, 2, None, "cm", T0))
    store.record_kpi(KpiRecord("c1", "2026-Q2", 3.0, 3, None, "cm", T0))
    assert [(k.period, k.revenue_12m) for k in store.kpis_of("c1")] == [("2026-Q1", 2.0), ("2026-Q2", 3.0)]


def test_updates_replace_records_and_keep_their_lookups(store):
    cert = Certificate("k1", "ABCD-EFGH-JKLM", "u1", "c1", "qs", "1.0.0", T0, T0 + timedelta(days=700))
    store.add_certificate(cert)
    revoked = replace(cert, revoked_at=T0 + timedelta(days=1), revoke_reason="shared answers")
    store.update_certificate(revoked)
    assert store.certificate_by_code("ABCD-EFGH-JKLM") == revoked == store.certificates_of("u1")[0]
    with pytest.raises(DuplicateRecord, match="certificate with code"):
        store.add_certificate(replace(cert, id="k2"))


def test_ledger_sequence_numbers_follow_append_order_not_time(store):
    for key, day in [("late", 5), ("early", 1), ("middle", 3)]:
        store.append_ledger(_entry(key, T0 + timedelta(days=day)))
    assert store.ledger_count() == 3
    assert [e.idempotency_key for e in store.ledger_after(1)] == ["early", "middle"]
    assert [e.idempotency_key for e in store.ledger()] == ["early", "middle", "late"]
    assert store.ledger_entry(store.ledger_after(2)[0].id).idempotency_key == "middle"


def test_a_rolled_back_append_takes_its_sequence_number_back(store):
    store.append_ledger(_entry("kept"))
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():  # nested: joins the outer transaction
            store.append_ledger(_entry("undone"))
        assert store.ledger_count() == 2
        raise RuntimeError("boom")
    assert store.ledger_count() == 1 and store.append_ledger(_entry("undone")) is True
    assert [e.idempotency_key for e in store.ledger_after(0)] == ["kept", "undone"]


def test_revision_changes_with_every_write_and_rollback_of_its_kind(store):
    before = store.revision("users")
    store.add_user(_user())
    added = store.revision("users")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_user(_user("bob@example.com"))
        raise RuntimeError("undo")
    assert len({before, added, store.revision("users")}) == 3
