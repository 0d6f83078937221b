"""Account: who I am, and changing my password."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners import accounts
from hub_app.partners.records import COMPANIES
from hub_app.ui.parts.mail_preferences import preferences_form
from hub_app.ui.web import context, session
from hub_app.ui.web.signin import require_user
from hub_app.ui.words.markup import plain
from hub_app.ui.words.messages import error_text

user, lang = require_user()
st.title(t("Account", lang))
company = context.store().get(COMPANIES, user.company_id) if user.company_id else None
st.markdown(f"**{plain(user.display_name)}** · {plain(user.email)}")
if company is not None:
    st.caption(plain(company.name))

st.subheader(t("Change password", lang))
with st.form("change_password", clear_on_submit=False):
    current = st.text_input(
        t("Current password", lang), type="password", key="pw_current", autocomplete="current-password"
    )
    new = st.text_input(
        t("New password", lang),
        type="password",
        key="pw_new",
        autocomplete="new-password",
        help=t("At least {count} characters.", lang, count=accounts.MIN_PASSWORD_LENGTH),
    )
    again = st.text_input(t("New password again", lang), type="password", key="pw_again", autocomplete="new-password")
    submitted = st.form_submit_button(t("Change password", lang), type="primary")
if submitted:
    if new != again:
        st.error(t("The two new passwords differ. Type the same new password twice.", lang))
    else:
        try:
            accounts.change_password(user, context.store(), current, new, context.now(), session.source())
        except accounts.SignInFailed:
            st.error(t("Your current password is not right. Nothing was changed.", lang))
        except HubError as e:
            st.error(error_text(e, lang, session.timezone(), context.catalog()))
        else:
            context.sessions().close_others(user.id, keep=session.token())
            st.success(t("Password changed. Other browsers signed in as you were signed out.", lang))

preferences_form(user, lang)
