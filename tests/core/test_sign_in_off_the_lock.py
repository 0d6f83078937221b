"""argon2 runs outside every store transaction: a sign-in flood never makes readers or writers wait."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from hub_cast import T0, company, person

from hub_app.partners import accounts
from hub_app.partners.records import SIGN_IN_THROTTLES, USERS
from hub_app.store.tinydb.backend import TinyDBStore

PASSWORD = "correct horse battery"


class HeldHasher(PasswordHasher):
    """Verifies only when the test lets it, after saying that it has started."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.started, self.release = threading.Event(), threading.Event()

    def verify(self, hash, password):  # type: ignore[no-untyped-def]
        self.started.set()
        assert self.release.wait(10), "the test never released the hasher"
        return super().verify(hash, password)


@pytest.fixture
def store(tmp_path):
    store = TinyDBStore(tmp_path / "hub.json")
    yield store
    store.close()


@pytest.mark.parametrize("password", [PASSWORD, "a wrong password"], ids=["right", "wrong"])
def test_a_store_write_does_not_wait_for_a_sign_in_being_verified(store, monkeypatch, password):
    hasher = HeldHasher()
    monkeypatch.setattr(accounts, "HASHER", hasher)
    acme = company(store, "Acme")
    ana = person(store, acme, "Ana")
    store.replace(USERS, replace(ana, password_hash=hasher.hash(PASSWORD)))
    outcome: list[object] = []

    def sign_in() -> None:
        try:
            outcome.append(accounts.sign_in(store, ana.email, password, T0))
        except accounts.HubError as e:
            outcome.append(e)

    signing_in = threading.Thread(target=sign_in)
    signing_in.start()
    assert hasher.started.wait(10)
    writer = threading.Thread(target=lambda: person(store, acme, "Bob"))  # a write transaction, meanwhile
    writer.start()
    writer.join(5)
    finished_while_verifying = not writer.is_alive()
    hasher.release.set()
    signing_in.join(10)
    assert finished_while_verifying
    if password == PASSWORD:
        assert outcome[0].id == ana.id
    else:
        assert isinstance(outcome[0], accounts.SignInFailed)
        assert [t.failures for t in store.select(SIGN_IN_THROTTLES)] == [1, 1]  # from here, and from anywhere
