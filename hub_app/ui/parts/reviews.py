"""The channel manager's review queue: an application's answers and evidence, a 0–5 score and note per
criterion, the weighted total against the type's threshold, and the decisions (with reason codes).

Every action is one domain call that checks the reviewer (role and region) itself; the approval's one-time
password is kept in session state only until it has been shown once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from hub_app.catalog import Catalog
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners import applications as apps
from hub_app.partners.records import CHANNEL_MANAGER, USERS, Application, User
from hub_app.ui.parts.company import shown_error
from hub_app.ui.parts.joining import REASON_WORDS, industry_names, label, region_name, status_word
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain

PASSWORD = "review_password"
FLASH = "review_flash"


def queue_table(found: list[Application], catalog: Catalog, lang: str) -> pd.DataFrame:
    """One line per application: reference, company, type, region, status, submitted."""
    program, tz = catalog.program, session.timezone()
    return pd.DataFrame(
        [
            {
                t("Reference", lang): a.reference,
                t("Company", lang): a.company,
                t("Partner type", lang): program.partner_type(a.type).name.get(lang),
                t("Region", lang): region_name(catalog, a.region, lang),
                t("Status", lang): status_word(a.status, lang),
                t("Submitted", lang): fmt.day(a.submitted, lang, tz),
            }
            for a in found
        ]
    )


def details(application: Application, catalog: Catalog, lang: str) -> None:
    """Who applied, and the answers with their evidence per criterion."""
    a = application
    rows = [
        (t("Website", lang), plain(a.website)),
        (t("Country", lang), plain(a.country)),
        (t("Region", lang), plain(region_name(catalog, a.region, lang))),
        (t("Industries you serve", lang), plain(industry_names(catalog, a.industries, lang))),
        (t("Company size", lang), t("{size} employees", lang, size=a.size)),
        (t("Contact person", lang), f"{plain(a.contact_name)} ({plain(a.contact_email)})"),
        (t("Terms accepted", lang), f"{a.terms_version} · {a.conduct_version or '—'}"),
    ]
    st.markdown("  \n".join(f"**{label(name, lang)}** {value}" for name, value in rows))


def _done(action: Callable[[], Any], lang: str, flash: str) -> None:
    try:
        action()
    except HubError as e:
        shown_error(e, lang)
        return
    st.session_state[FLASH] = flash
    st.rerun()


def show_flash(lang: str) -> None:
    """The last action's confirmation, after the rerun it caused."""
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(t(flash, lang))


def scoring(user: User, application: Application, catalog: Catalog, lang: str) -> None:
    """Each criterion: the applicant's answer and evidence, then the reviewer's score (0–5) and note."""
    store, program = context.store(), catalog.program
    partner_type = program.partner_type(application.type)
    given, scored = apps.answers(store, application.id), apps.scores(store, application.id)
    open_for_scores = application.status in (apps.IN_REVIEW, apps.INFO_REQUESTED)
    for criterion in partner_type.screening:
        answer = given.get(criterion.id)
        with st.container(border=True):
            st.markdown(f"**{criterion.name.get(lang)}** · {t('weight {weight}%', lang, weight=criterion.weight)}")
            st.caption(criterion.guide.get(lang))
            st.markdown(plain(answer.answer) if answer else "—")
            if answer and answer.evidence:
                st.markdown(f"*{label(t('Evidence', lang), lang)}* {plain(answer.evidence)}")
            previous = scored.get(criterion.id)
            if not open_for_scores:
                if previous:
                    st.markdown(
                        f"**{label(t('Score', lang), lang)}** {previous.score}/5 · {plain(previous.note) or '—'}"
                    )
                continue
            _score_form(user, application, catalog, criterion.id, previous, lang)


def _score_form(
    user: User, application: Application, catalog: Catalog, criterion: str, previous: Any, lang: str
) -> None:
    store, program = context.store(), catalog.program
    with st.form(f"score_{application.id}_{criterion}", border=False):
        value = st.slider(t("Score", lang), 0, apps.MAX_SCORE, previous.score if previous else 0, key=f"s_{criterion}")
        note = st.text_input(t("Note", lang), previous.note if previous else "", key=f"n_{criterion}")
        saved = st.form_submit_button(t("Save the score", lang))
    if saved:
        _done(
            lambda: apps.score(user, store, program, application.id, criterion, int(value), note, context.now()),
            lang,
            "Score saved.",
        )


def total(application: Application, catalog: Catalog, lang: str) -> None:
    """The weighted total against the type's pass threshold."""
    store, program = context.store(), catalog.program
    threshold = program.partner_type(application.type).pass_threshold
    percent = apps.weighted_percent(store, program, application)
    if percent is None:
        st.info(
            t("Weighted total: score every criterion first (pass threshold {threshold}%).", lang, threshold=threshold)
        )
    elif percent >= threshold:
        st.success(
            t(
                "Weighted total {percent}%: passes the {threshold}% threshold.",
                lang,
                percent=percent,
                threshold=threshold,
            )
        )
    else:
        st.warning(
            t(
                "Weighted total {percent}%: below the {threshold}% threshold.",
                lang,
                percent=percent,
                threshold=threshold,
            )
        )


def decisions(user: User, application: Application, catalog: Catalog, lang: str) -> None:
    """The transitions the application's status allows."""
    store, program, now = context.store(), catalog.program, context.now()
    if application.status == apps.SUBMITTED and st.button(t("Start the review", lang), type="primary"):
        _done(lambda: apps.start_review(user, store, program, application.id, now), lang, "In review.")
    if application.status == apps.IN_REVIEW:
        _approve_form(user, application, catalog, lang)
        with st.form("review_ask"):
            question = st.text_area(t("Question for the applicant", lang), key="review_question")
            if st.form_submit_button(t("Ask for more information", lang)):
                _done(
                    lambda: apps.request_info(user, store, program, application.id, question, now),
                    lang,
                    "Sent to the applicant.",
                )
    if application.status in apps.OPEN:
        with st.form("review_decline"):
            reason = st.selectbox(
                t("Reason", lang),
                apps.DECLINE_REASONS,
                format_func=lambda r: t(REASON_WORDS[r], lang),
                key="review_reason",
            )
            note = st.text_area(t("Note to the applicant", lang), key="review_note")
            if st.form_submit_button(t("Decline", lang)):
                _done(
                    lambda: apps.decline(user, store, program, application.id, str(reason), note, now),
                    lang,
                    "Declined.",
                )


def _approve_form(user: User, application: Application, catalog: Catalog, lang: str) -> None:
    store, program = context.store(), catalog.program
    managers = [u for u in store.select(USERS) if u.active and u.has_role(CHANNEL_MANAGER)]
    routed = apps.region_manager(store, program, application.region)
    names = {u.id: u.display_name for u in managers}
    choices = [u.id for u in managers]
    default = choices.index(routed.id) if routed and routed.id in choices else None
    with st.form("review_approve"):
        manager = st.selectbox(
            t("Channel manager of the new partner", lang),
            choices,
            index=default,
            format_func=names.__getitem__,
            placeholder=t("The approving channel manager", lang),
            key="review_manager",
        )
        if not st.form_submit_button(t("Approve", lang), type="primary"):
            return
    try:
        approval = apps.approve(user, store, program, application.id, context.now(), manager)
    except HubError as e:
        shown_error(e, lang)
        return
    st.session_state[PASSWORD] = (approval.admin.email, approval.temporary_password)
    st.session_state[FLASH] = "Approved: the partner and its admin account are created."
    st.rerun()


def one_time_password(lang: str) -> None:
    """The new partner admin's one-time password, shown once (gone from the session after this run)."""
    shown = st.session_state.pop(PASSWORD, None)
    if shown is None:
        return
    email, password = shown
    with st.container(border=True):
        st.markdown(t("Hand this one-time password to **{email}**; it is shown only now.", lang, email=plain(email)))
        st.code(password, language=None)


def history(application: Application, lang: str) -> None:
    """Every step, by whom, with reason codes and notes."""
    store, tz = context.store(), session.timezone()
    rows = []
    for e in apps.history(store, application.id):
        actor = store.get(USERS, e.by) if e.by != apps.APPLICANT else None
        rows.append(
            {
                t("When", lang): fmt.moment(e.at, lang, tz),
                t("Who", lang): actor.display_name if actor else t("Applicant", lang),
                t("Status", lang): status_word(e.status, lang),
                t("Reason", lang): t(REASON_WORDS[e.reason], lang) if e.reason in REASON_WORDS else "—",
                t("Note", lang): e.note or "—",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
