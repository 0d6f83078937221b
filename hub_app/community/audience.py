"""Who an announcement or an event is for: partner types, tiers, regions and roles, each empty for all."""

from __future__ import annotations

from hub_app.community.records import Audience
from hub_app.partners.permissions import is_vendor_staff
from hub_app.partners.records import COMPANIES, Company, User
from hub_app.partners.regions import region_code
from hub_app.store.base import Store


def company_of(store: Store, user: User) -> Company | None:
    """The person's company (None for vendor staff)."""
    return store.get(COMPANIES, user.company_id) if user.company_id else None


def matches(audience: Audience, user: User, company: Company | None) -> bool:
    """True when ``user`` (of ``company``) is in the audience; vendor staff see everything."""
    if is_vendor_staff(user):
        return True
    if company is None or not user.active:
        return False
    regions = {region_code(r) for r in audience.regions}  # names or codes: the store holds codes
    roles = set(audience.roles)
    return (
        (not audience.types or company.type in audience.types)
        and (not audience.tiers or company.tier in audience.tiers)
        and (not regions or region_code(company.region) in regions)
        and (not roles or bool(roles & ({user.job_role} | set(user.roles))))
    )
