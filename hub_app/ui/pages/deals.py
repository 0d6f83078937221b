"""Deals: a partner registers deals (the conflict pre-check shown before submitting), follows them and
closes them; a channel manager works the queue of the partners assigned to them. Roles are checked in the
domain: a deal of another company opened by URL (?deal=) is refused."""

import streamlit as st

from hub_app.deals import registration
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.ui.parts import deals as parts
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context
from hub_app.ui.web.signin import require_user

user, lang = require_user()
catalog, store = context.catalog(), context.store()
st.title(t("Deals", lang))
mine = registration.visible_deals(user, store)
asked = str(st.query_params.get("deal", ""))
staff = user.company_id is None
if staff:
    queue = [d for d in mine if d.status in ("submitted", "more_info") or d.extension_requested]
    st.subheader(t("Registrations to decide", lang))
    if queue:
        st.dataframe(parts.deals_table(queue, lang, with_partner=True), hide_index=True)
    else:
        st.info(t("No registration is waiting for a decision.", lang))
else:
    register_tab, list_tab = st.tabs([t("Register a deal", lang), t("My registrations", lang)])
    with register_tab:
        parts.register_form(user, catalog, lang)
    with list_tab:
        if mine:
            st.dataframe(parts.deals_table(mine, lang), hide_index=True)
        else:
            st.info(t("Your company has no deal registrations yet.", lang))
choices = [d.id for d in mine]
if asked and asked not in choices:
    choices.insert(0, asked)  # opened by URL: the domain decides whether it may be seen
if not choices:
    st.stop()
names = {d.id: f"{d.customer} · {t(registration.STATUS_WORDS[d.status], lang)}" for d in mine}
picked = st.selectbox(
    t("Registration", lang),
    choices,
    index=choices.index(asked) if asked in choices else 0,
    format_func=lambda i: names.get(i, i),
    key="deal_pick",
)
deal = store.get(registration.DEALS, picked)
try:
    if deal is None:
        raise registration.DealNotFound(picked)
    parts.history_section(user, deal.id, lang)
    if staff:
        parts.manager_section(user, catalog, deal, lang)
    else:
        parts.partner_actions(user, catalog, deal, lang)
except HubError as e:
    shown_error(e, lang)
