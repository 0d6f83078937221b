"""Open tabs re-check their session on every run; a one-time password leads to choosing one's own; SSO needs a
verified email."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from app_driver import app_as, texts
from seed import NOW, PASSWORD

from hub_app.partners import accounts
from hub_app.partners.records import USERS
from hub_app.ui.web import context, session, signin


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_a_sign_out_elsewhere_ends_an_open_tab_at_its_next_click(hub):
    at = app_as(hub.ana, "account")
    assert at.title[0].value == "Account"
    context.sessions().close(at.session_state[session.TOKEN_KEY])  # signed out in another tab
    at.run()
    assert session.USER_KEY not in at.session_state
    assert at.info[0].value == "Sign in to continue."


def test_a_password_change_in_another_browser_ends_this_tab(hub):
    at = app_as(hub.ana, "account")
    other = app_as(hub.ana, "account")
    other.text_input(key="pw_current").input(PASSWORD)
    other.text_input(key="pw_new").input("lantern orbit pebble")
    other.text_input(key="pw_again").input("lantern orbit pebble")
    _button(other, "Change password").click().run()
    at.run()
    assert at.info[0].value == "Sign in to continue."
    other.run()
    assert other.title[0].value == "Account"  # the browser that changed it stays signed in


def test_an_open_tab_ends_when_its_session_expires(hub, monkeypatch):
    at = app_as(hub.ana, "account")
    monkeypatch.setattr(context, "now", lambda: NOW + timedelta(days=15))
    at.run()
    assert at.info[0].value == "Sign in to continue."


def test_a_one_time_password_signs_in_to_choosing_a_password_and_nothing_else(hub):
    temporary = accounts.reset_password(hub.admin, hub.store, hub.ana.id, NOW)
    at = app_as(None)
    at.text_input(key="signin_email").input("ana@acme.example")
    at.text_input(key="signin_password").input(temporary)
    at = _button(at, "Sign in").click().run()
    assert at.title[0].value == "Choose your password"
    assert at.info[0].value == (
        "You signed in with a one-time password. It works only once: choose your own password now."
    )
    at.switch_page("ui/pages/certificates.py").run()
    assert at.title[0].value == "Choose your password"
    at.text_input(key="first_pw_new").input("password123")
    at.text_input(key="first_pw_again").input("password123")
    at = _button(at, "Save my password").click().run()
    assert [e.value for e in at.error] == [
        "This password is too easy to guess: it is a common or leaked password, a pattern, or made of your "
        "name or email. Choose a longer phrase of words that do not belong together."
    ]
    at.text_input(key="first_pw_new").input("lantern orbit pebble")
    at.text_input(key="first_pw_again").input("lantern orbit pebble")
    at = _button(at, "Save my password").click().run()
    assert not at.exception and at.title[0].value != "Choose your password"
    assert not hub.store.get(USERS, hub.ana.id).must_change_password


def test_single_sign_on_with_an_unverified_email_signs_nobody_in(hub, monkeypatch):
    claims = {"email": "ana@acme.example", "email_verified": False}
    fake_user = SimpleNamespace(is_logged_in=True, get=claims.get)
    monkeypatch.setattr(signin, "sso_configured", lambda: True)
    monkeypatch.setattr(signin.st, "user", fake_user)
    at = app_as(None)
    assert session.USER_KEY not in at.session_state
    assert "Your identity provider has not verified ana@acme.example. Verify it there, or sign in with your " in texts(
        at
    )


def test_the_language_switch_at_the_top_of_the_page_needs_no_sidebar(hub):
    at = app_as(hub.ana, "certificates")
    at = _button(at, "简体中文").click().run()
    assert at.title[0].value == "证书"
    assert context.sessions().language(hub.ana.id) == "zh"
    at = _button(at, "English").click().run()
    assert at.title[0].value == "Certificates"
