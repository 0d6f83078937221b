"""What the channel manager console shows, gathered from the domain (no Streamlit here): the partners I
manage with their tier evaluation, certified people and points this quarter, and the people in them.

Opening the console is checked here with the domain's `require`, so a partner who types its URL gets
NotAllowed and no data, whatever the navigation shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub_app.catalog import Catalog
from hub_app.kernel import calendar
from hub_app.partners import companies as partners
from hub_app.partners.permissions import manages, require_console
from hub_app.partners.records import Company, User
from hub_app.recognition import leaderboards
from hub_app.store.base import Store
from hub_app.tiers import evaluation as tiers


@dataclass(frozen=True)
class PartnerRow:
    """One partner in the console's table."""

    company: Company
    evaluation: tiers.Evaluation
    certified_people: int
    points_quarter: int


def my_partners(actor: User, store: Store) -> list[Company]:
    """The active companies the actor manages, by name."""
    require_console(actor)
    found = [c for c in partners.visible_companies(actor, store) if c.active and manages(actor, c)]
    return sorted(found, key=lambda c: c.name.casefold())


def months_into_quarter(catalog: Catalog, now: datetime) -> int:
    """1, 2 or 3: the calendar months of the current quarter so far, in the program's time zone."""
    return calendar.months_into_quarter(now, catalog.program.program.timezone)


def partner_rows(actor: User, store: Store, catalog: Catalog, now: datetime) -> list[PartnerRow]:
    """My partners with their tier evaluation, certified people and points this quarter."""
    companies = my_partners(actor, store)
    certified = leaderboards.certified_members(store, catalog.program, now)
    months = months_into_quarter(catalog, now)
    rows = []
    for company in companies:
        history = leaderboards.points_history(
            actor, store, catalog.program, company_id=company.id, months=months, now=now
        )
        rows.append(
            PartnerRow(
                company,
                tiers.evaluate(actor, store, catalog, company.id, now),
                certified.get(company.id, 0),
                sum(points for _, points in history),
            )
        )
    return rows


def people(actor: User, store: Store, company_id: str, active_only: bool = True) -> list[User]:
    """The people of one of my partners, by name."""
    return [u for u in partners.members(actor, store, company_id) if u.active or not active_only]
