"""Partner Hub's Streamlit app: `streamlit run hub_app/app.py`. The pages live in hub_app/ui/pages/."""

import streamlit as st

from hub_app.ui.web import context, nav, session

user = session.current_user()
lang = session.language()
st.set_page_config(page_title=context.catalog().program.program.name.get(lang), page_icon=":material/handshake:")
session.emit_cookie_script()
nav.sidebar(user, lang)
st.navigation(nav.pages_for(user, lang)).run()
