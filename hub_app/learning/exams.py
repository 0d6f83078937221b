"""Exam attempts: drawing items by the blueprint, the attempt policy, and what the exam page may show.

The page only ever gets prompts and option texts (`PageItem`); keys and explanations stay here.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hub_app.catalog import Catalog, Course
from hub_app.catalog.models import Exam, MultipleItem, SingleItem
from hub_app.certification import certificates as certification
from hub_app.certification.records import certificates_of
from hub_app.kernel import messages as said
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.learning import attempt_policy, grading
from hub_app.learning.records import ATTEMPTS, Answer, Attempt, DrawnItem, attempts_of
from hub_app.partners.permissions import require, sees_user
from hub_app.partners.records import USERS, User
from hub_app.store.base import Store

GRACE = timedelta(minutes=2)
DEFAULT_PASS_MARK = 70  # for a course whose exam certifies nothing


class NoExam(HubError):
    msgid = "The course {course} has no exam. Pick a course with an exam from the catalog."

    def __init__(self, course_id: str):
        super().__init__(course=said.Course(course_id))
        self.course_id = course_id


class AttemptNotFound(HubError):
    msgid = "No exam attempt '{attempt_id}'. Start the exam again from its course page."

    def __init__(self, attempt_id: str):
        super().__init__(attempt_id=attempt_id)
        self.attempt_id = attempt_id


class AttemptClosed(HubError):
    msgid = "This attempt at {course} was already submitted on {time}. Start a new attempt to try again."

    def __init__(self, attempt: Attempt):
        assert attempt.submitted_at is not None
        super().__init__(course=said.Course(attempt.course_id), time=said.Moment(attempt.submitted_at))
        self.attempt = attempt


class DeadlinePassed(HubError):
    msgid = "Time is up: the attempt at {course} closed at {time}; the answers saved by then were graded."

    def __init__(self, attempt: Attempt):
        super().__init__(course=said.Course(attempt.course_id), time=said.Moment(attempt.deadline + GRACE))
        self.attempt = attempt


MAX_ANSWER_CHARS = 200  # a short text or numeric answer; more is not an answer, it fills the database
MAX_ANSWER_CHOICES = 50


class AnswerTooLong(HubError):
    msgid = "The answer to item '{item_id}' is too long (at most {limit}). Shorten it and try again."

    def __init__(self, item_id: str, limit: str):
        super().__init__(item_id=item_id, limit=limit)
        self.item_id, self.limit = item_id, limit


def check_answers(answers: Mapping[str, Answer]) -> None:
    """AnswerTooLong for the first answer over its size limit (before anything is stored)."""
    for item_id, answer in answers.items():
        if isinstance(answer, str) and len(answer) > MAX_ANSWER_CHARS:
            raise AnswerTooLong(item_id, f"{MAX_ANSWER_CHARS} characters")
        if isinstance(answer, tuple | list) and len(answer) > MAX_ANSWER_CHOICES:
            raise AnswerTooLong(item_id, f"{MAX_ANSWER_CHOICES} choices")


class PrerequisitesMissing(HubError):
    msgid = "{course} builds on {missing}: pass that first, then take this exam."

    def __init__(self, course_id: str, missing: tuple[str, ...]):
        super().__init__(course=said.Course(course_id), missing=said.Items([said.Course(m) for m in missing]))
        self.course_id, self.missing = course_id, missing


class AlreadyCertified(HubError):
    msgid = "You are certified in {course} until {until}. Renewal opens on {opens}: take the exam again from then."

    def __init__(self, course_id: str, until: datetime, opens: datetime):
        super().__init__(course=said.Course(course_id), until=said.Day(until), opens=said.Day(opens))
        self.course_id, self.until, self.opens = course_id, until, opens


@dataclass(frozen=True)
class PageItem:
    """What the exam page shows for one item: never its key or explanation."""

    item_id: str
    number: int
    type: str
    prompt: str
    options: tuple[str, ...]  # in displayed order; empty for true/false, short text and numeric items


def course_exam(catalog: Catalog, course_id: str) -> tuple[Course, Exam]:
    """The course and its exam (NoExam when it has none)."""
    course = catalog.courses.get(course_id)
    if course is None or course.exam is None:
        raise NoExam(course_id)
    return course, course.exam


def pass_mark(course: Course) -> int:
    """The percentage needed to pass the course's exam."""
    return course.certification.pass_mark if course.certification else DEFAULT_PASS_MARK


def draw(exam: Exam, seen: set[str], seed: int) -> tuple[DrawnItem, ...]:
    """Items per the blueprint, unseen ones first, shuffled with their options; same seed, same draw."""
    rng = random.Random(seed)
    drawn: list[DrawnItem] = []
    for entry in exam.blueprint:
        pool = [item for item in exam.items if item.domain == entry.domain]
        rng.shuffle(pool)
        pool.sort(key=lambda item: item.id in seen)  # stable: unseen first, each group still shuffled
        drawn.extend(_frozen(item, rng) for item in pool[: entry.draw])
    rng.shuffle(drawn)
    return tuple(drawn)


def _frozen(item: object, rng: random.Random) -> DrawnItem:
    order: tuple[int, ...] = ()
    if isinstance(item, SingleItem | MultipleItem):
        order = tuple(rng.sample(range(len(item.options)), len(item.options)))
    return DrawnItem(item.id, item.version, order)  # type: ignore[attr-defined]


def is_lapsed(attempt: Attempt, now: datetime) -> bool:
    """True for an open attempt whose deadline and grace period have passed."""
    return attempt.is_open and now > attempt.deadline + GRACE


def close_lapsed(catalog: Catalog, store: Store, user_id: str, course_id: str, now: datetime) -> None:
    """Submit the user's lapsed attempts at the course as they stood at the deadline: the answers saved by
    then are graded, and a pass certifies (as Moodle submits open attempts automatically)."""
    # Imported here: submission builds on this module (grading, certifying and awarding live there).
    from hub_app.learning import submission

    submission.submit_lapsed(catalog, store, user_id, course_id, now)


def graded_at_deadline(course: Course, attempt: Attempt) -> Attempt:
    """A lapsed attempt as it is closed: its saved answers graded, submitted at its deadline."""
    assert course.exam is not None
    grade = grading.grade(course.exam, attempt.items, attempt.answers, pass_mark(course))
    return replace(
        attempt,
        submitted_at=attempt.deadline,
        score_pct=grade.score_pct,
        passed=grade.passed,
        domain_scores=grade.domain_scores,
    )


def open_attempt(store: Store, user_id: str, course_id: str) -> Attempt | None:
    """The user's open attempt at the course, if any."""
    return next((a for a in attempts_of(store, user_id, course_id) if a.is_open), None)


def start_attempt(
    actor: User, catalog: Catalog, store: Store, course_id: str, now: datetime, seed: int | None = None
) -> Attempt:
    """Start an attempt (or return the open one), within the course's attempt policy."""
    course, exam = course_exam(catalog, course_id)
    require(actor.active, actor, "take exams")
    close_lapsed(catalog, store, actor.id, course_id, now)
    with store.transaction():
        current = open_attempt(store, actor.id, course_id)
        if current is not None:
            return current
        check_eligible(actor, catalog, store, course, now)
        previous = attempts_of(store, actor.id, course_id)
        attempt_policy.check(exam.attempts, course_id, previous, now)
        seed = secrets.randbits(32) if seed is None else seed
        seen = {d.item_id for a in previous for d in a.items}
        attempt = Attempt(
            id=new_id(),
            user_id=actor.id,
            course_id=course_id,
            course_version=course.version,
            seed=seed,
            started_at=now,
            deadline=now + timedelta(minutes=exam.time_limit_minutes),
            items=draw(exam, seen, seed),
        )
        store.add(ATTEMPTS, attempt)
    return attempt


def start_refusal(actor: User, catalog: Catalog, store: Store, course_id: str, now: datetime) -> HubError | None:
    """The refusal (prerequisites, certified, cool-down, attempts used up) start_attempt would meet now."""
    course, exam = course_exam(catalog, course_id)
    try:
        check_eligible(actor, catalog, store, course, now)
    except HubError as e:
        return e
    # A lapsed open attempt counts as graded at its deadline on its saved answers, as start_attempt records it.
    closed = [
        graded_at_deadline(course, a) if is_lapsed(a, now) else a
        for a in attempts_of(store, actor.id, course_id)
        if not a.is_open or is_lapsed(a, now)
    ]
    try:
        attempt_policy.check(exam.attempts, course_id, closed, now)
    except HubError as e:
        return e
    return None


def missing_prerequisites(
    actor: User, catalog: Catalog, store: Store, course: Course, now: datetime
) -> tuple[str, ...]:
    """The course's prerequisites the actor does not hold: a valid certificate, or for a course that
    certifies nothing a passed attempt. A prerequisite without an exam has nothing to prove: it is met."""
    mine = certificates_of(store, actor.id)
    missing = []
    for prerequisite in course.meta.prerequisites:
        required = catalog.courses.get(prerequisite)
        if required is None or required.exam is None:
            continue
        if required.certification is not None:
            held = certification.current(mine, prerequisite)
            met = held is not None and certification.status(held, catalog.program, now) in ("active", "expiring")
        else:
            met = any(a.passed for a in attempts_of(store, actor.id, prerequisite))
        if not met:
            missing.append(prerequisite)
    return tuple(missing)


def renewal_opens(catalog: Catalog, store: Store, user_id: str, course: Course, now: datetime) -> datetime | None:
    """When a holder of a valid certificate may sit the course's exam again, or None when they may now.

    Another pass before the renewal window would certify nothing and only burn an attempt. A new major
    version (recertify by a date) opens the exam at once."""
    held = certification.current(certificates_of(store, user_id), course.id)
    if course.certification is None or held is None or held.course_major < course.major_version:
        return None
    if certification.status(held, catalog.program, now) != "active":
        return None
    return certification.lapses_at(held) - timedelta(days=catalog.program.tier_review.renewal_window_days)


def check_eligible(actor: User, catalog: Catalog, store: Store, course: Course, now: datetime) -> None:
    """Raise PrerequisitesMissing or AlreadyCertified when the actor may not sit the course's exam now."""
    missing = missing_prerequisites(actor, catalog, store, course, now)
    if missing:
        raise PrerequisitesMissing(course.id, missing)
    opens = renewal_opens(catalog, store, actor.id, course, now)
    if opens is not None:
        held = certification.current(certificates_of(store, actor.id), course.id)
        assert held is not None
        raise AlreadyCertified(course.id, certification.lapses_at(held), opens)


def attempt_of(actor: User, store: Store, attempt_id: str) -> Attempt:
    """The attempt, when the actor may see it (its taker, their partner admin or manager)."""
    attempt = store.get(ATTEMPTS, attempt_id)
    owner = store.get(USERS, attempt.user_id) if attempt else None
    if attempt is None or owner is None:
        raise AttemptNotFound(attempt_id)
    require(sees_user(actor, owner, store), actor, "see this exam attempt")
    return attempt


def items_for_page(actor: User, attempt: Attempt, catalog: Catalog, lang: str = "en") -> list[PageItem]:
    """The attempt's items as the page shows them: prompt and options in displayed order, nothing else."""
    require(attempt.user_id == actor.id, actor, "see someone else's exam")
    _, exam = course_exam(catalog, attempt.course_id)
    page = []
    for number, drawn in enumerate(attempt.items, start=1):
        item = exam.item(drawn.item_id)
        options: tuple[str, ...] = ()
        if isinstance(item, SingleItem | MultipleItem):
            options = tuple(item.options[i].text.get(lang) for i in drawn.option_order)
        page.append(PageItem(item.id, number, item.type, item.prompt.get(lang), options))
    return page


def save_answers(actor: User, store: Store, attempt_id: str, answers: Mapping[str, Answer], now: datetime) -> Attempt:
    """Keep the answers given so far (on each page change), while the attempt is open and on time."""
    check_answers(answers)
    with store.transaction():
        attempt = checked_open(actor, attempt_of(actor, store, attempt_id), now)
        drawn_ids = {d.item_id for d in attempt.items}
        merged = {**attempt.answers, **{k: v for k, v in answers.items() if k in drawn_ids}}
        updated = replace(attempt, answers=merged)
        store.replace(ATTEMPTS, updated)
    return updated


def checked_open(actor: User, attempt: Attempt, now: datetime) -> Attempt:
    """The attempt if it is the actor's own, open and on time; else NotAllowed, AttemptClosed or DeadlinePassed."""
    require(attempt.user_id == actor.id, actor, "answer someone else's exam")
    if not attempt.is_open:
        raise AttemptClosed(attempt)
    if is_lapsed(attempt, now):
        raise DeadlinePassed(attempt)
    return attempt
