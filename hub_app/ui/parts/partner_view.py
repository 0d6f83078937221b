"""One partner, all round (the console's Partners tab): people and certifications, KPI history as a chart,
tier decisions with their evidence, points month by month, and the grace deadline when it is below its tier."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import Company, User
from hub_app.recognition import leaderboards
from hub_app.tiers import kpis
from hub_app.tiers import reviews as tier_reviews
from hub_app.ui.parts import company as team_parts
from hub_app.ui.views import team
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain


def show(actor: User, companies: list[Company], catalog: Catalog, lang: str) -> None:
    """Pick one of my partners and see everything about it."""
    if not companies:
        return
    st.subheader(t("One partner, all round", lang))
    picked = st.selectbox(
        t("Partner", lang),
        companies,
        format_func=lambda c: c.name,
        index=None,
        placeholder=t("Choose a partner to see its people, KPIs, tier decisions and points", lang),
        key="partner_view_company",
    )
    if picked is None:
        return
    store, now = context.store(), context.now()
    try:
        found = team.team(actor, store, catalog, picked.id, now)
        records = kpis.kpis_of(actor, store, picked.id)
        decided = tier_reviews.history(actor, store, picked.id)
        monthly = leaderboards.points_history(actor, store, catalog.program, company_id=picked.id, now=now)
        grace_ends = tier_reviews.grace_deadline(store, catalog, picked.id, now)
    except HubError as e:
        team_parts.shown_error(e, lang)
        return
    if grace_ends is not None:
        st.warning(
            t(
                "{company} is below its tier: its grace period ends on {date}, when a demotion is proposed.",
                lang,
                company=plain(picked.name),
                date=fmt.day(grace_ends, lang, session.timezone()),
            )
        )
    team_parts.team_section(found, catalog, lang)
    _kpi_chart(records, lang)
    team_parts.history_section(decided, catalog, lang)
    _points_chart(monthly, lang)


def _kpi_chart(records: list, lang: str) -> None:
    st.subheader(t("KPI history", lang))
    if not records:
        st.caption(t("No KPIs recorded yet.", lang))
        return
    quarter, revenue = t("Quarter", lang), t("Revenue, last 12 months", lang)
    frame = pd.DataFrame([{quarter: k.period, revenue: k.revenue_12m} for k in records])
    chart = alt.Chart(frame).mark_line(point=True).encode(x=alt.X(f"{quarter}:N", sort=None), y=f"{revenue}:Q")
    st.altair_chart(chart, width="stretch")


def _points_chart(monthly: list, lang: str) -> None:
    st.subheader(t("Points by month", lang))
    month, points = t("Month", lang), t("Points", lang)
    frame = pd.DataFrame([{month: str(m), points: p} for m, p in monthly])
    st.bar_chart(frame, x=month, y=points)
