"""Signing in and out, lockout, the session cookie, and changing the password."""

from __future__ import annotations

import pytest
from app_driver import app_as, texts
from seed import PASSWORD

from hub_app.partners.records import USERS
from hub_app.ui.web import context, cookies, nav, session


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _sign_in(at, email, password):
    at.text_input(key="signin_email").input(email)
    at.text_input(key="signin_password").input(password)
    return _button(at, "Sign in").click().run()


def test_sign_in_with_the_right_password_opens_home(hub):
    at = _sign_in(app_as(None), "Ana@Acme.example ", PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Hello, Ana Lima"
    token = at.session_state[session.TOKEN_KEY]
    assert context.sessions().user_id_for(token, context.now()) == hub.ana.id


def test_wrong_password_says_so_and_stays_signed_out(hub):
    at = _sign_in(app_as(None), "ana@acme.example", "not the password")
    assert [e.value for e in at.error] == ["Wrong email or password. Check both and try again."]
    assert session.USER_KEY not in at.session_state


def test_fifth_wrong_password_makes_this_browser_wait_and_says_until_when(hub, monkeypatch):
    monkeypatch.setattr(session, "source", lambda: "198.51.100.4")
    for _ in range(4):
        at = _sign_in(app_as(None), "ana@acme.example", "not the password")
        assert [e.value for e in at.error] == ["Wrong email or password. Check both and try again."]
    at = _sign_in(app_as(None), "ana@acme.example", "not the password")
    locked = (
        "Too many failed sign-ins. Try again after Nov 27, 2026, 10:01\u202fAM (Asia/Singapore), "
        "or ask your partner admin to reset your password."
    )
    assert [e.value for e in at.error] == [locked]
    at = _sign_in(app_as(None), "ana@acme.example", PASSWORD)  # even the right password waits
    assert [e.value for e in at.error] == [locked]
    monkeypatch.setattr(session, "source", lambda: "192.0.2.8")
    at = _sign_in(app_as(None), "ana@acme.example", PASSWORD)  # but not from elsewhere
    assert at.title[0].value == "Hello, Ana Lima"


def test_signed_out_visitor_sees_sign_in_apply_the_locator_and_verify_only(hub):
    at = app_as(None)
    assert at.title[0].value == "Quillstack Partner Program"
    assert [s.url_path for s in nav.PAGES if s.allowed(None) and s.listed] == ["signin", "apply", "partners", "verify"]


def test_link_from_the_site_asks_to_sign_in_then_opens_that_exam(hub):
    at = app_as(None, "exam", course="qs-sales-pro")
    assert at.info[0].value == "Sign in to continue."
    at = _sign_in(at, "ana@acme.example", PASSWORD)
    assert at.title[0].value == "Selling Quillstack: Certified Sales Professional"
    assert _button(at, "Start exam")


def test_a_valid_session_cookie_signs_in_after_a_refresh(hub, monkeypatch):
    token = context.sessions().open(hub.ana.id, context.now())
    monkeypatch.setattr(session, "cookie_value", lambda: cookies.sign(token, context.secret()))
    at = app_as(None)
    assert at.title[0].value == "Hello, Ana Lima"


@pytest.mark.parametrize(
    "value", ["forged", cookies.sign("no-such-session", "test-secret"), cookies.sign("x", "another-secret")]
)
def test_a_forged_unknown_or_foreign_cookie_signs_nobody_in(hub, monkeypatch, value):
    monkeypatch.setattr(session, "cookie_value", lambda: value)
    at = app_as(None)
    assert at.title[0].value == "Quillstack Partner Program"


def test_sign_out_ends_the_server_session_and_clears_the_cookie(hub):
    at = _sign_in(app_as(None), "ana@acme.example", PASSWORD)
    token = at.session_state[session.TOKEN_KEY]
    at = _button(at, "Sign out").click().run()
    assert at.title[0].value == "Quillstack Partner Program"
    assert context.sessions().user_id_for(token, context.now()) is None


def test_cookie_script_sets_a_lax_cookie_for_the_whole_app():
    script = cookies.set_script("abc.def")
    assert "hub_session=abc.def; Max-Age=1209600" in script and "'; Path=/; SameSite=Lax'" in script
    assert "hub_session=; Max-Age=0" in cookies.clear_script()
    assert "<" not in script.removeprefix("<script>").removesuffix("</script>")  # the HTML sanitiser keeps it


def _change(at, current, new, again):
    at.text_input(key="pw_current").input(current)
    at.text_input(key="pw_new").input(new)
    at.text_input(key="pw_again").input(again)
    return next(b for b in at.button if b.label == "Change password").click().run()


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        (
            PASSWORD,
            "a much longer one",
            "a much longer on",
            "The two new passwords differ. Type the same new password twice.",
        ),
        (PASSWORD, "short", "short", "Choose a password of at least 10 characters."),
        (
            "wrong current",
            "a much longer one",
            "a much longer one",
            "Your current password is not right. Nothing was changed.",
        ),
    ],
)
def test_change_password_refusals_show_inline_and_write_nothing(hub, current, new, again, message):
    before = hub.store.get(USERS, hub.ana.id).password_hash
    at = _change(app_as(hub.ana, "account"), current, new, again)
    assert [e.value for e in at.error] == [message]
    assert hub.store.get(USERS, hub.ana.id).password_hash == before


def test_change_password_signs_out_other_browsers(hub):
    elsewhere = context.sessions().open(hub.ana.id, context.now())
    at = _change(app_as(hub.ana, "account"), PASSWORD, "a much longer one", "a much longer one")
    assert [s.value for s in at.success] == ["Password changed. Other browsers signed in as you were signed out."]
    assert context.sessions().user_id_for(elsewhere, context.now()) is None
    assert "Password changed" in texts(at)
