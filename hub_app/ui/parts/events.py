"""The events page's parts: an event's card (when, where, seats, agenda), the partner's register / cancel
buttons and .ics download, and past events with their slides and recordings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from hub_app.community import partner_events
from hub_app.community.calendar_file import ics
from hub_app.community.records import PartnerEvent
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import User
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain

KIND_WORDS = {"meeting": "Partner meeting", "webinar": "Webinar", "workshop": "Workshop", "lab": "Hands-on lab"}
SEAT_WORDS = {"registered": "You are registered", "waitlisted": "You are on the waitlist"}


def when(event: PartnerEvent, lang: str, reader_too: bool = True) -> str:
    """The start and end in the program's zone (where the organiser set them); the reader's zone too if other."""
    program_zone = ZoneInfo(context.catalog().program.program.timezone)
    shown = _span(event, lang, program_zone)
    reader = session.timezone()
    if reader_too and reader.key != program_zone.key:
        shown += " · " + t("your time: {span}", lang, span=_span(event, lang, reader))
    return shown


def _span(event: PartnerEvent, lang: str, tz: ZoneInfo) -> str:
    start, end = fmt.moment(event.starts, lang, tz), fmt.moment(event.ends, lang, tz)
    if event.starts.astimezone(tz).date() == event.ends.astimezone(tz).date():
        end = fmt.clock(event.ends, lang, tz)
    return t("{start} to {end}", lang, start=start, end=end)


def _where(event: PartnerEvent, lang: str) -> str:
    parts = []
    if event.online_url:
        parts.append(f"[{t('Join online', lang)}]({event.online_url})")
    if event.venue:
        parts.append(plain(event.venue))
    return " · ".join(parts)


def _seats(event: PartnerEvent, lang: str) -> str:
    left = event.capacity - partner_events.taken(context.store(), event.id)
    if left <= 0:
        return t("Full: new registrations join the waitlist", lang)
    return t(
        "{left} of {capacity} seats left", lang, left=fmt.number(left, lang), capacity=fmt.number(event.capacity, lang)
    )


def card(user: User, event: PartnerEvent, lang: str, upcoming: bool) -> None:
    """One event: title, kind, when, where, seats, agenda, and what the partner can do."""
    seat = partner_events.seat_of(context.store(), event.id, user.id)
    with st.container(border=True):
        st.markdown(f"**{plain(event.title(lang))}** :gray-badge[{t(KIND_WORDS[event.kind], lang)}]")
        st.caption(when(event, lang))
        where = _where(event, lang)
        if where:
            st.markdown(where)
        if event.agenda:
            with st.expander(t("Agenda", lang)):
                st.text(event.agenda)
        if upcoming:
            st.caption(_seats(event, lang))
            if seat is not None and seat.status in SEAT_WORDS:
                st.success(t(SEAT_WORDS[seat.status], lang))
            if user.company_id is not None:
                _actions(user, event, seat.status if seat else None, lang)
        else:
            _materials(event, seat is not None and seat.attended, lang)


def _actions(user: User, event: PartnerEvent, status: str | None, lang: str) -> None:
    with st.container(horizontal=True):
        if status in ("registered", "waitlisted"):
            if st.button(t("Cancel my registration", lang), key=f"cancel_{event.id}"):
                _act(lambda: partner_events.cancel(user, context.store(), event.id, context.now()), lang)
        else:
            full = event.capacity <= partner_events.taken(context.store(), event.id)
            label = t("Join the waitlist", lang) if full else t("Register", lang)
            if st.button(label, key=f"register_{event.id}", type="primary"):
                _act(lambda: partner_events.register(user, context.store(), event.id, context.now()), lang)
        vendor = context.catalog().program.program.vendor
        st.download_button(
            t("Add to calendar (.ics)", lang),
            ics(event, lang, vendor, context.now()),
            file_name=f"{event.id}.ics",
            mime="text/calendar",
            key=f"ics_{event.id}",
            icon=":material/event:",
        )


def _act(action: object, lang: str) -> None:
    try:
        action()  # type: ignore[operator]
    except HubError as e:
        shown_error(e, lang)
        return
    st.rerun()


def _materials(event: PartnerEvent, attended: bool, lang: str) -> None:
    links = []
    if event.slides_url:
        links.append(f"[{t('Slides', lang)}]({event.slides_url})")
    if event.recording_url:
        links.append(f"[{t('Recording', lang)}]({event.recording_url})")
    if links:
        st.markdown(" · ".join(links))
    else:
        st.caption(t("No slides or recording yet.", lang))
    if attended:
        st.caption(t("You attended.", lang))
