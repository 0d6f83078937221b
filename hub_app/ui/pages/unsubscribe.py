"""Unsubscribe (public): the one-click link in every mail (unsubscribe?token=...) stops the person's mails."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.notifications.email import unsubscribe
from hub_app.ui.web import context, session

lang = session.language()
st.title(t("Unsubscribe", lang))
token = str(st.query_params.get("token", ""))
if not token:
    st.info(t("Open the unsubscribe link from one of your Partner Hub emails.", lang))
else:
    try:
        unsubscribe(context.store(), context.secret(), token)
    except HubError as e:
        st.error(t(getattr(e, "msgid", str(e)), lang))
    else:
        st.success(t("You will get no more emails from Partner Hub.", lang))
        st.caption(
            t("Your choices of which emails you get are kept: sign in and open Account to get them again.", lang)
        )
