"""Signing in: the local form (email and password), optional single sign-on, and the gate of every page."""

from __future__ import annotations

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners import accounts
from hub_app.partners.records import User, user_by_email
from hub_app.ui.web import context, session
from hub_app.ui.words.markup import plain
from hub_app.ui.words.messages import error_text


def require_user() -> tuple[User, str]:
    """The signed-in user and language; otherwise the sign-in form, and the page stops here."""
    user, lang = session.current_user(), session.language()
    if user is None:
        st.info(t("Sign in to continue.", lang))
        form(lang)
        st.stop()
    assert user is not None
    if user.must_change_password:
        first_password_form(user, lang)
        st.stop()
    return user, lang


NEXT_KEY = "hub_next"


def return_url(next_url: str | None, site_url: str) -> str | None:
    """Where to send the browser after signing in: `next_url` when it is a page of the site, else None
    (never another host: the parameter arrives from anyone's link)."""
    base = site_url.rstrip("/") + "/"
    if not next_url or not next_url.startswith(base) or any(c in next_url for c in "\r\n\"'<>\\"):
        return None
    return next_url


def first_password_form(user: User, lang: str) -> None:
    """After a one-time password: the person chooses their own before anything else."""
    st.title(t("Choose your password", lang))
    st.info(t("You signed in with a one-time password. It works only once: choose your own password now.", lang))
    with st.form("first_password"):
        new = st.text_input(
            t("New password", lang),
            type="password",
            key="first_pw_new",
            autocomplete="new-password",
            help=t("At least {count} characters.", lang, count=accounts.MIN_PASSWORD_LENGTH),
        )
        again = st.text_input(
            t("New password again", lang), type="password", key="first_pw_again", autocomplete="new-password"
        )
        submitted = st.form_submit_button(t("Save my password", lang), type="primary")
    if not submitted:
        return
    if new != again:
        st.error(t("The two new passwords differ. Type the same new password twice.", lang))
        return
    try:
        accounts.change_password(user, context.store(), "", new, context.now(), session.source())
    except HubError as e:
        st.error(error_text(e, lang, session.timezone(), context.catalog()))
        return
    context.sessions().close_others(user.id, keep=session.token())
    st.rerun()


def form(lang: str) -> None:
    """The sign-in form; a success signs in and reruns the app with the user's pages, or goes back to the
    site page that sent the person here (`?next=`, from the site server's partner gate)."""
    back = return_url(st.query_params.get("next"), context.site_url())
    if back:
        st.session_state[NEXT_KEY] = back
    program = context.catalog().program.program
    st.title(program.name.get(lang))
    st.caption(t("Courses, certifications, points and your company's tier, in one place.", lang))
    _single_sign_on(lang)
    with st.form("signin"):
        email = st.text_input(t("Email", lang), key="signin_email", autocomplete="email")
        password = st.text_input(
            t("Password", lang), type="password", key="signin_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(t("Sign in", lang), type="primary", width="stretch")
    if submitted:
        try:
            user = accounts.sign_in(context.store(), email, password, context.now(), session.source())
        except HubError as e:
            st.error(error_text(e, lang, session.timezone(), context.catalog()))
        else:
            session.start(user)
            st.rerun()
    st.caption(t("Forgot your password? Ask your partner admin to reset it.", lang))


def sso_configured() -> bool:
    """True when an [auth] section in secrets configures single sign-on (OIDC)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _single_sign_on(lang: str) -> None:
    if not sso_configured():
        return
    if st.user.is_logged_in:
        email = str(st.user.get("email") or "")
        if st.user.get("email_verified") is not True:  # an unverified address is anyone's claim to it
            st.error(
                t(
                    "Your identity provider has not verified {email}. Verify it there, or sign in with your "
                    "Partner Hub password.",
                    lang,
                    email=plain(email),
                )
            )
            return
        user = user_by_email(context.store(), email) if email else None
        if user is not None and user.active:
            session.start(user)
            st.rerun()
        st.error(
            t("No active Partner Hub account uses {email}. Ask your partner admin to invite you.", lang, email=email)
        )
        return
    st.button(t("Sign in with single sign-on", lang), icon=":material/key:", on_click=st.login, width="stretch")
    st.caption(t("Or sign in with your Partner Hub password:", lang))
