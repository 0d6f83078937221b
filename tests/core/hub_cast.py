"""Builders for the tier, KPI and leaderboard tests: people, companies, certificates and points written
straight into a memory store, against the repository's real program.yml and courses."""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, datetime
from pathlib import Path

from dateutil.relativedelta import relativedelta

from hub_app.catalog import Catalog, load_catalog
from hub_app.certification.records import CERTIFICATES, Certificate
from hub_app.kernel.ids import new_id
from hub_app.partners.records import COMPANIES, USERS, Company, User
from hub_app.recognition.records import LEDGER, LedgerEntry
from hub_app.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_codes = itertools.count()


@functools.cache
def real_catalog() -> Catalog:
    return load_catalog(ROOT)


def staff(store: MemoryStore, name: str, role: str) -> User:
    user = User(new_id(), f"{name.lower()}@vendor.io", name, None, frozenset({role}), None, "-", T0)
    store.add(USERS, user)
    return user


def company(
    store: MemoryStore,
    name: str,
    *,
    manager: User | None = None,
    type: str = "si",
    region: str = "apac",
    tier: str = "registered",
    joined: datetime = T0,
    opt_out: bool = False,
) -> Company:
    found = Company(
        new_id(),
        name,
        type,
        region,
        "SG",
        (),
        tier,
        manager.id if manager else None,
        joined,
        leaderboard_opt_out=opt_out,
    )
    store.add(COMPANIES, found)
    return found


def person(
    store: MemoryStore,
    firm: Company | None,
    name: str,
    *,
    admin: bool = False,
    opt_out: bool = False,
    active: bool = True,
) -> User:
    roles = {"partner_user", "partner_admin"} if admin else {"partner_user"}
    user = User(
        new_id(),
        f"{name.lower()}@{(firm.name if firm else 'x').lower()}.io",
        name,
        firm.id if firm else None,
        frozenset(roles),
        "sales",
        "-",
        T0,
        leaderboard_opt_out=opt_out,
        active=active,
    )
    store.add(USERS, user)
    return user


def certify(store: MemoryStore, user: User, course: str, issued: datetime = T0, months: int = 24) -> Certificate:
    n = next(_codes)
    cert = Certificate(
        new_id(),
        f"TEST-{n:04d}-CODE",
        user.id,
        user.company_id,
        course,
        "1.0.0",
        issued,
        issued + relativedelta(months=months),
    )
    store.add(CERTIFICATES, cert)
    return cert


def give_points(store: MemoryStore, user: User, points: int, at: datetime = T0) -> LedgerEntry:
    entry = LedgerEntry(new_id(), user.id, user.company_id, "manual_adjustment", points, at, new_id())
    assert store.append(LEDGER, entry)
    return entry
