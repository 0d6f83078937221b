"""The partner a channel manager (or program admin) looks at on a per-partner page (commissions, funds)."""

from __future__ import annotations

from collections.abc import Set

import streamlit as st

from hub_app.kernel.i18n import t
from hub_app.partners.permissions import manages
from hub_app.partners.records import COMPANIES, User
from hub_app.store.base import Store


def pick_partner(user: User, store: Store, asked: str, first: Set[str], key: str, lang: str) -> str:
    """The id of the partner picked among those `user` manages, those in `first` listed first; `asked`
    (from ?company=) is kept even when not theirs: the domain decides whether it may be seen. Stops the
    page when there is nobody to pick."""
    mine = sorted((c for c in store.select(COMPANIES) if manages(user, c)), key=lambda c: c.id not in first)
    choices = [c.id for c in mine]
    if asked and asked not in choices:
        choices.insert(0, asked)  # opened by URL: the domain decides whether it may be seen
    if not choices:
        st.info(t("No partner companies are assigned to you yet.", lang))
        st.stop()
    names = {c.id: c.name for c in mine}
    return st.selectbox(
        t("Partner", lang),
        choices,
        index=choices.index(asked) if asked in choices else 0,
        format_func=lambda i: names.get(i, i),
        key=key,
    )
