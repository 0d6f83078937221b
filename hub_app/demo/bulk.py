"""The program-scale demo world: 1,000 companies, 10,000 people, 100,000 attempts, 500,000 ledger entries.

Playing this through the domain one call at a time would take long, so records are written directly,
in one transaction per batch of companies, but by the domain's own rules: items are drawn with
`exams.draw` and graded with `grading.grade`, a certificate always follows a passing attempt (renewals
running on from the old expiry), and ledger keys are the ones `submission` and `points` make.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from hub_app.catalog import Catalog
from hub_app.certification import certificates as certification
from hub_app.certification.records import CERTIFICATES, Certificate
from hub_app.demo.history import answers_for
from hub_app.demo.names import INDUSTRIES, REGION_COUNTRIES, person_name, synthetic_company
from hub_app.demo.world import FUNDAMENTALS, HISTORY_MONTHS, IMPLEMENTATION, INTEGRATION, SALES, staff
from hub_app.kernel import calendar
from hub_app.learning import exams, grading
from hub_app.learning.records import ATTEMPTS, Attempt
from hub_app.partners import records as partner_records
from hub_app.partners.records import PARTNER_ADMIN, PARTNER_USER, Company, User
from hub_app.recognition import points
from hub_app.recognition.records import LEDGER, LedgerEntry
from hub_app.store.base import Store
from hub_app.tiers import reviews as tier_reviews
from hub_app.tiers.records import KpiRecord, record_kpi

COMPANIES, USERS, ATTEMPTS_EACH, LEDGER_TOTAL = 1000, 10_000, 12, 500_000
BATCH = 25  # companies per transaction
_TYPES = (("si", 30), ("var", 25), ("isv", 18), ("technology", 10), ("consultant", 17))


class _Bulk:
    def __init__(self, store: Store, catalog: Catalog, now: datetime, rng: random.Random, password_hash: str):
        self.store, self.catalog, self.now, self.rng, self.hash = store, catalog, now, rng, password_hash
        self.start = now - relativedelta(months=HISTORY_MONTHS)
        self.admin, self.managers = staff(password_hash, self.start)
        self.ledger_left = LEDGER_TOTAL - store.count(LEDGER)
        self.companies_left = COMPANIES - store.count(partner_records.COMPANIES)
        self.users_left = USERS - store.count(partner_records.USERS)
        self.deals = 0

    def new_id(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def company(self, index: int) -> tuple[Company, list[User]]:
        rng = self.rng
        size = self.users_left // self.companies_left
        self.companies_left -= 1
        self.users_left -= size
        region = rng.choice(list(REGION_COUNTRIES))
        country = rng.choice(REGION_COUNTRIES[region])
        kind = rng.choices([t for t, _ in _TYPES], [w for _, w in _TYPES])[0]
        name = synthetic_company(index)
        company = Company(
            self.new_id(),
            name,
            kind,
            region,
            country,
            tuple(rng.sample(INDUSTRIES, 2)),
            "registered",
            self.managers[region].id,
            self.start - timedelta(days=rng.randint(0, 700)),
        )
        domain = "".join(ch for ch in name.lower() if ch.isalnum())
        people, taken = [], set()
        for i in range(size):
            display, local = person_name(rng, country)
            while local in taken:
                display, local = person_name(rng, country)
            taken.add(local)
            roles = frozenset({PARTNER_USER, PARTNER_ADMIN} if i == 0 else {PARTNER_USER})
            role = "executive" if i == 0 else rng.choice(("sales", "presales", "delivery", "developer"))
            created = self.start + timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23))
            people.append(
                User(self.new_id(), f"{local}@{domain}.example", display, company.id, roles, role, self.hash, created)
            )
        return company, people

    # --- exams -----------------------------------------------------------------------------------------
    def exams_of(self, user: User) -> tuple[list[Attempt], list[Certificate], list[LedgerEntry]]:
        """ATTEMPTS_EACH sittings in time order: a few fails, passes, certificates, renewals."""
        rng = self.rng
        build = [IMPLEMENTATION, INTEGRATION]
        rng.shuffle(build)
        plan = [FUNDAMENTALS, SALES, *build, SALES]  # the second Sales Professional is its renewal
        attempts: list[Attempt] = []
        certificates: list[Certificate] = []
        entries: list[LedgerEntry] = []
        keys: set[str] = set()
        when = user.created + timedelta(days=rng.randint(1, 20))
        course_index, fails = 0, 0
        while len(attempts) < ATTEMPTS_EACH and course_index < len(plan):
            course_id = plan[course_index]
            held = certification.current(certificates, course_id)
            if held is not None:  # a renewal: inside the renewal window
                when = max(when, held.expires - timedelta(days=rng.randint(15, 55)))
            if when >= self.now - timedelta(days=1):
                break
            outcome = "fail" if fails < 3 and rng.random() < 0.6 else "pass"
            attempt = self.attempt(user, course_id, when, outcome, attempts)
            attempts.append(attempt)
            if attempt.passed:
                self.certify(user, attempt, certificates, entries, keys)
                course_index, fails = course_index + 1, 0
                when += timedelta(days=rng.randint(5, 60), hours=rng.randint(0, 8))
            else:
                fails += 1
                # Far enough apart that three fails and a pass never fall in one 30-day window.
                when += timedelta(days=rng.randint(11, 16), hours=rng.randint(0, 8))
        return attempts, certificates, entries

    def attempt(self, user: User, course_id: str, when: datetime, outcome: str, before: list[Attempt]) -> Attempt:
        course, exam = exams.course_exam(self.catalog, course_id)
        seen = {d.item_id for a in before if a.course_id == course_id for d in a.items}
        seed = self.rng.getrandbits(32)
        drawn = Attempt(
            self.new_id(),
            user.id,
            course_id,
            course.version,
            seed,
            when,
            when + timedelta(minutes=exam.time_limit_minutes),
            exams.draw(exam, seen, seed),
        )
        answers = answers_for(self.catalog, drawn, outcome, self.rng)
        grade = grading.grade(exam, drawn.items, answers, exams.pass_mark(course))
        done = when + timedelta(minutes=self.rng.randint(10, exam.time_limit_minutes - 2))
        return replace(
            drawn,
            answers=answers,
            submitted_at=done,
            score_pct=grade.score_pct,
            passed=grade.passed,
            domain_scores=grade.domain_scores,
        )

    def certify(
        self, user: User, attempt: Attempt, certs: list[Certificate], entries: list[LedgerEntry], keys: set[str]
    ) -> None:
        """What `certification.certify` and `submission._award` would write for this pass."""
        course = self.catalog.course(attempt.course_id)
        at = attempt.submitted_at
        assert at is not None and course.certification is not None
        held = certification.current(certs, course.id)
        held_status = certification.status(held, self.catalog.program, at) if held else "expired"
        still_valid = held is not None and held_status in ("active", "expiring")
        issued = None
        if not (still_valid and held_status == "active"):
            start = held.expires if still_valid and held else at
            issued = Certificate(
                self.new_id(),
                certification.new_verification_code(),
                user.id,
                user.company_id,
                course.id,
                course.version,
                at,
                start + relativedelta(months=course.certification.validity_months),
                renews=held.id if still_valid and held else None,
            )
            certs.append(issued)
        wanted = [("course_first_pass", f"course_first_pass:{user.id}:{course.id}")]
        if issued is not None:
            major = course.major_version
            wanted.append(("certification_earned", f"certification_earned:{user.id}:{course.id}:{major}"))
        if attempt.score_pct == 100:
            wanted.append(("perfect_score", f"perfect_score:{user.id}:{course.id}"))
        if issued is not None and issued.renews is not None and held is not None:
            wanted.append(("on_time_renewal", points.renewal_key(user.id, course.id, held.expires)))
        for rule, key in wanted:
            if key not in keys:
                keys.add(key)
                entries.append(self.entry(user, rule, key, at))

    def entry(self, user: User, rule_id: str, key: str, at: datetime) -> LedgerEntry:
        rule = self.catalog.program.points.rule(rule_id)
        assert rule is not None
        return LedgerEntry(self.new_id(), user.id, user.company_id, rule_id, rule.points, at, key)

    # --- deals, events, KPIs -----------------------------------------------------------------------------
    def activity_of(self, user: User, count: int) -> list[LedgerEntry]:
        """`count` deals won and events attended, within the caps (10 deals a quarter, 4 events a month)."""
        rng, entries = self.rng, []
        months = max(1, (self.now - user.created).days // 31)
        for i in range(count):
            month = user.created + relativedelta(months=i % months, days=rng.randint(0, 27), hours=rng.randint(0, 23))
            if month >= self.now:
                continue
            if i % 2 and user.job_role in ("sales", "presales", "executive") and i % 6 < 3:
                self.deals += 1
                source = f"QS-DR-{month:%Y}-{self.deals:06d}"
                entries.append(self.entry(user, "deal_won", f"deal_won:{user.id}:{source}", month))
            else:
                source = f"partner-webinar-{month:%Y-%m}-{i // months}"
                entries.append(self.entry(user, "event_attended", f"event_attended:{user.id}:{source}", month))
        return entries

    def kpis_of(self, company: Company) -> list[KpiRecord]:
        level = self.rng.choice((0.3, 0.6, 1.2, 1.2, 3, 6, 25))  # of silver's revenue: a spread over the tiers
        found: list[KpiRecord] = []
        quarter = calendar.quarter_start(self.start)
        while (recorded := quarter + relativedelta(months=3, days=self.rng.randint(5, 20))) < self.now:
            growth = 1 + 0.05 * len(found)
            revenue = round(50_000 * level * growth * self.rng.uniform(0.85, 1.15), -2)
            customers = max(0, int(level * 3 * growth * self.rng.uniform(0.8, 1.6)))
            period = calendar.quarter_label(quarter)
            found.append(
                KpiRecord(
                    company.id,
                    period,
                    revenue,
                    customers,
                    round(self.rng.uniform(3.8, 4.9), 1),
                    company.channel_manager_id or self.admin.id,
                    recorded,
                )
            )
            quarter += relativedelta(months=3)
        return found


def seed_program(
    store: Store,
    catalog: Catalog,
    now: datetime,
    rng: random.Random,
    password_hash: str,
    report: Callable[[str, int, int], None],
) -> None:
    """Grow the store (holding the demo world and its staff) to the program's size, then review the tiers."""
    bulk = _Bulk(store, catalog, now, rng, password_hash)
    companies: list[Company] = []
    total = bulk.companies_left
    for first in range(0, total, BATCH):
        with store.transaction():
            for index in range(first, min(first + BATCH, total)):
                companies.append(_write_company(store, bulk, index))
        report("Companies, people, exams and points", len(companies), total)
    _set_tiers(store, catalog, companies, now, report)


def _write_company(store: Store, bulk: _Bulk, index: int) -> Company:
    company, people = bulk.company(index)
    store.add(partner_records.COMPANIES, company)
    for kpi in bulk.kpis_of(company):
        record_kpi(store, kpi)
    for n, user in enumerate(people):
        store.add(partner_records.USERS, user)
        attempts, certificates, entries = bulk.exams_of(user)
        users_left = bulk.users_left + len(people) - n
        entries += bulk.activity_of(user, max(0, bulk.ledger_left // users_left - len(entries)))
        for attempt in attempts:
            store.add(ATTEMPTS, attempt)
        for certificate in certificates:
            store.add(CERTIFICATES, certificate)
        for entry in entries:
            bulk.ledger_left -= store.append(LEDGER, entry)
    return company


def _set_tiers(
    store: Store, catalog: Catalog, companies: list[Company], now: datetime, report: Callable[[str, int, int], None]
) -> None:
    """Each company at the tier it qualified for a quarter ago; today's review proposes the changes since."""
    from hub_app.tiers import evaluation as tiers

    before = now - relativedelta(months=3)
    for first in range(0, len(companies), 100):
        with store.transaction():
            for company in companies[first : first + 100]:
                facts = tiers.load_facts(store, company.id)
                tier = tiers.qualified_tier(catalog.program, tiers.standing_at(facts, catalog.program, before))
                store.replace(partner_records.COMPANIES, replace(company, tier=tier.id))
        report("Tiers", min(first + 100, len(companies)), len(companies))
    admin = next(u for u in store.select(partner_records.USERS) if u.has_role("program_admin"))
    with store.transaction():
        tier_reviews.evaluate_all(admin, store, catalog, now)
