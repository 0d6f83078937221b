"""The outbox: domain events written with the change, delivered by the dispatcher to email and webhooks."""

from __future__ import annotations

import email
from dataclasses import replace
from datetime import timedelta
from email.message import EmailMessage

import pytest
from core_builders import T0, answers_scoring

from hub_app.certification import certificates as certification
from hub_app.certification.expiry import scan_expiry
from hub_app.kernel import events
from hub_app.learning import exams
from hub_app.learning.submission import submit
from hub_app.notifications import webhooks as hooks
from hub_app.notifications.dispatch import Dispatcher, Result
from hub_app.notifications.email import EmailSink, Folder, Smtp, SmtpUrlInvalid, UnsubscribeLinkInvalid, unsubscribe
from hub_app.notifications.records import DELIVERIES, OUTBOX, MailPreference, attempts_of, set_preference
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import LANGUAGES, LanguageChoice

DAY = timedelta(days=1)
SECRET = "test-secret"
BACKOFF = [60, 300]


class Recorder:
    """A mail transport that keeps what it was given."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> int:
        self.sent.append(message)
        return 250


def _certify(world, user=None, at=T0):
    user = user or world.ana
    attempt = exams.start_attempt(user, world.catalog, world.store, "cert-101", at)
    answers = answers_scoring(world.catalog, attempt, 3)
    return submit(user, attempt.id, answers, world.catalog, world.store, at + timedelta(minutes=10)).certificate


def _events(world, type=None):
    return [e for e in world.store.after(OUTBOX).entries if type is None or e.type == type]


def _mailer(world, transport=None):
    transport = transport or Recorder()
    sink = EmailSink(world.catalog, transport, SECRET, "https://hub.example.com/", "Hub <hub@example.com>")
    return Dispatcher(world.store, [sink], BACKOFF), transport


# --- events written with the change -------------------------------------------------------------------
def test_a_pass_writes_certificate_issued_for_the_holder(world):
    cert = _certify(world)
    (issued,) = _events(world, events.CERTIFICATE_ISSUED)
    assert issued.recipients == (world.ana.id,) and issued.subject_ids == (cert.id, world.ana.id)
    assert issued.payload["verification_code"] == cert.verification_code
    assert issued.payload["expires"] == cert.expires.isoformat()


def test_a_rolled_back_change_leaves_no_event(world):
    with pytest.raises(RuntimeError), world.store.transaction():
        _certify(world)
        raise RuntimeError("the caller's transaction fails after the certificate")
    assert _events(world) == [] and world.store.select(certification.CERTIFICATES) == []


def test_revoking_writes_certificate_revoked_with_the_reason(world):
    cert = _certify(world)
    certification.revoke(world.manager, world.store, cert.id, "Shared exam answers", T0 + DAY)
    (revoked,) = _events(world, events.CERTIFICATE_REVOKED)
    assert revoked.payload["reason"] == "Shared exam answers" and revoked.recipients == (world.ana.id,)


def test_an_undeclared_event_type_is_refused():
    with pytest.raises(ValueError, match="event type 'deal.won' is not declared"):
        events.event("deal.won", T0, ("d1",))


# --- expiry scan ----------------------------------------------------------------------------------------
def test_expiry_scan_writes_each_threshold_once_at_the_programs_cadence(world):
    cert = _certify(world)
    program = world.catalog.program
    assert program.notifications.expiry_reminder_days == [60, 30, 7, 0]
    seen = []
    for days_before in (61, 60, 59, 30, 8, 7, 1, 0, -1):
        written = scan_expiry(world.store, program, cert.expires - days_before * DAY)
        seen += [(days_before, e.type, e.payload["days"]) for e in written]
    assert seen == [
        (60, "certificate.expiring", "60"),
        (30, "certificate.expiring", "30"),
        (7, "certificate.expiring", "7"),
        (0, "certificate.expired", "0"),
    ]


def test_a_late_first_scan_sends_only_the_nearest_reminder(world):
    cert = _certify(world)
    written = scan_expiry(world.store, world.catalog.program, cert.expires - 5 * DAY)
    assert [e.payload["days"] for e in written] == ["7"]


def test_a_revoked_certificate_gets_no_reminders(world):
    cert = _certify(world)
    certification.revoke(world.manager, world.store, cert.id, "Mistake", T0 + DAY)
    assert scan_expiry(world.store, world.catalog.program, cert.expires - 6 * DAY) == []


# --- the dispatcher and email ---------------------------------------------------------------------------
def test_each_recipient_gets_one_mail_in_their_language(world):
    world.store.add(LANGUAGES, LanguageChoice(world.ana.id, "zh"))
    _certify(world)
    dispatcher, transport = _mailer(world)
    assert dispatcher.run_once(T0 + DAY).sent == 1
    assert dispatcher.run_once(T0 + 2 * DAY).sent == 0
    (mail,) = transport.sent
    assert mail["To"] == "ana@acme.io" and mail["Subject"] == "您的Certified cert-101证书"
    assert mail["Content-Language"] == "zh"
    text = mail.get_body(("plain",)).get_content()
    assert text.startswith("恭喜，Ana：您已获得Certified cert-101认证，有效期至2027年3月2日。")
    assert "退订这些邮件: https://hub.example.com/unsubscribe?token=" in text


def test_every_attempt_is_recorded_with_its_outcome(world):
    _certify(world)
    dispatcher, _ = _mailer(world)
    dispatcher.run_once(T0 + DAY)
    (attempt,) = world.store.select(DELIVERIES)
    assert (attempt.sink, attempt.outcome, attempt.code) == (f"email:{world.ana.id}", "sent", 250)


class Flaky:
    """A sink that fails a number of times, then succeeds."""

    prefix = "flaky"

    def __init__(self, failures: int):
        self.failures, self.calls = failures, 0

    def targets(self, store, event):
        return ["flaky:1"]

    def deliver(self, store, event, target):
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError("receiver down")
        return Result("sent", 200)


def test_a_failing_sink_is_retried_after_the_backoff_and_never_blocks_the_writer(world):
    cert = _certify(world)  # the pass went through though nothing can be delivered
    assert cert is not None
    sink = Flaky(failures=2)
    dispatcher = Dispatcher(world.store, [sink], BACKOFF)
    start = T0 + DAY
    steps = [dispatcher.run_once(start + timedelta(seconds=s)) for s in (0, 30, 60, 300, 359, 360)]
    assert [(r.sent, r.failed, r.waiting) for r in steps] == [
        (0, 1, 0),
        (0, 0, 1),
        (0, 1, 0),
        (0, 0, 1),
        (0, 0, 1),
        (1, 0, 0),
    ]
    attempts = attempts_of(world.store, "flaky:1", _events(world)[0].id)
    assert [(a.outcome, a.error) for a in attempts] == [
        ("failed", "ConnectionRefusedError: receiver down"),
        ("failed", "ConnectionRefusedError: receiver down"),
        ("sent", ""),
    ]


def test_a_crash_between_sending_and_recording_resends_with_the_same_message_id(world, monkeypatch):
    _certify(world)
    dispatcher, transport = _mailer(world)
    real_add = world.store.add

    def crash(kind, record):
        if kind is DELIVERIES:
            raise SystemExit("killed after sending")
        return real_add(kind, record)

    monkeypatch.setattr(world.store, "add", crash)
    with pytest.raises(SystemExit):
        dispatcher.run_once(T0 + DAY)
    monkeypatch.setattr(world.store, "add", real_add)
    restarted, again = _mailer(world)  # a new process: nothing in memory, the attempts decide
    assert restarted.run_once(T0 + DAY).sent == 1
    assert transport.sent[0]["Message-ID"] == again.sent[0]["Message-ID"]
    assert again.sent[0]["X-Hub-Event-Id"] == _events(world)[0].id


def test_the_html_part_escapes_what_people_typed(world):
    cert = _certify(world)
    certification.revoke(world.manager, world.store, cert.id, "<script>alert(1)</script> & more", T0 + DAY)
    dispatcher, transport = _mailer(world)
    dispatcher.run_once(T0 + DAY)
    html = transport.sent[-1].get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html and "<script>" not in html


def test_the_unsubscribe_link_stops_further_mail_and_the_skip_is_recorded(world):
    cert = _certify(world)
    dispatcher, transport = _mailer(world)
    dispatcher.run_once(T0 + DAY)
    token = transport.sent[0]["List-Unsubscribe"].split("token=")[1].rstrip(">")
    assert unsubscribe(world.store, SECRET, token) == world.ana.id
    certification.revoke(world.manager, world.store, cert.id, "Mistake", T0 + 2 * DAY)
    assert dispatcher.run_once(T0 + 2 * DAY).skipped == 1 and len(transport.sent) == 1
    assert world.store.select(DELIVERIES)[-1].error == "unsubscribed"


def test_a_forged_unsubscribe_token_is_refused_with_a_hint(world):
    with pytest.raises(UnsubscribeLinkInvalid) as refused:
        unsubscribe(world.store, SECRET, "eyJ1c2VyIjoiYW5hIn0.forged")
    assert str(refused.value) == (
        "This unsubscribe link is not valid. "
        "Hint: use the link from your latest email, or change your email settings after signing in."
    )


def test_a_muted_event_type_is_not_mailed(world):
    set_preference(world.store, MailPreference(world.ana.id, muted=frozenset({events.CERTIFICATE_ISSUED})))
    _certify(world)
    dispatcher, transport = _mailer(world)
    assert dispatcher.run_once(T0 + DAY).skipped == 1 and transport.sent == []


def test_without_smtp_mails_are_written_to_the_outbox_folder(world, tmp_path):
    _certify(world)
    dispatcher, _ = _mailer(world, Folder(tmp_path / "outbox"))
    dispatcher.run_once(T0 + DAY)
    (written,) = (tmp_path / "outbox").glob("*.eml")
    assert email.message_from_bytes(written.read_bytes())["Subject"] == "Your Certified cert-101 certificate"


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "smtp://mailer:s%40cret@mail.example.com:587?starttls=true",
            ("mail.example.com", 587, "mailer", "s@cret", True),
        ),
        ("smtp://localhost", ("localhost", 25, None, None, False)),
    ],
)
def test_the_smtp_url_names_host_port_login_and_starttls(url, expected):
    smtp = Smtp.from_url(url)
    assert (smtp.host, smtp.port, smtp.user, smtp.password, smtp.starttls) == expected


def test_a_bad_smtp_url_says_how_to_write_one():
    with pytest.raises(SmtpUrlInvalid) as refused:
        Smtp.from_url("mail.example.com")
    assert str(refused.value) == (
        "HUB_SMTP_URL 'mail.example.com' is not an SMTP URL. Hint: set it like "
        "smtp://user:password@mail.example.com:587?starttls=true, or unset it to write mails to the outbox folder."
    )


# --- webhooks -------------------------------------------------------------------------------------------
def test_a_signature_verifies_and_refuses_a_changed_body_or_an_old_timestamp():
    body, timestamp = b'{"id":"e1"}', "1767225600"
    header = hooks.signature("s3cret", timestamp, body)
    assert header.startswith("sha256=") and len(header) == 7 + 64
    assert hooks.verify_signature("s3cret", timestamp, body, header, now=1767225600 + 299)
    assert not hooks.verify_signature("s3cret", timestamp, body + b" ", header, now=1767225600)
    assert not hooks.verify_signature("other", timestamp, body, header, now=1767225600)
    assert not hooks.verify_signature("s3cret", timestamp, body, header, now=1767225600 + 301)


def test_only_a_program_admin_manages_webhooks(world):
    with pytest.raises(NotAllowed):
        hooks.add_webhook(world.acme_admin, world.store, "https://crm.example.com/h", ("*",), T0)


@pytest.mark.parametrize(
    "url, types, message",
    [
        (
            "ftp://crm.example.com",
            ("*",),
            "Webhook URL 'ftp://crm.example.com' is not an http:// or https:// URL. "
            "Hint: give the receiver's full URL, like https://crm.example.com/hooks/partnerhub.",
        ),
        (
            "https://crm.example.com/h",
            ("certificate.issud",),
            "No event type is called 'certificate.issud'. Known types: certificate.expired, certificate.expiring, "
            "certificate.issued, certificate.revoked, community.manager_contacted, community.question_answered, "
            "funds.expiring, tier.at_risk, tier.changed, tier.proposed.",
        ),
    ],
)
def test_a_bad_webhook_is_refused_with_what_to_fix(world, url, types, message):
    with pytest.raises(hooks.HubError) as refused:
        hooks.add_webhook(world.admin, world.store, url, types, T0)
    assert str(refused.value) == message


def test_webhooks_get_only_the_event_types_they_asked_for(world):
    hook = hooks.add_webhook(world.admin, world.store, "https://crm.example.com/h", ("certificate.revoked",), T0)
    sink = hooks.WebhookSink()
    cert = _certify(world)
    certification.revoke(world.manager, world.store, cert.id, "Mistake", T0 + DAY)
    issued, revoked = _events(world)
    assert sink.targets(world.store, issued) == []
    assert sink.targets(world.store, revoked) == [f"webhook:{hook.id}"]


def test_the_webhook_body_holds_id_type_timestamp_and_facts(world):
    _certify(world)
    (issued,) = _events(world)
    body = hooks.body_of(replace(issued, payload={"course_id": "cert-101"}))
    assert (
        body
        == (
            f'{{"data": {{"course_id": "cert-101"}}, "id": "{issued.id}", "subjects": ["{issued.subject_ids[0]}", '
            f'"{world.ana.id}"], "timestamp": "{issued.occurred_at.isoformat()}", "type": "certificate.issued"}}'
        ).encode()
    )
