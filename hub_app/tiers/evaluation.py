"""Tier evaluation: which tier a company qualifies for under program.yml, what it lacks for the next
one, and whether an expiring certificate puts its current tier at risk before the next review.

A certification requirement counts named people: each active member holding a still-valid certificate
of any listed course counts once; a requirement naming partner types applies to those types only.
Revenue, customers and CSAT come from the latest KPI period. Revenue is credited revenue: resold and
referred in full, implemented and influenced at program.yml tier_credit's share for the types it names.
A partner type in tier_credit.marketplace_partner_types may meet a tier's marketplace requirements
(listings, installs, joint customers) instead of its revenue and customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from hub_app.catalog import Catalog
from hub_app.catalog.models import CertRequirement, Marketplace, Program, Requirements, Tier
from hub_app.certification import certificates as certification
from hub_app.certification.records import Certificate, certificates_of
from hub_app.kernel import calendar
from hub_app.partners.companies import UnknownCompany
from hub_app.partners.permissions import administers_team, require
from hub_app.partners.records import COMPANIES, Company, User, users_of_company
from hub_app.store.base import Store
from hub_app.tiers.records import KpiRecord, kpis_of

VALID = ("active", "expiring")


@dataclass(frozen=True)
class Facts:
    """What a company's tier is judged on, loaded once: its active members, their certificates, its KPIs."""

    company: Company
    members: dict[str, User]
    certificates: tuple[Certificate, ...]
    kpis: tuple[KpiRecord, ...]


@dataclass(frozen=True)
class Standing:
    """A company's position at one moment: certified people per course and its latest KPIs."""

    holders: dict[str, frozenset[str]]  # course id -> user ids holding a valid certificate
    revenue_12m: float  # credited: resold and referred, plus implemented and influenced at their share
    customers: int
    csat: float | None
    partner_type: str = ""
    marketplace: Marketplace | None = None  # listings, installs, joint customers; None: not on that track


@dataclass(frozen=True)
class Evaluation:
    """A company's tier now, the tier it qualifies for, what it lacks for the next and any risk ahead."""

    company_id: str
    company_name: str
    current_tier: str
    qualifies_for: str
    next_tier: str | None
    gaps: tuple[str, ...]  # to reach next_tier
    next_review: datetime
    at_risk_on: date | None = None
    at_risk_reason: str | None = None
    at_risk_holder: str | None = None  # whose certificate lapses (display name), for a translated message
    at_risk_course: str | None = None  # and of which course

    @property
    def at_risk(self) -> str | None:
        """'at risk on 2026-05-10', or None."""
        return None if self.at_risk_on is None else f"at risk on {self.at_risk_on:%Y-%m-%d}"


# --- facts and standing ----------------------------------------------------------------------------


def load_facts(store: Store, company_id: str) -> Facts:
    """The company's active members, their certificates and its KPI records."""
    company = store.get(COMPANIES, company_id)
    if company is None:
        raise UnknownCompany(company_id)
    members = {u.id: u for u in users_of_company(store, company_id) if u.active}
    certificates = tuple(c for uid in members for c in certificates_of(store, uid))
    return Facts(company, members, certificates, tuple(kpis_of(store, company_id)))


def standing_at(facts: Facts, program: Program, at: datetime) -> Standing:
    """The company's standing at `at`: certificates issued by then and still valid, KPIs recorded by then."""
    holders: dict[str, set[str]] = {}
    for c in facts.certificates:
        if c.issued <= at and _valid_at(c, program, at):
            holders.setdefault(c.course_id, set()).add(c.user_id)
    known = [k for k in facts.kpis if k.recorded_at <= at]
    latest = max(known, key=lambda k: k.period, default=None)
    kind = facts.company.type
    on_marketplace = kind in program.tier_credit.marketplace_partner_types
    return Standing(
        holders={course: frozenset(users) for course, users in holders.items()},
        revenue_12m=credited_revenue(program, kind, latest) if latest else 0.0,
        customers=latest.customers if latest else 0,
        csat=latest.csat if latest else None,
        partner_type=kind,
        marketplace=_marketplace(latest) if on_marketplace else None,
    )


def credited_revenue(program: Program, partner_type: str, kpi: KpiRecord) -> float:
    """Revenue counted towards a tier: resold and referred in full, implemented and influenced at their share."""
    total = kpi.revenue_12m
    credit = program.tier_credit
    for share, value in (
        (credit.implemented_revenue, kpi.implemented_revenue_12m),
        (credit.influenced_revenue, kpi.influenced_revenue_12m),
    ):
        if partner_type in share.partner_types:
            total += value * share.credit_pct / 100
    return total


def _marketplace(kpi: KpiRecord | None) -> Marketplace:
    if kpi is None:
        return Marketplace()
    return Marketplace(listings=kpi.listings, installs=kpi.installs, joint_customers=kpi.joint_customers)


def _valid_at(certificate: Certificate, program: Program, at: datetime) -> bool:
    if certificate.revoked_at is not None and certificate.revoked_at <= at:
        return False
    return at < certification.lapses_at(certificate)


def people_for(requirement: CertRequirement, standing: Standing) -> int:
    """Named people meeting a certification requirement; a person counts once."""
    return len(set().union(*(standing.holders.get(c, frozenset()) for c in requirement.courses)))


def applicable(requirements: Requirements, standing: Standing) -> list[CertRequirement]:
    """The certification requirements that apply to the company's partner type."""
    return [r for r in requirements.certifications if r.applies_to(standing.partner_type)]


def business_met(requirements: Requirements, standing: Standing) -> bool:
    """Revenue and customers met, or (on the marketplace track) the marketplace requirements instead."""
    if standing.revenue_12m >= requirements.revenue_12m and standing.customers >= requirements.customers:
        return True
    return _marketplace_short(requirements, standing) == (0, 0, 0)


def _marketplace_short(requirements: Requirements, standing: Standing) -> tuple[int, int, int] | None:
    """Listings, installs and joint customers still missing; None when the track does not apply."""
    need, have = requirements.marketplace, standing.marketplace
    if need is None or have is None:
        return None
    return (
        max(0, need.listings - have.listings),
        max(0, need.installs - have.installs),
        max(0, need.joint_customers - have.joint_customers),
    )


def meets(requirements: Requirements, standing: Standing) -> bool:
    """True when every requirement is met."""
    return (
        all(people_for(r, standing) >= r.people for r in applicable(requirements, standing))
        and business_met(requirements, standing)
        and (requirements.csat is None or (standing.csat is not None and standing.csat >= requirements.csat))
    )


def qualified_tier(program: Program, standing: Standing) -> Tier:
    """The highest tier whose every requirement is met (the lowest tier when none is)."""
    met = [t for t in program.tiers if meets(t.requirements, standing)]
    return met[-1] if met else program.tiers[0]


# --- gaps ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """What a company lacks for a set of requirements; pages word it in the reader's language."""

    certifications: tuple[tuple[CertRequirement, int], ...]  # unmet requirement, people who meet it now
    revenue_short: float  # more trailing-12-month revenue needed (0 when met)
    customers_short: int
    csat_needed: float | None  # the CSAT asked for, when not reached
    csat_now: float | None
    # On the marketplace track (ISVs, technology partners) these replace revenue_short and customers_short.
    listings_short: int = 0
    installs_short: int = 0
    joint_customers_short: int = 0

    @property
    def closed(self) -> bool:
        """True when every requirement is met."""
        business = self.revenue_short or self.customers_short or self.listings_short or self.installs_short
        return not (self.certifications or business or self.joint_customers_short or self.csat_needed)


def gap_of(requirements: Requirements, standing: Standing) -> Gap:
    """What is missing to meet `requirements` (on the marketplace track: its measures, unless revenue is met)."""
    short_csat = requirements.csat is not None and (standing.csat is None or standing.csat < requirements.csat)
    certifications = tuple(
        (r, people_for(r, standing)) for r in applicable(requirements, standing) if people_for(r, standing) < r.people
    )
    revenue_short = max(0.0, requirements.revenue_12m - standing.revenue_12m)
    customers_short = max(0, requirements.customers - standing.customers)
    market = _marketplace_short(requirements, standing)
    if business_met(requirements, standing):
        revenue_short, customers_short, market = 0.0, 0, None
    elif market is not None:
        revenue_short, customers_short = 0.0, 0
    listings, installs, joint = market or (0, 0, 0)
    return Gap(
        certifications=certifications,
        revenue_short=revenue_short,
        customers_short=customers_short,
        csat_needed=requirements.csat if short_csat else None,
        csat_now=standing.csat,
        listings_short=listings,
        installs_short=installs,
        joint_customers_short=joint,
    )


def gaps(catalog: Catalog, requirements: Requirements, standing: Standing) -> tuple[str, ...]:
    """What is missing to meet `requirements`, as English sentences a partner can act on (CLI, exports)."""
    gap, currency = gap_of(requirements, standing), catalog.program.program.currency
    found = []
    for r, have in gap.certifications:
        missing = r.people - have
        found.append(f"{missing} more {_certified_as(catalog, r.courses, plural=missing > 1)}")
    if gap.revenue_short:
        found.append(f"{gap.revenue_short:,.0f} {currency} more revenue (trailing 12 months)")
    if gap.customers_short:
        found.append(f"{gap.customers_short} more customer{'s' if gap.customers_short > 1 else ''}")
    for short, one in (
        (gap.listings_short, "Exchange listing"),
        (gap.installs_short, "install"),
        (gap.joint_customers_short, "joint customer"),
    ):
        if short:
            found.append(f"{short} more {one}{'s' if short > 1 else ''}")
    if gap.csat_needed is not None:
        now = "none recorded" if gap.csat_now is None else f"now {gap.csat_now:.1f}"
        found.append(f"CSAT {gap.csat_needed:.1f} or higher ({now})")
    return tuple(found)


def _certified_as(catalog: Catalog, courses: list[str], plural: bool) -> str:
    names = [certification_name(catalog, c) for c in courses]
    return " or ".join(f"{n}s" if plural and not n.endswith("s") else n for n in names)


def certification_name(catalog: Catalog, course_id: str) -> str:
    """The English name of the course's certification (the course id when unknown)."""
    course = catalog.courses.get(course_id)
    return course.certification.name.en if course and course.certification else course_id


# --- evaluation ------------------------------------------------------------------------------------


def next_review(program: Program, now: datetime) -> datetime:
    """The start of the next review period (a calendar quarter by default) in the program's time zone."""
    return calendar.next_review(now, program.program.timezone, program.tier_review.period_months)


def evaluate(actor: User, store: Store, catalog: Catalog, company_id: str, now: datetime) -> Evaluation:
    """The company's tier evaluation, for its partner admin, its channel manager or a program admin."""
    facts = load_facts(store, company_id)
    require(
        administers_team(actor, facts.company),
        actor,
        "see the tier evaluation of {company}",
        company=facts.company.name,
    )
    return evaluate_facts(catalog, facts, now)


def evaluate_facts(catalog: Catalog, facts: Facts, now: datetime) -> Evaluation:
    """The evaluation of already loaded facts (no permission check)."""
    program = catalog.program
    standing = standing_at(facts, program, now)
    qualified = qualified_tier(program, standing)
    rank = program.tier_rank(qualified.id)
    above = program.tiers[rank + 1] if rank + 1 < len(program.tiers) else None
    review = next_review(program, now)
    risk = forecast(catalog, facts, now, review)
    return Evaluation(
        company_id=facts.company.id,
        company_name=facts.company.name,
        current_tier=facts.company.tier,
        qualifies_for=qualified.id,
        next_tier=above.id if above else None,
        gaps=gaps(catalog, above.requirements, standing) if above else (),
        next_review=review,
        at_risk_on=risk.on if risk else None,
        at_risk_reason=risk.reason if risk else None,
        at_risk_holder=risk.holder if risk else None,
        at_risk_course=risk.course_id if risk else None,
    )


@dataclass(frozen=True)
class Risk:
    """The lapse that would drop a company below its tier before the review."""

    on: date
    holder: str
    course_id: str
    reason: str


def forecast(catalog: Catalog, facts: Facts, now: datetime, review: datetime) -> Risk | None:
    """The first lapse before the review that drops the company below its current tier, if any."""
    program = catalog.program
    current = program.tier_rank(facts.company.tier)
    if program.tier_rank(qualified_tier(program, standing_at(facts, program, now)).id) < current:
        return None  # already below: that is a demotion matter, not a forecast
    lapsing = sorted(
        (c for c in facts.certificates if _valid_at(c, program, now) and certification.lapses_at(c) < review),
        key=certification.lapses_at,
    )
    for c in lapsing:
        at = certification.lapses_at(c)
        if program.tier_rank(qualified_tier(program, standing_at(facts, program, at)).id) < current:
            day = at.astimezone(ZoneInfo(program.program.timezone)).date()
            holder = facts.members[c.user_id].display_name
            reason = f"{holder}'s {certification_name(catalog, c.course_id)} expires on {day:%Y-%m-%d}"
            return Risk(day, holder, c.course_id, reason)
    return None


def below_since(program: Program, facts: Facts, start: datetime, now: datetime) -> datetime | None:
    """Since when the company has been continuously below its current tier (None when it is not)."""
    current = program.tier_rank(facts.company.tier)

    def below(at: datetime) -> bool:
        return program.tier_rank(qualified_tier(program, standing_at(facts, program, at)).id) < current

    if not below(now):
        return None
    since = now
    for at in sorted({t for t in _event_times(facts) if start < t < now} | {start}, reverse=True):
        if not below(at):
            break
        since = at
    return since


def _event_times(facts: Facts) -> set[datetime]:
    times = {k.recorded_at for k in facts.kpis}
    for c in facts.certificates:
        times |= {c.issued, certification.lapses_at(c)} | ({c.revoked_at} if c.revoked_at else set())
    return times
