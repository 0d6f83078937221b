"""A replica on a shared store (PostgreSQL) refuses to start without the secrets every replica shares."""

from __future__ import annotations

import pytest
from app_driver import app_as, texts

from hub_app.ui.web.context import ReplicaSettingMissing, check_replica_settings
from hub_app.ui.words.markup import shown

PG = "postgresql://hub@db.internal/hub"
HINT = 'python -c "import secrets; print(secrets.token_urlsafe(48))" makes one.'


def test_a_shared_store_without_hub_secret_key_is_refused_with_a_hint():
    with pytest.raises(ReplicaSettingMissing) as refused:
        check_replica_settings(PG, {}, cookie_secret_set=True)
    assert str(refused.value) == (
        "HUB_STORE is a shared PostgreSQL store, so every app replica must sign with the same HUB_SECRET_KEY, "
        "and it is not set. Hint: set it to the same long random value on every replica (HUB_SECRET_KEY); " + HINT
    )


def test_a_shared_store_without_streamlit_cookie_secret_is_refused_with_a_hint():
    with pytest.raises(ReplicaSettingMissing) as refused:
        check_replica_settings(PG, {"HUB_SECRET_KEY": "k"}, cookie_secret_set=False)
    assert str(refused.value) == (
        "HUB_STORE is a shared PostgreSQL store, so every app replica must sign with the same server.cookieSecret, "
        "and it is not set. Hint: set it to the same long random value on every replica "
        "(STREAMLIT_SERVER_COOKIE_SECRET, [server] cookieSecret in .streamlit/config.toml); " + HINT
    )


@pytest.mark.parametrize("url", ["tinydb:data/hub.json", "memory:"])
def test_a_local_store_needs_neither_secret(url):
    check_replica_settings(url, {}, cookie_secret_set=False)


def test_a_shared_store_with_both_secrets_starts():
    check_replica_settings(PG, {"HUB_SECRET_KEY": "k"}, cookie_secret_set=True)


def test_the_app_on_a_shared_store_without_the_key_shows_the_refusal(hub, monkeypatch):
    monkeypatch.setenv("HUB_STORE", PG)
    monkeypatch.delenv("HUB_SECRET_KEY")
    at = app_as(None)
    assert "every app replica must sign with the same HUB_SECRET_KEY, and it is not set." in shown(texts(at))
