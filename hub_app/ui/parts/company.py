"""The sections of the My company page (the team matrix, lapses ahead, tier status and history) and the
team forms the console shares (invite a member, deactivate a member)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners import accounts
from hub_app.partners import companies as partners
from hub_app.partners.records import PARTNER_ADMIN, USERS, User
from hub_app.tiers import evaluation as tiers
from hub_app.tiers import reviews as tier_reviews
from hub_app.tiers.records import TierProposal
from hub_app.ui.parts import home as home_view
from hub_app.ui.views import overview, team
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt, labels
from hub_app.ui.words.markup import plain
from hub_app.ui.words.messages import error_text, text


def shown_error(error: HubError, lang: str) -> None:
    """A domain error in the reader's language where we have it, else its own message."""
    st.error(error_text(error, lang, session.timezone(), context.catalog()))


def certification_name(catalog: Catalog, course_id: str, lang: str) -> str:
    """The certification a course awards, in `lang`."""
    course = catalog.courses.get(course_id)
    return course.certification.name.get(lang) if course and course.certification else course_id


def status_word(status: str, lang: str) -> str:
    """A certificate status in words (no Markdown: for table cells)."""
    return {
        "active": t("Active", lang),
        "expiring": t("Expiring soon", lang),
        "expired": t("Expired", lang),
        "revoked": t("Revoked", lang),
        "superseded": t("Superseded", lang),
    }[status]


def job_role_name(catalog: Catalog, job_role: str | None, lang: str) -> str:
    """A job role id in words."""
    found = next((r for r in catalog.program.job_roles if r.id == job_role), None)
    return found.name.get(lang) if found else "—"


def matrix(found: team.Team, catalog: Catalog, lang: str) -> pd.DataFrame:
    """People × certifications: status and the date each stops counting."""
    tz = session.timezone()
    columns = [certification_name(catalog, c.id, lang) for c in found.courses]
    records = []
    for member in found.members:
        person = member.user
        name = person.display_name + ("" if person.active else " " + t("(deactivated)", lang))
        row = {
            t("Name", lang): name,
            t("Job role", lang): job_role_name(catalog, person.job_role, lang),
            t("Admin", lang): "✓" if person.has_role(PARTNER_ADMIN) else "",
        }
        for course, column in zip(found.courses, columns, strict=True):
            held = member.holdings.get(course.id)
            shown = None if held is None else f"{status_word(held.status, lang)} · {fmt.day(held.lapses, lang, tz)}"
            row[column] = shown or "—"
        records.append(row)
    # Certifications right after the name: on a phone they are what scrolls into view first.
    return pd.DataFrame(records, columns=[t("Name", lang), *columns, t("Job role", lang), t("Admin", lang)])


def team_section(found: team.Team, catalog: Catalog, lang: str) -> None:
    """Who holds which certification, and what lapses in the next 90 days."""
    st.subheader(t("Who holds which certification", lang))
    st.dataframe(
        matrix(found, catalog, lang),
        hide_index=True,
        key="company_matrix",
        column_config={t("Name", lang): st.column_config.TextColumn(pinned=True)},
    )
    st.caption(t("Each cell shows the certificate's status and the date it stops counting.", lang))
    st.subheader(t("Expiring within {days} days", lang, days=team.EXPIRY_HORIZON_DAYS))
    if not found.lapsing:
        st.success(t("No certificate expires in the next {days} days.", lang, days=team.EXPIRY_HORIZON_DAYS))
    tz = session.timezone()
    for lapse in found.lapsing:
        st.markdown(
            f"{labels.certificate_status('expiring', lang)} **{plain(lapse.user.display_name)}** · "
            + t(
                "{certification} expires on {date} (in {days} days).",
                lang,
                certification=certification_name(catalog, lapse.course_id, lang),
                date=fmt.day(lapse.lapses, lang, tz),
                days=lapse.days_left,
            )
        )


def tier_name(catalog: Catalog, tier_id: str | None, lang: str) -> str:
    """A tier id in words."""
    return catalog.program.tier(tier_id).name.get(lang) if tier_id else "—"


def tier_section(evaluation: tiers.Evaluation, view: overview.TierView | None, catalog: Catalog, lang: str) -> None:
    """Current tier, the tier the company qualifies for now, the gap to the next and the at-risk forecast."""
    tz = session.timezone()
    now_tier, qualifies = st.columns(2)
    now_tier.metric(t("Current tier", lang), tier_name(catalog, evaluation.current_tier, lang), border=True)
    qualifies.metric(t("Qualifies for", lang), tier_name(catalog, evaluation.qualifies_for, lang), border=True)
    risk = None
    if evaluation.at_risk_on is not None:
        risk = t(
            "At risk on {date}: {holder}'s {certification} lapses then. Renew before then to keep {tier}.",
            lang,
            date=fmt.day(evaluation.at_risk_on, lang, tz),
            holder=plain(evaluation.at_risk_holder or ""),
            certification=certification_name(catalog, evaluation.at_risk_course or "", lang),
            tier=tier_name(catalog, evaluation.current_tier, lang),
        )
    if view is not None:
        home_view.tier(view, catalog, lang, tz, risk=risk)
    # The review starts at midnight in the program's zone: that day, wherever the reader is.
    program_zone = ZoneInfo(catalog.program.program.timezone)
    st.caption(t("Next tier review: {date}.", lang, date=fmt.day(evaluation.next_review, lang, program_zone)))


def history_section(decided: list, catalog: Catalog, lang: str) -> None:
    """Decided tier proposals, newest first: when, from and to, approved or rejected, by whom and why."""
    st.subheader(t("Tier history", lang))
    if not decided:
        st.caption(t("No tier decisions yet.", lang))
        return
    tz, store = session.timezone(), context.store()
    records = []
    for p in sorted(decided, key=lambda p: p.decided_at, reverse=True):
        by = store.get(USERS, p.decided_by) if p.decided_by else None
        change = f"{tier_name(catalog, p.from_tier, lang)} → {tier_name(catalog, p.to_tier, lang)}"
        records.append(
            {
                t("Date", lang): fmt.day(p.decided_at, lang, tz),
                t("Change", lang): change,
                t("Decision", lang): t("Approved", lang) if p.status == "approved" else t("Rejected", lang),
                t("Decided by", lang): by.display_name if by else "—",
                t("Reason", lang): proposal_reason(p, catalog, lang, tz),
            }
        )
    st.dataframe(pd.DataFrame(records), hide_index=True, key="company_tier_history")


def proposal_reason(proposal: TierProposal, catalog: Catalog, lang: str, tz: ZoneInfo) -> str:
    """Why a tier proposal was made and, when rejected, the decider's note."""
    said = [tier_reviews.reason(proposal, catalog.program), tier_reviews.rejection(proposal)]
    return " ".join(text(m, lang, tz, catalog) for m in said if m is not None)


def invite_problems(email: str, name: str, lang: str) -> list[str]:
    """What is wrong with an invitation form, in words."""
    problems = []
    if not email.strip():
        problems.append(t("Enter the person's email address.", lang))
    elif not accounts.EMAIL.match(email.strip()):
        problems.append(
            t("“{email}” is not an email address. Write it like name@company.com.", lang, email=plain(email.strip()))
        )
    if not name.strip():
        problems.append(t("Enter the person's name as it should appear on certificates.", lang))
    return problems


def invite_form(actor: User, catalog: Catalog, company_id: str, lang: str, key: str) -> None:
    """Invite a member: email, name, job role, admin; shows the one-time password once."""
    roles = [None, *(r.id for r in catalog.program.job_roles)]
    with st.form(f"{key}_form", clear_on_submit=False):
        email = st.text_input(t("Email", lang), key=f"{key}_email", placeholder="name@company.com")
        name = st.text_input(t("Name", lang), key=f"{key}_name")
        job_role = st.selectbox(
            t("Job role", lang), roles, format_func=lambda r: job_role_name(catalog, r, lang), key=f"{key}_role"
        )
        admin = st.checkbox(t("Partner admin (manages the team)", lang), key=f"{key}_admin")
        submitted = st.form_submit_button(t("Invite", lang), type="primary", icon=":material/person_add:")
    if not submitted:
        return
    problems = invite_problems(email, name, lang)
    for problem in problems:
        st.error(problem)
    if problems:
        return
    try:
        invited = partners.invite_member(
            actor,
            context.store(),
            company_id,
            email=email,
            display_name=name,
            job_role=job_role,
            admin=admin,
            now=context.now(),
            one_time_ttl=context.settings().one_time_password_ttl,
        )
    except HubError as e:
        shown_error(e, lang)
        return
    st.success(
        t(
            "{name} can now sign in as {email} with this temporary password. It is shown only once: hand it "
            "over now; they change it under Account.",
            lang,
            name=plain(invited.user.display_name),
            email=plain(invited.user.email),
        )
    )
    st.code(invited.temporary_password, language=None)


def deactivate_form(actor: User, people: list[User], lang: str, key: str) -> None:
    """Deactivate a member, after a confirmation tick."""
    candidates = [p for p in people if p.active and p.id != actor.id]
    if not candidates:
        st.caption(t("Nobody else to deactivate.", lang))
        return
    with st.form(f"{key}_form"):
        person = st.selectbox(
            t("Person", lang),
            candidates,
            format_func=lambda u: f"{u.display_name} ({u.email})",
            index=None,
            placeholder=t("Choose a person", lang),
            key=f"{key}_person",
        )
        sure = st.checkbox(
            t("Yes, this person can no longer sign in. Their certificates and points stay.", lang), key=f"{key}_sure"
        )
        submitted = st.form_submit_button(t("Deactivate", lang), icon=":material/person_off:")
    if not submitted:
        return
    if person is None:
        st.error(t("Choose the person to deactivate. Nothing was changed.", lang))
        return
    if not sure:
        st.error(t("Tick the box to confirm the deactivation. Nothing was changed.", lang))
        return
    try:
        gone = accounts.deactivate(actor, context.store(), person.id)
    except HubError as e:
        shown_error(e, lang)
        return
    st.success(t("{name} is deactivated.", lang, name=plain(gone.display_name)))


def reset_password_form(actor: User, people: list[User], lang: str, key: str) -> None:
    """Give a member who forgot their password a one-time password to hand over."""
    candidates = [p for p in people if p.active and p.id != actor.id]
    if not candidates:
        return
    with st.form(f"{key}_form"):
        person = st.selectbox(
            t("Person", lang),
            candidates,
            format_func=lambda u: f"{u.display_name} ({u.email})",
            index=None,
            placeholder=t("Choose a person", lang),
            key=f"{key}_person",
        )
        submitted = st.form_submit_button(t("Reset password", lang), icon=":material/key:")
    if not submitted:
        return
    if person is None:
        st.error(t("Choose the person whose password to reset. Nothing was changed.", lang))
        return
    try:
        temporary = accounts.reset_password(
            actor, context.store(), person.id, context.now(), context.settings().one_time_password_ttl
        )
    except HubError as e:
        shown_error(e, lang)
        return
    st.success(
        t(
            "{name} can sign in with this one-time password; it is shown only now:",
            lang,
            name=plain(person.display_name),
        )
    )
    st.code(temporary, language=None)


def _save_company_opt_out(actor_id: str, company_id: str) -> None:
    actor = context.store().get(USERS, actor_id)
    try:
        assert actor is not None
        partners.set_company_leaderboard_opt_out(
            actor, context.store(), company_id, st.session_state["company_opt_out"]
        )
    except HubError as e:
        st.session_state["company_opt_out_error"] = e


def company_opt_out(actor: User, found: team.Team, lang: str) -> None:
    """Hide the company's name on the company board."""
    st.subheader(t("Leaderboard", lang))
    st.toggle(
        t("Hide our company's name on leaderboards", lang),
        value=found.company.leaderboard_opt_out,
        key="company_opt_out",
        on_change=_save_company_opt_out,
        args=(actor.id, found.company.id),
    )
    problem = st.session_state.pop("company_opt_out_error", None)
    if problem is not None:
        shown_error(problem, lang)
    else:
        st.caption(t("When on, other companies see your company as “Anonymous”; your points still count.", lang))


def history(actor: User, company_id: str) -> list:
    """The company's decided tier proposals (for the tier section)."""
    return tier_reviews.history(actor, context.store(), company_id)
