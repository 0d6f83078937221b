"""The home of a channel manager or program admin: the work waiting for them, each line with its link."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import streamlit as st

from hub_app.catalog import Catalog
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import COMPANIES, User
from hub_app.store.base import Store
from hub_app.ui.parts.company import certification_name, shown_error, tier_name
from hub_app.ui.parts.console import tab_link
from hub_app.ui.views import workload
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain

SHOWN = 5  # lines per list; the console has the rest


def show(user: User, catalog: Catalog, lang: str) -> None:
    """Pending proposals, partners at risk or in grace, lapsing certificates and stale KPIs, with links."""
    try:
        work = workload.work_of(user, context.store(), catalog, context.now())
    except HubError as e:
        shown_error(e, lang)
        return
    tz = session.timezone()
    cols = st.columns(4)
    cols[0].metric(t("Tier proposals to decide", lang), fmt.number(len(work.pending), lang))
    cols[1].metric(t("Partners at risk", lang), fmt.number(len(work.at_risk) + len(work.in_grace), lang))
    cols[2].metric(t("Certificates lapsing", lang), fmt.number(len(work.lapsing), lang))
    cols[3].metric(t("Stale KPIs", lang), fmt.number(len(work.stale_kpis), lang))
    if work.partners == 0:
        st.info(t("No partner companies are assigned to you yet.", lang))
        return
    _proposals(work, catalog, lang)
    _risks(work, catalog, lang, tz)
    _lapsing(work, catalog, lang, tz)
    _stale(work, lang)


def _section(title: str, lines: list[str], empty: str, link: tuple[str, str], lang: str) -> None:
    st.subheader(title)
    if not lines:
        st.caption(empty)
        return
    st.markdown("\n".join(f"- {line}" for line in lines[:SHOWN]))
    if len(lines) > SHOWN:
        st.caption(t("and {count} more", lang, count=fmt.number(len(lines) - SHOWN, lang)))
    tab_link(link[0], link[1], lang, icon=":material/arrow_forward:")


def _proposals(work: workload.Work, catalog: Catalog, lang: str) -> None:
    names = {c.id: c.name for c, _ in work.at_risk} | {c.id: c.name for c, _ in work.in_grace}
    store = context.store()
    lines = []
    for p in work.pending:
        company = names.get(p.company_id) or _company_name(store, p.company_id)
        lines.append(
            t(
                "{company}: {from_tier} → {to_tier}",
                lang,
                company=plain(company),
                from_tier=tier_name(catalog, p.from_tier, lang),
                to_tier=tier_name(catalog, p.to_tier, lang),
            )
        )
    empty = t("No tier proposals wait for you.", lang)
    _section(t("Tier proposals to decide", lang), lines, empty, ("Tier proposals", t("Decide them", lang)), lang)


def _company_name(store: Store, company_id: str) -> str:
    found = store.get(COMPANIES, company_id)
    return found.name if found else company_id


def _risks(work: workload.Work, catalog: Catalog, lang: str, tz: ZoneInfo) -> None:
    lines = [
        t("{company}: below its tier; grace ends {date}", lang, company=plain(c.name), date=fmt.day(end, lang, tz))
        for c, end in work.in_grace
    ]
    lines += [
        t("{company}: at risk on {date}", lang, company=plain(c.name), date=fmt.day(on, lang, tz))
        for c, on in work.at_risk
    ]
    empty = t("None of your partners is at risk.", lang)
    _section(t("Partners at risk or in grace", lang), lines, empty, ("Partners", t("Open my partners", lang)), lang)


def _lapsing(work: workload.Work, catalog: Catalog, lang: str, tz: ZoneInfo) -> None:
    lines = [
        t(
            "{name} ({company}): {certification} lapses {date}",
            lang,
            name=plain(lapse.holder.display_name),
            company=plain(lapse.company.name),
            certification=certification_name(catalog, lapse.course_id, lang),
            date=fmt.day(lapse.lapses, lang, tz),
        )
        for lapse in work.lapsing
    ]
    empty = t("No certificate of your partners' people lapses soon.", lang)
    link = ("Certificates", t("Open certificates", lang))
    _section(t("Certificates lapsing soon", lang), lines, empty, link, lang)


def _stale(work: workload.Work, lang: str) -> None:
    lines = [
        t("{company}: latest KPIs {period}", lang, company=plain(c.name), period=period)
        if period
        else t("{company}: no KPIs recorded", lang, company=plain(c.name))
        for c, period in work.stale_kpis
    ]
    empty = t("Every partner's KPIs are up to date.", lang)
    _section(t("Stale KPIs", lang), lines, empty, ("KPIs", t("Record KPIs", lang)), lang)
