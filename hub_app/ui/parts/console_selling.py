"""The console's selling tabs: deals (counts by state, protection ending soon, recently expired, the
vendor's existing customers) and awards (the program admin's period close). The queue itself stays on the
deals page, where each registration is decided."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from hub_app.catalog import Catalog
from hub_app.deals import registration
from hub_app.deals.records import events_of
from hub_app.kernel.i18n import t
from hub_app.partners.records import User
from hub_app.store.base import Store
from hub_app.ui.parts import awards as awards_view
from hub_app.ui.parts import deal_customers
from hub_app.ui.parts import deals as deal_parts
from hub_app.ui.web import context, nav, session
from hub_app.ui.words import fmt

ENDING_DAYS = 14  # "protection ending soon": within two weeks
EXPIRED_DAYS = 30  # "recently expired": in the last month


def deals_tab(user: User, catalog: Catalog, lang: str) -> None:
    """The console's Deals tab: my partners' registrations by state, and the vendor's existing customers."""
    deals_section(user, lang)
    deal_customers.customers_section(user, catalog, lang)


def awards_tab(user: User, catalog: Catalog, lang: str) -> None:
    """The console's Awards tab: preview and close a quarter."""
    awards_view.period_close_section(user, catalog, lang)


def deals_section(user: User, lang: str) -> None:
    """Counts by state, protection ending soon and recently expired, over my partners' registrations."""
    store, now, tz = context.store(), context.now(), session.timezone()
    mine = registration.visible_deals(user, store)
    waiting = [d for d in mine if d.status in ("submitted", "more_info") or d.extension_requested]
    with st.container(horizontal=True):
        st.metric(t("To decide", lang), fmt.number(len(waiting), lang), border=True)
        for status in ("approved", "won", "lost", "expired"):
            count = sum(1 for d in mine if d.status == status)
            st.metric(t(registration.STATUS_WORDS[status], lang).capitalize(), fmt.number(count, lang), border=True)
    label = t("Open the queue on the deals page", lang)
    st.page_link(nav.PAGES_DIR / "deals.py", label=label, icon=":material/handshake:")
    horizon = now + timedelta(days=ENDING_DAYS)
    soon = [
        d for d in mine if d.status == "approved" and d.protected_until is not None and d.protected_until <= horizon
    ]
    st.subheader(t("Protection ending in the next {days} days", lang, days=ENDING_DAYS))
    if soon:
        st.dataframe(deal_parts.deals_table(soon, lang, with_partner=True), hide_index=True, key="console_deals_soon")
    else:
        st.info(t("No protection ends in the next {days} days.", lang, days=ENDING_DAYS))
    expired = [
        d for d in mine if d.status == "expired" and _expired_at(store, d.id) >= now - timedelta(days=EXPIRED_DAYS)
    ]
    st.subheader(t("Expired in the last {days} days", lang, days=EXPIRED_DAYS))
    if expired:
        table = deal_parts.deals_table(expired, lang, with_partner=True)
        table[t("Expired on", lang)] = [fmt.day(_expired_at(store, d.id), lang, tz) for d in expired]
        st.dataframe(table, hide_index=True, key="console_deals_expired")
    else:
        st.info(t("No registration expired in the last {days} days.", lang, days=EXPIRED_DAYS))


def _expired_at(store: Store, deal_id: str) -> datetime:
    ends = [e.at for e in events_of(store, deal_id) if e.act == "expired"]
    return ends[-1] if ends else datetime.min.replace(tzinfo=UTC)
