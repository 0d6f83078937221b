"""Events: the partner meetings, webinars, workshops and hands-on labs for my audience (the domain decides
which), registration and cancellation with a waitlist, a calendar file; past events with slides and
recordings. Organisers create events and mark attendance in the console."""

import streamlit as st

from hub_app.community import partner_events
from hub_app.kernel.i18n import t
from hub_app.ui.parts import events as parts
from hub_app.ui.web import context
from hub_app.ui.web.signin import require_user

user, lang = require_user()
store, now = context.store(), context.now()
st.title(t("Events", lang))
mine = partner_events.visible_events(user, store)
upcoming = [e for e in mine if e.ends > now]
past = sorted((e for e in mine if e.ends <= now), key=lambda e: e.starts, reverse=True)
if user.company_id is None:
    st.caption(t("Create events and mark attendance in the channel manager console.", lang))
coming_tab, past_tab = st.tabs([t("Upcoming", lang), t("Past events", lang)])
with coming_tab:
    if not upcoming:
        st.info(t("No upcoming events for your company right now.", lang))
    for event in upcoming:
        parts.card(user, event, lang, upcoming=True)
with past_tab:
    if not past:
        st.info(t("No past events yet.", lang))
    for event in past:
        parts.card(user, event, lang, upcoming=False)
