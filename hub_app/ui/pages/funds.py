"""Market development funds: a partner's balance, its requests and claims with proof uploads; the channel
manager's pre-approvals, claim decisions and payments for the partners assigned to them; a program admin's
allocation. Roles are checked in the domain: another company's funds opened by URL (?company=) are refused."""

import streamlit as st

from hub_app.funds import allocation, requests
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.ui.parts import funds as parts
from hub_app.ui.parts.company import shown_error
from hub_app.ui.parts.partner_picker import pick_partner
from hub_app.ui.web import context
from hub_app.ui.web.signin import require_user

user, lang = require_user()
catalog, store = context.catalog(), context.store()
st.title(t("Market development funds", lang))
parts.show_flash()
asked = str(st.query_params.get("company", ""))
staff = user.company_id is None
if user.company_id is not None and not asked:
    company_id = user.company_id
else:
    parts.admin_section(user, catalog, lang)
    waiting = parts.waiting_section(user, catalog, lang)
    # Partners with something waiting for the manager come first, so the page opens on work to do.
    company_id = pick_partner(user, store, asked, waiting, "funds_company", lang)
try:
    funds = allocation.funds_for(user, store, company_id)
    parts.balance_section(funds, lang)
    found = [r for r in requests.visible_requests(user, store) if r.company_id == company_id]
    if not staff:
        with st.expander(t("Request funds for an activity", lang), expanded=not found):
            parts.request_form(user, catalog, lang)
    st.subheader(t("Requests and claims", lang))
    if not found:
        st.info(t("No MDF requests yet.", lang))
        st.stop()
    st.dataframe(parts.requests_table(found, catalog, lang), hide_index=True, key="mdf_requests")
    picked = parts.pick_request(found, lang, key="mdf_pick")
    if picked is not None:
        parts.details(user, picked, catalog, lang)
        if staff:
            parts.manager_actions(user, picked, catalog, lang)
        elif picked.status == "preapproved":
            parts.claim_form(user, picked, catalog, lang)
except HubError as e:
    shown_error(e, lang)
