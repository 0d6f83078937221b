"""Applications (channel managers of the applicant's region and program admins): the review queue, the
0–5 scores with notes, the weighted total against the threshold, and the decisions. An application of
another region opened by URL (?application=) is refused by the domain."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners import applications as apps
from hub_app.ui.parts import reviews
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context
from hub_app.ui.web.signin import require_user
from hub_app.ui.words.markup import plain

user, lang = require_user()
catalog, store = context.catalog(), context.store()
st.title(t("Applications", lang))
try:
    everything = apps.queue(user, store, catalog.program)
except HubError as e:
    shown_error(e, lang)
    st.stop()
reviews.show_flash(lang)
reviews.one_time_password(lang)
show_all = st.toggle(t("Show decided applications too", lang), key="review_all")
shown = everything if show_all else [a for a in everything if a.status in apps.OPEN]
if shown:
    st.dataframe(reviews.queue_table(shown, catalog, lang), hide_index=True)
else:
    st.info(t("No application is waiting for a review.", lang))
asked = str(st.query_params.get("application", ""))
choices = [a.id for a in shown]
if asked and asked not in choices:
    choices.insert(0, asked)  # opened by URL: the domain decides whether it may be seen
if not choices:
    st.stop()
names = {a.id: f"{a.reference} · {a.company}" for a in everything}
picked = st.selectbox(
    t("Application", lang),
    choices,
    index=choices.index(asked) if asked in choices else 0,
    format_func=lambda i: names.get(i, i),
    key="review_pick",
)
try:
    application = apps.reviewable(user, store, catalog.program, str(picked))
    st.header(f"{plain(application.company)} · {application.reference}")
    reviews.details(application, catalog, lang)
    reviews.scoring(user, application, catalog, lang)
    reviews.total(application, catalog, lang)
    reviews.decisions(user, application, catalog, lang)
    st.subheader(t("History", lang))
    reviews.history(application, lang)
except HubError as e:
    shown_error(e, lang)
