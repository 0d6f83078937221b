"""The parts of the exam page: the introduction, the questions (answers saved as drafts), the countdown
and the result."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

import streamlit as st

from hub_app.catalog import Catalog, Course
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import fmt_list, t
from hub_app.learning import exams, submission
from hub_app.learning.records import Answer, Attempt
from hub_app.partners.records import User
from hub_app.ui.web import context, nav, session
from hub_app.ui.words import fmt, links
from hub_app.ui.words.messages import course_name, error_text

RESULT_KEY = "hub_exam_result"
SAVE_ERROR_KEY = "hub_exam_save_error"


def intro(course: Course, lang: str, catalog: Catalog | None = None) -> None:
    """What the exam is: prerequisites, questions, time, pass mark, the attempt policy and what time-up does."""
    exam, cert = course.exam, course.certification
    assert exam is not None
    policy, hours = exam.attempts, format(exam.attempts.cooldown_hours, "g")
    facts = [
        t("{count} questions, {minutes} minutes.", lang, count=exam.items_to_draw, minutes=exam.time_limit_minutes),
        t("Pass mark {mark} %.", lang, mark=exams.pass_mark(course)),
        t(
            "Up to {max} attempts in any {days} days; after a failed attempt, wait {hours} hours.",
            lang,
            max=policy.max_attempts,
            days=policy.window_days,
            hours=hours,
        ),
        t("Your answers are saved as you go: you can reload the page or come back before the time is up.", lang),
        t("When the time is up, the attempt is submitted automatically with the answers saved by then.", lang),
    ]
    if catalog is not None and course.meta.prerequisites:
        facts.insert(0, prerequisites_line(course, catalog, lang))
    if cert is not None:
        facts.insert(
            0,
            t(
                "Certification: {name}, valid for {months} months.",
                lang,
                name=cert.name.get(lang),
                months=cert.validity_months,
            ),
        )
    st.markdown("\n".join(f"- {f}" for f in facts))


def prerequisites_line(course: Course, catalog: Catalog, lang: str) -> str:
    """'Prerequisites: Quillstack Product Fundamentals.' in the reader's language."""
    names = ("、" if lang == "zh" else ", ").join(course_name(catalog, c, lang) for c in course.meta.prerequisites)
    return t("Prerequisites: {courses}.", lang, courses=names)


def countdown(attempt: Attempt, lang: str, tz: ZoneInfo) -> None:
    """The deadline in words, and a live countdown that runs in the browser (no server round trips)."""
    st.caption(t("Submit by {time}.", lang, time=fmt.moment(attempt.deadline, lang, tz)))
    labels = json.dumps({"left": t("Time left", lang), "up": t("Time is up. Submit your answers now.", lang)})
    element = f"hub-countdown-{attempt.id}"
    # Sticky on the wrapper of its keyed container (a child of the page's column, which scrolls), so the
    # timer stays in view below the app's header while the candidate scrolls through the questions.
    st.html(
        '<style>[data-testid="stLayoutWrapper"]:has(> .st-key-hub-countdown){position:sticky;top:3.75rem;'
        "z-index:99;background:var(--st-background-color,#fff)}</style>"
    )
    st.container(key="hub-countdown").html(
        f'<div id="{element}" role="timer" aria-live="off" style="font-weight:600;font-size:1.1rem;'
        'padding:.25rem 0;min-height:1.6rem"></div>'
        # Every tick looks the element up again (the page may replace it); no "<" in the script, or the
        # HTML sanitiser drops it.
        "<script>(function(){var id=" + json.dumps(element) + ";"
        f"var end=Date.parse({json.dumps(attempt.deadline.isoformat())});var l={labels};"
        "if(window.__hubCountdown){clearInterval(window.__hubCountdown);}"
        "function tick(){var el=document.getElementById(id);if(!el){return;}"
        "var s=Math.max(0,Math.round((end-Date.now())/1000));"
        "if(s===0){el.textContent=l.up;el.style.color='#c62828';return;}"
        "var h=Math.floor(s/3600),m=Math.floor(s%3600/60),x=s%60;"
        "el.textContent=l.left+' '+(h?h+':':'')+String(m).padStart(2,'0')+':'+String(x).padStart(2,'0');"
        "el.style.color=300>s?'#c62828':'';}"
        "tick();window.__hubCountdown=setInterval(tick,1000);})();</script>",
        unsafe_allow_javascript=True,
    )


def _key(attempt: Attempt, item_id: str) -> str:
    return f"ans-{attempt.id}-{item_id}"


def _answer_from_widgets(key: str, item: exams.PageItem) -> Answer | None:
    state = st.session_state
    if item.type == "multiple":
        return tuple(i for i in range(len(item.options)) if state.get(f"{key}-{i}"))
    value = state.get(key)
    if item.type in ("short_text", "numeric"):
        return str(value or "")
    return value


def _save_draft(attempt_id: str, key: str, item: exams.PageItem) -> None:
    user = session.current_user()
    answer = _answer_from_widgets(key, item)
    if user is None or answer is None:
        return
    try:
        exams.save_answers(user, context.store(), attempt_id, {item.item_id: answer}, context.now())
    except HubError as e:
        st.session_state[SAVE_ERROR_KEY] = e


def _restore_drafts(attempt: Attempt, items: list[exams.PageItem]) -> None:
    """Put saved answers into the widgets when the page (re)opens, e.g. after a reload."""
    state = st.session_state
    for item in items:
        key, saved = _key(attempt, item.item_id), attempt.answers.get(item.item_id)
        if saved is None:
            continue
        if item.type == "multiple":
            for i in range(len(item.options)):
                state.setdefault(f"{key}-{i}", i in tuple(saved))  # type: ignore[arg-type]
        elif item.type in ("short_text", "numeric"):
            state.setdefault(key, str(saved))
        else:
            state.setdefault(key, saved)


def questions(attempt: Attempt, items: list[exams.PageItem], lang: str) -> None:
    """One widget per item; every change is saved to the attempt at once."""
    _restore_drafts(attempt, items)
    for item in items:
        key = _key(attempt, item.item_id)
        args = (attempt.id, key, item)
        label = f"**{item.number}.** {item.prompt}"
        with st.container(border=True):
            if item.type == "single":
                st.radio(
                    label,
                    range(len(item.options)),
                    format_func=item.options.__getitem__,
                    index=None,
                    key=key,
                    on_change=_save_draft,
                    args=args,
                )
            elif item.type == "multiple":
                st.markdown(label)
                st.caption(t("Choose all that apply.", lang))
                for i, option in enumerate(item.options):
                    st.checkbox(option, key=f"{key}-{i}", on_change=_save_draft, args=args)
            elif item.type == "true_false":
                st.radio(
                    label,
                    [True, False],
                    index=None,
                    horizontal=True,
                    key=key,
                    on_change=_save_draft,
                    args=args,
                    format_func=lambda v: t("True", lang) if v else t("False", lang),
                )
            else:
                hint = t("A number", lang) if item.type == "numeric" else t("Your answer", lang)
                st.text_input(label, key=key, placeholder=hint, on_change=_save_draft, args=args)


def answers_given(attempt: Attempt, items: list[exams.PageItem]) -> dict[str, Answer]:
    """The answers now in the widgets (blank ones left out)."""
    given: dict[str, Answer] = {}
    for item in items:
        answer = _answer_from_widgets(_key(attempt, item.item_id), item)
        if answer not in (None, "", ()):
            given[item.item_id] = answer  # type: ignore[assignment]
    return given


CONFIRM_KEY = "exam_confirm_submit"


def confirmed_submit(attempt: Attempt, unanswered: int, lang: str) -> bool:
    """True when the person submits: at once when every item is answered, else after a second, explicit yes."""
    pressed = st.button(t("Submit answers", lang), type="primary", key="exam_submit", width="stretch")
    if not unanswered:
        return pressed
    if pressed:
        st.session_state[CONFIRM_KEY] = attempt.id
    if st.session_state.get(CONFIRM_KEY) != attempt.id:
        return False
    st.warning(
        t("{count} question(s) have no answer yet; they would score nothing. Submit anyway?", lang, count=unanswered)
    )
    return st.button(t("Submit anyway", lang), key="exam_submit_anyway")


def submit(user: User, attempt: Attempt, items: list[exams.PageItem], catalog: Catalog, lang: str) -> None:
    """Grade the attempt; the result is kept for the result view."""
    result = submission.submit(
        user, attempt.id, answers_given(attempt, items), catalog, context.store(), context.now(), lang
    )
    st.session_state[RESULT_KEY] = result


def result(res: submission.SubmissionResult, course: Course, catalog: Catalog, lang: str, tz: ZoneInfo) -> None:
    """Score, pass or fail, per-domain scores, lessons to study, a new certificate and points."""
    exam = course.exam
    assert exam is not None
    score, mark = fmt.percent(res.score_pct, lang), exams.pass_mark(course)
    if res.timed_out:
        st.info(
            t(
                "Time was up at {time}: the answers saved by then were submitted automatically.",
                lang,
                time=fmt.moment(res.attempt.deadline, lang, tz),
            )
        )
    if res.passed:
        st.success(t("Passed: you scored {score} (pass mark {mark} %).", lang, score=score, mark=mark))
    else:
        st.error(t("Not passed: you scored {score} (pass mark {mark} %).", lang, score=score, mark=mark))
    st.subheader(t("Score by topic", lang))
    for entry in exam.blueprint:
        if entry.domain in res.domain_scores:
            value = res.domain_scores[entry.domain]
            st.progress(min(1.0, value / 100), text=f"{entry.title.get(lang)} — {fmt.percent(value, lang)}")
    if res.study_lessons:
        st.subheader(t("Study these lessons", lang))
        site = context.site_url()
        for slug in res.study_lessons:
            title = course.lesson(slug).title.get(lang)
            st.markdown(f"- [{title}]({links.lesson_url(site, course.id, slug, lang)})")
    if res.certificate is not None:
        name = course.certification.name.get(lang) if course.certification else course.id
        st.success(
            t(
                "New certificate: {name}, valid until {date}. Verification code {code}.",
                lang,
                name=name,
                date=fmt.day(res.certificate.expires, lang, tz),
                code=res.certificate.verification_code,
            )
        )
        st.page_link(
            nav.PAGES_DIR / "certificates.py", label=t("My certificates", lang), icon=":material/workspace_premium:"
        )
    if not res.passed:
        user = session.current_user()
        refused = exams.start_refusal(user, catalog, context.store(), course.id, context.now()) if user else None
        if refused is not None:
            st.info(error_text(refused, lang, tz, catalog))
    if res.points_awarded:
        total = sum(e.points for e in res.points_awarded)
        rules = catalog.program.points
        names = fmt_list([r.name.get(lang) for e in res.points_awarded if (r := rules.rule(e.rule)) is not None], lang)
        st.info(t("+{points} points: {rules}", lang, points=fmt.number(total, lang), rules=names))


def refusal(error: HubError, lang: str, tz: ZoneInfo, catalog: Catalog) -> None:
    """Why no attempt may start now, and when it may."""
    st.warning(error_text(error, lang, tz, catalog))
