"""Commissions: a partner's quarterly statements (lines, totals, CSV) and disputes on a line; the channel
manager answers disputes of the partners assigned to them; a program admin approves closed quarters.
Roles are checked in the domain: another company's statement opened by URL (?company=) is refused."""

import streamlit as st

from hub_app.deals import commissions
from hub_app.deals.records import COMMISSIONS
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.ui.parts import commissions as parts
from hub_app.ui.parts.company import shown_error
from hub_app.ui.parts.partner_picker import pick_partner
from hub_app.ui.web import context
from hub_app.ui.web.signin import require_user

user, lang = require_user()
catalog, store, now = context.catalog(), context.store(), context.now()
st.title(t("Commissions", lang))
parts.show_flash()
asked = str(st.query_params.get("company", ""))
if user.company_id is not None and not asked:
    company_id = user.company_id
else:
    # Partners with commission lines come first: their statements are the ones to look at.
    earning = {line.company_id for line in store.select(COMMISSIONS)}
    company_id = pick_partner(user, store, asked, earning, "commissions_company", lang)
try:
    quarters = commissions.periods(user, store, company_id, now, catalog.program.program.timezone)
    period = st.selectbox(t("Quarter", lang), quarters, key="commissions_period")
    view = commissions.statement(user, store, company_id, period)
    st.subheader(t("Statement {period} · {company}", lang, period=period, company=view.company.name))
    parts.statement_section(view, catalog, lang)
    parts.approve_section(user, view, lang)
    st.subheader(t("Disputes", lang))
    if not view.disputes:
        st.caption(t("No disputes on this statement.", lang))
    parts.disputes_section(user, view, lang)
except HubError as e:
    shown_error(e, lang)
