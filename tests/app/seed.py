"""A small, deterministic Partner Hub for the app tests and for looking at the app in a browser.

Acme (system integrator, Silver) with Ana (sales; Certified Associate, expiring soon), Ben (partner admin;
Certified Associate), Chen (presales; one failed attempt, cooling down), Dora (delivery; nothing yet), and
a channel manager and a program admin at the vendor. Everyone's password is PASSWORD.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from dateutil.relativedelta import relativedelta

from hub_app.catalog import Catalog
from hub_app.learning import exams, grading, submission
from hub_app.partners import accounts
from hub_app.partners import companies as partners
from hub_app.partners.records import COMPANIES, Company, User
from hub_app.recognition import points
from hub_app.store.base import Store
from hub_app.store.memory import MemoryStore
from hub_app.tiers.records import KpiRecord, record_kpi

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Nov 27, 2026, 10:00 in Singapore
PASSWORD = "correct horse battery"


@dataclass
class Hub:
    store: Store
    catalog: Catalog
    admin: User
    manager: User
    acme: Company
    ana: User
    ben: User
    chen: User
    dora: User


def key_answers(catalog: Catalog, attempt) -> dict:
    """The right answer to every drawn item, in the attempt's displayed terms."""
    exam = catalog.course(attempt.course_id).exam
    return {d.item_id: grading.correct_answer(exam.item(d.item_id), d) for d in attempt.items}


def _person(store, actor, company, email, name, job_role, admin=False) -> User:
    roles = {"partner_user", "partner_admin"} if admin else {"partner_user"}
    return accounts.create_user(
        actor,
        store,
        email=email,
        display_name=name,
        password=PASSWORD,
        company_id=company.id,
        roles=frozenset(roles),
        job_role=job_role,
        now=NOW,
    )


def _pass(store, catalog, user, course_id, at) -> None:
    attempt = exams.start_attempt(user, catalog, store, course_id, at, seed=7)
    submission.submit(user, attempt.id, key_answers(catalog, attempt), catalog, store, at + timedelta(minutes=9))


def _fail(store, catalog, user, course_id, at) -> None:
    attempt = exams.start_attempt(user, catalog, store, course_id, at, seed=11)
    submission.submit(user, attempt.id, {}, catalog, store, at + timedelta(minutes=5))


def build(catalog: Catalog, store: Store | None = None) -> Hub:
    """The seeded hub, on a fresh memory store unless an empty `store` is given."""
    store = store if store is not None else MemoryStore()
    admin = accounts.create_user(
        None,
        store,
        email="admin@quillstack.io",
        display_name="Pat Admin",
        password=PASSWORD,
        company_id=None,
        roles=frozenset({"program_admin"}),
        job_role=None,
        now=NOW - relativedelta(years=3),
    )
    manager = accounts.create_user(
        admin,
        store,
        email="cm@quillstack.io",
        display_name="Chris Manager",
        password=PASSWORD,
        company_id=None,
        roles=frozenset({"channel_manager"}),
        job_role=None,
        now=NOW,
    )
    acme = partners.create_company(
        manager,
        store,
        catalog.program,
        name="Acme Integrations",
        type="si",
        region="apac",
        country="SG",
        now=NOW - relativedelta(years=2),
    )
    store.replace(COMPANIES, replace(acme, tier="silver"))
    acme = store.get(COMPANIES, acme.id)
    ben = _person(store, manager, acme, "ben@acme.example", "Ben Okafor", "presales", admin=True)
    ana = _person(store, ben, acme, "ana@acme.example", "Ana Lima", "sales")
    chen = _person(store, ben, acme, "chen@acme.example", "Chen Wei", "presales")
    dora = _person(store, ben, acme, "dora@acme.example", "Dora Schmidt", "delivery")
    _pass(store, catalog, ana, "qs-fundamentals", NOW - relativedelta(months=23))  # expires in a month
    _pass(store, catalog, ben, "qs-fundamentals", NOW - relativedelta(months=5))
    _pass(store, catalog, ben, "qs-sales-pro", NOW - relativedelta(weeks=3))
    record_kpi(store, KpiRecord(acme.id, "2026-Q3", 82000, 5, 4.4, manager.id, NOW - relativedelta(months=2)))
    points.record_event(manager, store, catalog.program, ana.id, "event_attended", "partner-summit-2026", NOW)
    _fail(store, catalog, chen, "qs-fundamentals", NOW - timedelta(hours=3))
    return Hub(store, catalog, admin, manager, acme, ana, ben, chen, dora)
