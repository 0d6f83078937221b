"""Points: awards by rule and key, caps per window in the program's time zone, adjustments, reversals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from core_builders import T0, answers_scoring

from hub_app.certification.records import certificates_of
from hub_app.learning import exams
from hub_app.learning.records import ATTEMPTS
from hub_app.learning.submission import submit
from hub_app.partners.permissions import NotAllowed
from hub_app.recognition import points
from hub_app.recognition.points import AlreadyReversed, CannotReverseReversal, InvalidAdjustment
from hub_app.recognition.records import LEDGER, ledger

DAY = timedelta(days=1)


def _pass(world, user, at, right=3):
    attempt = exams.start_attempt(user, world.catalog, world.store, "cert-101", at)
    return submit(user, attempt.id, answers_scoring(world.catalog, attempt, right), world.catalog, world.store, at)


def _rules(result):
    return sorted((e.rule, e.points) for e in result.points_awarded)


def test_perfect_first_pass_awards_pass_certification_and_perfect_score(world):
    result = _pass(world, world.ana, T0)
    assert _rules(result) == [("certification_earned", 250), ("course_first_pass", 100), ("perfect_score", 50)]
    keys = {e.idempotency_key for e in result.points_awarded}
    assert f"certification_earned:{world.ana.id}:cert-101:1" in keys
    assert points.total(world.ana, world.store, world.ana.id) == 400


def test_retake_never_awards_points_twice(world):
    first = _pass(world, world.ana, T0)
    # Sat again once the certificate expired (before that, outside the renewal window, it is refused).
    again = _pass(world, world.ana, first.certificate.expires + 10 * DAY)
    assert again.passed and again.points_awarded == ()
    assert points.total(world.ana, world.store, world.ana.id) == 400


def test_on_time_renewal_earns_its_bonus_once(world):
    first = _pass(world, world.ana, T0)
    renewal = _pass(world, world.ana, first.certificate.expires - 10 * DAY)
    assert _rules(renewal) == [("on_time_renewal", 150)]
    assert renewal.points_awarded[0].idempotency_key == (
        f"on_time_renewal:{world.ana.id}:cert-101:{first.certificate.expires:%Y-%m-%d}"
    )


def test_award_is_idempotent_per_key(world):
    program = world.catalog.program
    assert points.award(world.store, program, world.ana, "course_first_pass", "k", T0) is not None
    assert points.award(world.store, program, world.ana, "course_first_pass", "k", T0) is None
    assert points.award(world.store, program, world.ana, "no_such_rule", "k2", T0) is None


def test_cap_per_window_uses_the_program_time_zone(world):
    program = world.catalog.program  # event_attended: 4 per month; Asia/Singapore is UTC+8
    march = datetime(2026, 3, 31, 15, 0, tzinfo=UTC)  # 23:00 on 31 March in Singapore
    for n in range(4):
        assert points.record_event(world.manager, world.store, program, world.ana.id, "event_attended", f"e{n}", march)
    assert points.record_event(world.manager, world.store, program, world.ana.id, "event_attended", "e4", march) is None
    april_in_singapore = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # 00:00 on 1 April in Singapore
    assert points.record_event(
        world.manager, world.store, program, world.ana.id, "event_attended", "e5", april_in_singapore
    )


def test_channel_manager_adjusts_own_partners_points_with_a_reason(world):
    entry = points.adjust(world.manager, world.store, world.ana.id, 75, "Webinar speaker", T0)
    assert (entry.rule, entry.points, entry.reason) == ("manual_adjustment", 75, "Webinar speaker")
    assert points.total(world.acme_admin, world.store, world.ana.id) == 75


@pytest.mark.parametrize(
    "points_, reason, message",
    [
        (10, " ", "Give a reason for the adjustment; the partner sees it in their points history."),
        (0, "why", "An adjustment of 0 points changes nothing. Enter a positive or negative number."),
    ],
)
def test_adjustment_needs_a_reason_and_a_value(world, points_, reason, message):
    with pytest.raises(InvalidAdjustment) as e:
        points.adjust(world.manager, world.store, world.ana.id, points_, reason, T0)
    assert str(e.value) == message


@pytest.mark.parametrize("who", ["other_manager", "acme_admin", "ana"])
def test_only_the_manager_of_the_partner_or_an_admin_adjusts(world, who):
    with pytest.raises(NotAllowed):
        points.adjust(getattr(world, who), world.store, world.ana.id, 10, "nice", T0)


def test_correction_is_a_reversal_entry_and_reversing_twice_is_refused(world):
    result = _pass(world, world.ana, T0)
    original = result.points_awarded[0]
    reversal = points.reverse(world.admin, world.store, original.id, "Awarded in error", T0 + DAY)
    assert (reversal.points, reversal.reverses, reversal.rule) == (-original.points, original.id, "reversal")
    assert world.store.get(LEDGER, original.id) == original  # never edited
    with pytest.raises(AlreadyReversed) as e:
        points.reverse(world.manager, world.store, original.id, "again", T0 + 2 * DAY)
    assert str(e.value).endswith("was already reversed. Add a manual adjustment if the balance is still wrong.")
    with pytest.raises(CannotReverseReversal):
        points.reverse(world.manager, world.store, reversal.id, "undo", T0 + 2 * DAY)
    assert points.total(world.ana, world.store, world.ana.id) == 400 - original.points


def test_total_in_a_window(world):
    points.adjust(world.manager, world.store, world.ana.id, 10, "a", T0)
    points.adjust(world.manager, world.store, world.ana.id, 20, "b", T0 + 40 * DAY)
    assert points.total(world.ana, world.store, world.ana.id, since=T0 + DAY) == 20
    assert points.total(world.ana, world.store, world.ana.id, until=T0 + DAY) == 10


def test_partner_user_cannot_see_another_persons_points(world):
    with pytest.raises(NotAllowed):
        points.total(world.bob, world.store, world.ana.id)


def test_failed_submission_writes_nothing(world, monkeypatch):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(points, "award", broken)
    with pytest.raises(RuntimeError):
        submit(world.ana, attempt.id, answers_scoring(world.catalog, attempt, 3), world.catalog, world.store, T0)
    assert world.store.get(ATTEMPTS, attempt.id).is_open
    assert certificates_of(world.store, world.ana.id) == [] and ledger(world.store) == []
