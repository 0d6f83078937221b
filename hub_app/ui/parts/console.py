"""The sections of the channel manager console: my partners and their tiers, tier proposals, KPIs (a form
and a CSV import), points adjustments and reversals, certificate revocation and the partners' people."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.certification import certificates as certification
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import COMPANIES, Company, User
from hub_app.recognition import points, revocations
from hub_app.tiers import kpis
from hub_app.tiers import reviews as tier_reviews
from hub_app.ui.parts import company as team_forms
from hub_app.ui.parts.company import certification_name, shown_error, status_word, tier_name
from hub_app.ui.views import portfolio
from hub_app.ui.web import context, nav, session
from hub_app.ui.words import fmt
from hub_app.ui.words import messages as words
from hub_app.ui.words.markup import plain

FLASH_KEY = "console_flash"
TAB_KEY = "tab"  # the console's tab, kept in the URL: console?tab=KPIs


def tab_link(label: str, text: str, lang: str, icon: str | None = None) -> None:
    """A link to one tab of the console (its `label` msgid), worded `text`."""
    st.page_link(nav.PAGES_DIR / "console.py", label=text, query_params={TAB_KEY: t(label, lang)}, icon=icon)


def flash(message: str) -> None:
    """Keep a success message for the run after st.rerun()."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    """The success message kept by flash(), once."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


# --- partners --------------------------------------------------------------------------------------


def partners_section(rows: list[portfolio.PartnerRow], catalog: Catalog, lang: str) -> None:
    """My partners: tier, qualifies for, certified people, points this quarter, at risk; and the tier mix."""
    if not rows:
        st.info(t("No partner companies are assigned to you yet.", lang))
        return
    tz = session.timezone()
    records = []
    for row in rows:
        ev = row.evaluation
        risk = "—" if ev.at_risk_on is None else fmt.day(ev.at_risk_on, lang, tz)
        records.append(
            {
                t("Partner", lang): row.company.name,
                t("Tier", lang): tier_name(catalog, ev.current_tier, lang),
                t("Qualifies for", lang): tier_name(catalog, ev.qualifies_for, lang),
                t("At risk", lang): risk,
                t("Certified people", lang): fmt.number(row.certified_people, lang),
                t("Points this quarter", lang): fmt.number(row.points_quarter, lang),
            }
        )
    st.dataframe(
        pd.DataFrame(records),
        hide_index=True,
        key="console_partners",
        height=min(35 * (len(records) + 1) + 3, 600),
        column_config={t("Partner", lang): st.column_config.TextColumn(pinned=True)},
    )
    at_risk = sum(1 for r in rows if r.evaluation.at_risk_on is not None)
    if at_risk:
        st.warning(t("{count} partner(s) may lose their tier before the next review.", lang, count=at_risk))
    st.altair_chart(tier_chart(rows, catalog, lang), width="stretch")


def tier_chart(rows: list[portfolio.PartnerRow], catalog: Catalog, lang: str) -> alt.Chart:
    """How many of my partners hold each tier, lowest tier first."""
    names = [tier.name.get(lang) for tier in catalog.program.tiers]
    counts = {tier.id: 0 for tier in catalog.program.tiers}
    for row in rows:
        counts[row.evaluation.current_tier] = counts.get(row.evaluation.current_tier, 0) + 1
    frame = pd.DataFrame({"tier": names, "partners": list(counts.values())})
    return (
        alt.Chart(frame, title=t("Partners per tier", lang))
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=names, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("partners:Q", title=t("Partners", lang), axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("tier:N", title=t("Tier", lang)),
                alt.Tooltip("partners:Q", title=t("Partners", lang)),
            ],
        )
        .properties(height=220)
    )


def evaluate_button(actor: User, lang: str) -> None:
    """Evaluate every partner now and propose the tier changes that are due."""
    if not st.button(t("Evaluate tiers now", lang), icon=":material/refresh:", key="console_evaluate"):
        return
    try:
        summary = tier_reviews.evaluate_all(actor, context.store(), context.catalog(), context.now())
    except HubError as e:
        shown_error(e, lang)
        return
    flash(
        t(
            "Evaluated {count} partner(s): {made} new proposal(s), {risk} at risk.",
            lang,
            count=len(summary.outcomes),
            made=summary.proposals_made,
            risk=summary.at_risk,
        )
    )
    st.rerun()


# --- tier proposals --------------------------------------------------------------------------------


def proposals_section(actor: User, catalog: Catalog, lang: str) -> None:
    """Pending proposals, each with approve, and reject with a note."""
    store, tz = context.store(), session.timezone()
    waiting = tier_reviews.pending(actor, store)
    if not waiting:
        st.info(t("No tier proposals are waiting for you. Evaluate tiers to look for changes.", lang))
    for proposal in waiting:
        company = store.get(COMPANIES, proposal.company_id)
        with st.container(border=True):
            kind = t("Promotion", lang) if proposal.kind == "promote" else t("Demotion", lang)
            change = f"{tier_name(catalog, proposal.from_tier, lang)} → {tier_name(catalog, proposal.to_tier, lang)}"
            st.markdown(f"**{plain(company.name if company else proposal.company_id)}** · {kind}: {change}")
            reason = words.text(tier_reviews.reason(proposal, catalog.program), lang, tz, catalog)
            st.caption(f"{fmt.day(proposal.created, lang, tz)} · {reason}")
            note = st.text_input(t("Note (required to reject)", lang), key=f"note_{proposal.id}")
            approve, reject = st.columns(2)
            if approve.button(t("Approve", lang), type="primary", key=f"approve_{proposal.id}", width="stretch"):
                decide(actor, proposal.id, "approve", note, lang)
            if reject.button(t("Reject", lang), key=f"reject_{proposal.id}", width="stretch"):
                decide(actor, proposal.id, "reject", note, lang)


def decide(actor: User, proposal_id: str, decision: str, note: str, lang: str) -> None:
    """Approve or reject a proposal; a rejection needs a note."""
    if decision == "reject" and not note.strip():
        st.error(
            t("Write a note saying why you reject this proposal; the partner sees it in their tier history.", lang)
        )
        return
    store, now = context.store(), context.now()
    try:
        if decision == "approve":
            tier_reviews.approve(actor, store, proposal_id, now)
        else:
            tier_reviews.reject(actor, store, proposal_id, now, note)
    except HubError as e:
        shown_error(e, lang)
        return
    flash(t("Proposal approved.", lang) if decision == "approve" else t("Proposal rejected.", lang))
    st.rerun()


# --- KPIs ------------------------------------------------------------------------------------------


def company_picker(companies: list[Company], lang: str, key: str) -> Company | None:
    """One of my partners."""
    if not companies:
        st.info(t("No partner companies are assigned to you yet.", lang))
        return None
    return st.selectbox(t("Partner", lang), companies, format_func=lambda c: c.name, key=key)


def kpi_problems(period: str, revenue: str, customers: str, csat: str, lang: str, catalog: Catalog) -> list[str]:
    """Every bad field of the KPI form (as the domain finds them), each named by its label."""
    labels = {
        "period": t("Quarter", lang),
        "revenue_12m": t("Revenue, last 12 months", lang),
        "customers": t("Customers", lang),
        "csat": t("CSAT (1–5, optional)", lang),
    }
    found = kpis.field_problems(period=period, revenue_12m=revenue, customers=customers, csat=csat, now=context.now())
    tz = session.timezone()
    return [
        t("{column}: {problem}", lang, column=labels[e.column], problem=words.text(e.problem, lang, tz, catalog))
        for e in found
    ]


def kpi_form(actor: User, companies: list[Company], lang: str) -> None:
    """Record a partner's KPIs for a quarter; nothing is written while any field is bad."""
    st.subheader(t("Record KPIs", lang))
    with st.form("kpi_form"):
        company = company_picker(companies, lang, key="kpi_company")
        period = st.text_input(t("Quarter", lang), placeholder="2026-Q3", key="kpi_period")
        revenue = st.text_input(t("Revenue, last 12 months", lang), placeholder="82000", key="kpi_revenue")
        customers = st.text_input(t("Customers", lang), placeholder="5", key="kpi_customers")
        csat = st.text_input(t("CSAT (1–5, optional)", lang), placeholder="4.4", key="kpi_csat")
        submitted = st.form_submit_button(t("Save KPIs", lang), type="primary")
    if not submitted or company is None:
        return
    problems = kpi_problems(period, revenue, customers, csat, lang, context.catalog())
    for problem in problems:
        st.error(problem)
    if problems:
        return
    try:
        saved = kpis.record_kpis(
            actor,
            context.store(),
            company.id,
            period=period,
            revenue_12m=revenue,
            customers=customers,
            csat=csat,
            now=context.now(),
        )
    except HubError as e:
        shown_error(e, lang)
        return
    st.success(t("Saved the KPIs of {company} for {period}.", lang, company=plain(company.name), period=saved.period))


def kpi_import(actor: User, lang: str) -> None:
    """Import KPIs from a CSV file: all rows, or none with every bad row listed by its line."""
    st.subheader(t("Import KPIs from a CSV file", lang))
    st.caption(
        t("The first line must be: {columns}. One row per partner and quarter.", lang, columns=",".join(kpis.COLUMNS))
        + " "
        + t("A partner is named by its id or its name.", lang)
    )
    st.download_button(
        t("Download a template of my partners", lang),
        kpis.template(actor, context.store(), context.now()),
        file_name="kpis.csv",
        mime="text/csv",
        icon=":material/download:",
        key="kpi_template",
    )
    upload = st.file_uploader(t("CSV file", lang), type=["csv"], key="kpi_upload")
    if not st.button(t("Import", lang), type="primary", disabled=upload is None, key="kpi_import"):
        return
    assert upload is not None
    data = upload.getvalue()
    bar = st.progress(0.0, text=t("Importing…", lang))

    def advance(done: int, total: int) -> None:
        bar.progress(done / total, text=t("Importing… {done} of {total}", lang, done=done, total=total))

    try:
        imported = kpis.import_kpis_csv(actor, context.store(), data, context.now(), on_row=advance, name=upload.name)
    except kpis.ImportRejected as e:
        bar.empty()
        st.error(
            t(
                "Nothing was imported: {count} problem(s) in {file}. Fix them and import again.",
                lang,
                count=len(e.problems),
                file=plain(upload.name),
            )
        )
        tz, catalog = session.timezone(), context.catalog()
        rows = [
            {
                t("Line", lang): p.line,
                t("Column", lang): p.key,
                t("Problem", lang): words.problem_text(p, lang, tz, catalog, markdown=False),
            }
            for p in e.problems
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="kpi_problems")
        return
    except HubError as e:
        bar.empty()
        shown_error(e, lang)
        return
    st.success(t("Imported {count} row(s) from {file}.", lang, count=len(imported), file=plain(upload.name)))


# --- people: points, certificates, users -----------------------------------------------------------


def person_picker(actor: User, companies: list[Company], lang: str, key: str) -> User | None:
    """A partner, then one of its active people."""
    company = company_picker(companies, lang, key=f"{key}_company")
    if company is None:
        return None
    people = portfolio.people(actor, context.store(), company.id)
    if not people:
        st.info(t("{company} has no active people.", lang, company=plain(company.name)))
        return None
    return st.selectbox(
        t("Person", lang), people, format_func=lambda u: f"{u.display_name} ({u.email})", key=f"{key}_person"
    )


def rule_name(catalog: Catalog, rule: str, lang: str) -> str:
    """A points rule in words."""
    found = catalog.program.points.rule(rule)
    if found is not None:
        return found.name.get(lang)
    return {points.MANUAL: t("Manual adjustment", lang), points.REVERSAL: t("Reversal", lang)}.get(rule, rule)


def entry_label(entry, catalog: Catalog, lang: str) -> str:
    """'+25 · Partner event attended · Nov 27, 2026'."""
    return f"{entry.points:+d} · {rule_name(catalog, entry.rule, lang)} · {fmt.day(entry.at, lang, session.timezone())}"


def points_section(actor: User, person: User, catalog: Catalog, lang: str) -> None:
    """A person's ledger, a manual adjustment with a reason, and the reversal of one entry."""
    store = context.store()
    entries = points.history(actor, store, person.id)
    st.metric(t("Points, all time", lang), fmt.number(sum(e.points for e in entries), lang))
    if entries:
        tz = session.timezone()
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("Date", lang): fmt.day(e.at, lang, tz),
                        t("Points", lang): f"{e.points:+d}",
                        t("Rule", lang): rule_name(catalog, e.rule, lang),
                        t("Reason", lang): e.reason,
                    }
                    for e in reversed(entries)
                ]
            ),
            hide_index=True,
            key="points_ledger",
        )
    adjust_form(actor, person, catalog, lang)
    reverse_form(actor, person, entries, catalog, lang)


def _cleared(*keys: str) -> None:
    # after a success the form starts empty: no old reason carried over to the next entry
    for key in keys:
        st.session_state.pop(key, None)


def adjust_form(actor: User, person: User, catalog: Catalog, lang: str) -> None:
    """Add or take away points, with a reason the partner sees; large ones are confirmed."""
    limits = catalog.program.points.adjustments
    st.subheader(t("Adjust points", lang))
    with st.form("adjust_form"):
        amount = st.number_input(
            t("Points (negative to take away)", lang),
            step=1,
            value=0,
            min_value=-limits.max_points,
            max_value=limits.max_points,
            key="adjust_points",
            help=t("At most {limit} points either way.", lang, limit=fmt.number(limits.max_points, lang)),
        )
        reason = st.text_input(t("Reason (the partner sees it)", lang), key="adjust_reason")
        confirmed = st.checkbox(
            t(
                "I confirm an adjustment of more than {threshold} points",
                lang,
                threshold=fmt.number(limits.confirm_above, lang),
            ),
            key="adjust_confirm",
        )
        submitted = st.form_submit_button(t("Adjust", lang), type="primary")
    if not submitted:
        return
    if int(amount) == 0:
        st.error(t("An adjustment of 0 points changes nothing. Enter a positive or negative number.", lang))
    elif not reason.strip():
        st.error(t("Give a reason for the adjustment; the partner sees it in their points history.", lang))
    else:
        try:
            points.adjust(
                actor,
                context.store(),
                person.id,
                int(amount),
                reason,
                context.now(),
                limits=limits,
                confirmed=confirmed,
            )
        except HubError as e:
            shown_error(e, lang)
            return
        signed = f"{int(amount):+d}"
        flash(
            t(
                "{points} points for {name}: {reason}",
                lang,
                points=signed,
                name=plain(person.display_name),
                reason=plain(reason.strip()),
            )
        )
        _cleared("adjust_points", "adjust_reason", "adjust_confirm")
        st.rerun()


def reverse_form(actor: User, person: User, entries: list, catalog: Catalog, lang: str) -> None:
    """Undo one entry with a reason (a new entry of opposite sign)."""
    st.subheader(t("Reverse an entry", lang))
    undone = points.reversed_ids(entries)
    open_entries = [e for e in reversed(entries) if e.reverses is None and e.id not in undone]
    if not open_entries:
        st.caption(t("No entries to reverse.", lang))
        return
    with st.form("reverse_form"):
        entry = st.selectbox(
            t("Entry", lang),
            open_entries,
            format_func=lambda e: entry_label(e, catalog, lang),
            index=None,
            placeholder=t("Choose the entry to reverse", lang),
            key="reverse_entry",
        )
        reason = st.text_input(t("Reason (the partner sees it)", lang), key="reverse_reason")
        submitted = st.form_submit_button(t("Reverse", lang))
    if not submitted:
        return
    if entry is None:
        st.error(t("Choose the entry to reverse. Nothing was changed.", lang))
        return
    if not reason.strip():
        st.error(t("Give a reason for the reversal; the partner sees it in their points history.", lang))
        return
    try:
        points.reverse(actor, context.store(), entry.id, reason, context.now())
    except HubError as e:
        shown_error(e, lang)
        return
    flash(t("Reversed {entry}.", lang, entry=entry_label(entry, catalog, lang)))
    _cleared("reverse_entry", "reverse_reason")
    st.rerun()


def revoke_section(actor: User, person: User, catalog: Catalog, lang: str) -> None:
    """Revoke one of a person's certificates, with a reason kept in the record."""
    store, now, tz = context.store(), context.now(), session.timezone()
    held = [c for c in certification.certificates_of(actor, store, person.id) if c.revoked_at is None]
    if not held:
        st.caption(t("{name} holds no certificate that could be revoked.", lang, name=plain(person.display_name)))
        return

    def label(c) -> str:
        status = status_word(certification.status(c, catalog.program, now), lang)
        return f"{certification_name(catalog, c.course_id, lang)} · {status} · {c.verification_code} · " + t(
            "valid until {date}", lang, date=fmt.day(certification.lapses_at(c), lang, tz)
        )

    with st.form("revoke_form"):
        chosen = st.selectbox(t("Certificate", lang), held, format_func=label, key="revoke_certificate")
        reason = st.text_input(t("Reason (kept in the record)", lang), key="revoke_reason")
        take_back = st.checkbox(
            t("Also take back the points this certificate's pass earned", lang),
            key="revoke_take_back",
            help=t("Each is reversed with this reason; the partner sees it in their points history.", lang),
        )
        submitted = st.form_submit_button(t("Revoke", lang), icon=":material/block:")
    if not submitted:
        return
    if not reason.strip():
        st.error(t("Give a reason to revoke the certificate; it is kept in the record.", lang))
        return
    try:
        done = revocations.revoke(actor, store, chosen.id, reason, now, take_back_points=take_back)
    except HubError as e:
        shown_error(e, lang)
        return
    name = certification_name(catalog, chosen.course_id, lang)
    said = t("Revoked {certification} of {name}.", lang, certification=name, name=plain(person.display_name))
    if done.reversals:
        taken = -sum(e.points for e in done.reversals)
        said += " " + t("{points} points taken back.", lang, points=fmt.number(taken, lang))
    flash(said)
    st.rerun()


def users_section(actor: User, companies: list[Company], catalog: Catalog, lang: str) -> None:
    """Create a person for one of my partners, or deactivate one."""
    company = company_picker(companies, lang, key="users_company")
    if company is None:
        return
    st.subheader(t("Create a user", lang))
    team_forms.invite_form(actor, catalog, company.id, lang, key="console_invite")
    st.subheader(t("Deactivate a user", lang))
    team_forms.deactivate_form(
        actor, portfolio.people(actor, context.store(), company.id), lang, key="console_deactivate"
    )
