"""The webhook delivery log for program admins: each subscription with its latest deliveries and their state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from hub_app.notifications.records import DELIVERIES, OUTBOX, DeliveryAttempt, Webhook, webhooks
from hub_app.partners.permissions import is_program_admin, require
from hub_app.partners.records import User
from hub_app.store.base import Store

State = Literal["delivered", "retrying", "skipped"]
SHOWN = 20  # latest deliveries per subscription


@dataclass(frozen=True)
class Delivery:
    """One event's delivery to one subscription: how many tries, the last answer, and what happens next."""

    event_id: str
    event_type: str
    attempts: int
    last_at: datetime
    code: int | None
    error: str
    state: State
    next_try: datetime | None  # when retrying


@dataclass(frozen=True)
class Subscription:
    """A webhook and its latest deliveries, newest first."""

    webhook: Webhook
    deliveries: tuple[Delivery, ...]


def delivery_log(actor: User, store: Store, backoff: Sequence[int], now: datetime) -> list[Subscription]:
    """Every subscription with its latest deliveries (a program admin only)."""
    require(is_program_admin(actor), actor, "see the webhook delivery log")
    by_target: dict[str, dict[str, list[DeliveryAttempt]]] = defaultdict(lambda: defaultdict(list))
    for attempt in store.select(DELIVERIES):
        if attempt.sink.startswith("webhook:"):
            by_target[attempt.sink][attempt.event_id].append(attempt)
    return [
        Subscription(hook, _latest(store, by_target.get(f"webhook:{hook.id}", {}), backoff)) for hook in webhooks(store)
    ]


def _latest(store: Store, by_event: dict[str, list[DeliveryAttempt]], backoff: Sequence[int]) -> tuple[Delivery, ...]:
    rows = [_delivery(store, event_id, attempts, backoff) for event_id, attempts in by_event.items()]
    return tuple(sorted(rows, key=lambda d: d.last_at, reverse=True)[:SHOWN])


def _delivery(store: Store, event_id: str, attempts: list[DeliveryAttempt], backoff: Sequence[int]) -> Delivery:
    last = attempts[-1]
    event = store.get(OUTBOX, event_id)
    state: State = "delivered" if last.outcome == "sent" else "skipped" if last.outcome == "skipped" else "retrying"
    wait = backoff[min(len(attempts), len(backoff)) - 1] if backoff else 0
    next_try = last.at + timedelta(seconds=wait) if state == "retrying" else None
    kind = event.type if event is not None else ""
    return Delivery(event_id, kind, len(attempts), last.at, last.code, last.error, state, next_try)
