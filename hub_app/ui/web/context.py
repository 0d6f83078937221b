"""What every page shares: the catalog, the store, the sessions book and the clock, each opened once.

Settings are read once per server process by `hub_app.kernel.settings` (HUB_ROOT, default the repository
root; HUB_DATA_DIR; HUB_STORE; HUB_SECRET_KEY; HUB_SITE_URL and HUB_APP_URL, default program.yml's).
Tests replace `open_store` and `now` with monkeypatch.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from hub_app import store as stores
from hub_app.catalog import Catalog, load_catalog
from hub_app.kernel import settings as hub_settings
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
