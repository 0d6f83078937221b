"""Partner events: staff create them, partner users register or cancel (a waitlist when full, promoted in
order when a seat frees), organisers mark attendance (the `event_attended` points rule, once per person per
event) and add slides and recordings afterwards; an `.ics` file for any calendar.

Roles are checked here: a partner user sees and joins the events of its audience; only the organiser (or a
program admin) marks attendance or edits the event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from hub_app.catalog.models import Program
from hub_app.community.audience import company_of, matches
from hub_app.community.records import (
    EVENT_KINDS,
    PARTNER_EVENTS,
    REGISTRATIONS,
    EventKind,
    PartnerEvent,
    Registration,
    Seat,
    registrations_for,
)
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Items, Message, Moment
from hub_app.partners.permissions import is_program_admin, is_vendor_staff, require
from hub_app.partners.records import USERS, User
from hub_app.recognition.points import award
from hub_app.store.base import Store

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
KINDS_BY_ID: dict[str, EventKind] = {k: k for k in EVENT_KINDS}


class EventNotFound(HubError):
    msgid = "No partner event '{event_id}'. Pick one from the events page."

    def __init__(self, event_id: str):
        super().__init__(event_id=event_id)


class EventInvalid(HubError):
    msgid = "The event cannot be saved: {problems}"

    def __init__(self, problems: list[Message]):
        super().__init__(problems=Items(problems))
        self.problems = problems


class EventOver(HubError):
    msgid = "This event ended on {ended}: registration is closed."

    def __init__(self, ended: datetime):
        super().__init__(ended=Moment(ended))


class NotRegistered(HubError):
    msgid = "{name} is not registered for this event."

    def __init__(self, name: str):
        super().__init__(name=name)


@dataclass(frozen=True)
class EventForm:
    """What an organiser enters: the day and times are in the program's time zone."""

    title_en: str
    title_zh: str = ""
    kind: str = "webinar"
    day: date | None = None
    start: time | None = None
    end: time | None = None
    online_url: str = ""
    venue: str = ""
    capacity: int = 0
    agenda: str = ""
    types: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


def _problems(form: EventForm, program: Program) -> list[Message]:
    problems: list[Message] = []
    if not form.title_en.strip():
        problems.append(Message("enter the title in English"))
    if form.kind not in KINDS_BY_ID:
        problems.append(Message("'{kind}' is not a kind of event", kind=form.kind))
    if form.day is None or form.start is None or form.end is None:
        problems.append(Message("enter the day, the start and the end time"))
    elif form.end <= form.start:
        problems.append(Message("the end time must be after the start time"))
    if form.capacity < 1:
        problems.append(Message("the capacity must be at least 1 seat"))
    if not form.online_url.strip() and not form.venue.strip():
        problems.append(Message("enter an online link or a venue"))
    if form.online_url.strip() and not URL.match(form.online_url.strip()):
        problems.append(Message("the online link '{url}' is not a web address (https://...)", url=form.online_url))
    types, tiers = {p.id for p in program.partner_types}, {t.id for t in program.tiers}
    problems += [Message("'{type}' is not a partner type", type=x) for x in form.types if x not in types]
    problems += [Message("'{tier}' is not a tier", tier=x) for x in form.tiers if x not in tiers]
    return problems


def _when(program: Program, day: date, at: time) -> datetime:
    zone = ZoneInfo(program.program.timezone)
    return datetime.combine(day, at, zone).astimezone(ZoneInfo("UTC"))


def create_event(actor: User, store: Store, program: Program, form: EventForm, now: datetime) -> PartnerEvent:
    """A new event organised by ``actor`` (a channel manager or program admin); nothing saved on bad input."""
    require(is_vendor_staff(actor), actor, "organise partner events")
    problems = _problems(form, program)
    if problems:
        raise EventInvalid(problems)
    assert form.day and form.start and form.end  # checked above
    event = PartnerEvent(
        new_id(),
        form.title_en.strip(),
        form.title_zh.strip(),
        KINDS_BY_ID[form.kind],
        _when(program, form.day, form.start),
        _when(program, form.day, form.end),
        form.online_url.strip(),
        form.venue.strip(),
        form.capacity,
        form.agenda.strip(),
        actor.id,
        now,
        tuple(form.types),
        tuple(form.tiers),
        tuple(r.strip() for r in form.regions if r.strip()),
    )
    store.add(PARTNER_EVENTS, event)
    return event


def event_of(store: Store, event_id: str) -> PartnerEvent:
    """The event with this id; EventNotFound when there is none."""
    event = store.get(PARTNER_EVENTS, event_id)
    if event is None:
        raise EventNotFound(event_id)
    return event


def may_see(store: Store, actor: User, event: PartnerEvent) -> bool:
    """True when the event is for the actor's audience (vendor staff see every event)."""
    return matches(event.audience, actor, company_of(store, actor))


def visible_events(actor: User, store: Store) -> list[PartnerEvent]:
    """The events ``actor`` may see, earliest first."""
    return [e for e in store.select(PARTNER_EVENTS) if may_see(store, actor, e)]


def _visible(actor: User, store: Store, event_id: str) -> PartnerEvent:
    event = event_of(store, event_id)
    require(may_see(store, actor, event), actor, "see the event {title}", title=event.title_en)
    return event


def seat_of(store: Store, event_id: str, user_id: str) -> Registration | None:
    """The person's registration for the event, if they ever registered."""
    return store.get(REGISTRATIONS, f"{event_id}:{user_id}")


def taken(store: Store, event_id: str) -> int:
    """Seats taken (registered, not waitlisted or cancelled)."""
    return sum(r.status == "registered" for r in registrations_for(store, event_id))


def register(actor: User, store: Store, event_id: str, now: datetime) -> Registration:
    """Register ``actor`` (a seat, or the waitlist when the event is full); registering twice changes nothing."""
    with store.transaction():
        event = _visible(actor, store, event_id)
        require(actor.company_id is not None, actor, "register for partner events as vendor staff")
        if event.ends <= now:
            raise EventOver(event.ends)
        seat = seat_of(store, event.id, actor.id)
        if seat is not None and seat.status != "cancelled":
            return seat
        status: Seat = "registered" if taken(store, event.id) < event.capacity else "waitlisted"
        new = Registration(f"{event.id}:{actor.id}", event.id, actor.id, status, now)
        if seat is None:
            store.add(REGISTRATIONS, new)
        else:
            store.replace(REGISTRATIONS, new)
        return new


def cancel(actor: User, store: Store, event_id: str, now: datetime) -> Registration | None:
    """Cancel ``actor``'s registration; the first person on the waitlist takes the freed seat (returned)."""
    with store.transaction():
        event = _visible(actor, store, event_id)
        seat = seat_of(store, event.id, actor.id)
        if seat is None or seat.status == "cancelled":
            raise NotRegistered(actor.display_name)
        store.replace(REGISTRATIONS, replace(seat, status="cancelled", since=now))
        if seat.status != "registered":
            return None
        waiting = [r for r in registrations_for(store, event.id) if r.status == "waitlisted"]
        if not waiting or event.ends <= now:
            return None
        promoted = replace(waiting[0], status="registered", since=now)
        store.replace(REGISTRATIONS, promoted)
        return promoted


def _organises(actor: User, event: PartnerEvent) -> bool:
    return is_program_admin(actor) or (is_vendor_staff(actor) and event.organiser_id == actor.id)


def attendance_key(user_id: str, event_id: str) -> str:
    """The ledger's idempotency key of attending an event (the same as `points.record_event` writes)."""
    return f"event_attended:{user_id}:{event_id}"


def mark_attended(
    actor: User, store: Store, program: Program, event_id: str, user_id: str, now: datetime
) -> Registration:
    """The organiser marks a registered person as attended; the points rule awards once per person per event."""
    with store.transaction():
        event = event_of(store, event_id)
        require(_organises(actor, event), actor, "mark attendance at {title}", title=event.title_en)
        seat = seat_of(store, event.id, user_id)
        person = store.get(USERS, user_id)
        if seat is None or seat.status != "registered" or person is None:
            raise NotRegistered(person.display_name if person else user_id)
        marked = replace(seat, attended=True)
        store.replace(REGISTRATIONS, marked)
        award(store, program, person, "event_attended", attendance_key(user_id, event.id), max(now, event.starts))
        return marked


def add_materials(actor: User, store: Store, event_id: str, slides_url: str, recording_url: str) -> PartnerEvent:
    """The organiser links the slides and the recording (web addresses, either may be empty)."""
    event = event_of(store, event_id)
    require(_organises(actor, event), actor, "edit the event {title}", title=event.title_en)
    problems = [
        Message("the link '{url}' is not a web address (https://...)", url=url)
        for url in (slides_url.strip(), recording_url.strip())
        if url and not URL.match(url)
    ]
    if problems:
        raise EventInvalid(problems)
    changed = replace(event, slides_url=slides_url.strip(), recording_url=recording_url.strip())
    store.replace(PARTNER_EVENTS, changed)
    return changed


def organised_by(actor: User, store: Store) -> list[PartnerEvent]:
    """The events ``actor`` organises (a program admin: every event), earliest first."""
    return [e for e in store.select(PARTNER_EVENTS) if _organises(actor, e)]


def attendees(actor: User, store: Store, event_id: str) -> list[Registration]:
    """Who registered or waits (the organiser's list)."""
    event = event_of(store, event_id)
    require(_organises(actor, event), actor, "see who registered for {title}", title=event.title_en)
    return [r for r in registrations_for(store, event.id) if r.status != "cancelled"]
