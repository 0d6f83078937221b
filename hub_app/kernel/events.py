"""Domain events: facts about a change, written to the outbox in the same transaction as the change.

An event holds facts, never sentences: its type, when it happened, the ids of what it is about, a small
JSON-able payload (text values: ids, dates as ISO 8601, tier ids) and the people it is for. Sinks (email,
webhooks) word it when they deliver it. The kernel imports no store, so the outbox `Kind` is declared in
``hub_app.notifications.records`` (the floor every writer of events stands on); this module is the event
itself and the registry of event types.

A new kind of event is a declaration: ``DEAL_APPROVED = declare("deal.approved", "A deal registration was
approved")``, then the domain function writes ``event(DEAL_APPROVED, ...)`` with `notifications.record`;
email templates and webhook subscriptions refer to the type by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from hub_app.kernel.ids import new_id


@dataclass(frozen=True)
class EventType:
    """A declared type of domain event: its name (``certificate.issued``) and what it means."""

    name: str
    description: str


EVENT_TYPES: dict[str, EventType] = {}


def declare(name: str, description: str) -> str:
    """Declare an event type (once per name) and return its name."""
    known = EVENT_TYPES.get(name)
    if known is not None and known.description != description:
        raise ValueError(f"event type {name!r} is declared twice, differently")
    EVENT_TYPES[name] = EventType(name, description)
    return name


CERTIFICATE_ISSUED = declare("certificate.issued", "A certificate was issued (or renewed) after a pass")
CERTIFICATE_REVOKED = declare("certificate.revoked", "A certificate was revoked")
CERTIFICATE_EXPIRING = declare("certificate.expiring", "A certificate expires in a few days")
CERTIFICATE_EXPIRED = declare("certificate.expired", "A certificate expired")
TIER_PROPOSED = declare("tier.proposed", "A tier change was proposed for a company")
TIER_CHANGED = declare("tier.changed", "A company moved to another tier")
FUNDS_EXPIRING = declare("funds.expiring", "A partner's unspent market development funds expire in a few days")
TIER_AT_RISK = declare("tier.at_risk", "A lapse before the next review would drop a company below its tier")
QUESTION_ANSWERED = declare("community.question_answered", "Someone answered a person's community question")
MANAGER_CONTACTED = declare("community.manager_contacted", "A partner wrote to their channel manager")


@dataclass(frozen=True)
class DomainEvent:
    """One fact for the outbox; ``idempotency_key`` makes writing it twice (a rescan) write it once."""

    id: str
    type: str
    occurred_at: datetime
    subject_ids: tuple[str, ...]
    payload: dict[str, str] = field(default_factory=dict)
    recipients: tuple[str, ...] = ()  # user ids
    idempotency_key: str = ""


def event(
    type: str,
    at: datetime,
    subjects: tuple[str, ...],
    payload: dict[str, str] | None = None,
    recipients: tuple[str, ...] = (),
    key: str | None = None,
) -> DomainEvent:
    """A new event of a declared type; ``key`` (default: its id) names it for idempotent writes."""
    if type not in EVENT_TYPES:
        raise ValueError(f"event type {type!r} is not declared (hub_app.kernel.events.declare)")
    event_id = new_id()
    return DomainEvent(event_id, type, at, subjects, dict(payload or {}), recipients, key or event_id)
