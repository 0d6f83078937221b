"""My company (partner admins): who holds which certification, what lapses soon, the tier and its history,
inviting and deactivating members, and the company's leaderboard opt-out."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.tiers import evaluation as tiers
from hub_app.ui.parts import company, scorecard
from hub_app.ui.views import overview, team
from hub_app.ui.web import context
from hub_app.ui.web.signin import require_user
from hub_app.ui.words.markup import plain

user, lang = require_user()
catalog, store, now = context.catalog(), context.store(), context.now()
st.title(t("My company", lang))
if user.company_id is None:
    st.info(t("This page shows a partner admin's own company. Your partners are in the channel manager console.", lang))
    st.stop()
try:
    found = team.team(user, store, catalog, user.company_id, now)
    evaluation = tiers.evaluate(user, store, catalog, user.company_id, now)
    view = overview.tier_view(user, catalog, store, now)
    decided = company.history(user, user.company_id)
except HubError as e:
    company.shown_error(e, lang)
    st.stop()
st.caption(plain(found.company.name))
team_tab, tier_tab, manage_tab = st.tabs([t("Team", lang), t("Tier", lang), t("Manage", lang)])
with team_tab:
    company.team_section(found, catalog, lang)
with tier_tab:
    company.tier_section(evaluation, view, catalog, lang)
    company.history_section(decided, catalog, lang)
    scorecard.company_kpis(user, user.company_id, lang)
with manage_tab:
    st.subheader(t("Invite a member", lang))
    company.invite_form(user, catalog, user.company_id, lang, key="invite")
    st.subheader(t("Deactivate a member", lang))
    company.deactivate_form(user, [m.user for m in found.members], lang, key="deactivate")
    st.subheader(t("Reset a member's password", lang))
    company.reset_password_form(user, [m.user for m in found.members], lang, key="reset")
    company.company_opt_out(user, found, lang)
