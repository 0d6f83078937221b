"""Who is signed in, in which language and time zone: session state, the session cookie and sign-out.

A run finds its user in `st.session_state`; on a fresh browser session (a refresh, a new tab) it reads
the signed session cookie once, checks the server-side record and restores the user. Signing in or out
queues a script that writes or clears the cookie in the browser (see `ui.cookies`).
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import streamlit as st

from hub_app.kernel.i18n import LANGUAGES
from hub_app.partners.records import USERS, User
from hub_app.ui.web import context, cookies
from hub_app.ui.words import fmt

USER_KEY = "hub_user_id"
TOKEN_KEY = "hub_session_token"
LANG_KEY = "hub_lang"
COOKIE_SCRIPT_KEY = "hub_cookie_script"
COOKIE_CHECKED_KEY = "hub_cookie_checked"


def cookie_value() -> str | None:
    """The session cookie the browser sent when this session connected (tests replace this)."""
    try:
        return st.context.cookies.get(cookies.COOKIE_NAME)
    except Exception:  # no browser behind this session (bare mode)
        return None


def current_user() -> User | None:
    """The signed-in, active user, restored from the cookie on a new browser session."""
    if USER_KEY not in st.session_state and not st.session_state.get(COOKIE_CHECKED_KEY):
        st.session_state[COOKIE_CHECKED_KEY] = True
        _restore_from_cookie()
    user_id = st.session_state.get(USER_KEY)
    if user_id is None:
        return None
    user = context.store().get(USERS, user_id)
    if user is None or not user.active or not _session_live(user_id):
        sign_out()
        return None
    return user


def _session_live(user_id: str) -> bool:
    # every run, not only the first: a password change or a reset elsewhere, a sign-out in another tab and
    # the session's expiry all end this tab too, at its next click
    token = st.session_state.get(TOKEN_KEY)
    return token is not None and context.sessions().user_id_for(token, context.now()) == user_id


def source() -> str:
    """Where this browser connects from (its IP address), for throttling failed sign-ins; "" when unknown.

    Behind a reverse proxy this is the proxy's address unless Streamlit is told the client's; then the
    throttle still holds per email across every source."""
    try:
        return str(st.context.ip_address or "")
    except Exception:  # no browser behind this session (bare mode)
        return ""


def _restore_from_cookie() -> None:
    value = cookie_value()
    token = cookies.unsign(value, context.secret()) if value else None
    user_id = context.sessions().user_id_for(token, context.now()) if token else None
    if user_id is not None:
        st.session_state[USER_KEY] = user_id
        st.session_state[TOKEN_KEY] = token
        remembered = context.sessions().language(user_id)
        if remembered:
            st.session_state[LANG_KEY] = remembered


def start(user: User) -> None:
    """Sign the user in: a server-side session, the cookie for the browser, their language."""
    token = context.sessions().open(user.id, context.now())
    st.session_state[USER_KEY] = user.id
    st.session_state[TOKEN_KEY] = token
    st.session_state[COOKIE_SCRIPT_KEY] = cookies.set_script(cookies.sign(token, context.secret()))
    remembered = context.sessions().language(user.id)
    if remembered:
        st.session_state[LANG_KEY] = remembered
    else:
        context.sessions().set_language(user.id, language())


def sign_out() -> None:
    """End the session here and in the browser; the language stays for the sign-in page."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        context.sessions().close(token)
    for key in (USER_KEY, TOKEN_KEY):
        st.session_state.pop(key, None)
    st.session_state[COOKIE_CHECKED_KEY] = True  # the old cookie still rides on this connection: ignore it
    st.session_state[COOKIE_SCRIPT_KEY] = cookies.clear_script()
    if _signed_in_by_provider():  # else the identity provider's session would sign the person straight back in
        st.logout()


def _signed_in_by_provider() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # single sign-on is not configured
        return False


def token() -> str | None:
    """This browser's session token (to keep it when ending the user's other sessions)."""
    return st.session_state.get(TOKEN_KEY)


def emit_cookie_script() -> None:
    """Run a queued cookie script in the browser once; after a sign-in that came from a partner page of
    the site, go back to that page (the cookie is written first, so the site lets the person in)."""
    script = st.session_state.pop(COOKIE_SCRIPT_KEY, None)
    back = st.session_state.pop("hub_next", None) if script and USER_KEY in st.session_state else None
    if back:
        script += "<script>window.location.assign(" + json.dumps(back) + ");</script>"
    if script:
        st.html(script, unsafe_allow_javascript=True)


def language() -> str:
    """The interface language: chosen here, else remembered for the user, else the browser's."""
    lang = st.session_state.get(LANG_KEY)
    if lang not in LANGUAGES:
        lang = _browser_language()
        st.session_state[LANG_KEY] = lang
    return lang


def _browser_language() -> str:
    try:
        locale = st.context.locale or ""
    except Exception:
        locale = ""
    return "zh" if locale.lower().startswith("zh") else "en"


def set_language(lang: str, user: User | None) -> None:
    """Switch the interface language and remember it for the user."""
    st.session_state[LANG_KEY] = lang
    if user is not None:
        context.sessions().set_language(user.id, lang)


def timezone() -> ZoneInfo:
    """The browser's time zone, else the program's."""
    program_zone = context.catalog().program.program.timezone
    try:
        browser = st.context.timezone
    except Exception:
        browser = None
    return fmt.zone(browser, program_zone)
