"""Email preferences: kinds of mail, one per event or a daily/weekly digest, kept across an unsubscribe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from core_builders import answers_scoring

from hub_app.certification import certificates as certification
from hub_app.kernel import events
from hub_app.learning import exams
from hub_app.learning.submission import submit
from hub_app.notifications.digest import Digests, period_of
from hub_app.notifications.dispatch import Dispatcher
from hub_app.notifications.email import EmailSink, unsubscribe, unsubscribe_token
from hub_app.notifications.preferences import CadenceUnknown, MailKindUnknown, mail_kinds, save_preferences
from hub_app.notifications.records import preference_of
from hub_app.partners.records import LANGUAGES, LanguageChoice

SECRET = "test-secret"
TUESDAY = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # 17:00 in Asia/Singapore, the program's zone
ALL = set(mail_kinds())


class Recorder:
    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> int:
        self.sent.append(message)
        return 250


def _dispatcher(world):
    transport = Recorder()
    sink = EmailSink(world.catalog, transport, SECRET, "https://hub.example.com", "Hub <hub@example.com>")
    zone = world.catalog.program.program.timezone
    return Dispatcher(world.store, [sink], [60], [Digests(sink, zone)]), transport


def _certify(world, at):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", at)
    answers = answers_scoring(world.catalog, attempt, 3)
    return submit(world.ana, attempt.id, answers, world.catalog, world.store, at + timedelta(minutes=10)).certificate


def test_a_muted_kind_is_not_mailed_and_the_others_are(world):
    save_preferences(world.ana, world.store, ALL - {events.CERTIFICATE_ISSUED}, "immediate", True)
    runner, transport = _dispatcher(world)
    cert = _certify(world, TUESDAY)
    runner.run_once(TUESDAY + timedelta(hours=1))
    certification.revoke(world.manager, world.store, cert.id, "Shared answers", TUESDAY + timedelta(hours=2))
    runner.run_once(TUESDAY + timedelta(hours=3))
    assert [m["Subject"] for m in transport.sent] == ["Your Certified cert-101 certificate was revoked"]


def test_a_daily_digest_holds_the_days_mails_and_sends_them_in_one_the_next_day(world):
    save_preferences(world.ana, world.store, ALL, "daily", True)
    runner, transport = _dispatcher(world)
    cert = _certify(world, TUESDAY)
    certification.revoke(world.manager, world.store, cert.id, "Shared answers", TUESDAY + timedelta(hours=1))
    assert runner.run_once(TUESDAY + timedelta(hours=2)).skipped == 2
    assert transport.sent == []
    wednesday = TUESDAY + timedelta(days=1)
    assert runner.run_once(wednesday).digests == 1
    assert runner.run_once(wednesday + timedelta(hours=1)).digests == 0  # sent once
    (digest,) = transport.sent
    assert digest["Subject"] == "Quillstack Partner Program: 2 updates from the last day"
    text = digest.get_body(("plain",)).get_content()
    assert "Your Certified cert-101 certificate\nCongratulations, Ana" in text
    assert "Your Certified cert-101 certificate was revoked\nAna, your Certified cert-101 certificate" in text
    assert digest["List-Unsubscribe"].startswith("<https://hub.example.com/unsubscribe?token=")


def test_a_weekly_digest_is_in_the_readers_language(world):
    world.store.add(LANGUAGES, LanguageChoice(world.ana.id, "zh"))
    save_preferences(world.ana, world.store, ALL, "weekly", True)
    runner, transport = _dispatcher(world)
    _certify(world, TUESDAY)
    runner.run_once(TUESDAY + timedelta(hours=1))
    runner.run_once(TUESDAY + timedelta(days=2))
    assert transport.sent == []  # the week is not over
    runner.run_once(datetime(2026, 3, 9, 1, 0, tzinfo=UTC))  # Monday 09:00 in Singapore
    (digest,) = transport.sent
    assert digest["Subject"] == "Quillstack 合作伙伴计划：过去一周的 1 条更新"


def test_an_unsubscribe_stops_digests_and_keeps_the_choices_for_later(world):
    save_preferences(world.ana, world.store, ALL - {events.TIER_CHANGED}, "weekly", True)
    unsubscribe(world.store, SECRET, unsubscribe_token(SECRET, world.ana.id))
    kept = preference_of(world.store, world.ana.id)
    assert (kept.unsubscribed, kept.cadence, kept.muted) == (True, "weekly", frozenset({events.TIER_CHANGED}))
    runner, transport = _dispatcher(world)
    _certify(world, TUESDAY)
    runner.run_once(TUESDAY + timedelta(hours=1))
    runner.run_once(TUESDAY + timedelta(days=7))
    assert transport.sent == []
    save_preferences(world.ana, world.store, ALL - {events.TIER_CHANGED}, "weekly", True)
    assert preference_of(world.store, world.ana.id).unsubscribed is False


def test_a_period_without_mail_sends_no_digest(world):
    save_preferences(world.ana, world.store, ALL, "daily", True)
    runner, transport = _dispatcher(world)
    assert runner.run_once(TUESDAY).digests == 0
    assert transport.sent == []


@pytest.mark.parametrize(
    ("cadence", "label"),
    [("daily", "2026-03-02"), ("weekly", "2026-W09")],
)
def test_the_period_is_the_last_complete_one_in_the_programs_zone(world, cadence, label):
    from zoneinfo import ZoneInfo

    found, start, end = period_of(cadence, TUESDAY, ZoneInfo("Asia/Singapore"))
    assert found == label
    assert end - start == timedelta(days=1 if cadence == "daily" else 7)


def test_an_unknown_cadence_or_kind_is_refused_by_name(world):
    with pytest.raises(CadenceUnknown) as cadence:
        save_preferences(world.ana, world.store, ALL, "hourly", True)
    assert str(cadence.value) == "'hourly' is not a way to get emails. Choose one of: immediate, daily, weekly."
    with pytest.raises(MailKindUnknown) as kind:
        save_preferences(world.ana, world.store, {"deal.won"}, "daily", True)
    assert str(kind.value).startswith("The hub sends no email of the kind 'deal.won'. Kinds it sends: certificate.")
