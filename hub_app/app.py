"""Partner Hub's Streamlit app: `streamlit run hub_app/app.py`. The pages live in hub_app/ui/pages/."""

from pathlib import Path
from zoneinfo import ZoneInfo

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.ui.web import context, nav, session
from hub_app.ui.words import messages

# Shipped with the package: a Material icon name or an emoji would make the browser fetch the favicon from
# an external font or emoji host on every page.
ICON = Path(__file__).parent / "ui" / "assets" / "handshake.png"

try:
    context.check_start_up()  # a replica on a shared store needs the shared secrets before anything else
except HubError as refused:
    st.error(messages.error_text(refused, session.language(), ZoneInfo("UTC"), context.catalog()))
    st.stop()
user = session.current_user()
lang = session.language()
st.set_page_config(page_title=context.catalog().program.program.name.get(lang), page_icon=str(ICON))
session.emit_cookie_script()
page = st.navigation(nav.pages_for(user, lang))
nav.sidebar(user, lang)  # after the navigation is known: the sidebar links to its pages
page.run()
