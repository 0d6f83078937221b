"""Who may sit an exam: prerequisites held, not already certified outside the renewal window, and what
time-up does to an attempt (its saved answers are graded at the deadline)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from core_builders import T0, answers_scoring, build_catalog, right_answers, write_course
from dateutil.relativedelta import relativedelta

from hub_app.catalog import load_catalog
from hub_app.certification.records import certificates_of
from hub_app.learning import exams
from hub_app.learning.exams import AlreadyCertified, PrerequisitesMissing
from hub_app.learning.records import ATTEMPTS, attempts_of
from hub_app.learning.submission import submit


@pytest.fixture
def catalog(tmp_path):
    """cert-101, and cert-201 which builds on it."""
    root = tmp_path / "project"
    build_catalog(root)
    write_course(root, "cert-201")
    meta = root / "courses" / "cert-201" / "course.yml"
    data = yaml.safe_load(meta.read_text(encoding="utf-8"))
    meta.write_text(yaml.safe_dump({**data, "prerequisites": ["cert-101"]}), encoding="utf-8")
    return load_catalog(root)


def _pass(world, user, course_id, at):
    attempt = exams.start_attempt(user, world.catalog, world.store, course_id, at)
    return submit(
        user, attempt.id, right_answers(world.catalog, attempt), world.catalog, world.store, at + timedelta(minutes=5)
    )


def test_an_exam_with_a_missing_prerequisite_is_refused_and_nothing_is_written(world):
    with pytest.raises(PrerequisitesMissing) as e:
        exams.start_attempt(world.ana, world.catalog, world.store, "cert-201", T0)
    assert str(e.value) == "'cert-201' builds on 'cert-101': pass that first, then take this exam."
    assert attempts_of(world.store, world.ana.id) == []
    refusal = exams.start_refusal(world.ana, world.catalog, world.store, "cert-201", T0)
    assert isinstance(refusal, PrerequisitesMissing) and refusal.missing == ("cert-101",)


def test_holding_the_prerequisite_opens_the_exam(world):
    _pass(world, world.ana, "cert-101", T0)
    assert exams.start_refusal(world.ana, world.catalog, world.store, "cert-201", T0 + timedelta(hours=1)) is None
    assert exams.start_attempt(world.ana, world.catalog, world.store, "cert-201", T0 + timedelta(hours=1))


def test_an_expired_prerequisite_no_longer_counts(world):
    _pass(world, world.ana, "cert-101", T0)
    later = T0 + relativedelta(months=12, days=1)
    assert exams.missing_prerequisites(
        world.ana, world.catalog, world.store, world.catalog.course("cert-201"), later
    ) == ("cert-101",)


def test_a_certified_person_cannot_retake_before_the_renewal_window_and_is_told_when_it_opens(world):
    _pass(world, world.ana, "cert-101", T0)
    with pytest.raises(AlreadyCertified) as e:
        exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0 + timedelta(days=2))
    # Valid 12 months from T0; the program's renewal window is 60 days.
    assert str(e.value) == (
        "You are certified in 'cert-101' until 2027-03-02. Renewal opens on 2027-01-01: take the exam again from then."
    )
    assert len(attempts_of(world.store, world.ana.id, "cert-101")) == 1
    in_window = T0 + relativedelta(months=12) - timedelta(days=59)
    assert exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", in_window).started_at == in_window


def test_time_up_grades_the_saved_answers_at_the_deadline(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    exams.save_answers(
        world.ana, world.store, attempt.id, right_answers(world.catalog, attempt), T0 + timedelta(minutes=10)
    )
    late = T0 + timedelta(minutes=40)
    result = submit(world.ana, attempt.id, {}, world.catalog, world.store, late)
    assert result.timed_out and result.passed and result.score_pct == 100
    closed = world.store.get(ATTEMPTS, attempt.id)
    assert closed.submitted_at == attempt.deadline and closed.passed
    [certificate] = certificates_of(world.store, world.ana.id)
    assert certificate.issued == attempt.deadline


def test_answers_sent_after_the_deadline_are_not_taken(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    exams.save_answers(
        world.ana, world.store, attempt.id, answers_scoring(world.catalog, attempt, 1), T0 + timedelta(minutes=5)
    )
    result = submit(
        world.ana,
        attempt.id,
        right_answers(world.catalog, attempt),
        world.catalog,
        world.store,
        T0 + timedelta(minutes=40),
    )
    assert result.timed_out and not result.passed and result.score_pct < 70
    assert certificates_of(world.store, world.ana.id) == []


def test_a_lapsed_attempt_left_alone_is_graded_when_the_person_comes_back(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    exams.save_answers(
        world.ana, world.store, attempt.id, right_answers(world.catalog, attempt), T0 + timedelta(minutes=10)
    )
    with pytest.raises(AlreadyCertified):  # starting again submits the lapsed attempt first: it passed
        exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0 + timedelta(days=1))
    assert world.store.get(ATTEMPTS, attempt.id).passed
