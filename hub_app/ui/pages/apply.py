"""Apply (public, no sign-in): a company applies to the program with the questionnaire of its partner type."""

import streamlit as st

from hub_app.kernel.i18n import t
from hub_app.ui.parts import joining
from hub_app.ui.web import context, session

lang = session.language()
catalog = context.catalog()
st.title(t("Apply to become a partner", lang))
if not joining.sent_notice(lang):
    st.caption(
        t(
            "Tell us about your company and answer the screening questions of your partner type. A channel manager "
            "reviews every application within 10 business days.",
            lang,
        )
    )
    joining.application_form(catalog, lang)
