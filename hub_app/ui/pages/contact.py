"""Contact your channel manager: a message delivered by email through the outbox (linked from the sidebar
of every partner page)."""

import streamlit as st

from hub_app.kernel.i18n import t
from hub_app.ui.parts import community
from hub_app.ui.web.signin import require_user

user, lang = require_user()
st.title(t("Your channel manager", lang))
community.contact_form(user, lang)
