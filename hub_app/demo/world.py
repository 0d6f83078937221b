"""The demo world's people and companies, and the plan of what each of them reaches over 18 months.

Nothing here writes to a store: `plan_world` turns a seeded `random.Random` and the moment `now` into
staff, companies and `CompanyPlan`s (who passes which exam by when, which tier a company reaches when,
where its KPIs are heading), and `hub_app.demo.history` plays the plans through the real domain.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from hub_app.catalog import Catalog
from hub_app.demo.names import COMPANIES, person_name
from hub_app.partners.records import CHANNEL_MANAGER, PARTNER_ADMIN, PARTNER_USER, PROGRAM_ADMIN, Company, User
from hub_app.tiers.evaluation import next_review

HISTORY_MONTHS = 18
FUNDAMENTALS, SALES = "qs-fundamentals", "qs-sales-pro"
IMPLEMENTATION, INTEGRATION = "qs-implementation", "qs-integration"

# The documented sign-ins (one shared password): see `hub_app.demo.SIGN_INS`.
ADMIN_EMAIL = "admin@quillstack.example"
STAFF = (  # email, display name, region
    ("cm.apac@quillstack.example", "Priya Raman", "apac"),
    ("cm.china@quillstack.example", "周琳", "china"),
    ("cm.emea@quillstack.example", "Sophie Laurent", "emea"),
    ("cm.americas@quillstack.example", "Marcus Reed", "amer"),
)
SHOWCASE = "Harbourline Systems"  # the documented partner's company: Gold, and at risk before the next review
SHOWCASE_PEOPLE = (("Mei Tan", "mei.tan", "sales"), ("James Koh", "james.koh", "executive"))


@dataclass
class PersonPlan:
    """A partner's person and the exams they pass: (course, pass by) pairs; None means whenever."""

    user: User
    courses: list[tuple[str, datetime | None]] = field(default_factory=list)
    renews: bool = True  # renews expiring certificates inside the renewal window
    critical: bool = False  # holds a certificate the company's tier needs


@dataclass
class CompanyPlan:
    """A partner company, the tiers it reaches (tier, when) and how its story ends."""

    company: Company
    profile: str  # steady | rising | grace | demote | at_risk
    path: list[tuple[str, datetime]]
    people: list[PersonPlan]
    drop_at: datetime | None = None  # grace/demote: when its KPIs fall below its tier

    @property
    def target(self) -> str:
        return self.path[-1][0] if self.path else "registered"


@dataclass
class World:
    """Everything `plan_world` decided."""

    admin: User
    managers: dict[str, User]  # region -> channel manager
    plans: list[CompanyPlan]
    start: datetime
    now: datetime


def staff(password_hash: str, start: datetime) -> tuple[User, dict[str, User]]:
    """The program admin and one channel manager per region."""
    created = start - relativedelta(years=2)
    admin = User(
        _id("staff", ADMIN_EMAIL),
        ADMIN_EMAIL,
        "Alex Morgan",
        None,
        frozenset({PROGRAM_ADMIN}),
        None,
        password_hash,
        created,
    )
    managers = {
        region: User(
            _id("staff", email),
            email,
            name,
            None,
            frozenset({CHANNEL_MANAGER}),
            None,
            password_hash,
            created + timedelta(days=30),
        )
        for email, name, region in STAFF
    }
    return admin, managers


def _id(kind: str, key: str) -> str:
    # Ids from the world's own names, so the same seed gives the same people and companies, ids included.
    return hashlib.blake2b(f"{kind}:{key}".encode(), digest_size=16).hexdigest()


def plan_world(rng: random.Random, catalog: Catalog, now: datetime, password_hash: str) -> World:
    """Staff, ~40 companies over every partner type and region, ~300 people, and what each reaches."""
    start = now - relativedelta(months=HISTORY_MONTHS)
    admin, managers = staff(password_hash, start)
    last_review = next_review(catalog.program, now) - relativedelta(months=catalog.program.tier_review.period_months)
    profiles = _profiles(rng)
    plans = []
    for row, profile in zip(COMPANIES, profiles, strict=True):
        plans.append(_company(rng, catalog, row, profile, managers, start, last_review, now, password_hash))
    return World(admin, managers, plans, start, now)


def _profiles(rng: random.Random) -> list[tuple[str, str]]:
    """(profile, target tier) per company row; the showcase is fixed, the rest shuffled by the seed."""
    others = (
        [("steady", "platinum")] * 2
        + [("steady", "gold")] * 4
        + [("steady", "silver")] * 10
        + [("steady", "registered")] * 18
        + [("rising", "gold"), ("rising", "silver"), ("grace", "gold"), ("demote", "gold"), ("steady", "gold")]
    )
    rng.shuffle(others)
    return [("at_risk", "gold") if name == SHOWCASE else others.pop() for name, *_ in COMPANIES]


def _company(rng, catalog, row, profile, managers, start, last_review, now, password_hash) -> CompanyPlan:
    name, stem, type_, region, country, industries = row
    kind, target = profile
    joined = start - timedelta(days=rng.randint(20, 540))
    if kind == "steady" and target in ("registered", "silver") and rng.random() < 0.3:
        joined = start + timedelta(days=rng.randint(10, 270))  # a newer partner
    company = Company(
        _id("company", name), name, type_, region, country, industries, "registered", managers[region].id, joined
    )
    active_from = max(joined, start) + timedelta(days=7)
    path = _path(rng, catalog, kind, target, active_from, last_review, now)
    drop_at = None
    if kind == "grace":
        drop_at = last_review + timedelta(days=rng.randint(6, 14))  # the quarter's KPIs, recorded after the review
    elif kind == "demote":
        drop_at = last_review - relativedelta(months=3) + timedelta(days=rng.randint(6, 12))
    people = _people(rng, catalog, company, stem, kind, path, active_from, now, password_hash)
    return CompanyPlan(company, kind, path, people, drop_at)


def _path(rng, catalog, kind, target, active_from, last_review, now) -> list[tuple[str, datetime]]:
    """The tiers the company reaches and when: each step up a few months after the one before."""
    tiers = [t.id for t in catalog.program.tiers]
    rank = tiers.index(target)
    if rank == 0:
        return []
    first = max(1, rank - (1 if kind == "rising" else rng.randint(0, 2)))
    steps = tiers[first : rank + 1]
    if kind == "rising":  # reached its last step after the latest review: a promotion waits now
        early = [(tier, active_from + timedelta(days=60 + 50 * i)) for i, tier in enumerate(steps[:-1])]
        return [*early, (steps[-1], now - timedelta(days=rng.randint(3, 20)))]
    latest = last_review - timedelta(days=25 if kind == "steady" else 150)
    span = max((latest - active_from).days, 30 * len(steps))
    points = sorted(rng.sample(range(45, max(46, span)), len(steps)))
    return [(tier, active_from + timedelta(days=d)) for tier, d in zip(steps, points, strict=True)]


def _needs(catalog: Catalog, tier: str) -> dict[str, int]:
    """People per course group a tier needs: {fundamentals: n, sales: n, build: n}."""
    found = {"fundamentals": 0, "sales": 0, "build": 0}
    for r in catalog.program.tier(tier).requirements.certifications:
        group = "fundamentals" if FUNDAMENTALS in r.courses else "sales" if SALES in r.courses else "build"
        found[group] = max(found[group], r.people)
    return found


def _people(rng, catalog, company, stem, kind, path, active_from, now, password_hash) -> list[PersonPlan]:
    target = path[-1][0] if path else "registered"
    need = _needs(catalog, target)
    margin = 0 if kind == "at_risk" else 1
    sales = need["sales"] + (rng.randint(0, margin) if need["sales"] else 0)
    build = need["build"] + (rng.randint(0, 1) if need["build"] else 0)
    size = {"registered": (4, 8), "silver": (6, 9), "gold": (9, 12), "platinum": (13, 16)}[target]
    count = max(rng.randint(*size), sales + build + 2, need["fundamentals"] + margin + 1)
    roles = ["executive"] + ["sales"] * sales + [rng.choice(("delivery", "developer")) for _ in range(build)]
    roles += [rng.choice(("sales", "presales", "delivery", "developer", "presales")) for _ in range(count - len(roles))]
    users = _users(rng, company, stem, roles, active_from, now, password_hash)
    due = _due_dates(catalog, path)
    people = [PersonPlan(u) for u in users]
    holders = {"fundamentals": 0, "sales": 0, "build": 0}

    def plan(person: PersonPlan, group: str, course: str) -> None:
        dates = due.get(group, [])
        when = dates[holders[group]] if holders[group] < len(dates) else None
        holders[group] += 1
        person.critical |= when is not None
        person.courses.append((course, when))

    fundamentals_due = due.get("fundamentals", [])
    for i, person in enumerate(people[1:], start=1):
        role = roles[i]
        if role in ("sales", "delivery", "developer") and i <= sales + build:
            plan(person, "fundamentals", FUNDAMENTALS)
            course = SALES if role == "sales" else IMPLEMENTATION if role == "delivery" else INTEGRATION
            plan(person, "sales" if role == "sales" else "build", course)
        elif holders["fundamentals"] < len(fundamentals_due) or rng.random() < 0.55:
            plan(person, "fundamentals", FUNDAMENTALS)
            if rng.random() < 0.2:
                extra = (IMPLEMENTATION, INTEGRATION) if kind == "at_risk" else (SALES, IMPLEMENTATION, INTEGRATION)
                person.courses.append((rng.choice(extra), None))
    if rng.random() < 0.5 or kind == "at_risk":
        people[0].courses.append((FUNDAMENTALS, None))  # the partner admin, often certified too
    _order_prerequisites(people)
    if kind == "at_risk":
        people[1].renews = False  # the showcase's Mei Tan: her Sales Professional lapses before the review
    return people


def _order_prerequisites(people: list[PersonPlan]) -> None:
    # Fundamentals first: the professional exams build on it, so its pass must come no later.
    for person in people:
        dates = [d for c, d in person.courses if d is not None]
        first = min(dates) if dates else None
        person.courses = [
            (c, first if c == FUNDAMENTALS and first and (d is None or d > first) else d) for c, d in person.courses
        ]


def _due_dates(catalog: Catalog, path: list[tuple[str, datetime]]) -> dict[str, list[datetime]]:
    """Per group, the date by which its n-th holder must pass: when the first tier needing n is reached."""
    due: dict[str, list[datetime]] = {}
    for tier, when in path:
        for group, n in _needs(catalog, tier).items():
            dates = due.setdefault(group, [])
            dates.extend([when] * (n - len(dates)))
    return due


def _users(rng, company, stem, roles, active_from, now, password_hash) -> list[User]:
    users, taken = [], set()
    fixed = dict(enumerate(SHOWCASE_PEOPLE[::-1])) if company.name == SHOWCASE else {}
    for i, role in enumerate(roles):
        if i in fixed:
            name, local, role = fixed[i]
        else:
            name, local = person_name(rng, company.country)
            while local in taken or (company.name == SHOWCASE and local in ("mei.tan", "james.koh")):
                name, local = person_name(rng, company.country)
        taken.add(local)
        email = f"{local}@{stem}.example"
        created = active_from + timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 9))
        if i > 0 and rng.random() < 0.2:  # joined later
            created = min(now - timedelta(days=30), created + timedelta(days=rng.randint(30, 300)))
        roles_held = frozenset({PARTNER_USER, PARTNER_ADMIN} if i == 0 else {PARTNER_USER})
        users.append(User(_id("user", email), email, name, company.id, roles_held, role, password_hash, created))
    return users
