"""Notifications' records: the outbox of domain events, delivery attempts, webhooks and mail preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from hub_app.kernel.events import DomainEvent
from hub_app.store.base import Index, Kind, Store
from hub_app.store.codecs import SET, TUPLE, WHEN, Codec

Outcome = Literal["sent", "failed", "skipped"]
CADENCES = ("immediate", "daily", "weekly")


@dataclass(frozen=True)
class DeliveryAttempt:
    """One try at delivering an event to a sink ("email:<user id>", "webhook:<id>"), and how it went."""

    id: str
    sink: str
    event_id: str
    at: datetime
    outcome: Outcome
    code: int | None = None  # SMTP reply or HTTP status, when there was one
    error: str = ""


@dataclass(frozen=True)
class Webhook:
    """A program admin's subscription: events of these types are POSTed, signed with the secret, to the URL."""

    id: str
    url: str
    secret: str
    types: tuple[str, ...]
    created: datetime
    created_by: str


@dataclass(frozen=True)
class MailPreference:
    """Which event types a person gets by email (``muted`` ones not), or none after an unsubscribe."""

    user_id: str
    muted: frozenset[str] = frozenset()
    unsubscribed: bool = False
    digest: str = ""  # "" (one mail per event), "daily" or "weekly" (True, from older records, meant daily)

    @property
    def cadence(self) -> str:
        """immediate, daily or weekly."""
        if self.digest is True:
            return "daily"
        return self.digest if self.digest in CADENCES else "immediate"


# The outbox: appended inside the writer's transaction, read by the dispatcher through a cursor.
OUTBOX: Kind[DomainEvent] = Kind(
    "domain event",
    "outbox",
    Codec(DomainEvent, {"occurred_at": WHEN, "subject_ids": TUPLE, "recipients": TUPLE}),
    idempotency="idempotency_key",
    keep="documents",
)
DELIVERIES: Kind[DeliveryAttempt] = Kind(
    "delivery attempt",
    "deliveries",
    Codec(DeliveryAttempt, {"at": WHEN}),
    indexes=(Index("delivery", ("sink", "event_id")), Index("event", ("event_id",))),
    order=("at",),
    keep="documents",
)
WEBHOOKS: Kind[Webhook] = Kind(
    "webhook", "webhooks", Codec(Webhook, {"created": WHEN, "types": TUPLE}), order=("created",)
)
MAIL_PREFERENCES: Kind[MailPreference] = Kind(
    "mail preference", "mail_preferences", Codec(MailPreference, {"muted": SET}), key=("user_id",)
)
KINDS: tuple[Kind[Any], ...] = (OUTBOX, DELIVERIES, WEBHOOKS, MAIL_PREFERENCES)


def record(store: Store, event: DomainEvent) -> bool:
    """Write the event to the outbox (inside the caller's transaction); False if its key was written before."""
    return store.append(OUTBOX, event)


def attempts_of(store: Store, sink: str, event_id: str) -> list[DeliveryAttempt]:
    """Every attempt at delivering the event to the sink, oldest first."""
    return store.select(DELIVERIES, "delivery", (sink, event_id))


def deliveries_of(store: Store, event_id: str) -> list[DeliveryAttempt]:
    """Every attempt at delivering the event, to any sink."""
    return store.select(DELIVERIES, "event", event_id)


def webhooks(store: Store) -> list[Webhook]:
    """Every webhook subscription, oldest first."""
    return store.select(WEBHOOKS)


def preference_of(store: Store, user_id: str) -> MailPreference:
    """The person's mail preference (everything, one mail per event, when they never chose)."""
    return store.get(MAIL_PREFERENCES, user_id) or MailPreference(user_id)


def set_preference(store: Store, preference: MailPreference) -> None:
    """Store the person's mail preference."""
    with store.transaction():
        if store.get(MAIL_PREFERENCES, preference.user_id) is None:
            store.add(MAIL_PREFERENCES, preference)
        else:
            store.replace(MAIL_PREFERENCES, preference)
