"""AppTest fixtures: the real catalog, a seeded memory store injected into the app context, a fixed clock."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).parent))

import seed  # noqa: E402
from app_driver import APP, app_as, texts  # noqa: E402, F401  (kept importable from conftest)

from hub_app.catalog import Catalog, load_catalog  # noqa: E402
from hub_app.partners import accounts  # noqa: E402
from hub_app.ui.web import (
    context,
    session,  # noqa: E402
)


@pytest.fixture(scope="session")
def real_catalog() -> Catalog:
    return load_catalog(Path(__file__).resolve().parents[2])


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def hub(real_catalog, monkeypatch, tmp_path) -> seed.Hub:
    """The seeded hub, wired into the app: its memory store (sessions included) and a fixed clock."""
    built = seed.build(real_catalog)
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUB_SECRET_KEY", "test-secret")
    monkeypatch.setenv("HUB_APP_URL", "https://hub.example.com")
    monkeypatch.setenv("HUB_SITE_URL", "https://partners.example.com")
    monkeypatch.setattr(context, "open_store", lambda path: built.store)
    monkeypatch.setattr(context, "now", lambda: seed.NOW)
    monkeypatch.setattr(session, "cookie_value", lambda: None)
    st.cache_resource.clear()
    yield built
    st.cache_resource.clear()
