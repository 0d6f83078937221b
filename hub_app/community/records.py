"""Community's records: announcement read receipts, partner events and their registrations, questions,
answers and votes, and the channel managers' office hours.

Every datetime is timezone-aware UTC. Records hold facts (a kind, an audience, a person's own words),
never sentences worded for a reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from hub_app.catalog.announcements import Audience
from hub_app.store.base import Index, Kind, Store
from hub_app.store.codecs import TUPLE, WHEN, Codec

EventKind = Literal["meeting", "webinar", "workshop", "lab"]
EVENT_KINDS: tuple[EventKind, ...] = ("meeting", "webinar", "workshop", "lab")
Seat = Literal["registered", "waitlisted", "cancelled"]


@dataclass(frozen=True)
class ReadReceipt:
    """A person read an announcement (its file's slug) at a moment."""

    user_id: str
    announcement_id: str
    at: datetime


@dataclass(frozen=True)
class PartnerEvent:
    """A partner meeting, webinar, workshop or hands-on lab, organised by vendor staff."""

    id: str
    title_en: str
    title_zh: str
    kind: EventKind
    starts: datetime
    ends: datetime
    online_url: str
    venue: str
    capacity: int
    agenda: str
    organiser_id: str
    created: datetime
    audience_types: tuple[str, ...] = ()
    audience_tiers: tuple[str, ...] = ()
    audience_regions: tuple[str, ...] = ()
    slides_url: str = ""
    recording_url: str = ""

    def title(self, lang: str) -> str:
        """The title in ``lang`` (English when there is no Chinese one)."""
        return (self.title_zh or self.title_en) if lang == "zh" else self.title_en

    @property
    def audience(self) -> Audience:
        """Who the event is for."""
        return Audience(self.audience_types, self.audience_tiers, self.audience_regions)


@dataclass(frozen=True)
class Registration:
    """A person's seat at an event: registered, on the waitlist (in order of ``since``) or cancelled."""

    id: str  # "<event id>:<user id>": one registration per person per event
    event_id: str
    user_id: str
    status: Seat
    since: datetime  # when the person took this status (the waitlist's order)
    attended: bool = False


@dataclass(frozen=True)
class Question:
    """A question asked in the community; ``hidden_reason`` set when a moderator hid it."""

    id: str
    author_id: str
    title: str
    body: str  # Markdown, rendered safely when shown
    tags: tuple[str, ...]  # "course:<id>", "product:<id>", "type:<id>"
    created: datetime
    accepted_answer_id: str = ""
    locked: bool = False
    hidden_reason: str = ""
    hidden_by: str = ""


@dataclass(frozen=True)
class Answer:
    """An answer to a question; ``hidden_reason`` set when a moderator hid it."""

    id: str
    question_id: str
    author_id: str
    body: str
    created: datetime
    hidden_reason: str = ""
    hidden_by: str = ""


@dataclass(frozen=True)
class Vote:
    """One person's upvote of a question or an answer (once per person and post)."""

    post_id: str
    user_id: str
    at: datetime


@dataclass(frozen=True)
class OfficeHours:
    """When a channel manager's partners can reach them, as they write it ("Tue and Thu 14:00–16:00 SGT")."""

    user_id: str
    hours: str
    updated: datetime


READ_RECEIPTS: Kind[ReadReceipt] = Kind(
    "announcement read receipt",
    "announcement_reads",
    Codec(ReadReceipt, {"at": WHEN}),
    key=("user_id", "announcement_id"),
    indexes=(Index("user", ("user_id",)),),
)
PARTNER_EVENTS: Kind[PartnerEvent] = Kind(
    "partner event",
    "partner_events",
    Codec(
        PartnerEvent,
        {
            "starts": WHEN,
            "ends": WHEN,
            "created": WHEN,
            "audience_types": TUPLE,
            "audience_tiers": TUPLE,
            "audience_regions": TUPLE,
        },
    ),
    order=("starts",),
)
REGISTRATIONS: Kind[Registration] = Kind(
    "event registration",
    "event_registrations",
    Codec(Registration, {"since": WHEN}),
    indexes=(Index("event", ("event_id",)), Index("user", ("user_id",))),
    order=("since",),
)
QUESTIONS: Kind[Question] = Kind(
    "community question",
    "community_questions",
    Codec(Question, {"created": WHEN, "tags": TUPLE}),
    indexes=(Index("author", ("author_id",)),),
    order=("created",),
)
ANSWERS: Kind[Answer] = Kind(
    "community answer",
    "community_answers",
    Codec(Answer, {"created": WHEN}),
    indexes=(Index("question", ("question_id",)), Index("author", ("author_id",))),
    order=("created",),
)
VOTES: Kind[Vote] = Kind(
    "community vote",
    "community_votes",
    Codec(Vote, {"at": WHEN}),
    key=("post_id", "user_id"),
    indexes=(Index("post", ("post_id",)),),
)
OFFICE_HOURS: Kind[OfficeHours] = Kind(
    "office hours", "office_hours", Codec(OfficeHours, {"updated": WHEN}), key=("user_id",)
)
KINDS: tuple[Kind[Any], ...] = (READ_RECEIPTS, PARTNER_EVENTS, REGISTRATIONS, QUESTIONS, ANSWERS, VOTES, OFFICE_HOURS)


def reads_of(store: Store, user_id: str) -> set[str]:
    """The announcements the person has read."""
    return {r.announcement_id for r in store.select(READ_RECEIPTS, "user", user_id)}


def registrations_for(store: Store, event_id: str) -> list[Registration]:
    """The event's registrations, in the order people took their status."""
    return store.select(REGISTRATIONS, "event", event_id)


def registrations_of(store: Store, user_id: str) -> list[Registration]:
    """The person's registrations, any event."""
    return store.select(REGISTRATIONS, "user", user_id)


def answers_to(store: Store, question_id: str) -> list[Answer]:
    """The question's answers, oldest first."""
    return store.select(ANSWERS, "question", question_id)


def votes_for(store: Store, post_id: str) -> list[Vote]:
    """Upvotes of a question or an answer."""
    return store.select(VOTES, "post", post_id)


def office_hours_of(store: Store, user_id: str) -> OfficeHours | None:
    """The channel manager's office hours, None when they never wrote them."""
    return store.get(OFFICE_HOURS, user_id)
