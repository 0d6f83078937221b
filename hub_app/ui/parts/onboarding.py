"""Onboarding on the partner admin's home (the checklist, the agreement to accept, the profile form) and on
the channel manager's console (each partner's progress and time to first certification)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hub_app.catalog.legal import AGREEMENT
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners import applications, onboarding
from hub_app.partners.permissions import is_partner_admin
from hub_app.partners.records import COMPANIES, Company, User
from hub_app.ui.parts.company import shown_error
from hub_app.ui.parts.joining import legal, legal_markdown
from hub_app.ui.views import joining
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.messages import text

FLASH = "onboarding_flash"


def _checklist(company: Company) -> onboarding.Checklist:
    return joining.checklist(context.store(), context.catalog(), company, legal()[AGREEMENT].version)


def home_checklist(user: User, lang: str) -> None:
    """The partner admin's onboarding checklist, until every step is done (a new agreement reopens it)."""
    if not is_partner_admin(user) or user.company_id is None:
        return
    company = context.store().get(COMPANIES, user.company_id)
    if company is None:
        return
    found = _checklist(company)
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(t(flash, lang))
    if found.complete:
        return
    with st.container(border=True):
        st.subheader(t("Getting started: {done} of {total} done", lang, done=found.done, total=len(found.steps)))
        st.progress(found.done / len(found.steps))
        for step in found.steps:
            mark = ":material/check_circle:" if step.done else ":material/radio_button_unchecked:"
            st.markdown(f"{mark} {t(onboarding.STEP_WORDS[step.id], lang)}")
            if not step.done:
                _step_help(user, company, found, step.id, lang)


def _step_help(user: User, company: Company, found: onboarding.Checklist, step: str, lang: str) -> None:
    if step == "agreement":
        _agreement(user, company, found, lang)
    elif step == "profile":
        _profile(user, company, lang)
    elif step == "first-certification":
        course = context.catalog().courses.get(found.entry_course or "")
        name = course.title.get(lang) if course else found.entry_course
        st.caption(t("Someone in your team passes the {course} exam (see Courses).", lang, course=name))
    elif step == "first-deal":
        st.caption(t("Register an opportunity you are working on (see Deals).", lang))


def _agreement(user: User, company: Company, found: onboarding.Checklist, lang: str) -> None:
    doc = legal()[AGREEMENT]
    if found.agreement_outdated and found.accepted is not None:
        st.warning(
            t(
                "A new version of the partner agreement ({version}) replaces the one you accepted ({old}).",
                lang,
                version=doc.version,
                old=found.accepted.version,
            )
        )
    day = fmt.day(doc.effective, lang, session.timezone())
    with st.expander(
        t(
            "{title}, version {version} (effective {day})",
            lang,
            title=doc.title.get(lang, doc.title["en"]),
            version=doc.version,
            day=day,
        )
    ):
        st.markdown(legal_markdown(doc, lang))
    if st.button(
        t("I accept version {version} of the partner agreement", lang, version=doc.version),
        key="onb_accept",
        type="primary",
    ):
        try:
            onboarding.accept_agreement(user, context.store(), company.id, doc.version, doc.version, context.now())
        except HubError as e:
            shown_error(e, lang)
            return
        st.session_state[FLASH] = "Thank you: the partner agreement is accepted."
        st.rerun()


def _profile(user: User, company: Company, lang: str) -> None:
    recruitment = context.catalog().program.recruitment
    industries = {i.en: i.get(lang) for i in recruitment.industries} if recruitment else {}
    known = [i for i in company.industries if i in industries] if industries else list(company.industries)
    with st.form("onb_profile"):
        website = st.text_input(t("Website", lang), company.website, key="onb_website")
        description = st.text_area(t("What your company does for customers", lang), company.description, key="onb_desc")
        chosen = st.multiselect(
            t("Industries you serve", lang),
            list(industries),
            default=known,
            format_func=industries.__getitem__,
            key="onb_ind",
        )
        listed = st.checkbox(t("List us in the public partner locator", lang), company.listed, key="onb_listed")
        saved = st.form_submit_button(t("Save the profile", lang))
    if not saved:
        return
    try:
        onboarding.update_profile(
            user,
            context.store(),
            company.id,
            website=website,
            description=description,
            industries=chosen,
            listed=listed,
        )
    except applications.ApplicationInvalid as e:
        for problem in e.problems.values():
            st.error(text(problem, lang, session.timezone(), context.catalog()))
        return
    except HubError as e:
        shown_error(e, lang)
        return
    st.session_state[FLASH] = "Profile saved."
    st.rerun()


def _days(found: onboarding.Checklist, lang: str) -> str:
    took = found.time_to_first_certification
    return t("{days} days", lang, days=took.days) if took is not None else "—"


def console_section(companies: list[Company], lang: str) -> None:
    """Each partner's onboarding progress and time from joining to its first certification."""
    st.subheader(t("Onboarding", lang))
    if not companies:
        return
    rows = []
    for company in sorted(companies, key=lambda c: c.joined, reverse=True):
        found = _checklist(company)
        rows.append(
            {
                t("Partner", lang): company.name,
                t("Joined", lang): fmt.day(company.joined, lang, session.timezone()),
                t("Onboarding", lang): f"{found.done}/{len(found.steps)}",
                t("Open steps", lang): ", ".join(
                    t(onboarding.STEP_WORDS[s.id], lang) for s in found.steps if not s.done
                )
                or "—",
                t("Time to first certification", lang): _days(found, lang),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
