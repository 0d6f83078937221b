"""Driving the app in AppTest: open it as someone on a page, and read every text on it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from hub_app.ui.web import context, session

APP = str(Path(__file__).resolve().parents[2] / "hub_app" / "app.py")


def app_as(user=None, page: str | None = None, lang: str | None = None, **query) -> AppTest:
    """An AppTest of the router, signed in as `user` (None: signed out), on `page`, after one run."""
    at = AppTest.from_file(APP, default_timeout=20)
    if user is not None:
        at.session_state[session.USER_KEY] = user.id
        at.session_state[session.TOKEN_KEY] = context.sessions().open(user.id, context.now())
    if lang is not None:
        at.session_state[session.LANG_KEY] = lang
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    if page is not None:
        at.switch_page(f"ui/pages/{page}.py").run()
    return at


def texts(at: AppTest) -> str:
    """Every bit of text on the page, one element a line (for asserting exact wording)."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
        "metric",
        "code",
    ):
        for element in getattr(at, kind):
            shown = f"{element.label}: {element.value}" if kind == "metric" else str(getattr(element, "value", ""))
            parts.append(shown)
    return "\n".join(parts)
