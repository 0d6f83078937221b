"""The store contract, run against every backend (add a backend to store_backends.STORE_FACTORIES to hold it to
the same rules): records, unique keys, transactions, cursors, revisions, and a second handle on one database."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from store_backends import STORE_FACTORIES

from hub_app import store as stores
from hub_app.certification.records import (
    CERTIFICATES,
    Certificate,
    certificate_by_code,
    certificates_of,
    certificates_of_company,
)
from hub_app.kernel.ids import new_id
from hub_app.learning.records import ATTEMPTS, Attempt, DrawnItem, attempts_of
from hub_app.partners.records import COMPANIES, USERS, Company, User, user_by_email, users_of_company
from hub_app.recognition.records import LEDGER, LedgerEntry, ledger, ledger_of
from hub_app.store import open_store
from hub_app.store.base import DuplicateRecord, Maintenance, MaintenanceRefused, RecordNotFound, Store, StoreUrlInvalid
from hub_app.store.memory import MemoryStore
from hub_app.store.tinydb.backend import TinyDBStore
from hub_app.tiers.records import PROPOSALS, KpiRecord, TierProposal, kpis_of, proposals, record_kpi

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(params=sorted(STORE_FACTORIES))
def handles(request, tmp_path):
    """(store, opener of a second handle on the same database or None), closed afterwards."""
    store, opener = STORE_FACTORIES[request.param](tmp_path)
    opened: list[Store] = [store]

    def another() -> Store:
        assert opener is not None
        opened.append(opener())
        return opened[-1]

    yield store, (another if opener is not None else None)
    for handle in opened:
        handle.close()


@pytest.fixture
def store(handles) -> Store:
    return handles[0]


@pytest.fixture
def other(handles) -> Store:
    """A second handle on the same database, as another process or replica holds (skipped for memory)."""
    if handles[1] is None:
        pytest.skip("this backend has no second handle on one database")
    return handles[1]()


def _user(email: str = "Ana@Example.com", company_id: str | None = "c1") -> User:
    return User(new_id(), email, "Ana", company_id, frozenset({"partner_user"}), "sales", "h", T0)


def _entry(key: str, at: datetime = T0, points: int = 10) -> LedgerEntry:
    return LedgerEntry(new_id(), "u1", "c1", "course_first_pass", points, at, key)


def _keys(entries: list[LedgerEntry]) -> list[str]:
    return [e.idempotency_key for e in entries]


def test_every_backend_satisfies_the_protocol(store):
    assert isinstance(store, Store)


def test_user_email_is_unique_and_found_case_insensitively(store):
    user = _user()
    store.add(USERS, user)
    assert user_by_email(store, " ana@EXAMPLE.com").id == user.id
    with pytest.raises(DuplicateRecord, match="already exists"):
        store.add(USERS, _user("ANA@example.com"))


def test_update_of_unknown_record_is_refused(store):
    with pytest.raises(RecordNotFound, match="No user 'x' is stored"):
        store.replace(USERS, User("x", "x@x.io", "X", None, frozenset(), None, "h", T0))


def test_records_come_back_equal(store):
    company = Company("c1", "Acme", "si", "apac", "SG", ("finance",), "registered", None, T0)
    attempt = Attempt("a1", "u1", "qs", "1.0.0", 7, T0, T0 + timedelta(minutes=30), (DrawnItem("i1", 1, (2, 0, 1)),))
    cert = Certificate("k1", "ABCD-EFGH-JKLM", "u1", "c1", "qs", "1.0.0", T0, T0 + timedelta(days=700))
    store.add(COMPANIES, company)
    store.add(ATTEMPTS, attempt)
    store.add(CERTIFICATES, cert)
    assert store.get(COMPANIES, "c1") == company
    assert attempts_of(store, "u1", "qs") == [attempt]
    assert certificate_by_code(store, "ABCD-EFGH-JKLM") == cert
    assert certificates_of_company(store, "c1") == [cert]
    assert store.get(COMPANIES, "nope") is None


def test_append_ledger_refuses_a_repeated_idempotency_key(store):
    assert store.append(LEDGER, _entry("k")) is True
    assert store.append(LEDGER, _entry("k", points=99)) is False
    assert [e.points for e in ledger_of(store, "u1")] == [10]


def test_ledger_window_includes_since_and_excludes_until(store):
    for day in range(3):
        store.append(LEDGER, _entry(f"k{day}", T0 + timedelta(days=day)))
    got = ledger(store, since=T0 + timedelta(days=1), until=T0 + timedelta(days=2))
    assert _keys(got) == ["k1"]


def test_failed_transaction_writes_nothing(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.append(LEDGER, _entry("k"))
        store.add(USERS, _user())
        raise RuntimeError("boom")
    assert ledger(store) == [] and store.select(USERS) == []


def test_concurrent_appends_lose_nothing(store):
    def work(n: int) -> None:
        for i in range(50):
            store.append(LEDGER, _entry(f"{n}:{i}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(ledger(store)) == 400 == store.count(LEDGER)


def test_updating_a_user_to_a_taken_email_is_refused(store):
    ana, bob = replace(_user(), email="ana@example.com"), _user("bob@example.com")
    store.add(USERS, ana)
    store.add(USERS, bob)
    with pytest.raises(DuplicateRecord, match="A user with email 'ana@example.com' already exists"):
        store.replace(USERS, replace(bob, email="ANA@example.com"))
    assert user_by_email(store, "bob@example.com") == bob


def test_every_record_kind_comes_back_equal(store):
    user = replace(_user(), email="ana@example.com", locked_until=T0 + timedelta(minutes=5), failed_sign_ins=3)
    answers = {"i1": 2, "i2": (0, 3), "i3": True, "i4": "SCIM", "i5": 2.5}
    attempt = Attempt(
        "a1",
        user.id,
        "qs",
        "1.0.0",
        7,
        T0,
        T0 + timedelta(minutes=30),
        (DrawnItem("i1", 2, (1, 0)),),
        answers,
        T0 + timedelta(minutes=9),
        87.5,
        True,
        {"api": 100.0, "plans": 75.0},
    )
    kpi = KpiRecord("c1", "2026-Q1", 125_000.5, 12, None, "cm", T0)
    proposal = TierProposal("p1", "c1", "silver", "registered", "demote", T0, note="Confirmed with the partner")
    proposal = replace(proposal, below_since=T0 - timedelta(days=95), grace_days=90)
    store.add(USERS, user)
    store.add(ATTEMPTS, attempt)
    record_kpi(store, kpi)
    store.add(PROPOSALS, proposal)
    assert store.get(USERS, user.id) == user and users_of_company(store, "c1") == [user]
    assert store.get(ATTEMPTS, "a1") == attempt and attempts_of(store, user.id, "other") == []
    assert kpis_of(store, "c1") == [kpi] and proposals(store, "pending") == [proposal] == [store.get(PROPOSALS, "p1")]


def test_a_kpi_for_the_same_period_replaces_the_old_one(store):
    record_kpi(store, KpiRecord("c1", "2026-Q2", 1.0, 1, 4.5, "cm", T0))
    record_kpi(store, KpiRecord("c1", "2026-Q1", 2.0, 2, None, "cm", T0))
    record_kpi(store, KpiRecord("c1", "2026-Q2", 3.0, 3, None, "cm", T0))
    assert [(k.period, k.revenue_12m) for k in kpis_of(store, "c1")] == [("2026-Q1", 2.0), ("2026-Q2", 3.0)]


def test_updates_replace_records_and_keep_their_lookups(store):
    cert = Certificate("k1", "ABCD-EFGH-JKLM", "u1", "c1", "qs", "1.0.0", T0, T0 + timedelta(days=700))
    store.add(CERTIFICATES, cert)
    revoked = replace(cert, revoked_at=T0 + timedelta(days=1), revoke_reason="shared answers")
    store.replace(CERTIFICATES, revoked)
    assert certificate_by_code(store, "ABCD-EFGH-JKLM") == revoked == certificates_of(store, "u1")[0]
    with pytest.raises(DuplicateRecord, match="certificate with code"):
        store.add(CERTIFICATES, replace(cert, id="k2"))


def test_a_cursor_returns_what_was_appended_since_in_append_order_not_time(store):
    first = store.after(LEDGER)
    assert first.entries == [] and first.fresh
    for key, day in [("late", 5), ("early", 1), ("middle", 3)]:
        store.append(LEDGER, _entry(key, T0 + timedelta(days=day)))
    batch = store.after(LEDGER, first.cursor)
    assert _keys(batch.entries) == ["late", "early", "middle"] and not batch.fresh
    assert store.after(LEDGER, batch.cursor).entries == []
    store.append(LEDGER, _entry("last"))
    assert _keys(store.after(LEDGER, batch.cursor).entries) == ["last"]
    assert _keys(ledger(store)) == ["last", "early", "middle", "late"]


def test_a_cursor_never_shows_a_rolled_back_entry(store):
    store.append(LEDGER, _entry("kept"))
    seen = store.after(LEDGER).cursor
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():  # nested: joins the outer transaction
            store.append(LEDGER, _entry("undone"))
        raise RuntimeError("boom")
    assert store.after(LEDGER, seen).entries == []
    assert store.append(LEDGER, _entry("undone")) is True
    assert _keys(store.after(LEDGER, seen).entries) == ["undone"]


def test_a_cursor_that_saw_a_rolled_back_entry_starts_afresh(store):
    store.append(LEDGER, _entry("kept"))
    with pytest.raises(RuntimeError), store.transaction():
        store.append(LEDGER, _entry("undone"))
        inside = store.after(LEDGER).cursor  # its own transaction's entry: then taken back
        raise RuntimeError("boom")
    store.append(LEDGER, _entry("later"))
    again = store.after(LEDGER, inside)
    assert again.fresh and _keys(again.entries) == ["kept", "later"]


def test_a_projection_reads_fields_in_document_form(store):
    store.append(LEDGER, _entry("a"))
    store.append(LEDGER, LedgerEntry(new_id(), "u9", None, "manual_adjustment", -5, T0, "b", "why"))
    rows = store.after(LEDGER, fields=("at", "user_id", "company_id", "points")).entries
    assert rows == [(T0.isoformat(), "u1", "c1", 10), (T0.isoformat(), "u9", None, -5)]


def test_revision_changes_with_every_write_and_rollback_of_its_kind(store):
    before = store.revision((USERS,))
    store.add(USERS, _user())
    added = store.revision((USERS,))
    with pytest.raises(RuntimeError), store.transaction():
        store.add(USERS, _user("bob@example.com"))
        raise RuntimeError("undo")
    assert len({before, added, store.revision((USERS,))}) == 3
    settled = store.revision((USERS,))
    store.add(COMPANIES, Company("c1", "Acme", "si", "apac", "SG", (), "registered", None, T0))
    assert store.revision((USERS,)) == settled != store.revision((USERS, COMPANIES))


def test_remove_deletes_a_record_and_refuses_an_unknown_one(store):
    user = _user()
    store.add(USERS, user)
    store.remove(USERS, user.id)
    assert store.get(USERS, user.id) is None and user_by_email(store, user.email) is None
    with pytest.raises(RecordNotFound, match=f"No user '{user.id}' is stored"):
        store.remove(USERS, user.id)


def test_another_handle_sees_committed_writes_and_its_revision_moves(store, other):
    seen = other.revision((USERS,))
    cursor = other.after(LEDGER).cursor
    user = _user()
    store.add(USERS, user)
    store.append(LEDGER, _entry("mine"))
    assert other.get(USERS, user.id) == user and other.revision((USERS,)) != seen
    assert _keys(other.after(LEDGER, cursor).entries) == ["mine"]
    assert other.append(LEDGER, _entry("mine")) is False
    with pytest.raises(DuplicateRecord):
        other.add(USERS, replace(_user(), email=user.email.upper()))


def test_another_handle_never_sees_an_uncommitted_write(store, other):
    cursor = other.after(LEDGER).cursor
    with pytest.raises(RuntimeError), store.transaction():
        store.append(LEDGER, _entry("undone"))
        store.add(USERS, _user())
        raise RuntimeError("boom")
    assert other.select(USERS) == [] and other.after(LEDGER, cursor).entries == []


def test_maintenance_is_a_protocol_a_backend_may_refuse_with_a_hint(tmp_path):
    tinydb = TinyDBStore(tmp_path / "hub.json")
    assert isinstance(tinydb, Maintenance) and not isinstance(MemoryStore(), Maintenance)
    tinydb.close()
    with pytest.raises(MaintenanceRefused) as caught:
        stores.backup("memory:", tmp_path / "backup.json")
    assert str(caught.value) == (
        "This store (memory) cannot back up. Hint: set HUB_STORE to a backend that keeps files, "
        "such as tinydb:data/hub.json."
    )


@pytest.mark.parametrize("url", ["memory", "tinydb:", "postgres:db", "data/hub.json"])
def test_a_bad_store_url_is_refused_with_a_hint(url):
    with pytest.raises(StoreUrlInvalid) as caught:
        open_store(url)
    assert str(caught.value) == (
        f"HUB_STORE '{url}' is not a store URL this Partner Hub opens (schemes: tinydb, memory, postgresql). "
        "Hint: set HUB_STORE to tinydb:data/hub.json, memory: or postgresql://user@host/database."
    )


def test_open_store_reads_hub_store_and_opens_each_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("HUB_STORE", "memory:")
    assert isinstance(open_store(), MemoryStore)
    monkeypatch.setenv("HUB_STORE", f"tinydb:{tmp_path / 'x' / 'hub.json'}")
    store = open_store()
    assert isinstance(store, TinyDBStore) and (tmp_path / "x" / "hub.json").exists()
    store.close()
