"""Partner Hub's Streamlit app: `streamlit run hub_app/app.py`. The pages live in hub_app/ui/pages/."""

from zoneinfo import ZoneInfo

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.ui.web import context, nav, session
from hub_app.ui.words import messages

try:
    context.check_start_up()  # a replica on a shared store needs the shared secrets before anything else
except HubError as refused:
    st.error(messages.error_text(refused, session.language(), ZoneInfo("UTC"), context.catalog()))
    st.stop()
user = session.current_user()
lang = session.language()
st.set_page_config(page_title=context.catalog().program.program.name.get(lang), page_icon=":material/handshake:")
session.emit_cookie_script()
nav.sidebar(user, lang)
st.navigation(nav.pages_for(user, lang)).run()
