"""The funds page's parts: balances, the partner's request and claim forms (with proof uploads), the
requests list, and the channel manager's pre-approval, claim decision and payment; the program admin's
allocation and expiry run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.funds import allocation, proofs, requests
from hub_app.funds.allocation import Balance
from hub_app.funds.records import Fund, MdfRequest, entries_of
from hub_app.funds.requests import STATUS_WORDS, ClaimForm, RequestForm
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import fmt_list, t
from hub_app.partners.permissions import is_partner_admin, is_program_admin
from hub_app.partners.records import COMPANIES, User
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain

FLASH_KEY = "funds_flash"
UPLOAD_TYPES = ["pdf", "png", "jpg", "jpeg", "csv"]


def amount(value: Decimal, currency: str) -> str:
    """'2,500.00 USD'."""
    return f"{value:,.2f} {currency}"


def show_flash() -> None:
    """The success message of the last action, once."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def _act(action: Callable[[], object], message: str, lang: str) -> None:
    try:
        action()
    except HubError as e:
        shown_error(e, lang)
        return
    st.session_state[FLASH_KEY] = message
    st.rerun()


WAITING = ("pending", "claimed", "approved", "partial")


def waiting_section(actor: User, catalog: Catalog, lang: str) -> set[str]:
    """The requests of my partners waiting for a pre-approval, a claim decision or a payment; their companies."""
    store = context.store()
    waiting = [r for r in requests.visible_requests(actor, store) if r.status in WAITING]
    if not waiting:
        return set()
    st.subheader(t("Waiting for you", lang))
    table = requests_table(waiting, catalog, lang)
    names = {c.id: c.name for c in store.select(COMPANIES)}
    table.insert(0, t("Partner", lang), [names.get(r.company_id, r.company_id) for r in reversed(waiting)])
    st.dataframe(table, hide_index=True, key="mdf_waiting")
    return {r.company_id for r in waiting}


def balance_section(funds: list[Fund], lang: str) -> None:
    """Available first, then what makes it: allocated − paid − approved − pending (− expired)."""
    store, currency = context.store(), context.catalog().program.program.currency
    if not funds:
        st.info(
            t(
                "No market development funds are allocated to this partner yet (see Incentives on the site).",
                lang,
            )
        )
        return
    total = allocation.total_balance(store, funds, currency)
    st.metric(t("Available", lang), amount(total.available, currency))
    st.caption(
        t(
            "= {allocated} allocated − {paid} paid − {approved} approved, not paid yet − {pending} pending − "
            "{expired} expired",
            lang,
            allocated=amount(total.allocated, currency),
            paid=amount(total.paid, currency),
            approved=amount(total.approved, currency),
            pending=amount(total.pending, currency),
            expired=amount(total.expired, currency),
        )
    )
    if funds:
        st.dataframe(funds_table(funds, lang), hide_index=True, key="funds_table")


def funds_table(funds: list[Fund], lang: str) -> pd.DataFrame:
    """One row per quarter's fund with its buckets and expiry date."""
    store, tz = context.store(), session.timezone()
    rows = []
    for fund in reversed(funds):
        b: Balance = allocation.balance_of(entries_of(store, fund.id), fund.currency)
        rows.append(
            {
                t("Quarter", lang): fund.quarter,
                t("Allocated", lang): amount(b.allocated, fund.currency),
                t("Available", lang): amount(b.available, fund.currency),
                t("Pending", lang): amount(b.pending, fund.currency),
                t("Approved", lang): amount(b.approved, fund.currency),
                t("Paid", lang): amount(b.paid, fund.currency),
                t("Expired", lang): amount(b.expired, fund.currency),
                t("Expires on", lang): fmt.day(fund.expires_on, lang, tz),
            }
        )
    return pd.DataFrame(rows)


def request_form(actor: User, catalog: Catalog, lang: str) -> None:
    """A partner admin asks for funds before an activity."""
    rules = catalog.program.funds
    if not is_partner_admin(actor):
        st.caption(t("Your partner admin requests and claims market development funds.", lang))
        return
    names = {a.id: a.name.get(lang) for a in rules.activities}
    with st.form("mdf_request"):
        activity = st.selectbox(
            t("Activity type", lang), list(names), format_func=names.__getitem__, key="mdf_activity"
        )
        title = st.text_input(t("Title", lang), key="mdf_title")
        starts = st.date_input(t("Starts", lang), value=None, key="mdf_starts")
        ends = st.date_input(t("Ends", lang), value=None, key="mdf_ends")
        leads = st.text_input(t("Expected leads", lang), key="mdf_leads")
        cost = st.text_input(
            t("Total cost ({currency})", lang, currency=catalog.program.program.currency), key="mdf_cost"
        )
        share = st.text_input(
            t("Vendor share % (at most {pct})", lang, pct=rules.max_vendor_share_pct),
            value=str(rules.max_vendor_share_pct),
            key="mdf_share",
        )
        sent = st.form_submit_button(t("Request funds", lang), type="primary")
    if not sent:
        return
    form = RequestForm(
        str(activity),
        title,
        starts if isinstance(starts, date) else None,
        ends if isinstance(ends, date) else None,
        leads,
        cost,
        share,
    )
    store, now = context.store(), context.now()
    _act(
        lambda: requests.request(actor, store, catalog.program, form, now),
        t("Requested. Your channel manager pre-approves it and names the proof your claim needs.", lang),
        lang,
    )


def requests_table(found: list[MdfRequest], catalog: Catalog, lang: str) -> pd.DataFrame:
    """One row per request: activity, dates, asked, approved, status."""
    tz = session.timezone()
    names = {a.id: a.name.get(lang) for a in catalog.program.funds.activities}
    return pd.DataFrame(
        [
            {
                t("Title", lang): r.title,
                t("Status", lang): t(STATUS_WORDS[r.status], lang),
                t("Vendor share", lang): amount(r.amount, r.currency),
                t("Pre-approved", lang): amount(r.preapproved_amount, r.currency) if r.preapproved_amount else "—",
                t("Claim approved", lang): "—" if r.approved_amount is None else amount(r.approved_amount, r.currency),
                t("Activity type", lang): names.get(r.activity, r.activity),
                t("Dates", lang): f"{fmt.day(r.starts, lang, tz)} – {fmt.day(r.ends, lang, tz)}",
            }
            for r in reversed(found)
        ]
    )


def pick_request(found: list[MdfRequest], lang: str, key: str) -> MdfRequest | None:
    """One request of the list (newest first)."""
    if not found:
        return None
    ordered = list(reversed(found))
    return st.selectbox(
        t("Request", lang),
        ordered,
        format_func=lambda r: f"{r.title} · {t(STATUS_WORDS[r.status], lang)}",
        key=key,
    )


def details(actor: User, found: MdfRequest, catalog: Catalog, lang: str) -> None:
    """What was decided on a request so far: pre-approval, proof required, claim, decision, payment."""
    tz = session.timezone()
    proof_names = {p.id: p.name.get(lang) for p in catalog.program.funds.proofs}
    facts = [
        (t("Cost", lang), f"{amount(found.cost, found.currency)} · {found.vendor_share_pct} %"),
        (t("Expected leads", lang), str(found.expected_leads)),
    ]
    if found.proofs_required:
        facts.append(
            (t("Proof required", lang), fmt_list([proof_names.get(p, p) for p in found.proofs_required], lang))
        )
    if found.decision_note:
        facts.append((t("Channel manager's note", lang), plain(found.decision_note)))
    if found.claimed_amount is not None:
        facts.append(
            (
                t("Claimed", lang),
                f"{amount(found.claimed_amount, found.currency)} · "
                + t("{leads} leads", lang, leads=found.actual_leads),
            )
        )
    if found.claim_decision_note:
        facts.append((t("Decision", lang), plain(found.claim_decision_note)))
    if found.paid_at is not None:
        facts.append((t("Paid", lang), f"{fmt.day(found.paid_at, lang, tz)} · {plain(found.paid_reference)}"))
    colon = "：" if lang == "zh" else ": "  # a full-width colon in Chinese labels
    st.markdown("\n".join(f"- **{label}{colon.strip()}** {value}" for label, value in facts))
    blobs = context.blob_dir()
    for n, proof in enumerate(requests.proof_files(actor, context.store(), found.id)):
        kept = proofs.blob_path(blobs, proof.sha256)
        data = kept.read_bytes() if kept.exists() else b""
        st.download_button(
            f"{proof_names.get(proof.proof, proof.proof)}{colon}{proof.filename}",
            data,
            file_name=proof.filename,
            mime=proof.content_type,
            icon=":material/attach_file:",
            key=f"proof_{found.id}_{n}",
            disabled=not data,
        )


def claim_form(actor: User, found: MdfRequest, catalog: Catalog, lang: str) -> None:
    """After the activity: actual cost and leads, and one upload per proof the pre-approval names."""
    if not is_partner_admin(actor):
        return
    rules = catalog.program.funds
    names = {p.id: p.name.get(lang) for p in rules.proofs}
    with st.form(f"claim_{found.id}"):
        st.markdown(f"**{t('Claim', lang)}**")
        cost = st.text_input(t("Actual cost ({currency})", lang, currency=found.currency), key="claim_cost")
        leads = st.text_input(t("Leads generated", lang), key="claim_leads")
        note = st.text_area(t("Results and notes", lang), key="claim_note")
        files = {
            proof: st.file_uploader(
                t(
                    "{proof} (PDF, PNG, JPG or CSV, up to {mb} MB)",
                    lang,
                    proof=names.get(proof, proof),
                    mb=rules.proof_max_mb,
                ),
                type=UPLOAD_TYPES,
                accept_multiple_files=True,
                key=f"claim_file_{proof}",
            )
            for proof in found.proofs_required
        }
        sent = st.form_submit_button(t("Send the claim", lang), type="primary")
    if not sent:
        return
    uploads = tuple(
        proofs.Upload(f.name, f.getvalue(), proof) for proof, chosen in files.items() for f in (chosen or [])
    )
    form = ClaimForm(cost, leads, note, uploads)
    store, now, blobs = context.store(), context.now(), context.blob_dir()
    _act(
        lambda: requests.claim(actor, store, catalog.program, blobs, found.id, form, now),
        t("Claim sent with {count} file(s). Your channel manager decides on it.", lang, count=len(uploads)),
        lang,
    )


def manager_actions(actor: User, found: MdfRequest, catalog: Catalog, lang: str) -> None:
    """Pre-approve (naming the proof) or decline; decide a claim; record the payment."""
    store, program, now = context.store(), catalog.program, context.now()
    if found.status == "pending":
        names = {p.id: p.name.get(lang) for p in program.funds.proofs}
        with st.form(f"preapprove_{found.id}"):
            value = st.text_input(t("Pre-approved amount", lang), value=str(found.amount), key="pre_amount")
            required = st.multiselect(
                t("Proof of performance required", lang), list(names), format_func=names.__getitem__, key="pre_proofs"
            )
            note = st.text_area(t("Note to the partner (required to decline)", lang), key="pre_note")
            approve = st.form_submit_button(t("Pre-approve", lang), type="primary")
            decline = st.form_submit_button(t("Decline", lang))
        if approve:
            _act(
                lambda: requests.preapprove(actor, store, program, found.id, value, tuple(required), note, now),
                t("Pre-approved.", lang),
                lang,
            )
        if decline:
            _act(lambda: requests.decline(actor, store, program, found.id, note, now), t("Declined.", lang), lang)
    elif found.status == "claimed":
        with st.form(f"decide_{found.id}"):
            value = st.text_input(
                t("Amount approved (0 to deny)", lang), value=str(found.claimed_amount), key="claim_amount"
            )
            note = st.text_area(t("Note (required when approving less)", lang), key="claim_decision")
            sent = st.form_submit_button(t("Decide the claim", lang), type="primary")
        if sent:
            _act(
                lambda: requests.decide_claim(actor, store, program, found.id, value, note, now),
                t("Claim decided.", lang),
                lang,
            )
    elif found.status in ("approved", "partial"):
        with st.form(f"pay_{found.id}"):
            reference = st.text_input(t("Payment reference", lang), key="pay_reference")
            sent = st.form_submit_button(t("Mark as paid", lang), type="primary")
        if sent:
            _act(lambda: requests.pay(actor, store, found.id, reference, now), t("Marked as paid.", lang), lang)


def admin_section(actor: User, catalog: Catalog, lang: str) -> None:
    """A program admin allocates a quarter's funds and runs the expiry and reminders now."""
    if not is_program_admin(actor):
        return
    program, store, now = catalog.program, context.store(), context.now()
    with st.expander(t("Allocation and expiry", lang)):
        quarter = st.text_input(t("Quarter", lang), value=allocation.current_quarter(program, now), key="alloc_q")
        left, right = st.columns(2)
        if left.button(t("Allocate this quarter", lang), key="alloc_run"):
            _act(
                lambda: allocation.allocate(actor, store, program, quarter.strip(), now),
                t("Allocated {quarter}.", lang, quarter=quarter.strip()),
                lang,
            )
        if right.button(t("Expire and remind now", lang), key="alloc_expire"):
            _act(
                lambda: allocation.expire_and_remind(actor, store, program, now),
                t("Expired funds past their date and queued the reminders due.", lang),
                lang,
            )
