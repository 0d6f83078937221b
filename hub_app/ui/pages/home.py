"""Home: where do I stand (certificates, points, rank, my company's tier) and what do I do next."""

import streamlit as st

from hub_app.kernel.i18n import t
from hub_app.ui.parts import awards as awards_view
from hub_app.ui.parts import community, onboarding, staff_home
from hub_app.ui.parts import home as home_view
from hub_app.ui.views import overview
from hub_app.ui.web import context, nav, session
from hub_app.ui.web.signin import require_user
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain

user, lang = require_user()
catalog, store, tz, now = context.catalog(), context.store(), session.timezone(), context.now()
st.title(t("Hello, {name}", lang, name=plain(user.display_name)))
if user.company_id is None:
    staff_home.show(user, catalog, lang)
    st.stop()

onboarding.home_checklist(user, lang)
mine = overview.standing(user, catalog, store, now)
home_view.metrics(mine, lang)
community.whats_new(user, lang)
renew = home_view.next_steps(mine, catalog, lang, tz)
if renew is not None:  # through the exam's intro (time limit, attempts left), never straight into an attempt
    st.switch_page(nav.PAGES_DIR / "exam.py", query_params={"course": renew})
if mine.tier is not None:
    home_view.tier(mine.tier, catalog, lang, tz)
home_view.certificates(mine, lang, tz)
awards_view.home_awards(user, catalog, lang)
st.caption(t("Points and rank count this calendar quarter. Updated {time}.", lang, time=fmt.moment(now, lang, tz)))
