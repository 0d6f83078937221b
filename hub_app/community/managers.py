"""Your channel manager: who looks after a partner (name, email, office hours) and a message to them,
delivered by email through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub_app.community.audience import company_of
from hub_app.community.records import OFFICE_HOURS, OfficeHours, office_hours_of
from hub_app.kernel import events
from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Message
from hub_app.notifications.records import record
from hub_app.partners.permissions import require
from hub_app.partners.records import CHANNEL_MANAGER, USERS, User
from hub_app.store.base import Store

MESSAGE_MAX, HOURS_MAX = 4000, 200


class NoChannelManager(HubError):
    msgid = "Your company has no channel manager assigned yet. Write to the program team instead."

    def __init__(self) -> None:
        super().__init__()


class ContactInvalid(HubError):
    msgid = "{problem}"

    def __init__(self, problem: Message):
        super().__init__(problem=problem)


@dataclass(frozen=True)
class ManagerCard:
    """What a partner sees of their channel manager."""

    user_id: str
    name: str
    email: str
    hours: str  # empty when the manager has not written office hours


def manager_of(store: Store, actor: User) -> ManagerCard | None:
    """The channel manager assigned to ``actor``'s company, None for vendor staff or when none is assigned."""
    company = company_of(store, actor)
    if company is None or company.channel_manager_id is None:
        return None
    manager = store.get(USERS, company.channel_manager_id)
    if manager is None or not manager.active:
        return None
    hours = office_hours_of(store, manager.id)
    return ManagerCard(manager.id, manager.display_name, manager.email, hours.hours if hours else "")


def set_office_hours(actor: User, store: Store, hours: str, now: datetime) -> OfficeHours:
    """A channel manager writes their own office hours (shown on every page of their partners)."""
    require(actor.active and actor.has_role(CHANNEL_MANAGER), actor, "set office hours")
    if len(hours.strip()) > HOURS_MAX:
        raise ContactInvalid(Message("the office hours are longer than {limit} characters", limit=HOURS_MAX))
    entry = OfficeHours(actor.id, hours.strip(), now)
    with store.transaction():
        if office_hours_of(store, actor.id) is None:
            store.add(OFFICE_HOURS, entry)
        else:
            store.replace(OFFICE_HOURS, entry)
    return entry


def contact(actor: User, store: Store, message: str, now: datetime) -> ManagerCard:
    """``actor`` writes to their channel manager: an event in the outbox, delivered by email."""
    if not message.strip():
        raise ContactInvalid(Message("write your message to your channel manager"))
    if len(message) > MESSAGE_MAX:
        raise ContactInvalid(Message("the message is longer than {limit} characters", limit=MESSAGE_MAX))
    with store.transaction():
        card = manager_of(store, actor)
        if card is None:
            raise NoChannelManager()
        company = company_of(store, actor)
        payload = {
            "from_name": actor.display_name,
            "from_email": actor.email,
            "company": company.name if company else "",
            "message": message.strip(),
        }
        subjects = (actor.id, actor.company_id or "")
        record(store, events.event(events.MANAGER_CONTACTED, now, subjects, payload, (card.user_id,)))
    return card
