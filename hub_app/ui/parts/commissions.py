"""The commissions page's parts: a statement's lines and totals, its CSV, disputes on a line and their
answers, and the program admin's approval at period close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.deals import commissions
from hub_app.deals.commissions import StatementView
from hub_app.deals.records import DEALS, CommissionLine
from hub_app.deals.statement_csv import statement_csv
from hub_app.kernel.calendar import quarter_label
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.permissions import is_program_admin, manages
from hub_app.partners.records import USERS, User
from hub_app.ui.parts.company import shown_error, tier_name
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain

FLASH_KEY = "commissions_flash"
TYPE_WORDS = {"resale": "Resale", "referral": "Referral"}


def show_flash() -> None:
    """The success message of the last action, once."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def _done(action: Callable[[], object], message: str) -> None:
    action()
    st.session_state[FLASH_KEY] = message
    st.rerun()


def _customer(line: CommissionLine) -> str:
    deal = context.store().get(DEALS, line.deal_id)
    return deal.customer if deal else line.deal_id


def lines_table(view: StatementView, catalog: Catalog, lang: str) -> pd.DataFrame:
    """One row per line: deal, close date, how it was sold, tier, rate, base and commission."""
    tz = session.timezone()
    return pd.DataFrame(
        [
            {
                t("Customer", lang): _customer(line),
                t("Commission", lang): f"{line.amount:,.2f} {line.currency}",
                t("Closed", lang): fmt.day(line.earned_on, lang, tz),
                t("Deal type", lang): t(TYPE_WORDS[line.deal_type], lang),
                t("Tier", lang): tier_name(catalog, line.tier, lang),
                t("Rate", lang): f"{line.rate:g} %",
                t("Deal amount", lang): f"{line.base:,.2f} {line.currency}",
                t("Note", lang): t("Reversal", lang) if line.reverses else "",
            }
            for line in view.lines
        ]
    )


def statement_section(view: StatementView, catalog: Catalog, lang: str) -> None:
    """Status, totals per currency, the lines and the CSV download."""
    tz = session.timezone()
    if view.approved is not None:
        st.success(
            t("Approved on {day}: this statement is final.", lang, day=fmt.day(view.approved.approved_at, lang, tz))
        )
    else:
        st.info(t("Open: lines can still be added or disputed until a program admin approves it.", lang))
    if not view.lines:
        st.caption(t("No commission lines in {period} yet. Won deals add theirs here.", lang, period=view.period))
        return
    columns = st.columns(max(1, len(view.totals)))
    for column, (currency, amount) in zip(columns, view.totals.items(), strict=False):
        column.metric(t("Total ({currency})", lang, currency=currency), f"{amount:,.2f}")
    st.dataframe(lines_table(view, catalog, lang), hide_index=True, key="statement_lines")
    st.download_button(
        t("Download CSV", lang),
        statement_csv(view),
        file_name=f"commissions-{view.company.name}-{view.period}.csv".replace(" ", "-"),
        mime="text/csv",
        icon=":material/download:",
        key="statement_csv",
    )


def _label(line: CommissionLine) -> str:
    return f"{_customer(line)} · {line.amount:,.2f} {line.currency}"


def disputes_section(actor: User, view: StatementView, lang: str) -> None:
    """The disputes of the statement with their answers; a form to raise one (partner) or answer (manager)."""
    store, tz = context.store(), session.timezone()
    lines = {line.id: line for line in view.lines}
    for raised in view.disputes:
        who = store.get(USERS, raised.raised_by)
        with st.container(border=True):
            line = lines.get(raised.line_id)
            st.markdown(f"**{plain(_label(line) if line else raised.line_id)}**")
            st.caption(
                f"{plain(who.display_name if who else raised.raised_by)} · {fmt.day(raised.raised_at, lang, tz)}"
            )
            st.markdown(plain(raised.note))
            if raised.answered_at is not None:
                colon = "：" if lang == "zh" else ":"
                st.markdown(f"**{t('Answer', lang)}{colon}** {plain(raised.answer)}")
            elif manages(actor, view.company):
                answer_form(actor, raised.id, lang)
            else:
                st.caption(t("Waiting for your channel manager's answer.", lang))
    if actor.company_id == view.company.id and view.approved is None and view.lines:
        dispute_form(actor, list(view.lines), lang)


def dispute_form(actor: User, lines: list[CommissionLine], lang: str) -> None:
    """A member of the partner questions one line."""
    with st.form("dispute_form"):
        st.markdown(f"**{t('Question a line', lang)}**")
        line = st.selectbox(t("Line", lang), lines, format_func=_label, key="dispute_line")
        note = st.text_area(t("What is wrong with it?", lang), key="dispute_note")
        sent = st.form_submit_button(t("Send to my channel manager", lang))
    if not sent:
        return
    try:
        _done(
            lambda: commissions.dispute(actor, context.store(), line.id, note, context.now()),
            t("Sent. Your channel manager answers before the statement is approved.", lang),
        )
    except HubError as e:
        shown_error(e, lang)


def answer_form(actor: User, dispute_id: str, lang: str) -> None:
    """The channel manager answers, and may reverse the line as the correction."""
    with st.form(f"answer_{dispute_id}"):
        text = st.text_area(t("Your answer to the partner", lang), key=f"answer_text_{dispute_id}")
        reverse = st.checkbox(t("Reverse this line (the partner is right)", lang), key=f"answer_reverse_{dispute_id}")
        sent = st.form_submit_button(t("Answer", lang))
    if not sent:
        return
    try:
        _done(
            lambda: commissions.answer(actor, context.store(), dispute_id, text, context.now(), reverse),
            t("Answered.", lang),
        )
    except HubError as e:
        shown_error(e, lang)


def current_quarter(now: datetime, timezone: str) -> str:
    """The program's current quarter: '2026-Q4'."""
    return quarter_label(now.astimezone(ZoneInfo(timezone)))


def approve_section(actor: User, view: StatementView, lang: str) -> None:
    """The program admin's approval at period close (the domain refuses an open quarter or open disputes)."""
    if not is_program_admin(actor) or view.approved is not None:
        return
    now, program = context.now(), context.catalog().program
    if view.period >= current_quarter(now, program.program.timezone):
        st.caption(t("You approve this statement at period close, once {period} is over.", lang, period=view.period))
        return
    if st.button(t("Approve this statement", lang), type="primary", key="statement_approve"):
        catalog = context.catalog()
        try:
            _done(
                lambda: commissions.approve(
                    actor,
                    context.store(),
                    view.company.id,
                    view.period,
                    context.now(),
                    catalog.program.program.timezone,
                ),
                t("Statement approved: it is final now.", lang),
            )
        except HubError as e:
            shown_error(e, lang)
