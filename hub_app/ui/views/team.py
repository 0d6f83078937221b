"""What the My company page shows, gathered from the domain (no Streamlit here): who holds which
certification, what lapses soon, and whether the person may manage the team at all (partners.members
raises NotAllowed for anyone but the company's partner admin, its channel manager or a program admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from hub_app.catalog import Catalog, Course
from hub_app.certification import certificates as certification
from hub_app.certification.records import Certificate
from hub_app.partners import companies as partners
from hub_app.partners.records import Company, User
from hub_app.store.base import Store

EXPIRY_HORIZON_DAYS = 90


@dataclass(frozen=True)
class Holding:
    """A person's current certificate of one course, its status and when it stops counting."""

    certificate: Certificate
    status: certification.Status
    lapses: datetime


@dataclass(frozen=True)
class Member:
    """A person of the team and their current certificate per course id."""

    user: User
    holdings: dict[str, Holding]


@dataclass(frozen=True)
class Lapse:
    """A certificate that stops counting within the horizon."""

    user: User
    course_id: str
    lapses: datetime
    days_left: int


@dataclass(frozen=True)
class Team:
    """The company, its people (active first) with their certificates, the certifying courses, and lapses ahead."""

    company: Company
    members: tuple[Member, ...]
    courses: tuple[Course, ...]
    lapsing: tuple[Lapse, ...]


def holding(certificates: list[Certificate], course_id: str, catalog: Catalog, now: datetime) -> Holding | None:
    """The current certificate of a course (renewals supersede); a revoked one only when nothing else is held."""
    held = certification.current(certificates, course_id)
    if held is None:
        revoked = [c for c in certificates if c.course_id == course_id]
        held = max(revoked, key=lambda c: c.issued, default=None)
    if held is None:
        return None
    return Holding(held, certification.status(held, catalog.program, now), certification.lapses_at(held))


def team(
    actor: User, store: Store, catalog: Catalog, company_id: str, now: datetime, horizon_days: int = EXPIRY_HORIZON_DAYS
) -> Team:
    """The team of a company the actor administers (NotAllowed otherwise)."""
    people = partners.members(actor, store, company_id)
    company = partners.company(actor, store, company_id)
    courses = tuple(catalog.certifying_courses())
    members = []
    for person in sorted(people, key=lambda u: (not u.active, u.display_name.casefold())):
        held = certification.certificates_of(actor, store, person.id)
        holdings = {c.id: h for c in courses if (h := holding(held, c.id, catalog, now)) is not None}
        members.append(Member(person, holdings))
    horizon = now + timedelta(days=horizon_days)
    lapsing = sorted(
        (
            Lapse(m.user, course_id, h.lapses, (h.lapses - now).days)
            for m in members
            if m.user.active
            for course_id, h in m.holdings.items()
            if h.status in ("active", "expiring") and h.lapses <= horizon
        ),
        key=lambda lapse: lapse.lapses,
    )
    return Team(company, tuple(members), courses, tuple(lapsing))
