"""Fixtures of the core tests: a tiny catalog (one per session), a memory store and a cast of people."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from core_builders import PASSWORD, T0, build_catalog

from hub_app.catalog import Catalog
from hub_app.partners import accounts
from hub_app.partners import companies as partners
from hub_app.partners.records import Company, User
from hub_app.store.memory import MemoryStore


@dataclass
class World:
    store: MemoryStore
    catalog: Catalog
    admin: User
    manager: User
    other_manager: User
    acme: Company
    globex: Company
    acme_admin: User
    ana: User  # partner user at Acme
    bob: User  # partner user at Globex


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture(scope="session")
def catalog(tmp_path_factory) -> Catalog:
    """The tiny catalog, built once per session: catalogs are immutable, and loading one costs ~0.1 s."""
    return build_catalog(tmp_path_factory.mktemp("project"))


def _staff(store, actor, email, roles) -> User:
    return accounts.create_user(
        actor,
        store,
        email=email,
        display_name=email.split("@")[0].title(),
        password=PASSWORD,
        company_id=None,
        roles=frozenset(roles),
        job_role=None,
        now=T0,
    )


def _member(store, actor, company, email, admin=False) -> User:
    roles = {"partner_user", "partner_admin"} if admin else {"partner_user"}
    return accounts.create_user(
        actor,
        store,
        email=email,
        display_name=email.split("@")[0].title(),
        password=PASSWORD,
        company_id=company.id,
        roles=frozenset(roles),
        job_role="sales",
        now=T0,
    )


@pytest.fixture
def world(catalog) -> World:
    store = MemoryStore()
    admin = _staff(store, None, "admin@vendor.io", {"program_admin"})
    manager = _staff(store, admin, "cm@vendor.io", {"channel_manager"})
    other_manager = _staff(store, admin, "cm2@vendor.io", {"channel_manager"})
    program = catalog.program
    acme = partners.create_company(manager, store, program, name="Acme", type="si", region="apac", country="SG", now=T0)
    globex = partners.create_company(
        other_manager, store, program, name="Globex", type="var", region="emea", country="DE", now=T0
    )
    acme_admin = _member(store, manager, acme, "boss@acme.io", admin=True)
    ana = _member(store, acme_admin, acme, "ana@acme.io")
    bob = _member(store, other_manager, globex, "bob@globex.io")
    return World(store, catalog, admin, manager, other_manager, acme, globex, acme_admin, ana, bob)
