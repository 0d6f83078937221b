"""The store contract, run against every backend (add a backend to BACKENDS to hold it to the same rules)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from hub_app.records import Attempt, Certificate, Company, DrawnItem, LedgerEntry, User, new_id
from hub_app.store.base import DuplicateRecord, HubStore, RecordNotFound
from hub_app.store.memory import MemoryStore

T0 = datetime(2026, 1, 1, tzinfo=UTC)
BACKENDS = {"memory": MemoryStore}


@pytest.fixture(params=sorted(BACKENDS))
def store(request) -> HubStore:
    return BACKENDS[request.param]()


def _user(email: str = "Ana@Example.com", company_id: str | None = "c1") -> User:
    return User(new_id(), email, "Ana", company_id, frozenset({"partner_user"}), "sales", "h", T0)


def _entry(key: str, at: datetime = T0, points: int = 10) -> LedgerEntry:
    return LedgerEntry(new_id(), "u1", "c1", "course_first_pass", points, at, key)


def test_memory_store_satisfies_the_protocol():
    assert isinstance(MemoryStore(), HubStore)


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
