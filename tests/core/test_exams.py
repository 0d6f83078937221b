"""Starting attempts: the draw, one open attempt, the attempt policy, and what the exam page sees."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import timedelta

import pytest
from core_builders import T0, answers_scoring

from hub_app.certification.records import certificates_of
from hub_app.learning import exams
from hub_app.learning.attempt_policy import AttemptsExhausted, CoolingDown
from hub_app.learning.exams import AttemptClosed, DeadlinePassed, NoExam
from hub_app.learning.records import ATTEMPTS, attempts_of
from hub_app.learning.submission import submit
from hub_app.partners.permissions import NotAllowed


def _fail(world, user, at):
    attempt = exams.start_attempt(user, world.catalog, world.store, "cert-101", at)
    return submit(user, attempt.id, {}, world.catalog, world.store, at + timedelta(minutes=5))


def test_attempt_draws_per_blueprint_with_a_recorded_seed(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0, seed=42)
    exam = world.catalog.course("cert-101").exam
    domains = sorted(exam.item(d.item_id).domain for d in attempt.items)
    assert domains == ["alpha", "alpha", "beta"]
    assert attempt.seed == 42 and attempt.items == exams.draw(exam, set(), 42)
    assert attempt.deadline == T0 + timedelta(minutes=30)
    assert attempt.course_version == "1.0.0"


def test_options_are_shuffled_and_item_versions_frozen(world):
    exam = world.catalog.course("cert-101").exam
    orders = {d.option_order for seed in range(30) for d in exams.draw(exam, set(), seed) if d.item_id == "a2"}
    assert len(orders) > 1 and all(sorted(o) == [0, 1, 2, 3] for o in orders)
    assert all(d.item_version == 1 for d in exams.draw(exam, set(), 1))


def test_retake_draws_unseen_items_first(world):
    exam = world.catalog.course("cert-101").exam
    for seed in range(20):
        first = {d.item_id for d in exams.draw(exam, set(), seed)}
        second = {d.item_id for d in exams.draw(exam, first, seed + 1)}
        unseen_alpha = {"a1", "a2", "a3"} - first
        assert unseen_alpha <= second and ({"b1", "b2"} - first) <= second


def test_starting_again_returns_the_open_attempt(world):
    first = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    again = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0 + timedelta(minutes=3))
    assert again == first and len(attempts_of(world.store, world.ana.id)) == 1


def test_page_items_carry_no_key_and_no_explanation(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    page = exams.items_for_page(world.ana, attempt, world.catalog)
    text = json.dumps([asdict(p) for p in page], ensure_ascii=False)
    assert "correct" not in text and "Because" not in text and "Approval" not in text and "answer" not in text
    assert [p.number for p in page] == [1, 2, 3]
    assert {p.prompt for p in page} == {f"Question {d.item_id}?" for d in attempt.items}


def test_someone_else_cannot_see_or_answer_my_exam(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    with pytest.raises(NotAllowed):
        exams.items_for_page(world.bob, attempt, world.catalog)
    with pytest.raises(NotAllowed):
        submit(world.acme_admin, attempt.id, {}, world.catalog, world.store, T0)


def test_course_without_exam_is_refused_with_a_hint(world):
    with pytest.raises(NoExam) as e:
        exams.start_attempt(world.ana, world.catalog, world.store, "no-such-course", T0)
    assert str(e.value) == "The course 'no-such-course' has no exam. Pick a course with an exam from the catalog."


def test_cool_down_after_a_fail_says_when_to_come_back(world):
    _fail(world, world.ana, T0)
    with pytest.raises(CoolingDown) as e:
        exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0 + timedelta(hours=23))
    assert str(e.value) == (
        "Take some time to study before retaking 'cert-101'. Next attempt from 2026-03-03 09:05 UTC."
    )
    assert exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0 + timedelta(hours=25))


def test_attempts_run_out_in_the_rolling_window(world):
    for day in (0, 2, 4):
        _fail(world, world.ana, T0 + timedelta(days=day))
    with pytest.raises(AttemptsExhausted) as e:
        exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0 + timedelta(days=10))
    assert e.value.retry_at == T0 + timedelta(days=30)
    assert str(e.value) == "No attempts left for 'cert-101'. Next attempt from 2026-04-01 09:00 UTC."
    refusal = exams.start_refusal(world.ana, world.catalog, world.store, "cert-101", T0 + timedelta(days=10))
    assert isinstance(refusal, AttemptsExhausted) and refusal.retry_at == T0 + timedelta(days=30)
    assert exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0 + timedelta(days=30, minutes=1))


def test_a_submission_after_deadline_and_grace_is_graded_on_the_answers_saved_by_then(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    late = T0 + timedelta(minutes=32, seconds=1)
    result = submit(world.ana, attempt.id, answers_scoring(world.catalog, attempt, 3), world.catalog, world.store, late)
    assert result.timed_out and result.score_pct == 0 and not result.passed
    closed = world.store.get(ATTEMPTS, attempt.id)
    assert closed.passed is False and closed.submitted_at == T0 + timedelta(minutes=30)
    assert certificates_of(world.store, world.ana.id) == []
    with pytest.raises(DeadlinePassed) as e:
        exams.checked_open(world.ana, attempt, late)
    assert str(e.value) == (
        "Time is up: the attempt at 'cert-101' closed at 2026-03-02 09:32 UTC; the answers saved by then were graded."
    )


def test_submission_within_the_grace_period_is_accepted(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    result = submit(
        world.ana,
        attempt.id,
        answers_scoring(world.catalog, attempt, 3),
        world.catalog,
        world.store,
        T0 + timedelta(minutes=31, seconds=59),
    )
    assert result.passed


def test_submitting_twice_is_refused(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    submit(world.ana, attempt.id, {}, world.catalog, world.store, T0 + timedelta(minutes=1))
    with pytest.raises(AttemptClosed) as e:
        submit(world.ana, attempt.id, {}, world.catalog, world.store, T0 + timedelta(minutes=2))
    assert str(e.value) == (
        "This attempt at 'cert-101' was already submitted on 2026-03-02 09:01 UTC. Start a new attempt to try again."
    )


def test_saved_answers_are_graded_at_submission(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    key = answers_scoring(world.catalog, attempt, 3)
    exams.save_answers(world.ana, world.store, attempt.id, {**key, "not-drawn": 1}, T0 + timedelta(minutes=1))
    assert set(world.store.get(ATTEMPTS, attempt.id).answers) == set(key)
    assert submit(world.ana, attempt.id, {}, world.catalog, world.store, T0 + timedelta(minutes=2)).score_pct == 100


def test_start_refusal_predicts_the_cool_down_without_writing(world):
    """The exam page disables Start with the same refusal start_attempt would raise."""
    _fail(world, world.ana, T0)
    later = T0 + timedelta(hours=1)
    before = len(attempts_of(world.store, world.ana.id, "cert-101"))
    refusal = exams.start_refusal(world.ana, world.catalog, world.store, "cert-101", later)
    assert isinstance(refusal, CoolingDown)
    assert len(attempts_of(world.store, world.ana.id, "cert-101")) == before
    with pytest.raises(CoolingDown):
        exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", later)


@pytest.mark.parametrize("answer, limit", [("x" * 201, "200 characters"), (tuple(range(51)), "50 choices")])
def test_an_oversized_answer_is_refused_and_nothing_is_saved(world, answer, limit):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    item_id = attempt.items[0].item_id
    for act in (
        lambda: exams.save_answers(world.ana, world.store, attempt.id, {item_id: answer}, T0),
        lambda: submit(world.ana, attempt.id, {item_id: answer}, world.catalog, world.store, T0),
    ):
        with pytest.raises(exams.AnswerTooLong) as e:
            act()
        assert (
            str(e.value) == f"The answer to item '{item_id}' is too long (at most {limit}). Shorten it and try again."
        )
    stored = world.store.get(ATTEMPTS, attempt.id)
    assert stored.answers == {} and stored.is_open
