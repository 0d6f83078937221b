"""The console's Events tab: a channel manager or program admin creates partner events, sees who registered
or waits, marks attendance (the event points, once per person) and links slides and recordings; a channel
manager also writes the office hours their partners see."""

from __future__ import annotations

from datetime import time

import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.community import managers, partner_events
from hub_app.community.records import EVENT_KINDS, PartnerEvent, office_hours_of
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import CHANNEL_MANAGER, USERS, User
from hub_app.ui.parts.company import shown_error
from hub_app.ui.parts.console import flash
from hub_app.ui.parts.events import KIND_WORDS, when
from hub_app.ui.web import context
from hub_app.ui.words.markup import plain

SEAT_STATUS = {"registered": "Registered", "waitlisted": "On the waitlist"}


def section(user: User, catalog: Catalog, lang: str) -> None:
    """Office hours (channel managers), the new-event form and the events the person organises."""
    if user.has_role(CHANNEL_MANAGER):
        _office_hours(user, lang)
    with st.expander(t("New event", lang), icon=":material/add:"):
        _event_form(user, catalog, lang)
    mine = partner_events.organised_by(user, context.store())
    if not mine:
        st.info(t("You organise no events yet.", lang))
        return
    picked = st.selectbox(
        t("Event", lang),
        mine[::-1],
        format_func=lambda e: f"{e.title(lang)} · {when(e, lang, reader_too=False)}",
        key="console_event",
    )
    if picked is not None:
        _attendance(user, catalog, picked, lang)
        _materials(user, picked, lang)


def _office_hours(user: User, lang: str) -> None:
    current = office_hours_of(context.store(), user.id)
    with st.form("office_hours"):
        hours = st.text_input(
            t("My office hours (shown to my partners)", lang),
            value=current.hours if current else "",
            placeholder=t("e.g. Tue and Thu 14:00–16:00 SGT", lang),
            key="office_hours_text",
        )
        saved = st.form_submit_button(t("Save office hours", lang))
    if saved:
        try:
            managers.set_office_hours(user, context.store(), hours, context.now())
        except HubError as e:
            shown_error(e, lang)
        else:
            st.success(t("Office hours saved.", lang))


def _event_form(user: User, catalog: Catalog, lang: str) -> None:
    program = catalog.program
    zone = program.program.timezone
    with st.form("new_event"):
        title_en = st.text_input(t("Title (English)", lang), key="event_title_en")
        title_zh = st.text_input(t("Title (Chinese)", lang), key="event_title_zh")
        kind = st.selectbox(
            t("Kind", lang), EVENT_KINDS, format_func=lambda k: t(KIND_WORDS[k], lang), key="event_kind"
        )
        day = st.date_input(t("Day", lang), value=None, key="event_day")
        with st.container(horizontal=True):
            start = st.time_input(t("Starts ({zone})", lang, zone=zone), value=time(10, 0), key="event_start")
            end = st.time_input(t("Ends ({zone})", lang, zone=zone), value=time(11, 0), key="event_end")
        url = st.text_input(t("Online link", lang), key="event_url")
        venue = st.text_input(t("Venue", lang), key="event_venue")
        capacity = st.number_input(t("Capacity (seats)", lang), min_value=0, value=50, step=1, key="event_capacity")
        agenda = st.text_area(t("Agenda", lang), key="event_agenda")
        types = st.multiselect(
            t("For partner types (none: all)", lang),
            [p.id for p in program.partner_types],
            format_func=lambda i: program.partner_type(i).name.get(lang),
            key="event_types",
        )
        tiers = st.multiselect(
            t("For tiers (none: all)", lang),
            [x.id for x in program.tiers],
            format_func=lambda i: program.tier(i).name.get(lang),
            key="event_tiers",
        )
        regions = st.text_input(t("For regions, comma-separated (empty: all)", lang), key="event_regions")
        created = st.form_submit_button(t("Create event", lang), type="primary")
    if not created:
        return
    form = partner_events.EventForm(
        title_en,
        title_zh,
        kind,
        day,
        start,
        end,
        url,
        venue,
        int(capacity),
        agenda,
        tuple(types),
        tuple(tiers),
        tuple(r.strip() for r in regions.split(",") if r.strip()),
    )
    try:
        event = partner_events.create_event(user, context.store(), program, form, context.now())
    except HubError as e:
        shown_error(e, lang)
        return
    flash(t("Event created: {title}.", lang, title=plain(event.title(lang))))
    st.rerun()


def _attendance(user: User, catalog: Catalog, event: PartnerEvent, lang: str) -> None:
    store = context.store()
    seats = partner_events.attendees(user, store, event.id)
    st.subheader(t("Registrations", lang))
    if not seats:
        st.info(t("Nobody has registered yet.", lang))
        return
    names = {s.user_id: _name(s.user_id) for s in seats}
    rows = [
        {
            t("Person", lang): names[s.user_id],
            t("Status", lang): t(SEAT_STATUS[s.status], lang),
            t("Attended", lang): "✓" if s.attended else "",
        }
        for s in seats
    ]
    taken = sum(s.status == "registered" for s in seats)
    st.caption(
        t(
            "{taken} of {capacity} seats taken, {waiting} on the waitlist",
            lang,
            taken=taken,
            capacity=event.capacity,
            waiting=len(seats) - taken,
        )
    )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    waiting = [s.user_id for s in seats if s.status == "registered" and not s.attended]
    if not waiting or event.starts > context.now():
        return
    with st.form(f"attendance_{event.id}"):
        present = st.multiselect(t("Mark as attended", lang), waiting, format_func=names.__getitem__, key="attended")
        marked = st.form_submit_button(t("Save attendance", lang))
    if marked:
        try:
            for user_id in present:
                partner_events.mark_attended(user, store, catalog.program, event.id, user_id, context.now())
        except HubError as e:
            shown_error(e, lang)
            return
        flash(t("Attendance saved for {count} people.", lang, count=len(present)))
        st.rerun()


def _name(user_id: str) -> str:
    person = context.store().get(USERS, user_id)
    return person.display_name if person else user_id


def _materials(user: User, event: PartnerEvent, lang: str) -> None:
    with st.form(f"materials_{event.id}"):
        slides = st.text_input(t("Slides link", lang), value=event.slides_url, key="event_slides")
        recording = st.text_input(t("Recording link", lang), value=event.recording_url, key="event_recording")
        saved = st.form_submit_button(t("Save links", lang))
    if saved:
        try:
            partner_events.add_materials(user, context.store(), event.id, slides, recording)
        except HubError as e:
            shown_error(e, lang)
            return
        flash(t("Links saved.", lang))
        st.rerun()
