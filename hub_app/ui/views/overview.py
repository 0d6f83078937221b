"""What the home and courses pages show, gathered from the domain in one call each (no Streamlit here).

`course_rows` answers "how far am I with each course"; `standing` answers "where do I stand and what do
I do next": certificates, exams in progress, renewals due, points and rank, the company's tier and gap,
and the courses to take next.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from hub_app.catalog import Catalog, Course
from hub_app.catalog.models import Tier
from hub_app.certification import certificates as certification
from hub_app.certification.records import Certificate
from hub_app.kernel import calendar
from hub_app.learning import exams
from hub_app.learning.records import Attempt, attempts_of
from hub_app.partners.permissions import require, sees_company
from hub_app.partners.records import COMPANIES, Company, User
from hub_app.recognition import points
from hub_app.store.base import Store
from hub_app.tiers import evaluation as tiers

CourseState = Literal["not_started", "in_progress", "certified", "expiring", "expired"]
_LEVELS = {"foundation": 0, "professional": 1, "expert": 2}


@dataclass(frozen=True)
class CourseRow:
    """One course as the learner sees it."""

    course: Course
    state: CourseState
    certificate: Certificate | None
    attempt: Attempt | None  # the open one
    for_me: bool  # the audience includes my partner type and job role


@dataclass(frozen=True)
class HeldCertificate:
    """A certificate with its status and the course it certifies."""

    certificate: Certificate
    status: certification.Status
    course: Course | None


@dataclass(frozen=True)
class TierView:
    """The company's tier, the tier to work towards and what it lacks, and any tier at risk before the review.

    The target is the next tier up; when the company no longer meets its own tier (`below`), it is that tier.
    """

    company: Company
    tier: Tier
    target: Tier | None
    below: bool
    gap: tiers.Gap | None  # what the target tier still asks for (None without a target)
    at_risk_on: date | None
    next_review: datetime


@dataclass(frozen=True)
class Standing:
    """Everything the home page shows."""

    certificates: tuple[HeldCertificate, ...]
    in_progress: tuple[tuple[Attempt, Course], ...]
    renewals: tuple[HeldCertificate, ...]  # expiring or expired, current certificates
    points_quarter: int
    rank: int | None  # None: not on the board (or no quarterly board)
    tier: TierView | None
    recommended: tuple[Course, ...]


def fits(course: Course, partner_type: str | None, job_role: str | None) -> bool:
    """True when the course's audience includes the partner type and the job role (unknown ones fit)."""
    audience = course.meta.audience
    return (partner_type is None or partner_type in audience.partner_types) and (
        job_role is None or job_role in audience.roles
    )


def course_state(held: Certificate | None, attempt: Attempt | None, catalog: Catalog, now: datetime) -> CourseState:
    """in_progress while an attempt is open; else the state of the current certificate; else not_started."""
    if attempt is not None:
        return "in_progress"
    if held is None:
        return "not_started"
    status = certification.status(held, catalog.program, now)
    return {"active": "certified", "expiring": "expiring"}.get(status, "expired")  # type: ignore[return-value]


def course_rows(actor: User, catalog: Catalog, store: Store, now: datetime) -> list[CourseRow]:
    """Every course with my state in it, courses for me first, then by level and title."""
    company = store.get(COMPANIES, actor.company_id) if actor.company_id else None
    mine = certification.certificates_of(actor, store, actor.id)
    rows = []
    for course in catalog.courses.values():
        held = certification.current(mine, course.id)
        attempt = _live_attempt(store, actor, course, now)
        rows.append(
            CourseRow(
                course,
                course_state(held, attempt, catalog, now),
                held,
                attempt,
                fits(course, company.type if company else None, actor.job_role),
            )
        )
    return sorted(rows, key=lambda r: (not r.for_me, _LEVELS[r.course.meta.level], r.course.title.en))


def _live_attempt(store: Store, actor: User, course: Course, now: datetime) -> Attempt | None:
    if course.exam is None:
        return None
    attempt = exams.open_attempt(store, actor.id, course.id)
    return attempt if attempt is not None and not exams.is_lapsed(attempt, now) else None


def standing(actor: User, catalog: Catalog, store: Store, now: datetime) -> Standing:
    """Where the person stands and what to do next."""
    rows = course_rows(actor, catalog, store, now)
    current = sorted((r.certificate for r in rows if r.certificate is not None), key=lambda c: c.expires)
    held = tuple(
        HeldCertificate(c, certification.status(c, catalog.program, now), catalog.courses.get(c.course_id))
        for c in current
    )
    renewals = tuple(h for h in held if h.status in ("expiring", "expired"))
    tier = tier_view(actor, catalog, store, now)
    return Standing(
        certificates=held,
        in_progress=tuple((r.attempt, r.course) for r in rows if r.attempt is not None),
        renewals=renewals,
        points_quarter=_quarter_points(actor, catalog, store, now),
        rank=_quarter_rank(actor, catalog, store, now),
        tier=tier,
        recommended=recommended(rows, tier),
    )


def _quarter_points(actor: User, catalog: Catalog, store: Store, now: datetime) -> int:
    since, until = calendar.window_bounds("quarter", now, catalog.program.program.timezone)
    return points.total(actor, store, actor.id, since, until)


def _quarter_rank(actor: User, catalog: Catalog, store: Store, now: datetime) -> int | None:
    # The leaderboard module is optional at this stage of the project; without it the rank is not shown.
    try:
        from hub_app.recognition import leaderboards
    except ImportError:
        return None
    if actor.company_id is None or "quarter" not in catalog.program.leaderboards.windows:
        return None
    board = leaderboards.people_board(actor, store, catalog.program, "quarter", now, top_n=1)
    return board.you.rank if board.you is not None and board.you.points > 0 else None


def tier_view(actor: User, catalog: Catalog, store: Store, now: datetime) -> TierView | None:
    """The actor's company tier and its gap (every member sees their own company's tier)."""
    if actor.company_id is None:
        return None
    require(sees_company(actor, store.get(COMPANIES, actor.company_id)), actor, "see your company's tier")
    facts = tiers.load_facts(store, actor.company_id)
    evaluation = tiers.evaluate_facts(catalog, facts, now)
    program = catalog.program
    held = program.tier(facts.company.tier)
    rank = program.tier_rank(held.id)
    below = program.tier_rank(evaluation.qualifies_for) < rank
    target = held if below else (program.tiers[rank + 1] if rank + 1 < len(program.tiers) else None)
    standing_now = tiers.standing_at(facts, program, now)
    return TierView(
        company=facts.company,
        tier=held,
        target=target,
        below=below,
        gap=tiers.gap_of(target.requirements, standing_now) if target else None,
        at_risk_on=evaluation.at_risk_on,
        next_review=evaluation.next_review,
    )


def recommended(rows: list[CourseRow], tier: TierView | None, limit: int = 3) -> tuple[Course, ...]:
    """Courses to take next: for me and closing the company's tier gap first, then the rest for my type and role,
    then other gap courses; courses whose prerequisites I hold before the others."""
    gap_courses = {c for r, _ in tier.gap.certifications for c in r.courses} if tier and tier.gap else set()
    done = {r.course.id for r in rows if r.state in ("certified", "expiring")}
    candidates = [r for r in rows if r.state in ("not_started", "expired") and r.course.exam is not None]

    def order(r: CourseRow) -> tuple[bool, bool, bool, bool, int]:
        gap, ready = r.course.id in gap_courses, set(r.course.meta.prerequisites) <= done
        return (not (gap and r.for_me), not r.for_me, not gap, not ready, _LEVELS[r.course.meta.level])

    picked = [r for r in sorted(candidates, key=order) if r.for_me or r.course.id in gap_courses]
    return tuple(r.course for r in picked[:limit])


def live_attempts(actor: User, catalog: Catalog, store: Store, now: datetime) -> list[tuple[Attempt, Course]]:
    """The actor's open attempts still on time, with their courses."""
    return [
        (a, catalog.courses[a.course_id])
        for a in attempts_of(store, actor.id)
        if a.is_open and not exams.is_lapsed(a, now) and a.course_id in catalog.courses
    ]
