"""The unsubscribe page: the one-click link in a mail stops the person's mails; a forged link is refused."""

from __future__ import annotations

from app_driver import app_as

from hub_app.notifications.email import unsubscribe_token
from hub_app.notifications.records import preference_of
from hub_app.ui.web import context


def test_the_link_from_a_mail_unsubscribes_without_signing_in(hub):
    token = unsubscribe_token(context.secret(), hub.ana.id)
    at = app_as(None, "unsubscribe", token=token)
    assert [s.value for s in at.success] == ["You will get no more emails from Partner Hub."]
    assert preference_of(hub.store, hub.ana.id).unsubscribed


def test_a_forged_link_is_refused_in_the_readers_language(hub):
    at = app_as(None, "unsubscribe", lang="zh", token="forged.token")
    assert [e.value for e in at.error] == ["此退订链接无效。提示：请使用最新邮件中的链接，或登录后更改邮件设置。"]
    assert not preference_of(hub.store, hub.ana.id).unsubscribed
