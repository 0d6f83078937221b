"""What is derived from the store (the directory, certified members) follows writes by folding in the
records that changed, and always equals what deriving everything again gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hub_app.certification import holders
from hub_app.certification.records import CERTIFICATES, Certificate
from hub_app.partners import directory
from hub_app.partners.records import COMPANIES, USERS, Company, User
from hub_app.store.memory import MemoryStore

NOW = datetime(2026, 6, 1, tzinfo=UTC)
PEOPLE, FIRMS = [f"u{n}" for n in range(6)], ["c0", "c1", "c2"]


def company(cid: str) -> Company:
    return Company(cid, cid.upper(), "si", "EMEA", "DE", (), "registered", None, NOW)


def person(uid: str, cid: str | None, active: bool = True) -> User:
    return User(uid, f"{uid}@x.example", uid, cid, frozenset({"partner_user"}), None, "-", NOW, active=active)


def certificate(n: int, uid: str, cid: str | None, days: int, revoked: bool) -> Certificate:
    issued = NOW - timedelta(days=400)
    return Certificate(
        f"cert{n}",
        f"CODE-{n:04d}",
        uid,
        cid,
        "qs-fundamentals",
        "1.0.0",
        issued,
        NOW + timedelta(days=days),
        revoked_at=NOW if revoked else None,
    )


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("certify"), st.sampled_from(PEOPLE), st.integers(-30, 400), st.booleans()),
        st.tuples(st.just("revoke"), st.integers(0, 12)),
        st.tuples(st.just("remove"), st.integers(0, 12)),
        st.tuples(st.just("move"), st.sampled_from(PEOPLE), st.sampled_from([*FIRMS, None])),
        st.tuples(st.just("deactivate"), st.sampled_from(PEOPLE), st.booleans()),
        st.tuples(st.just("join"), st.integers(6, 9), st.sampled_from(FIRMS)),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(ops=OPS)
def test_certified_members_follow_every_write_as_a_fresh_derivation_would(ops):
    store = MemoryStore()
    for cid in FIRMS:
        store.add(COMPANIES, company(cid))
    for n, uid in enumerate(PEOPLE):
        store.add(USERS, person(uid, FIRMS[n % 3]))
    made = 0
    holders.certified_members(store, NOW)  # derived once: from here on, it follows the writes
    for op in ops:
        if op[0] == "certify":
            user = store.get(USERS, op[1])
            store.add(CERTIFICATES, certificate(made, op[1], user.company_id, op[2], op[3]))
            made += 1
        elif op[0] in ("revoke", "remove") and op[1] < made:
            found = store.get(CERTIFICATES, f"cert{op[1]}")
            if found is not None and op[0] == "revoke":
                store.replace(CERTIFICATES, replace(found, revoked_at=NOW))
            elif found is not None:
                store.remove(CERTIFICATES, found.id)
        elif op[0] == "move":
            store.replace(USERS, replace(store.get(USERS, op[1]), company_id=op[2]))
        elif op[0] == "deactivate":
            store.replace(USERS, replace(store.get(USERS, op[1]), active=op[2]))
        elif op[0] == "join" and store.get(USERS, f"u{op[1]}") is None:
            store.add(USERS, person(f"u{op[1]}", op[2]))
        followed = holders.certified_members(store, NOW)
        assert followed == holders.certified_members(_fresh(store), NOW)


def _fresh(store: MemoryStore) -> MemoryStore:
    """The same records in a store that never derived anything."""
    copy = MemoryStore()
    for kind in (COMPANIES, USERS, CERTIFICATES):
        for record in store.select(kind):
            copy.add(kind, record)
    return copy


def test_the_directory_folds_in_a_new_person_without_deriving_everyone_again(monkeypatch):
    store = MemoryStore()
    store.add(COMPANIES, company("c0"))
    store.add(USERS, person("u0", "c0"))
    assert set(directory.of(store).users) == {"u0"}
    builds = []
    real = directory._directory
    monkeypatch.setattr(directory, "_directory", lambda s: builds.append(1) or real(s))
    store.add(USERS, person("u1", "c0"))
    store.replace(COMPANIES, replace(company("c0"), name="Renamed"))
    found = directory.of(store)
    assert set(found.users) == {"u0", "u1"} and found.companies["c0"].name == "Renamed"
    assert builds == []
    store.remove(USERS, "u0")
    assert set(directory.of(store).users) == {"u1"}
    assert builds == []
