"""What every page shares: the catalog, the store, the sessions book and the clock, each opened once.

Settings are read once per server process by `hub_app.kernel.settings` (HUB_ROOT, default the repository
root; HUB_DATA_DIR; HUB_STORE; HUB_SECRET_KEY; HUB_SITE_URL and HUB_APP_URL, default program.yml's).
Tests replace `open_store` and `now` with monkeypatch.

A replica on a shared store (PostgreSQL) keeps nothing of its own under data/: `check_replica_settings`
refuses to start one without HUB_SECRET_KEY and Streamlit's ``server.cookieSecret`` (each replica would
otherwise sign cookies with its own key, and a session begun on one would be refused on the next).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from hub_app import store as stores
from hub_app.catalog import Catalog, load_catalog
from hub_app.kernel import settings as hub_settings
from hub_app.kernel.errors import HubError
from hub_app.partners.websessions import SessionBook
from hub_app.store.base import Store
from hub_app.ui.web import cookies

REPO_ROOT = Path(__file__).resolve().parents[3]


@st.cache_resource(show_spinner=False)
def settings() -> hub_settings.Settings:
    """The environment's settings, read and validated once per server process."""
    return hub_settings.read()


def project_root() -> Path:
    """The project folder holding program.yml and courses/."""
    return settings().root or REPO_ROOT


def data_dir() -> Path:
    """Where the database, the sessions file and the generated secret live."""
    return settings().data_dir


def blob_dir() -> Path:
    """Where uploads are kept: HUB_BLOB_DIR (a directory every replica shares), else <data dir>/uploads."""
    return settings().blob_dir or (data_dir() / "uploads").resolve()


def store_url() -> str:
    """HUB_STORE, or the TinyDB file in the data directory (validated by `hub_app.kernel.settings`)."""
    return settings().store_url


def open_store(url: str) -> Store:
    """The store at `url` (see `hub_app.store.open_store`)."""
    return stores.open_store(url)


def now() -> datetime:
    """The current time, UTC."""
    return datetime.now(UTC)


@st.cache_resource(show_spinner=False)
def catalog() -> Catalog:
    """program.yml and courses/, loaded once per server process."""
    return load_catalog(project_root())


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The store, opened once per server process (every browser session is a thread in it)."""
    return open_store(store_url())


@st.cache_resource(show_spinner=False)
def sessions() -> SessionBook:
    """The sign-in sessions book, kept in the store."""
    return SessionBook(store())


@st.cache_resource(show_spinner=False)
def secret() -> str:
    """The key that signs session cookies."""
    return cookies.secret_key(data_dir(), settings().secret_key)


def site_url() -> str:
    """The enablement site's base URL, without a trailing slash."""
    return (settings().site_url or catalog().program.program.site_url).rstrip("/")


def app_url() -> str:
    """The hub app's public base URL, without a trailing slash."""
    return (settings().app_url or catalog().program.program.app_url).rstrip("/")


# --- start-up checks of the settings (to move into kernel/settings.py at merge) ----------------------------
LOCAL_SCHEMES = ("tinydb", "memory")
SECRET_HOW = "HUB_SECRET_KEY"
COOKIE_HOW = "STREAMLIT_SERVER_COOKIE_SECRET, [server] cookieSecret in .streamlit/config.toml"


class ReplicaSettingMissing(HubError):
    """A replica on a shared store needs a setting every replica shares, and it is not set."""

    msgid = (
        "HUB_STORE is a shared {backend} store, so every app replica must sign with the same {setting}, "
        "and it is not set. Hint: set it to the same long random value on every replica ({how}); "
        'python -c "import secrets; print(secrets.token_urlsafe(48))" makes one.'
    )

    def __init__(self, backend: str, setting: str, how: str):
        super().__init__(backend=backend, setting=setting, how=how)
        self.backend, self.setting, self.how = backend, setting, how


def is_local(url: str) -> bool:
    """True for a store only this machine's processes share (TinyDB, memory)."""
    return url.partition(":")[0] in LOCAL_SCHEMES


def check_replica_settings(url: str, environ: dict[str, str] | os._Environ[str], cookie_secret_set: bool) -> None:
    """ReplicaSettingMissing when the store at ``url`` is not local and HUB_SECRET_KEY or Streamlit's
    server.cookieSecret is not set (a local store generates its key into the data directory)."""
    if is_local(url):
        return
    backend = "PostgreSQL"
    if not environ.get("HUB_SECRET_KEY", "").strip():
        raise ReplicaSettingMissing(backend, "HUB_SECRET_KEY", SECRET_HOW)
    if not cookie_secret_set:
        raise ReplicaSettingMissing(backend, "server.cookieSecret", COOKIE_HOW)


def cookie_secret_set() -> bool:
    """True when Streamlit's server.cookieSecret comes from a config file, the environment or a flag."""
    from streamlit import config

    return config.get_where_defined("server.cookieSecret") != config.ConfigOption.DEFAULT_DEFINITION


def check_start_up() -> None:
    """The settings checks a replica runs before serving anyone (`check_replica_settings`)."""
    check_replica_settings(store_url(), os.environ, cookie_secret_set())
