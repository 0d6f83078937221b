"""18 months of the demo world, played through the real domain functions with an injected clock.

Exams are sat with `exams.start_attempt` and `submission.submit` (so certificates, renewals and points
are what the hub itself would have made), KPIs go through `kpis.record_kpis`, deals and events through
`points.record_event`, and every quarter the tiers are reviewed with `tier_reviews.evaluate_all` and the
channel managers decide the proposals. Everything happens in time order, from one seeded `random.Random`.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from hub_app.catalog import Catalog
from hub_app.catalog.models import MultipleItem, NumericItem, ShortTextItem, SingleItem, TrueFalseItem
from hub_app.certification import certificates as certification
from hub_app.certification.records import certificates_of_company
from hub_app.demo.world import FUNDAMENTALS, INTEGRATION, SALES, CompanyPlan, PersonPlan, World
from hub_app.kernel import calendar
from hub_app.learning import attempt_policy, exams, grading, submission
from hub_app.learning.records import Answer, Attempt
from hub_app.partners.records import COMPANIES, USERS, User
from hub_app.recognition import points
from hub_app.recognition.records import ledger
from hub_app.store.base import Store
from hub_app.tiers import kpis
from hub_app.tiers import reviews as tier_reviews
from hub_app.tiers.evaluation import next_review

Action = Callable[[datetime], None]
_HOURS = {"apac": (1, 9), "china": (1, 9), "emea": (7, 16), "amer": (14, 22)}  # working hours, UTC
_WEBINARS = (
    "Insight SLA dashboards webinar",
    "Connector SDK office hours",
    "Flow roadmap briefing",
    "Partner pricing update",
    "Renewal playbook webinar",
    "Security and compliance deep dive",
)
_REGIONAL = {
    "apac": ("Quillstack Partner Summit Singapore", "Sydney Partner Day", "Bengaluru Builders Meetup"),
    "china": ("Quillstack Connect Shanghai", "Hong Kong Partner Breakfast", "Taipei Partner Workshop"),
    "emea": ("EMEA Partner Day London", "Berlin Automation Forum", "Dubai Partner Roundtable"),
    "amer": ("Americas Partner Kickoff Austin", "Toronto Partner Roundtable", "São Paulo Partner Day"),
}
_ADJUSTMENTS = (
    (200, "Spoke about a joint customer project at the regional partner summit"),
    (150, "Published a customer case study with Quillstack marketing"),
    (300, "Shared a connector template in the Quillstack Exchange"),
    (100, "Mentored two new colleagues through the Integration Specialist track"),
    (-25, "Correction: event attendance recorded for the wrong person"),
)
_DEAL_RATE = {"var": 0.45, "si": 0.35, "isv": 0.2, "technology": 0.15, "consultant": 0.15}
_TIER_PACE = {"registered": 0.4, "silver": 0.8, "gold": 1.2, "platinum": 1.6}


class History:
    """A time-ordered queue of actions on the store; `run` plays it, `plan` fills it."""

    def __init__(self, store: Store, catalog: Catalog, world: World, rng: random.Random):
        self.store, self.catalog, self.world, self.rng = store, catalog, world, rng
        self.program = catalog.program
        self._queue: list[tuple[datetime, int, Action]] = []
        self._seq = itertools.count()
        self._deals = itertools.count(1)
        self.skipped = 0  # planned sittings the attempt policy refused (should stay 0)

    # --- the queue ---------------------------------------------------------------------------------
    def at(self, when: datetime, action: Action) -> None:
        """Do `action(when)` at `when` (ignored when that is not before now)."""
        if when < self.world.now:
            heapq.heappush(self._queue, (when, next(self._seq), action))

    def run(self, on_step: Callable[[int, int], None] | None = None) -> None:
        """Play every action in time order, one transaction per calendar month of history."""
        total, done = len(self._queue), 0
        while self._queue:
            month = self._queue[0][0].strftime("%Y-%m")
            with self.store.transaction():
                while self._queue and self._queue[0][0].strftime("%Y-%m") == month:
                    when, _, action = heapq.heappop(self._queue)
                    action(when)
                    done += 1
            if on_step is not None:
                on_step(done, max(total, done + len(self._queue)))

    # --- planning ------------------------------------------------------------------------------------
    def plan(self) -> None:
        """Queue every company's exams, KPIs, deals and events, the quarterly reviews and a few corrections."""
        for plan in self.world.plans:
            for person in plan.people:
                self._plan_exams(plan, person)
            self._plan_kpis(plan)
            self._plan_deals(plan)
        self._plan_events()
        self._plan_reviews()
        self._plan_corrections()

    def _work_time(self, day: datetime, region: str) -> datetime:
        first, last = _HOURS[region]
        base = day.replace(hour=0, minute=0, second=0, microsecond=0)
        return base + timedelta(hours=self.rng.randint(first, last), minutes=self.rng.randint(0, 59))

    def _plan_exams(self, plan: CompanyPlan, person: PersonPlan) -> None:
        rng, now, region = self.rng, self.world.now, plan.company.region
        earliest = person.user.created + timedelta(days=2)
        if plan.profile == "at_risk" and not person.renews:  # the showcase's Mei Tan
            lapsing = self._lapsing_pass_time()
            self.at(lapsing - timedelta(days=rng.randint(20, 60)), self._sit(person, FUNDAMENTALS, "pass"))
            self.at(lapsing, self._sit(person, SALES, "pass"))
            return
        for course, due in person.courses:
            if due is not None:
                when = self._work_time(max(earliest, due - timedelta(days=rng.randint(3, 40))), region)
            else:
                span = (now - earliest).days - 3
                if span < 1:
                    continue
                when = self._work_time(earliest + timedelta(days=rng.randint(0, span)), region)
            when = max(when, earliest)
            if when >= now - timedelta(hours=2):
                continue
            self._plan_fails(person, course, when, earliest)
            self.at(when, self._sit(person, course, "pass"))
            earliest = when + timedelta(days=rng.randint(2, 20))
        taken = {course for course, _ in person.courses}
        untaken = [c for c in (FUNDAMENTALS, SALES, INTEGRATION) if c not in taken]
        if untaken and rng.random() < 0.1:  # a recent fail at the next exam: cooling down, or studying
            course = FUNDAMENTALS if FUNDAMENTALS in untaken else rng.choice(untaken)
            self.at(self._work_time(now - timedelta(days=rng.randint(1, 6)), region), self._sit(person, course, "fail"))

    def _plan_fails(self, person: PersonPlan, course: str, passed: datetime, earliest: datetime) -> None:
        fails = 2 if self.rng.random() < 0.07 else 1 if self.rng.random() < 0.25 else 0
        when = passed
        for _ in range(fails):
            when -= timedelta(days=self.rng.randint(2, 9), hours=self.rng.randint(0, 5))
            if when > earliest:
                self.at(when, self._sit(person, course, "fail"))

    def _lapsing_pass_time(self) -> datetime:
        """When the showcase's Sales Professional was passed: it lapses a few weeks before the next review."""
        now = self.world.now
        days = max(1, min(17, (next_review(self.program, now) - now).days // 2))
        return now + timedelta(days=days) - relativedelta(months=12) - timedelta(minutes=25)

    # --- exams ---------------------------------------------------------------------------------------
    def _sit(self, person: PersonPlan, course_id: str, outcome: str) -> Action:
        def sit(when: datetime) -> None:
            user = person.user
            try:
                attempt = exams.start_attempt(user, self.catalog, self.store, course_id, when, self.rng.getrandbits(32))
            except exams.PrerequisitesMissing as e:
                # Exams are played in prerequisite order: pass what it builds on first, sit it a day later.
                for prerequisite in e.missing:
                    self._sit(person, prerequisite, "pass")(when)
                self.at(when + timedelta(days=1), self._sit(person, course_id, outcome))
                return
            except (attempt_policy.AttemptsExhausted, attempt_policy.CoolingDown, exams.AlreadyCertified):
                self.skipped += 1
                return
            done = when + timedelta(minutes=self.rng.randint(12, 28))
            answers = self._answers(attempt, outcome)
            result = submission.submit(user, attempt.id, answers, self.catalog, self.store, done)
            if result.certificate is not None and result.certificate.course_id == SALES:
                self._plan_renewal(person, certification.lapses_at(result.certificate))

        return sit

    def _plan_renewal(self, person: PersonPlan, expires: datetime) -> None:
        rng, now = self.rng, self.world.now
        if not person.renews or (not person.critical and rng.random() < 0.3):
            return
        window = timedelta(days=self.program.tier_review.renewal_window_days)
        when = expires - timedelta(days=rng.randint(3, window.days - 5))
        if person.critical and expires - window < now - timedelta(days=2):
            when = min(when, now - timedelta(days=rng.randint(1, 2)))  # the tier needs it: renewed on time
        # The exam opens again only in the renewal window (exams.AlreadyCertified): a fail first is inside it too.
        fails_first = rng.random() < 0.2
        when = max(when, expires - window + timedelta(days=2 if fails_first else 0, hours=6))
        if fails_first:
            self.at(when - timedelta(days=2), self._sit(person, SALES, "fail"))
        self.at(when, self._sit(person, SALES, "pass"))

    def _answers(self, attempt: Attempt, outcome: str) -> dict[str, Answer]:
        return answers_for(self.catalog, attempt, outcome, self.rng)

    # --- KPIs, deals and events ----------------------------------------------------------------------
    def _plan_kpis(self, plan: CompanyPlan) -> None:
        zone = ZoneInfo(self.program.program.timezone)
        manager = self.world.managers[plan.company.region]
        local = self.world.start.astimezone(zone)
        q_start = calendar.quarter_start(local)
        while True:
            q_end = q_start + relativedelta(months=3)
            recorded = q_end + timedelta(days=self.rng.randint(5, 20), hours=self.rng.randint(1, 8))
            if plan.drop_at is not None and q_end < plan.drop_at <= q_end + timedelta(days=30):
                recorded = plan.drop_at
            if recorded >= self.world.now:
                break
            if q_end > plan.company.joined:
                period = calendar.quarter_label(q_start)
                self.at(recorded, self._kpi(plan, manager, period))
            q_start = q_end

    def _kpi(self, plan: CompanyPlan, manager: User, period: str) -> Action:
        def record(when: datetime) -> None:
            reached = [tier for tier, at in plan.path if at - timedelta(days=60) <= when]
            revenue, customers, csat = self._figures(reached[-1] if reached else "registered")
            if plan.drop_at is not None and when >= plan.drop_at:
                gold = self.program.tier("gold").requirements
                if plan.profile == "grace":
                    csat = round(self.rng.uniform(3.8, (gold.csat or 4.2) - 0.1), 1)
                else:
                    revenue = round(gold.revenue_12m * self.rng.uniform(0.55, 0.8), -3)
            kpis.record_kpis(
                manager,
                self.store,
                plan.company.id,
                period=period,
                revenue_12m=revenue,
                customers=customers,
                csat=csat,
                now=when,
            )

        return record

    def _figures(self, tier_id: str) -> tuple[float, int, float]:
        """Revenue, customers and CSAT comfortably inside a tier (and short of the next one)."""
        tiers = self.program.tiers
        rank = self.program.tier_rank(tier_id)
        req, above = tiers[rank].requirements, tiers[rank + 1].requirements if rank + 1 < len(tiers) else None
        if rank == 0:
            return (
                round(self.rng.uniform(4000, (above.revenue_12m if above else 50000) * 0.85), -2),
                self.rng.randint(0, 2),
                round(self.rng.uniform(3.6, 4.6), 1),
            )
        top = above.revenue_12m * 0.9 if above else req.revenue_12m * 2.5
        revenue = round(self.rng.uniform(req.revenue_12m * 1.05, top), -3)
        customers = self.rng.randint(req.customers, (above.customers - 1) if above else req.customers + 20)
        floor = (req.csat or 3.7) + 0.1
        return revenue, customers, round(self.rng.uniform(floor, min(4.9, floor + 0.4)), 1)

    def _plan_deals(self, plan: CompanyPlan) -> None:
        rate = _DEAL_RATE[plan.company.type] * _TIER_PACE[plan.target]
        manager = self.world.managers[plan.company.region]
        for person in plan.people:
            if person.user.job_role not in ("sales", "presales", "executive"):
                continue
            day = person.user.created + timedelta(days=20)
            while day < self.world.now:
                if self.rng.random() < rate:
                    self.at(self._work_time(day, plan.company.region), self._deal(manager, person.user))
                day += timedelta(days=30)

    def _deal(self, manager: User, user: User) -> Action:
        def won(when: datetime) -> None:
            source = f"QS-DR-{when:%Y}-{next(self._deals):05d}"
            points.record_event(manager, self.store, self.program, user.id, "deal_won", source, when)

        return won

    def _plan_events(self) -> None:
        """A webinar every two months for everyone, and a regional partner event every quarter."""
        start, now = self.world.start, self.world.now
        for month in range(0, 18, 2):
            day = start + relativedelta(months=month, days=12)
            name = _WEBINARS[month // 2 % len(_WEBINARS)]
            self.at(day.replace(hour=8, minute=0), self._event(name, day, None, 0.15))
        for region, names in _REGIONAL.items():
            for i, month in enumerate(range(1, 18, 3)):
                day = start + relativedelta(months=month, days=self.rng.randint(0, 20))
                hour = _HOURS[region][0] + 1
                self.at(day.replace(hour=hour, minute=0), self._event(names[i % len(names)], day, region, 0.3))
        del now

    def _event(self, name: str, day: datetime, region: str | None, share: float) -> Action:
        def attended(when: datetime) -> None:
            source = f"{name.lower().replace(' ', '-')}-{when:%Y-%m}"
            for plan in self.world.plans:
                if region is not None and plan.company.region != region:
                    continue
                manager = self.world.managers[plan.company.region]
                for person in plan.people:
                    if person.user.created <= when and self.rng.random() < share:
                        points.record_event(
                            manager, self.store, self.program, person.user.id, "event_attended", source, when
                        )

        return attended

    # --- reviews and corrections ---------------------------------------------------------------------
    def _plan_reviews(self) -> None:
        review = next_review(self.program, self.world.start)
        while review < self.world.now:
            self.at(review + timedelta(hours=1), self._review)
            review = next_review(self.program, review + timedelta(hours=1))

    def _review(self, when: datetime) -> None:
        summary = tier_reviews.evaluate_all(self.world.admin, self.store, self.catalog, when)
        steady = {p.company.id for p in self.world.plans if p.profile == "steady"}
        for outcome in summary.outcomes:
            proposal = outcome.proposed
            if proposal is None:
                continue
            decide_at = when + timedelta(days=self.rng.randint(1, 6), hours=self.rng.randint(0, 8))
            reject = proposal.kind == "promote" and proposal.company_id in steady and self.rng.random() < 0.1
            self.at(decide_at, self._decision(proposal.id, proposal.company_id, reject))

    def _decision(self, proposal_id: str, company_id: str, reject: bool) -> Action:
        def decide(when: datetime) -> None:
            company = self.store.get(COMPANIES, company_id)
            manager = (
                self.store.get(USERS, company.channel_manager_id) if company and company.channel_manager_id else None
            )
            actor = manager or self.world.admin
            if reject:
                note = "Revisit next quarter, once the new delivery team has certified."
                tier_reviews.reject(actor, self.store, proposal_id, when, note)
            else:
                tier_reviews.approve(actor, self.store, proposal_id, when)

        return decide

    def _plan_corrections(self) -> None:
        """A few manual adjustments with reasons, a reversed deal and a revoked certificate."""
        now, plans = self.world.now, self.world.plans
        people = [(plan, person) for plan in plans for person in plan.people]
        for amount, reason in _ADJUSTMENTS:
            plan, person = self.rng.choice(people)
            manager = self.world.managers[plan.company.region]
            when = self._work_time(now - timedelta(days=self.rng.randint(5, 150)), plan.company.region)
            self.at(when, functools.partial(self._adjust, manager, person.user.id, amount, reason))
        self.at(now - timedelta(days=self.rng.randint(20, 40)), self._reverse_a_deal)
        registered = [p for p in plans if p.target == "registered" and p.profile == "steady"]
        self.at(now - timedelta(days=self.rng.randint(10, 30)), lambda at: self._revoke(registered, at))

    def _adjust(self, manager: User, user_id: str, amount: int, reason: str, at: datetime) -> None:
        points.adjust(manager, self.store, user_id, amount, reason, at, limits=self.program.points.adjustments)

    def _reverse_a_deal(self, when: datetime) -> None:
        deals = [e for e in ledger(self.store, when - timedelta(days=120), when) if e.rule == "deal_won"]
        if deals:
            entry = self.rng.choice(deals)
            user = self.store.get(USERS, entry.user_id)
            company = self.store.get(COMPANIES, user.company_id) if user and user.company_id else None
            actor = (
                self.store.get(USERS, company.channel_manager_id) if company and company.channel_manager_id else None
            )
            source = entry.idempotency_key.rsplit(":", 1)[-1]
            reason = f"Deal {source} was cancelled by the customer within 30 days."
            points.reverse(actor or self.world.admin, self.store, entry.id, reason, when)

    def _revoke(self, plans: list[CompanyPlan], when: datetime) -> None:
        held = [
            c
            for plan in plans
            for c in certificates_of_company(self.store, plan.company.id)
            if certification.status(c, self.program, when) == "active"
        ]
        if held:
            cert = self.rng.choice(held)
            reason = "Exam answers were shared on a public forum; revoked after a review with the partner."
            certification.revoke(self.world.admin, self.store, cert.id, reason, when)


def play(
    store: Store, catalog: Catalog, world: World, rng: random.Random, on_step: Callable[[int, int], None] | None = None
) -> History:
    """Queue and play the world's 18 months, then review every tier as of now."""
    history = History(store, catalog, world, rng)
    history.plan()
    history.run(on_step)
    with store.transaction():
        tier_reviews.evaluate_all(world.admin, store, catalog, world.now)
    return history


def answers_for(catalog: Catalog, attempt: Attempt, outcome: str, rng: random.Random) -> dict[str, Answer]:
    """Answers that pass (now and then perfectly) or fail the attempt's pass mark."""
    course, exam = exams.course_exam(catalog, attempt.course_id)
    n, mark = len(attempt.items), exams.pass_mark(course)
    may_miss = int(n * (100 - mark) / 100)
    wrong = 0 if rng.random() < 0.15 else rng.randint(0, may_miss)
    if outcome == "fail":
        wrong = rng.randint(may_miss + 1, min(n, may_miss + 5))
    missed = set(rng.sample(range(n), wrong))
    answers: dict[str, Answer] = {}
    for i, drawn in enumerate(attempt.items):
        item = exam.item(drawn.item_id)
        key = grading.correct_answer(item, drawn)
        answers[drawn.item_id] = _wrong(item, key, rng) if i in missed else key
    return answers


def _wrong(item: object, key: Answer, rng: random.Random) -> Answer:
    if isinstance(item, SingleItem):
        return next(p for p in range(len(item.options)) if p != key)
    if isinstance(item, MultipleItem):
        return tuple(p for p in range(len(item.options)) if p not in key)[:1]  # type: ignore[operator]
    if isinstance(item, TrueFalseItem):
        return not key
    if isinstance(item, ShortTextItem):
        return rng.choice(("not sure", "the scheduler", "a webhook"))
    assert isinstance(item, NumericItem)
    return float(item.answer) + 10 * (item.tolerance + 1)
