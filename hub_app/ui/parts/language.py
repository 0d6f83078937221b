"""The language switch on a phone: at the top of every page, since the sidebar is folded away there.

On a wider screen the sidebar shows its own switch and this one is hidden (by the container's key class)."""

from __future__ import annotations

import streamlit as st

from hub_app.partners.records import USERS, User
from hub_app.ui.web import context, session

KEY = "hub_lang_phone"
OTHER = {"en": ("zh", "简体中文"), "zh": ("en", "English")}
_WIDE_HIDES_IT = f"<style>@media (min-width: 640px) {{ .st-key-{KEY} {{ display: none; }} }}</style>"


def _flip(user_id: str | None, lang: str) -> None:
    user = context.store().get(USERS, user_id) if user_id else None
    session.set_language(lang, user)
    st.session_state["hub_lang_choice"] = lang  # the sidebar's switch follows


def phone_switch(user: User | None, lang: str) -> None:
    """A one-tap switch to the other language, shown on narrow screens only."""
    target, label = OTHER.get(lang, OTHER["en"])
    with st.container(key=KEY, horizontal=True, horizontal_alignment="right"):
        st.html(_WIDE_HIDES_IT)
        st.button(
            label,
            icon=":material/translate:",
            key="hub_lang_flip",
            on_click=_flip,
            args=(user.id if user else None, target),
            type="tertiary",
        )
