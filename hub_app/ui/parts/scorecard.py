"""What a partner sees of their own record: their points history with its reasons, and the company's KPIs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.kernel.i18n import t
from hub_app.partners.records import User
from hub_app.recognition import points
from hub_app.tiers import kpis
from hub_app.ui.parts.console import rule_name
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt


def points_history(user: User, catalog: Catalog, lang: str) -> None:
    """My points, newest first: when, how many, for what, and the reason a channel manager gave."""
    st.subheader(t("My points history", lang))
    entries = points.history(user, context.store(), user.id)
    if not entries:
        st.caption(t("No points yet. Passing a course exam earns your first.", lang))
        return
    tz = session.timezone()
    rows = [
        {
            t("Date", lang): fmt.day(e.at, lang, tz),
            t("Points", lang): f"{e.points:+d}",
            t("For", lang): rule_name(catalog, e.rule, lang),
            t("Reason", lang): e.reason or "—",
        }
        for e in reversed(entries)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="my_points_history")


def company_kpis(user: User, company_id: str, lang: str) -> None:
    """The KPIs the company's channel manager recorded, quarter by quarter (the tier scorecard's inputs)."""
    st.subheader(t("Recorded KPIs", lang))
    records = kpis.kpis_of(user, context.store(), company_id)
    if not records:
        st.caption(t("Your channel manager has not recorded KPIs for your company yet.", lang))
        return
    rows = [
        {
            t("Quarter", lang): k.period,
            t("Revenue, last 12 months", lang): fmt.number(k.revenue_12m, lang),
            t("Customers", lang): fmt.number(k.customers, lang),
            t("CSAT", lang): "—" if k.csat is None else f"{k.csat:g}",
        }
        for k in reversed(records)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="company_kpis")
