"""Facts for onboarding and the partner locator, gathered from the rooms above partners (certificates,
deals): Streamlit-free, so the console, home and the locator page share them."""

from __future__ import annotations

from datetime import datetime

from hub_app.catalog import Catalog
from hub_app.certification.records import CERTIFICATES, certificates_of_company
from hub_app.deals.records import deals_of
from hub_app.partners import locator, onboarding
from hub_app.partners.records import Company
from hub_app.store.base import Store


def facts(store: Store, catalog: Catalog, company: Company) -> onboarding.Facts:
    """The company's first certificate in its type's entry course and its first submitted deal."""
    entry = catalog.program.partner_type(company.type).onboarding.entry_course
    issued = [c.issued for c in certificates_of_company(store, company.id) if entry is None or c.course_id == entry]
    submitted = [d.submitted_at for d in deals_of(store, company.id) if d.submitted_at is not None]
    return onboarding.Facts(min(issued, default=None), min(submitted, default=None))


def checklist(store: Store, catalog: Catalog, company: Company, agreement_version: str) -> onboarding.Checklist:
    """The company's onboarding checklist with its progress."""
    return onboarding.checklist(catalog.program, company, agreement_version, store, facts(store, catalog, company))


def active_certifications(store: Store, now: datetime) -> dict[str, frozenset[str]]:
    """Company id → the courses in which at least one of its people holds an active certificate."""
    held: dict[str, set[str]] = {}
    for cert in store.select(CERTIFICATES):
        if cert.company_id and cert.revoked_at is None and cert.expires > now:
            held.setdefault(cert.company_id, set()).add(cert.course_id)
    return {company_id: frozenset(courses) for company_id, courses in held.items()}


def partner_listings(store: Store, now: datetime, filters: locator.Filters) -> list[locator.Listing]:
    """The public locator's listings that pass `filters`."""
    return locator.search(store, active_certifications(store, now), filters)
