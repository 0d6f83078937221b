"""The deals page's parts: the partner's registration form with the conflict pre-check, its list and a
deal's history; the channel manager's queue with the side-by-side overlap view and the decisions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.deals import registration
from hub_app.deals.conflicts import RULE_WORDS, MatchRule
from hub_app.deals.records import Deal, DealType, Stage
from hub_app.deals.registration import STATUS_WORDS, DealForm
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import COMPANIES, USERS, User
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.messages import text

STAGES: tuple[Stage, ...] = ("prospect", "qualified", "proposal", "negotiation")
STAGES_BY_ID: dict[str, Stage] = {s: s for s in STAGES}
DEAL_TYPES: tuple[DealType, ...] = ("resale", "referral")
DEAL_TYPES_BY_ID: dict[str, DealType] = {d: d for d in DEAL_TYPES}
TYPE_WORDS = {"resale": "Resale: we hold the contract", "referral": "Referral: Quillstack sells and bills"}
STAGE_WORDS = {"prospect": "Prospect", "qualified": "Qualified", "proposal": "Proposal", "negotiation": "Negotiation"}


def _day(value: Any, lang: str) -> str:
    return fmt.day(value, lang, session.timezone()) if value is not None else "—"


def deals_table(deals: list[Deal], lang: str, with_partner: bool = False) -> pd.DataFrame:
    """One line per registration: customer, status, amount, protection."""
    store = context.store()
    rows = []
    for d in deals:
        row = {
            t("Customer", lang): d.customer,
            t("Status", lang): t(STATUS_WORDS[d.status], lang),
            t("Amount", lang): f"{d.amount:,.2f} {d.currency}",
            t("Protected until", lang): _day(d.protected_until, lang),
        }
        if with_partner:
            company = store.get(COMPANIES, d.company_id)
            row = {t("Partner", lang): company.name if company else d.company_id, **row}
        rows.append(row)
    return pd.DataFrame(rows)


def register_form(user: User, catalog: Catalog, lang: str) -> None:
    """Save a draft; the pre-check is shown at once, before the partner submits."""
    products = [p.id for p in catalog.program.products]
    with st.form("deal_form"):
        customer = st.text_input(t("End customer company", lang), key="deal_customer")
        website = st.text_input(t("Website or domain", lang), key="deal_website")
        country = st.text_input(t("Country", lang), key="deal_country")
        email = st.text_input(t("Customer contact email", lang), key="deal_email")
        phone = st.text_input(t("Customer contact phone", lang), key="deal_phone")
        names = {p.id: p.name.get(lang) for p in catalog.program.products}
        chosen = st.multiselect(t("Products", lang), products, key="deal_products", format_func=names.__getitem__)
        seats = st.number_input(t("Seats", lang), min_value=0, step=1, key="deal_seats")
        amount = st.text_input(t("Amount", lang), value="0", key="deal_amount")
        currency = st.text_input(t("Currency", lang), value=catalog.program.program.currency, key="deal_currency")
        close = st.date_input(t("Expected close", lang), value=None, key="deal_close")
        stage = st.selectbox(t("Stage", lang), STAGES, format_func=lambda s: t(STAGE_WORDS[s], lang), key="deal_stage")
        sold = st.radio(
            t("How you sell it", lang),
            DEAL_TYPES,
            format_func=lambda s: t(TYPE_WORDS[s], lang),
            horizontal=True,
            key="deal_type",
        )
        met = st.date_input(t("Meeting date", lang), value=None, key="deal_met")
        notes = st.text_area(t("Qualification notes", lang), key="deal_notes")
        saved = st.form_submit_button(t("Save draft", lang), type="primary")
    if not saved:
        return
    form = DealForm(
        customer,
        website,
        country,
        email,
        tuple(chosen),
        int(seats),
        amount,
        currency.strip().upper(),
        close if isinstance(close, date) else None,
        STAGES_BY_ID[stage],
        met if isinstance(met, date) else None,
        notes,
        DEAL_TYPES_BY_ID[sold],
        phone,
    )
    try:
        deal = registration.register(user, context.store(), catalog.program, form, context.now())
    except HubError as e:
        shown_error(e, lang)
        return
    st.success(t("Draft saved. Check the notices below, then submit it from your registrations.", lang))
    precheck(user, catalog, deal.id, lang)


def precheck(user: User, catalog: Catalog, deal_id: str, lang: str) -> None:
    """The pre-check's notices (never naming a partner), or that nothing overlaps."""
    notices = registration.precheck(user, context.store(), catalog.program, deal_id, context.now())
    for notice in notices:
        st.warning(text(notice, lang, session.timezone(), catalog))
    if not notices:
        st.info(t("No overlapping registration found.", lang))


def history_section(user: User, deal_id: str, lang: str) -> None:
    """Who did what when, under which rule."""
    store = context.store()
    events = registration.history(user, store, deal_id)
    rows = []
    for e in events:
        actor = store.get(USERS, e.actor_id)
        rows.append(
            {
                t("When", lang): fmt.moment(e.at, lang, session.timezone()),
                t("Who", lang): actor.display_name if actor else e.actor_id,
                t("What", lang): t(e.act.replace("_", " "), lang),
                t("Rule", lang): e.rule or "—",
                t("Note", lang): e.note or "—",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)


def _act(action: Any, lang: str, done: str) -> None:
    try:
        action()
    except HubError as e:
        shown_error(e, lang)
        return
    st.success(t(done, lang))


def partner_actions(user: User, catalog: Catalog, deal: Deal, lang: str) -> None:
    """Submit, ask for the extension, mark won or lost: what the deal's status allows."""
    store, program, now = context.store(), catalog.program, context.now()
    if deal.status in ("draft", "more_info"):
        precheck(user, catalog, deal.id, lang)
        if st.button(t("Submit for approval", lang), type="primary", key="deal_submit"):
            _act(lambda: registration.submit(user, store, program, deal.id, now), lang, "Submitted.")
    if deal.status == "approved":
        if (
            not deal.extension_used
            and not deal.extension_requested
            and st.button(t("Ask for the extension", lang), key="deal_extend")
        ):
            _act(lambda: registration.request_extension(user, store, deal.id, now), lang, "Extension requested.")
        with st.form("deal_close"):
            won = st.radio(
                t("Outcome", lang),
                (True, False),
                key="deal_won",
                format_func=lambda w: t("Won", lang) if w else t("Lost", lang),
            )
            closed = st.date_input(t("Close date", lang), value=now.date(), key="deal_closed")
            final = st.text_input(t("Final amount", lang), value=str(deal.amount), key="deal_final")
            if st.form_submit_button(t("Close the deal", lang)):
                _act(
                    lambda: registration.close(user, store, program, deal.id, won, closed, final, now), lang, "Closed."
                )


def manager_section(user: User, catalog: Catalog, deal: Deal, lang: str) -> None:
    """Side by side with its overlaps (partners named, the rule said), then approve, reject or ask."""
    store, program, now = context.store(), catalog.program, context.now()
    view = registration.overlap_view(user, store, program, deal.id)
    if view.overlaps:
        st.subheader(t("Overlapping registrations", lang))
        table = deals_table([deal, *(o.deal for o in view.overlaps)], lang, with_partner=True)
        table[t("Matched by", lang)] = ["—", *(text_rule(o.rule, lang) for o in view.overlaps)]
        st.dataframe(table, hide_index=True)
    else:
        st.info(t("No overlapping registration found.", lang))
    for rule, count in view.ignored:
        st.caption(
            t("{rule}: ignored, it matches {count} registrations.", lang, rule=text_rule(rule, lang), count=count)
        )
    if deal.status == "submitted" and st.button(t("Approve", lang), type="primary", key="deal_approve"):
        _act(lambda: registration.approve(user, store, program, deal.id, now), lang, "Approved: protection starts.")
    if deal.status in ("submitted", "more_info"):
        with st.form("deal_decide"):
            reasons: list[str] = [r.id for r in program.deals.reasons]
            reason_names = {r.id: r.name.get(lang) for r in program.deals.reasons}
            reason = st.selectbox(
                t("Reason", lang),
                reasons,
                key="deal_reason",
                format_func=reason_names.__getitem__,
            )
            note = st.text_area(t("Note to the partner", lang), key="deal_note")
            reject = st.form_submit_button(t("Reject", lang))
            ask = st.form_submit_button(t("Ask for more information", lang))
        if reject:
            _act(lambda: registration.reject(user, store, program, deal.id, str(reason), note, now), lang, "Rejected.")
        if ask:
            _act(lambda: registration.request_info(user, store, deal.id, note, now), lang, "Sent back to the partner.")
    if deal.extension_requested and st.button(t("Grant the extension", lang), key="deal_grant"):
        _act(lambda: registration.grant_extension(user, store, program, deal.id, now), lang, "Extension granted.")


def text_rule(rule: MatchRule, lang: str) -> str:
    """The matching rule, in words."""
    return t(RULE_WORDS[rule].msgid, lang)
