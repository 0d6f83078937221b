"""The webhook delivery log program admins see: subscriptions, last deliveries, response codes, retry state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from core_builders import T0, answers_scoring

from hub_app.learning import exams
from hub_app.learning.submission import submit
from hub_app.notifications import webhooks as hooks
from hub_app.notifications.delivery_log import delivery_log
from hub_app.notifications.dispatch import Dispatcher, Result
from hub_app.partners.permissions import NotAllowed


class Answers:
    """A webhook sink whose receiver answers the given status codes in turn."""

    prefix = "webhook"

    def __init__(self, *codes: int):
        self.codes = list(codes)

    def targets(self, store, event):
        return hooks.WebhookSink().targets(store, event)

    def deliver(self, store, event, target):
        code = self.codes.pop(0)
        return Result("sent", code) if code < 300 else Result("failed", code, f"HTTP {code}")


def _pass(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "cert-101", T0)
    submit(world.ana, attempt.id, answers_scoring(world.catalog, attempt, 3), world.catalog, world.store, T0)


def test_the_log_shows_each_subscriptions_deliveries_with_codes_and_the_next_retry(world):
    crm = hooks.add_webhook(world.admin, world.store, "https://crm.example.com/in", ("certificate.issued",), T0)
    quiet = hooks.add_webhook(world.admin, world.store, "https://quiet.example.com/in", ("tier.changed",), T0)
    _pass(world)
    runner = Dispatcher(world.store, [Answers(500, 503)], [60, 300])
    runner.run_once(T0 + timedelta(minutes=1))
    runner.run_once(T0 + timedelta(minutes=2))
    log = delivery_log(world.admin, world.store, [60, 300], T0 + timedelta(minutes=3))
    assert [s.webhook.id for s in log] == [crm.id, quiet.id]
    (delivery,) = log[0].deliveries
    assert (delivery.event_type, delivery.attempts, delivery.code, delivery.state) == (
        "certificate.issued",
        2,
        503,
        "retrying",
    )
    assert delivery.next_try == T0 + timedelta(minutes=2, seconds=300)
    assert log[1].deliveries == ()


def test_a_delivered_event_shows_its_response_code(world):
    hooks.add_webhook(world.admin, world.store, "https://crm.example.com/in", ("certificate.issued",), T0)
    _pass(world)
    Dispatcher(world.store, [Answers(204)], [60]).run_once(T0 + timedelta(minutes=1))
    (delivery,) = delivery_log(world.admin, world.store, [60], T0)[0].deliveries
    assert (delivery.code, delivery.state, delivery.next_try) == (204, "delivered", None)


def test_only_a_program_admin_sees_the_delivery_log(world):
    with pytest.raises(NotAllowed):
        delivery_log(world.manager, world.store, [60], T0)
