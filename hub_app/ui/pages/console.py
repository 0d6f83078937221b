"""Channel manager console (channel managers and program admins): my partners and their tiers, tier
proposals, KPIs, points, certificate revocation and the partners' people."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.ui.parts import console, console_events, console_selling, onboarding, partner_view
from hub_app.ui.parts.company import shown_error
from hub_app.ui.parts.webhook_log import webhook_log_section
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


def _partners() -> None:
    console.partners_section(rows, catalog, lang)
    console.evaluate_button(user, lang)
    onboarding.console_section(companies, lang)
    partner_view.show(user, companies, catalog, lang)


def _kpis() -> None:
    console.kpi_form(user, companies, lang)
    console.kpi_import(user, lang)


def _points() -> None:
    person = console.person_picker(user, companies, lang, key="points")
    if person is not None:
        console.points_section(user, person, catalog, lang)


def _certificates() -> None:
    person = console.person_picker(user, companies, lang, key="revoke")
    if person is not None:
        console.revoke_section(user, person, catalog, lang)


# One line per tab: its label (a msgid) and what it shows. A room adding a tab adds one line here.
SECTIONS = [
    ("Partners", _partners),
    ("Tier proposals", lambda: console.proposals_section(user, catalog, lang)),
    ("KPIs", _kpis),
    ("Points", _points),
    ("Certificates", _certificates),
    ("Users", lambda: console.users_section(user, companies, catalog, lang)),
    ("Events", lambda: console_events.section(user, catalog, lang)),
    ("Deals", lambda: console_selling.deals_tab(user, catalog, lang)),
    ("Awards", lambda: console_selling.awards_tab(user, catalog, lang)),
]
# Keyed and bound to the URL (?tab=...): an action's rerun keeps its tab, so the next form's errors stay in view,
# and a link (from home) can open a tab.
tabs = st.tabs([t(label, lang) for label, _ in SECTIONS], key=console.TAB_KEY, bind="query-params")
try:
    for tab, (_, show) in zip(tabs, SECTIONS, strict=True):
        with tab:
            show()
    webhook_log_section(user, lang)
except HubError as e:
    shown_error(e, lang)
