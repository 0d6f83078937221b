"""Home: where do I stand (certificates, points, rank, my company's tier) and what do I do next."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.learning import exams
from hub_app.ui.parts import awards as awards_view
from hub_app.ui.parts import community
from hub_app.ui.parts import home as home_view
from hub_app.ui.views import overview
from hub_app.ui.web import context, nav, session
from hub_app.ui.web.signin import require_user
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain
from hub_app.ui.words.messages import error_text

user, lang = require_user()
catalog, store, tz, now = context.catalog(), context.store(), session.timezone(), context.now()
st.title(t("Hello, {name}", lang, name=plain(user.display_name)))
if user.company_id is None:
    st.info(t("Vendor tools (partners, tier reviews, points) come with the channel manager console.", lang))
    st.stop()

mine = overview.standing(user, catalog, store, now)
home_view.metrics(mine, lang)
community.whats_new(user, lang)
renew = home_view.next_steps(mine, catalog, lang, tz)
if renew is not None:
    try:
        exams.start_attempt(user, catalog, store, renew, now)
    except HubError as e:
        st.error(error_text(e, lang, tz, catalog))
    else:
        st.switch_page(nav.PAGES_DIR / "exam.py", query_params={"course": renew})
if mine.tier is not None:
    home_view.tier(mine.tier, catalog, lang, tz)
home_view.certificates(mine, lang, tz)
awards_view.home_awards(user, catalog, lang)
st.caption(t("Points and rank count this calendar quarter. Updated {time}.", lang, time=fmt.moment(now, lang, tz)))
