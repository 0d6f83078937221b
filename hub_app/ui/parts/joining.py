"""Joining the program: the public application form, the applicant's status page and the legal texts.

The form shows each problem the domain found under its own field (kept in session state across the rerun),
and writes nothing until every field is right (`applications.submit` checks all at once).
"""

from __future__ import annotations

import re
from urllib.parse import quote

import streamlit as st

from hub_app.catalog import Catalog
from hub_app.catalog.legal import CONDUCT, TERMS, LegalText, load_legal
from hub_app.catalog.models import PartnerType
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.kernel.messages import Message
from hub_app.partners import applications
from hub_app.partners.records import Application
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain
from hub_app.ui.words.messages import error_text, text

PROBLEMS = "apply_problems"
SENT = "apply_sent"
STATUS_WORDS = {
    applications.SUBMITTED: "Submitted",
    applications.IN_REVIEW: "In review",
    applications.INFO_REQUESTED: "More information requested",
    applications.APPROVED: "Approved",
    applications.DECLINED: "Declined",
}
REASON_WORDS = {
    "below-threshold": "Below the pass threshold",
    "duplicate": "Already a partner or applying",
    "out-of-scope": "Outside the program's scope",
    "incomplete": "Incomplete evidence",
    "other": "Another reason",
}


@st.cache_resource(show_spinner=False)
def legal() -> dict[str, LegalText]:
    """content/legal/'s texts, loaded once per server process."""
    return load_legal(context.project_root())


def legal_url(doc_id: str, lang: str) -> str:
    """A legal text's page on the site, in `lang`."""
    prefix = "" if lang == "en" else f"/{lang}"
    return f"{context.site_url()}{prefix}/legal/{doc_id}/"


def legal_markdown(doc: LegalText, lang: str) -> str:
    """A legal text's body for the app: its links to the other texts point at the site."""
    body = doc.body.get(lang) or doc.body["en"]
    body = re.sub(r"^# .*\n", "", body, count=1)  # the title is shown by the caller
    return re.sub(r"\]\(([a-z-]+)\.md\)", lambda m: f"]({legal_url(m.group(1), lang)})", body)


def status_url(token: str) -> str:
    """The applicant's status page (the token is the only key to it)."""
    return f"{context.app_url()}/application?token={quote(token)}"


def region_name(catalog: Catalog, region: str, lang: str) -> str:
    """A region id in words (the id itself when program.yml does not name it)."""
    found = catalog.program.recruitment.region(region) if catalog.program.recruitment else None
    return found.name.get(lang) if found else region


def industry_names(catalog: Catalog, industries: tuple[str, ...], lang: str) -> str:
    """Industries (stored in English) in `lang`, as a list."""
    known = {i.en: i.get(lang) for i in catalog.program.recruitment.industries} if catalog.program.recruitment else {}
    return ("、" if lang == "zh" else ", ").join(known.get(i, i) for i in industries)


def label(name: str, lang: str) -> str:
    """A field's label before its value: "Status:" in English, "状态：" in Chinese."""
    return f"{name}{'：' if lang == 'zh' else ':'}"


def status_word(status: str, lang: str) -> str:
    """An application status in words."""
    return t(STATUS_WORDS[status], lang)


def problem(field: str, lang: str) -> None:
    """The problem the last submission found in `field`, under it."""
    found: dict[str, Message] = st.session_state.get(PROBLEMS, {})
    if field in found:
        st.error(text(found[field], lang, session.timezone(), context.catalog()), icon=":material/error:")


def _type_picker(catalog: Catalog, lang: str) -> PartnerType:
    types = {pt.id: pt for pt in catalog.program.partner_types}
    picked = st.selectbox(
        t("What kind of partner are you?", lang),
        list(types),
        format_func=lambda i: types[i].name.get(lang),
        key="apply_type",
    )
    chosen = types[str(picked)]
    st.caption(
        t(
            "{summary} Reviewers score each answer from 0 to 5; an application passes at {threshold}% of the best "
            "weighted score.",
            lang,
            summary=chosen.summary.get(lang),
            threshold=chosen.pass_threshold,
        )
    )
    return chosen


def _company_fields(catalog: Catalog, lang: str) -> None:
    recruitment = catalog.program.recruitment
    regions = {r.id: r.name.get(lang) for r in recruitment.regions} if recruitment else {}
    industries = {i.en: i.get(lang) for i in recruitment.industries} if recruitment else {}
    st.text_input(t("Company name", lang), key="apply_company", autocomplete="organization")
    problem("company", lang)
    st.text_input(t("Website", lang), key="apply_website", placeholder="acme.com", autocomplete="url")
    problem("website", lang)
    left, right = st.columns(2)
    with left:
        st.text_input(t("Country", lang), key="apply_country", autocomplete="country-name")
        problem("country", lang)
    with right:
        st.selectbox(
            t("Region", lang),
            list(regions),
            format_func=regions.__getitem__,
            key="apply_region",
            index=None,
            placeholder=t("Choose an option", lang),
        )
        problem("region", lang)
    st.multiselect(
        t("Industries you serve", lang),
        list(industries),
        format_func=industries.__getitem__,
        key="apply_ind",
        placeholder=t("Choose options", lang),
    )
    problem("industries", lang)
    st.selectbox(
        t("Company size", lang),
        applications.SIZES,
        format_func=lambda s: t("{size} employees", lang, size=s),
        key="apply_size",
        index=None,
        placeholder=t("Choose an option", lang),
    )
    problem("size", lang)
    left, right = st.columns(2)
    with left:
        st.text_input(t("Contact person", lang), key="apply_contact", autocomplete="name")
        problem("contact_name", lang)
    with right:
        st.text_input(t("Contact email", lang), key="apply_email", autocomplete="email")
        problem("contact_email", lang)


def _questions(partner_type: PartnerType, lang: str) -> None:
    st.subheader(t("Screening questions", lang))
    for criterion in partner_type.screening:
        question = criterion.question or criterion.guide
        st.markdown(f"**{criterion.name.get(lang)}** · {t('weight {weight}%', lang, weight=criterion.weight)}")
        st.text_area(question.get(lang), key=f"apply_q_{partner_type.id}_{criterion.id}", height=100)
        problem(f"answers.{criterion.id}", lang)
        evidence = criterion.evidence.get(lang) if criterion.evidence else t("Evidence (links, names)", lang)
        st.text_input(evidence, key=f"apply_e_{partner_type.id}_{criterion.id}")


def _consent(lang: str) -> None:
    texts = legal()
    terms, conduct = texts[TERMS], texts[CONDUCT]
    st.checkbox(
        t(
            "I accept the [program terms]({terms_url}) (version {terms}) and the [code of conduct]({conduct_url}) "
            "(version {conduct}) on behalf of my company.",
            lang,
            terms_url=legal_url(TERMS, lang),
            terms=terms.version,
            conduct_url=legal_url(CONDUCT, lang),
            conduct=conduct.version,
        ),
        key="apply_consent",
    )
    problem("consent", lang)


def _form_values(partner_type: PartnerType) -> dict[str, object]:
    s = st.session_state
    answers = {
        c.id: {
            "answer": s.get(f"apply_q_{partner_type.id}_{c.id}", ""),
            "evidence": s.get(f"apply_e_{partner_type.id}_{c.id}", ""),
        }
        for c in partner_type.screening
    }
    return {
        "company": s.get("apply_company", ""),
        "website": s.get("apply_website", ""),
        "country": s.get("apply_country", ""),
        "region": s.get("apply_region") or "",
        "type": partner_type.id,
        "industries": list(s.get("apply_ind") or []),
        "size": s.get("apply_size") or "",
        "contact_name": s.get("apply_contact", ""),
        "contact_email": s.get("apply_email", ""),
        "terms_version": legal()[TERMS].version,
        "consent": bool(s.get("apply_consent")),
        "answers": answers,
    }


def application_form(catalog: Catalog, lang: str) -> None:
    """The whole application: type, company, questionnaire, consent; a submission re-shows problems in place."""
    partner_type = _type_picker(catalog, lang)
    with st.form("apply_form", enter_to_submit=False):
        _company_fields(catalog, lang)
        _questions(partner_type, lang)
        _consent(lang)
        sent = st.form_submit_button(t("Send the application", lang), type="primary")
    if sent:
        _send(catalog, partner_type, lang)
    found = st.session_state.get(PROBLEMS)
    if found:
        st.error(t("The application has {count} problems; each is shown next to its field.", lang, count=len(found)))


def _send(catalog: Catalog, partner_type: PartnerType, lang: str) -> None:
    texts = legal()
    try:
        sent = applications.submit(
            context.store(),
            catalog.program,
            _form_values(partner_type),
            terms_version=texts[TERMS].version,
            conduct_version=texts[CONDUCT].version,
            now=context.now(),
        )
    except applications.ApplicationInvalid as e:
        st.session_state[PROBLEMS] = e.problems
        st.rerun()
    st.session_state.pop(PROBLEMS, None)
    st.session_state[SENT] = (sent.application.reference, sent.token)
    st.rerun()


def sent_notice(lang: str) -> bool:
    """After a submission: the reference and the status link (shown this once); True when shown."""
    sent = st.session_state.get(SENT)
    if not sent:
        return False
    reference, token = sent
    st.success(t("Thank you. Your application {reference} is with our partner team.", lang, reference=reference))
    st.markdown(t("Keep this link to follow your application and answer our questions:", lang))
    st.code(status_url(token), language=None)
    st.caption(t("We show this link once. Anyone with it can see your application's status.", lang))
    st.link_button(t("Open the status page", lang), status_url(token))
    return True


def history_lines(application: Application, lang: str) -> None:
    """The application's steps for the applicant: when, which status, and the questions and answers."""
    tz = session.timezone()
    for event in applications.history(context.store(), application.id):
        line = f"**{fmt.day(event.at, lang, tz)}** · {status_word(event.status, lang)}"
        if event.reason:
            line += f" · {t(REASON_WORDS.get(event.reason, event.reason), lang)}"
        st.markdown(line)
        if event.note:
            vendor = context.catalog().program.program.vendor
            who = t("You", lang) if event.by == applications.APPLICANT else vendor
            st.markdown(f"> {who}: {plain(event.note)}")


def status_page(token: str, lang: str) -> None:
    """What the status link shows: the reference, status, steps and, when asked, the answer form."""
    store, tz = context.store(), session.timezone()
    try:
        application = applications.by_token(store, token)
    except HubError as e:
        st.error(error_text(e, lang, tz, context.catalog()))
        return
    st.subheader(f"{plain(application.company)} · {application.reference}")
    st.markdown(f"**{label(t('Status', lang), lang)}** {status_word(application.status, lang)}")
    st.caption(t("Submitted on {day}.", lang, day=fmt.day(application.submitted, lang, tz)))
    history_lines(application, lang)
    if application.status == applications.INFO_REQUESTED:
        _answer_form(token, lang)
    elif application.status == applications.APPROVED:
        st.success(t("Welcome to the program. Your partner admin's sign-in was handed over by your reviewer.", lang))


def _answer_form(token: str, lang: str) -> None:
    with st.form("application_answer"):
        reply = st.text_area(t("Your answer to the reviewer", lang), key="application_reply")
        sent = st.form_submit_button(t("Send the answer", lang), type="primary")
    if not sent:
        return
    try:
        applications.answer_info(context.store(), token, reply, context.now())
    except applications.ApplicationInvalid as e:
        st.error(text(e.problems["reply"], lang, session.timezone(), context.catalog()))
        return
    except HubError as e:
        st.error(error_text(e, lang, session.timezone(), context.catalog()))
        return
    st.session_state["application_answered"] = True
    st.rerun()
