"""Leaderboards: people and companies by points in a window, filtered by partner type and region, with my
row marked, my points per month, and my opt-out."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import COMPANIES
from hub_app.recognition import leaderboards
from hub_app.ui.parts import awards as awards_view
from hub_app.ui.parts import leaderboards as view
from hub_app.ui.parts import scorecard
from hub_app.ui.web import context, session
from hub_app.ui.web.signin import require_user
from hub_app.ui.words.messages import error_text

user, lang = require_user()
store, program, now = context.store(), context.catalog().program, context.now()
st.title(t("Leaderboards", lang))
regions = sorted({c.region for c in store.select(COMPANIES) if c.active and c.region})
picked = view.filters(program, regions, lang)
try:
    people = leaderboards.people_board(
        user,
        store,
        program,
        picked.window,
        now,
        partner_type=picked.partner_type,
        region=picked.region,
        top_n=picked.top_n,
    )
    companies = leaderboards.company_board(
        user,
        store,
        program,
        picked.window,
        now,
        partner_type=picked.partner_type,
        region=picked.region,
        top_n=picked.top_n,
    )
except HubError as e:
    st.error(error_text(e, lang, session.timezone(), context.catalog()))
    st.stop()
people_tab, companies_tab = st.tabs([t("People", lang), t("Companies", lang)])
with people_tab:
    view.board(people, lang, key="lb_people")
with companies_tab:
    view.board(companies, lang, key="lb_companies")
    st.caption(
        t(
            "Points per certified member divides the company's points by its members holding a valid "
            "certificate, so small teams compete fairly.",
            lang,
        )
    )
awards_view.leaderboard_winners(user, context.catalog(), lang)
if user.company_id is not None:
    view.charts(user, program, lang)
    scorecard.points_history(user, context.catalog(), lang)
    view.opt_out(user, lang)
