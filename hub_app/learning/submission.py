"""Submitting an exam: grade, close the attempt, certify and award points, all in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from hub_app.catalog import Catalog, Course
from hub_app.catalog.models import Exam
from hub_app.certification import certificates as certification
from hub_app.certification.records import Certificate
from hub_app.kernel.events import EXAM_SUBMITTED, DomainEvent, event
from hub_app.learning import exams, grading
from hub_app.learning.records import ATTEMPTS, Answer, Attempt, attempts_of
from hub_app.notifications.records import record
from hub_app.partners.records import USERS, User
from hub_app.recognition import points
from hub_app.recognition.records import LedgerEntry
from hub_app.store.base import Store


@dataclass(frozen=True)
class ReviewItem:
    """One item after a *practice* exam: the key and why. Certification exams never produce these."""

    item_id: str
    prompt: str
    your_answer: Answer | None
    correct_answer: Answer
    credit: float
    explanation: str


@dataclass(frozen=True)
class SubmissionResult:
    """What the result page shows."""

    attempt: Attempt
    score_pct: float
    passed: bool
    domain_scores: Mapping[str, float]
    study_lessons: tuple[str, ...]
    certificate: Certificate | None  # issued by this pass (a renewal too)
    renewed: Certificate | None  # the certificate this pass renewed
    points_awarded: tuple[LedgerEntry, ...]
    review: tuple[ReviewItem, ...] = ()  # practice exams only
    timed_out: bool = False  # graded at the deadline on the answers saved by then


def submit(
    actor: User,
    attempt_id: str,
    answers: Mapping[str, Answer],
    catalog: Catalog,
    store: Store,
    now: datetime,
    lang: str = "en",
) -> SubmissionResult:
    """Grade the actor's open attempt and record everything that follows from it, or nothing at all.

    After the deadline (and its grace) the answers sent now are not taken: the attempt is graded on the
    answers saved by the deadline, as if submitted then."""
    exams.check_answers(answers)
    with store.transaction():
        attempt = exams.attempt_of(actor, store, attempt_id)
        if attempt.is_open and exams.is_lapsed(attempt, now):
            return _submit_at_deadline(actor, attempt, catalog, store, lang)
        return _submit_open(actor, attempt, answers, catalog, store, now, lang)


def submit_lapsed(
    catalog: Catalog, store: Store, user_id: str, course_id: str, now: datetime
) -> list[SubmissionResult]:
    """Submit the person's attempts at the course whose time is up, on their saved answers, at the deadline."""
    with store.transaction():
        user = store.get(USERS, user_id)
        lapsed = [a for a in attempts_of(store, user_id, course_id) if exams.is_lapsed(a, now)]
        if user is None:
            return []
        return [_submit_at_deadline(user, a, catalog, store) for a in lapsed]


def _submit_at_deadline(
    actor: User, attempt: Attempt, catalog: Catalog, store: Store, lang: str = "en"
) -> SubmissionResult:
    result = _submit_open(actor, attempt, {}, catalog, store, attempt.deadline, lang)
    return replace(result, timed_out=True)


def _submit_open(
    actor: User,
    attempt: Attempt,
    answers: Mapping[str, Answer],
    catalog: Catalog,
    store: Store,
    now: datetime,
    lang: str,
) -> SubmissionResult:
    closed = exams.checked_open(actor, attempt, now)
    course, exam = exams.course_exam(catalog, closed.course_id)
    given = {**closed.answers, **{d.item_id: answers[d.item_id] for d in closed.items if d.item_id in answers}}
    grade = grading.grade(exam, closed.items, given, exams.pass_mark(course))
    closed = replace(
        closed,
        answers=given,
        submitted_at=now,
        score_pct=grade.score_pct,
        passed=grade.passed,
        domain_scores=grade.domain_scores,
    )
    store.replace(ATTEMPTS, closed)
    record(store, _submitted_event(closed, grade, exam.practice))
    issued = _certify(actor, course, exam, grade, catalog, store, now)
    awarded = _award(actor, course, exam, grade, issued, catalog, store, now)
    return SubmissionResult(
        attempt=closed,
        score_pct=grade.score_pct,
        passed=grade.passed,
        domain_scores=grade.domain_scores,
        study_lessons=grade.study_lessons,
        certificate=issued.certificate if issued else None,
        renewed=issued.renewed if issued else None,
        points_awarded=awarded,
        review=_review(exam, closed, grade, lang) if exam.practice else (),
    )


def _submitted_event(attempt: Attempt, grade: grading.Grade, practice: bool) -> DomainEvent:
    assert attempt.submitted_at is not None
    facts = {
        "attempt_id": attempt.id,
        "course_id": attempt.course_id,
        "course_version": attempt.course_version,
        "started_at": attempt.started_at.isoformat(),
        "submitted_at": attempt.submitted_at.isoformat(),
        "score_pct": str(grade.score_pct),
        "score_raw": str(float(sum(grade.credits.values()))),
        "score_max": str(len(grade.credits)),
        "passed": "true" if grade.passed else "false",
        "practice": "true" if practice else "false",
    }
    subjects = (attempt.id, attempt.user_id)
    return event(EXAM_SUBMITTED, attempt.submitted_at, subjects, facts, key=f"exam.submitted:{attempt.id}")


def _certify(
    actor: User, course: Course, exam: Exam, grade: grading.Grade, catalog: Catalog, store: Store, now: datetime
) -> certification.Issued | None:
    if not grade.passed or exam.practice or course.certification is None:
        return None
    return certification.certify(store, catalog, actor, course, now)


def _award(
    actor: User,
    course: Course,
    exam: Exam,
    grade: grading.Grade,
    issued: certification.Issued | None,
    catalog: Catalog,
    store: Store,
    now: datetime,
) -> tuple[LedgerEntry, ...]:
    if not grade.passed or exam.practice:
        return ()
    who, what = actor.id, course.id
    wanted = [("course_first_pass", f"course_first_pass:{who}:{what}")]
    if issued is not None:
        wanted.append(("certification_earned", f"certification_earned:{who}:{what}:{course.major_version}"))
    if grade.score_pct == 100:
        wanted.append(("perfect_score", f"perfect_score:{who}:{what}"))
    if issued is not None and issued.renewed is not None:
        wanted.append(("on_time_renewal", points.renewal_key(who, what, issued.renewed.expires)))
    entries = (points.award(store, catalog.program, actor, rule, key, now) for rule, key in wanted)
    return tuple(e for e in entries if e is not None)


def _review(exam: Exam, attempt: Attempt, grade: grading.Grade, lang: str) -> tuple[ReviewItem, ...]:
    review = []
    for drawn in attempt.items:
        item = exam.item(drawn.item_id)
        review.append(
            ReviewItem(
                item_id=item.id,
                prompt=item.prompt.get(lang),
                your_answer=attempt.answers.get(item.id),
                correct_answer=grading.correct_answer(item, drawn),
                credit=float(grade.credits.get(item.id, 0)),
                explanation=item.explanation.get(lang),
            )
        )
    return tuple(review)
