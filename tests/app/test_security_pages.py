"""Security on the pages: no external favicon, person-supplied text shown as text (never as Markdown)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from app_driver import app_as

import hub_app


def test_the_favicon_is_a_file_shipped_in_the_package_not_an_external_icon(hub, monkeypatch):
    seen: list[object] = []
    real = st.set_page_config

    def spy(*args, **kwargs):
        seen.append(kwargs.get("page_icon"))
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "set_page_config", spy)
    app_as(hub.ana)
    icon = Path(str(seen[0]))
    assert icon.is_file() and icon.suffix == ".png"
    assert Path(hub_app.__file__).parent in icon.parents
