"""Awards and leaderboard rewards of a closed quarter: who wins, by which published rule, and what they get.

program.yml's ``awards`` names the award programs (sales champion: most won deal value; best partner: a
weighted score of won revenue, certifications gained and CSAT; most improved: the largest gain in points)
and the leaderboard rewards (the top N of the quarter's people or company board). Closing a quarter ranks
every candidate, records each winner as an `Award` and credits reward points through the points ledger, all
in one transaction; a quarter closes once, so closing it again changes nothing.

What deals, certification and tiers know of the quarter arrives as `Facts` (gathered by
`hub_app.deals.results`, a floor above); the points come from the ledger here.

Ties (`hub_app.publishing.hall_of_fame.TIE_RULE`, published on the incentives page): the higher score
wins; on equal scores, whoever reached it first
(the earlier moment of the last deal, certificate or points entry that counted); then the name, A to Z.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from hub_app.catalog.models import Program, Reward, ScoreWeights, Text
from hub_app.kernel import calendar
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Day
from hub_app.partners.permissions import is_program_admin, require
from hub_app.partners.records import COMPANIES, USERS, Company, User
from hub_app.recognition.records import AWARDS, LEDGER, PERIODS_CLOSED, Award, LedgerEntry, PeriodClose, ledger
from hub_app.store.base import Store

AWARD_RULE = "award"  # the ledger rule of reward points (the reason names the award and period)
ZERO = Decimal(0)


class UnknownPeriod(HubError):
    msgid = "'{period}' is not a quarter; write it like 2026-Q3."

    def __init__(self, period: str):
        super().__init__(period=period)


class PeriodNotFinished(HubError):
    msgid = "{period} ends on {day}; close it once it has ended."

    def __init__(self, period: str, ends: datetime):
        super().__init__(period=period, day=Day(ends))


@dataclass(frozen=True)
class Count:
    """A subject's figure on one measure in the period and when its last counted fact happened."""

    value: Decimal
    reached: datetime


@dataclass(frozen=True)
class Facts:
    """What the rooms above recognition know of the period, per person or company id."""

    won_by_person: Mapping[str, Count] = field(default_factory=dict)
    won_by_company: Mapping[str, Count] = field(default_factory=dict)
    certifications_by_company: Mapping[str, Count] = field(default_factory=dict)
    csat_by_company: Mapping[str, Decimal] = field(default_factory=dict)
    unconverted: tuple[str, ...] = ()  # currencies of won deals without an exchange rate: left out


@dataclass(frozen=True)
class Winner:
    """One place of a result: a person (with their company) or a company, its score and its reward."""

    place: int
    user_id: str | None
    company_id: str | None
    score: Decimal
    reward: Reward


@dataclass(frozen=True)
class Result:
    """The winners of one award program or leaderboard reward (none: nobody scored)."""

    award_id: str
    name: Text
    kind: Literal["award", "leaderboard"]
    measure: str  # won_value, partner_score, points_gain or points
    winners: tuple[Winner, ...]


@dataclass(frozen=True)
class Closing:
    """A quarter's awards: as they would be (a preview) or as recorded (``closed`` set)."""

    period: str
    since: datetime
    until: datetime
    results: tuple[Result, ...]
    unconverted: tuple[str, ...]
    closed: PeriodClose | None = None
    already: bool = False  # True when this call found the quarter closed and changed nothing


# --- periods ---------------------------------------------------------------------------------------


def period_bounds(program: Program, period: str) -> tuple[datetime, datetime]:
    """The UTC bounds of a quarter label such as '2026-Q3', in the program's time zone."""
    found = calendar.QUARTER_LABEL.match(period.strip().upper())
    if found is None:
        raise UnknownPeriod(period)
    year, quarter = int(found.group(1)), int(found.group(2))
    inside = datetime(year, 3 * quarter - 2, 15, tzinfo=ZoneInfo(program.program.timezone))
    return calendar.window_bounds("quarter", inside, program.program.timezone)


def last_finished(program: Program, now: datetime) -> str:
    """The label of the latest quarter that has ended by ``now``."""
    since, _ = calendar.window_bounds("quarter", now, program.program.timezone)
    return _label(program, since - timedelta(days=1))


def previous_period(program: Program, period: str) -> str:
    """The quarter before ``period``."""
    since, _ = period_bounds(program, period)
    return _label(program, since - timedelta(days=1))


# --- ranking ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    user_id: str | None
    company_id: str | None
    score: Decimal
    reached: datetime
    name: str


def _ranked(candidates: list[_Candidate]) -> list[_Candidate]:
    """By the published tie rule: score down, then who reached it first, then name A-Z (then id, for order)."""
    scored = [c for c in candidates if c.score > 0]
    return sorted(scored, key=lambda c: (-c.score, c.reached, c.name.casefold(), c.user_id or c.company_id or ""))


def _person(store: Store, user_id: str) -> tuple[User, Company] | None:
    user = store.get(USERS, user_id)
    if user is None or not user.active or user.company_id is None:
        return None
    company = store.get(COMPANIES, user.company_id)
    return (user, company) if company is not None and company.active else None


def _company(store: Store, company_id: str | None) -> Company | None:
    company = store.get(COMPANIES, company_id) if company_id else None
    return company if company is not None and company.active else None


def _people(store: Store, counts: Mapping[str, Count]) -> list[_Candidate]:
    found = []
    for user_id, count in counts.items():
        who = _person(store, user_id)
        if who is not None:
            found.append(_Candidate(user_id, who[1].id, count.value, count.reached, who[0].display_name))
    return found


def _companies(store: Store, counts: Mapping[str, Count]) -> list[_Candidate]:
    found = []
    for company_id, count in counts.items():
        company = _company(store, company_id)
        if company is not None:
            found.append(_Candidate(None, company.id, count.value, count.reached, company.name))
    return found


def _points(entries: list[LedgerEntry], side: Literal["user", "company"]) -> dict[str, Count]:
    totals: dict[str, Count] = {}
    for e in entries:
        owner = e.user_id if side == "user" else e.company_id
        if owner is None:
            continue
        before = totals.get(owner)
        value = (before.value if before else ZERO) + e.points
        totals[owner] = Count(value, max(e.at, before.reached) if before else e.at)
    return totals


def _partner_scores(facts: Facts, weights: ScoreWeights, until: datetime) -> dict[str, Count]:
    parts = (
        (facts.won_by_company, weights.won_revenue),
        (facts.certifications_by_company, weights.certifications),
    )
    ids = set(facts.won_by_company) | set(facts.certifications_by_company) | set(facts.csat_by_company)
    scores: dict[str, Count] = {}
    for company_id in ids:
        total, reached = ZERO, None
        for counts, weight in parts:
            best = max((c.value for c in counts.values()), default=ZERO)
            mine = counts.get(company_id)
            if mine is not None and best > 0:
                total += Decimal(weight) * mine.value / best
                reached = mine.reached if reached is None else max(reached, mine.reached)
        csat = facts.csat_by_company.get(company_id)
        if csat is not None:
            total += Decimal(weights.csat) * csat / 5
        scores[company_id] = Count(total.quantize(Decimal("0.1")), reached or until)
    return scores


def _gains(this: dict[str, Count], last: dict[str, Count]) -> dict[str, Count]:
    return {k: Count(c.value - (last[k].value if k in last else ZERO), c.reached) for k, c in this.items()}


def compute(store: Store, program: Program, period: str, facts: Facts) -> tuple[Result, ...]:
    """Every award program's and leaderboard reward's winners for the period (nothing written)."""
    since, until = period_bounds(program, period)
    entries = ledger(store, since, until)
    before_since, _ = period_bounds(program, previous_period(program, period))
    earlier = ledger(store, before_since, since)
    people_points, company_points = _points(entries, "user"), _points(entries, "company")
    results: list[Result] = []
    for award in program.awards.programs:
        if award.measure == "won_value":
            counts = facts.won_by_person if award.subject == "person" else facts.won_by_company
        elif award.measure == "partner_score":
            assert award.weights is not None
            counts = _partner_scores(facts, award.weights, until)
        else:
            mine = people_points if award.subject == "person" else company_points
            counts = _gains(mine, _points(earlier, "user" if award.subject == "person" else "company"))
        candidates = _people(store, counts) if award.subject == "person" else _companies(store, counts)
        top = _ranked(candidates)[:1]
        results.append(Result(award.id, award.name, "award", award.measure, _winners(top, award.reward)))
    for reward in program.awards.leaderboard_rewards:
        pool = _people(store, people_points) if reward.board == "people" else _companies(store, company_points)
        top = _ranked(pool)[: reward.top]
        results.append(Result(reward.id, reward.name, "leaderboard", "points", _winners(top, reward.reward)))
    return tuple(results)


def _winners(top: list[_Candidate], reward: Reward) -> tuple[Winner, ...]:
    return tuple(Winner(i, c.user_id, c.company_id, c.score, reward) for i, c in enumerate(top, start=1))


# --- preview and close -----------------------------------------------------------------------------


def _require_admin(actor: User, period: str) -> None:
    require(is_program_admin(actor), actor, "close the period {period}", period=period)


def _finished(program: Program, period: str, now: datetime) -> tuple[datetime, datetime]:
    since, until = period_bounds(program, period)
    if until > now:
        raise PeriodNotFinished(calendar.quarter_label(since.astimezone(ZoneInfo(program.program.timezone))), until)
    return since, until


def preview(actor: User, store: Store, program: Program, period: str, facts: Facts, now: datetime) -> Closing:
    """What closing the period would give (or, once closed, what it gave): a program admin's check first."""
    _require_admin(actor, period)
    since, until = _finished(program, period, now)
    label = _label(program, since)
    done = store.get(PERIODS_CLOSED, label)
    if done is not None:
        return recorded(store, program, label)
    return Closing(label, since, until, compute(store, program, label, facts), facts.unconverted)


def close_period(actor: User, store: Store, program: Program, period: str, facts: Facts, now: datetime) -> Closing:
    """Record the period's awards and credit their points, once: a closed period is returned as it was."""
    _require_admin(actor, period)
    since, until = _finished(program, period, now)
    label = _label(program, since)
    with store.transaction():
        if store.get(PERIODS_CLOSED, label) is not None:
            return replace(recorded(store, program, label), already=True)
        results = compute(store, program, label, facts)
        count = 0
        for result in results:
            for winner in result.winners:
                _record(store, program, label, result, winner, now)
                count += 1
        store.add(PERIODS_CLOSED, PeriodClose(label, now, actor.id, count))
    return recorded(store, program, label)


def _label(program: Program, since: datetime) -> str:
    return calendar.quarter_label(since.astimezone(ZoneInfo(program.program.timezone)))


def _record(store: Store, program: Program, period: str, result: Result, winner: Winner, now: datetime) -> None:
    key = f"award:{period}:{result.award_id}:{winner.place}"
    reward = winner.reward
    award = Award(
        new_id(),
        period,
        result.award_id,
        result.kind,
        winner.place,
        winner.user_id,
        winner.company_id,
        winner.score,
        reward.points,
        Decimal(reward.mdf),
        program.program.currency,
        reward.badge or "",
        now,
        key,
    )
    if not store.append(AWARDS, award):
        return
    if reward.points and winner.user_id is not None:
        reason = f"{result.award_id} {period}"
        entry = LedgerEntry(new_id(), winner.user_id, winner.company_id, AWARD_RULE, reward.points, now, key, reason)
        store.append(LEDGER, entry)


def recorded(store: Store, program: Program, period: str) -> Closing:
    """A closed period's awards as recorded, grouped like a preview."""
    since, until = period_bounds(program, period)
    found = store.select(AWARDS, "period", period)
    names = {a.id: a.name for a in program.awards.programs} | {r.id: r.name for r in program.awards.leaderboard_rewards}
    measures = {a.id: a.measure for a in program.awards.programs}
    results = []
    for award_id in dict.fromkeys(a.award_id for a in found):
        mine = sorted((a for a in found if a.award_id == award_id), key=lambda a: a.place)
        winners = tuple(
            Winner(
                a.place,
                a.user_id,
                a.company_id,
                a.score,
                Reward(points=a.points, mdf=int(a.mdf), badge=a.badge or None),
            )
            for a in mine
        )
        name = names.get(award_id, Text(en=award_id))
        results.append(Result(award_id, name, mine[0].kind, measures.get(award_id, "points"), winners))
    return Closing(period, since, until, tuple(results), (), store.get(PERIODS_CLOSED, period))


# --- reading ---------------------------------------------------------------------------------------


def closed_periods(store: Store) -> list[PeriodClose]:
    """Every closed period, oldest first."""
    return store.select(PERIODS_CLOSED)


def awards_of_user(store: Store, user_id: str) -> list[Award]:
    """The person's awards (their own, not their company's), oldest first."""
    return store.select(AWARDS, "user", user_id)


def awards_of_company(store: Store, company_id: str) -> list[Award]:
    """Awards won by the company itself or by its people, oldest first."""
    return store.select(AWARDS, "company", company_id)


def mdf_bonuses(store: Store) -> list[Award]:
    """Awards carrying an MDF bonus, oldest first: for the funds room to credit to each company's fund once
    (its fund entry keyed by the award's ``idempotency_key``)."""
    return [a for a in store.select(AWARDS) if a.mdf > 0 and a.company_id is not None]


def latest_period(store: Store) -> str | None:
    """The most recent closed period, None before the first close."""
    found = closed_periods(store)
    return found[-1].period if found else None


@dataclass(frozen=True)
class Shown:
    """An award as a signed-in person sees it: names None where the winner chose not to be named."""

    award: Award
    person: str | None
    company: str | None
    you: bool  # the reader's own award, or their company's


def winners_seen_by(actor: User, store: Store, period: str) -> list[Shown]:
    """A closed period's winners as ``actor`` may see them (opted-out winners unnamed, except to themselves)."""
    require(actor.active, actor, "see leaderboards")
    found = []
    for award in store.select(AWARDS, "period", period):
        user = store.get(USERS, award.user_id) if award.user_id else None
        company = store.get(COMPANIES, award.company_id) if award.company_id else None
        own = (user is not None and user.id == actor.id) or (user is None and award.company_id == actor.company_id)
        person = user.display_name if user is not None and (own or not user.leaderboard_opt_out) else None
        company_shown = company is not None and (company.id == actor.company_id or not company.leaderboard_opt_out)
        if user is not None and person is None:
            company_shown = False  # an anonymous person's company would all but name them
        found.append(Shown(award, person, company.name if company and company_shown else None, own))
    return found


def awards_seen_by(actor: User, store: Store) -> list[Award]:
    """The reader's own awards and their company's, newest first."""
    require(actor.active, actor, "see leaderboards")
    mine = {a.id: a for a in awards_of_user(store, actor.id)}
    if actor.company_id is not None:
        mine |= {a.id: a for a in awards_of_company(store, actor.company_id) if a.user_id is None}
    return sorted(mine.values(), key=lambda a: (a.period, a.closed_at), reverse=True)
