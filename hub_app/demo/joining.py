"""The demo world's joiners: applications in every state of the pipeline, the partner agreement accepted
(some on last year's version, so the hub asks them again), profiles completed and locator listings, all
played through the real domain functions (`partners.applications`, `partners.onboarding`)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from hub_app.catalog import Catalog, ContentError
from hub_app.catalog.legal import AGREEMENT, CONDUCT, TERMS, load_legal
from hub_app.demo.world import World
from hub_app.kernel.ids import new_id
from hub_app.partners import applications as apps
from hub_app.partners import companies, onboarding
from hub_app.partners.records import ACCEPTANCES, USERS, Acceptance, User
from hub_app.store.base import Store

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS_AGREEMENT = "2025.1"  # the version before content/legal's current one, accepted by long-standing partners


@dataclass(frozen=True)
class Applicant:
    """One demo application and how far it gets."""

    company: str
    domain: str
    type: str
    region: str
    country: str
    industries: tuple[str, ...]
    contact: str
    ends: str  # submitted | in_review | info_requested | answered | approved | declined
    days_ago: int
    scores: tuple[int, ...] = (4, 4, 3)


APPLICANTS = (
    Applicant(
        "Lumen Ledger Pte Ltd",
        "lumenledger.example",
        "var",
        "apac",
        "SG",
        ("Financial services",),
        "Wei Ling Goh",
        "submitted",
        2,
    ),
    Applicant(
        "Northwind Analytics GmbH",
        "northwind-analytics.example",
        "technology",
        "emea",
        "DE",
        ("Manufacturing",),
        "Jonas Keller",
        "submitted",
        1,
    ),
    Applicant(
        "Tidewater Consulting",
        "tidewater.example",
        "consultant",
        "amer",
        "US",
        ("Healthcare", "Insurance"),
        "Dana Brooks",
        "in_review",
        6,
        (3, 4),
    ),
    Applicant(
        "云桥数据科技有限公司",
        "yunqiao.example",
        "isv",
        "china",
        "CN",
        ("Retail", "Logistics"),
        "李娜",
        "info_requested",
        9,
    ),
    Applicant(
        "Kestrel Systems Pty Ltd",
        "kestrel-systems.example",
        "si",
        "apac",
        "AU",
        ("Energy", "Public sector"),
        "Liam O'Connor",
        "answered",
        12,
    ),
    Applicant(
        "Fjord Integrations AS",
        "fjord-integrations.example",
        "si",
        "emea",
        "SE",
        ("Logistics", "Retail"),
        "Ingrid Nilsen",
        "approved",
        40,
        (4, 5, 4),
    ),
    Applicant(
        "Saffron Digital LLP",
        "saffron-digital.example",
        "consultant",
        "apac",
        "IN",
        ("Financial services",),
        "Arjun Mehta",
        "approved",
        25,
        (4, 4, 4),
    ),
    Applicant(
        "Quarry Hardware Ltd",
        "quarry-hardware.example",
        "var",
        "emea",
        "GB",
        ("Manufacturing",),
        "Tom Barker",
        "declined",
        30,
        (1, 2, 1),
    ),
)


def _form(program_terms: str, applicant: Applicant, catalog: Catalog) -> dict[str, object]:
    partner_type = catalog.program.partner_type(applicant.type)
    answers = {
        c.id: {
            "answer": f"{applicant.company}: {c.guide.en}",
            "evidence": f"https://{applicant.domain}/partners/{c.id}",
        }
        for c in partner_type.screening
    }
    first = applicant.contact.split()[0].lower().replace("'", "")
    return {
        "company": applicant.company,
        "website": f"https://www.{applicant.domain}",
        "country": applicant.country,
        "region": applicant.region,
        "type": applicant.type,
        "industries": list(applicant.industries),
        "size": "51-200",
        "contact_name": applicant.contact,
        "contact_email": f"{first}@{applicant.domain}" if first.isascii() else f"contact@{applicant.domain}",
        "terms_version": program_terms,
        "consent": True,
        "answers": answers,
    }


def _reviewer(world: World, region: str) -> User:
    return world.managers.get(region, world.admin)


def _play_one(store: Store, catalog: Catalog, world: World, versions: dict[str, str], a: Applicant) -> None:
    program, at = catalog.program, world.now - timedelta(days=a.days_ago)
    sent = apps.submit(
        store,
        program,
        _form(versions[TERMS], a, catalog),
        terms_version=versions[TERMS],
        now=at,
        conduct_version=versions[CONDUCT],
    )
    app_id, manager = sent.application.id, _reviewer(world, a.region)
    if a.ends == "submitted":
        return
    apps.start_review(manager, store, program, app_id, at + timedelta(days=1))
    criteria = [c.id for c in program.partner_type(a.type).screening]
    for criterion, value in zip(criteria, a.scores, strict=False):
        apps.score(manager, store, program, app_id, criterion, value, "Checked the evidence.", at + timedelta(days=1))
    if a.ends in ("info_requested", "answered"):
        question = "Could you name two customers we may call about your connector?"
        apps.request_info(manager, store, program, app_id, question, at + timedelta(days=2))
        if a.ends == "answered":
            apps.answer_info(
                store, sent.token, "Harbour Freight and Meridian Logistics; contacts attached.", at + timedelta(days=3)
            )
    elif a.ends == "approved":
        approval = apps.approve(manager, store, program, app_id, at + timedelta(days=3))
        if a.company.startswith("Fjord"):  # one new partner is under way: agreement and profile done
            admin = approval.admin
            onboarding.accept_agreement(
                admin, store, approval.company.id, versions[AGREEMENT], versions[AGREEMENT], at + timedelta(days=4)
            )
            onboarding.update_profile(
                admin,
                store,
                approval.company.id,
                website=a.domain,
                description="Nordic integrator connecting Quillstack Flow to warehouse and retail systems.",
                industries=list(a.industries),
                listed=True,
            )
    elif a.ends == "declined":
        apps.decline(
            manager,
            store,
            program,
            app_id,
            "below-threshold",
            "Hardware only; no software practice yet.",
            at + timedelta(days=4),
        )


def _established(store: Store, world: World, versions: dict[str, str], rng: random.Random) -> None:
    """Long-standing partners: the agreement accepted (a fifth on the previous version), most profiles
    complete, and the Silver-and-up ones listed in the locator."""
    for plan in world.plans:
        company = plan.company
        admins = [p.user for p in plan.people if p.user.has_role("partner_admin")]
        if not admins:
            continue
        admin, when = admins[0], max(company.joined, world.start) + timedelta(days=3)
        if rng.random() < 0.2:  # last year's version, written as it was then: the hub asks again for the new one
            store.add(ACCEPTANCES, Acceptance(new_id(), company.id, AGREEMENT, PREVIOUS_AGREEMENT, admin.id, when))
        else:
            onboarding.accept_agreement(
                admin,
                store,
                company.id,
                versions[AGREEMENT],
                versions[AGREEMENT],
                world.now - timedelta(days=rng.randint(5, 60)),
            )
        if rng.random() < 0.85:
            current = store.get(USERS, admin.id)
            assert current is not None
            stored = companies.company(current, store, company.id)
            onboarding.update_profile(
                current,
                store,
                company.id,
                website=admin.email.rsplit("@", 1)[1],
                description=f"{company.name} delivers Quillstack projects for customers in {company.country}.",
                industries=list(stored.industries),
                listed=stored.tier != "registered",
            )


def play(store: Store, catalog: Catalog, world: World, rng: random.Random) -> None:
    """Applications in every state, acceptances, profiles and listings (skipped without content/legal)."""
    try:
        legal = load_legal(ROOT)
    except ContentError:
        return
    versions = {doc_id: text.version for doc_id, text in legal.items()}
    _established(store, world, versions, rng)
    for applicant in APPLICANTS:
        _play_one(store, catalog, world, versions, applicant)
