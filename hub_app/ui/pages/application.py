"""Application status (public, by the link from the confirmation: application?token=...): the steps so far,
and the answer form when the reviewer asked for more information."""

import streamlit as st

from hub_app.kernel.i18n import t
from hub_app.ui.parts import joining
from hub_app.ui.web import session

lang = session.language()
st.title(t("Your application", lang))
token = str(st.query_params.get("token", ""))
if st.session_state.pop("application_answered", False):
    st.success(t("Thank you. Your answer is with the reviewer.", lang))
if not token:
    st.info(t("Open the status link from your application's confirmation.", lang))
else:
    joining.status_page(token, lang)
