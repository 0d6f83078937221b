"""The outbox end to end: a real local SMTP server (aiosmtpd) and real HTTP webhook receivers."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from core_builders import T0
from test_notifications import DAY, SECRET, _certify

from hub_app.certification.expiry import scan_expiry
from hub_app.notifications import webhooks as hooks
from hub_app.notifications.dispatch import Dispatcher
from hub_app.notifications.email import EmailSink, Smtp
from hub_app.notifications.records import attempts_of
from hub_app.partners.records import LANGUAGES, LanguageChoice

pytestmark = pytest.mark.slow
HOOK_SECRET = "whsec-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    """aiosmtpd handler keeping every message that arrived."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


class Receiver(BaseHTTPRequestHandler):
    """Checks each request's signature; /flaky answers 500 to its first request."""

    received: list[tuple[str, dict, bool]] = []
    flaky_calls = 0

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ok = hooks.verify_signature(
            HOOK_SECRET, self.headers["X-Hub-Timestamp"], body, self.headers["X-Hub-Signature-256"]
        )
        status = 200 if ok else 401
        if self.path == "/flaky":
            type(self).flaky_calls += 1
            status = 500 if type(self).flaky_calls == 1 else status
        type(self).received.append((self.path, json.loads(body), ok))
        self.send_response(status)
        self.end_headers()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.received, Receiver.flaky_calls = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_expiry_reminders_arrive_at_the_right_days_in_each_language(world, smtp_server):
    inbox, port = smtp_server
    world.store.add(LANGUAGES, LanguageChoice(world.ana.id, "zh"))
    ana, bob = _certify(world), _certify(world, world.bob)
    sink = EmailSink(world.catalog, Smtp("127.0.0.1", port), SECRET, "https://hub.example.com")
    dispatcher = Dispatcher(world.store, [sink], [60])
    arrived = []
    for days_before in (61, 60, 45, 30, 7, 3, 0):
        at = ana.expires - days_before * DAY
        scan_expiry(world.store, world.catalog.program, at)
        dispatcher.run_once(at)
        arrived += [(days_before, m["To"], m["Subject"]) for m in inbox.messages]
        inbox.messages.clear()
    assert bob.expires == ana.expires
    assert arrived == [
        (61, "ana@acme.io", "您的 Certified cert-101 证书"),
        (61, "bob@globex.io", "Your Certified cert-101 certificate"),
        (60, "ana@acme.io", "您的 Certified cert-101 证书将于 2027年3月2日 到期"),
        (60, "bob@globex.io", "Your Certified cert-101 certificate expires on Mar 2, 2027"),
        (30, "ana@acme.io", "您的 Certified cert-101 证书将于 2027年3月2日 到期"),
        (30, "bob@globex.io", "Your Certified cert-101 certificate expires on Mar 2, 2027"),
        (7, "ana@acme.io", "您的 Certified cert-101 证书将于 2027年3月2日 到期"),
        (7, "bob@globex.io", "Your Certified cert-101 certificate expires on Mar 2, 2027"),
        (0, "ana@acme.io", "您的 Certified cert-101 证书已到期"),
        (0, "bob@globex.io", "Your Certified cert-101 certificate has expired"),
    ]


def test_webhooks_arrive_signed_and_a_failing_receiver_is_retried(world, receiver):
    issued = ("certificate.issued",)  # not exam.submitted, which the same pass also writes
    good = hooks.add_webhook(world.admin, world.store, f"{receiver}/crm", issued, T0, HOOK_SECRET)
    flaky = hooks.add_webhook(world.admin, world.store, f"{receiver}/flaky", issued, T0, HOOK_SECRET)
    cert = _certify(world)
    dispatcher = Dispatcher(world.store, [hooks.WebhookSink(timeout=5)], [60])
    first = dispatcher.run_once(T0 + DAY)
    retry = dispatcher.run_once(T0 + DAY + timedelta(seconds=60))
    assert (first.sent, first.failed, retry.sent) == (1, 1, 1)
    assert [(path, body["type"], body["data"]["certificate_id"], ok) for path, body, ok in Receiver.received] == [
        ("/crm", "certificate.issued", cert.id, True),
        ("/flaky", "certificate.issued", cert.id, True),
        ("/flaky", "certificate.issued", cert.id, True),
    ]
    event_id = Receiver.received[0][1]["id"]
    assert [a.code for a in attempts_of(world.store, f"webhook:{good.id}", event_id)] == [200]
    assert [(a.outcome, a.code) for a in attempts_of(world.store, f"webhook:{flaky.id}", event_id)] == [
        ("failed", 500),
        ("sent", 200),
    ]
