"""The account page's email settings: which kinds of mail, and one per event or a daily or weekly digest."""

from __future__ import annotations

import streamlit as st

from hub_app.kernel import events
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.notifications.preferences import mail_kinds, save_preferences
from hub_app.notifications.records import CADENCES, preference_of
from hub_app.partners.records import User
from hub_app.ui.web import context, session
from hub_app.ui.words.messages import error_text


def kind_label(kind: str, lang: str) -> str:
    """A kind of mail as the preferences list words it."""
    labels = {
        events.CERTIFICATE_ISSUED: t("A certificate is issued or renewed", lang),
        events.CERTIFICATE_EXPIRING: t("A certificate expires soon", lang),
        events.CERTIFICATE_EXPIRED: t("A certificate has expired", lang),
        events.CERTIFICATE_REVOKED: t("A certificate is revoked", lang),
        events.TIER_PROPOSED: t("A tier change is proposed for my company", lang),
        events.TIER_CHANGED: t("My company's tier changes", lang),
        events.TIER_AT_RISK: t("My company's tier is at risk", lang),
    }
    return labels.get(kind, kind)


def cadence_label(cadence: str, lang: str) -> str:
    """How often mail comes, as the choice is worded."""
    return {
        "immediate": t("One email per event", lang),
        "daily": t("A daily digest", lang),
        "weekly": t("A weekly digest", lang),
    }[cadence]


def preferences_form(user: User, lang: str) -> None:
    """The form, saved as one choice."""
    store = context.store()
    preference = preference_of(store, user.id)
    st.subheader(t("Email settings", lang))
    if preference.unsubscribed:
        st.info(t("You unsubscribed from all emails. Tick the box below to get them again.", lang))
    with st.form("mail_preferences"):
        subscribed = st.checkbox(t("Send me emails", lang), value=not preference.unsubscribed, key="mail_on")
        st.caption(t("Email me when:", lang))
        wanted = {
            kind
            for kind in mail_kinds()
            if st.checkbox(kind_label(kind, lang), value=kind not in preference.muted, key=f"mail_{kind}")
        }
        cadence = st.radio(
            t("How often", lang),
            CADENCES,
            index=CADENCES.index(preference.cadence),
            format_func=lambda c: cadence_label(c, lang),
            key="mail_cadence",
            horizontal=True,
        )
        saved = st.form_submit_button(t("Save email settings", lang), type="primary")
    if saved:
        try:
            save_preferences(user, store, wanted, cadence, subscribed)
        except HubError as e:
            st.error(error_text(e, lang, session.timezone(), context.catalog()))
        else:
            st.success(t("Email settings saved.", lang))
