"""Channel manager console (channel managers and program admins): my partners and their tiers, tier
proposals, KPIs, points, certificate revocation and the partners' people."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.ui.parts import console, console_events, console_selling
from hub_app.ui.parts.company import shown_error
from hub_app.ui.views import portfolio
from hub_app.ui.web import context
from hub_app.ui.web.signin import require_user

user, lang = require_user()
catalog, store, now = context.catalog(), context.store(), context.now()
st.title(t("Channel manager console", lang))
try:
    rows = portfolio.partner_rows(user, store, catalog, now)
except HubError as e:
    shown_error(e, lang)
    st.stop()
console.show_flash()
companies = [r.company for r in rows]
tabs = st.tabs(
    [
        t("Partners", lang),
        t("Tier proposals", lang),
        t("KPIs", lang),
        t("Points", lang),
        t("Certificates", lang),
        t("Users", lang),
        t("Events", lang),
        *console_selling.titles(lang),
    ]
)
try:
    with tabs[0]:
        console.partners_section(rows, catalog, lang)
        console.evaluate_button(user, lang)
    with tabs[1]:
        console.proposals_section(user, catalog, lang)
    with tabs[2]:
        console.kpi_form(user, companies, lang)
        console.kpi_import(user, lang)
    with tabs[3]:
        person = console.person_picker(user, companies, lang, key="points")
        if person is not None:
            console.points_section(user, person, catalog, lang)
    with tabs[4]:
        person = console.person_picker(user, companies, lang, key="revoke")
        if person is not None:
            console.revoke_section(user, person, catalog, lang)
    with tabs[5]:
        console.users_section(user, companies, catalog, lang)
    with tabs[6]:
        console_events.section(user, catalog, lang)
    console_selling.sections(tabs[7:9], user, companies, catalog, lang)
except HubError as e:
    shown_error(e, lang)
