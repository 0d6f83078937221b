"""Exam (exam?course=<id>): one attempt at a time, a countdown, drafts kept on reload, then the result."""

import streamlit as st

from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.learning import exams, submission
from hub_app.ui.parts import exam as exam_view
from hub_app.ui.views import overview
from hub_app.ui.web import context, nav, session
from hub_app.ui.web.signin import require_user
from hub_app.ui.words.messages import error_text

user, lang = require_user()
catalog, store, tz, now = context.catalog(), context.store(), session.timezone(), context.now()
course_id = str(st.query_params.get("course", ""))
# An attempt whose time ran out while the page was closed is submitted now, on its saved answers.
if course_id in catalog.courses and st.session_state.get(exam_view.RESULT_KEY) is None:
    timed_out = submission.submit_lapsed(catalog, store, user.id, course_id, now)
    if timed_out:
        st.session_state[exam_view.RESULT_KEY] = timed_out[-1]
done = st.session_state.get(exam_view.RESULT_KEY)
live = overview.live_attempts(user, catalog, store, now)

if done is not None and done.attempt.course_id in (course_id, ""):
    course = catalog.course(done.attempt.course_id)
    st.title(course.title.get(lang))
    exam_view.result(done, course, catalog, lang, tz)
    st.page_link(nav.PAGES_DIR / "home.py", label=t("Back to home", lang), icon=":material/home:")
    if st.button(t("Done", lang), key="exam_result_done"):
        st.session_state.pop(exam_view.RESULT_KEY)
        st.rerun()
    st.stop()

if not course_id and live:
    course_id = live[0][1].id
if not course_id:
    st.title(t("Exam", lang))
    st.info(t("Pick a course to take its certification exam.", lang))
    for course in catalog.certifying_courses():
        with st.container(border=True):
            st.markdown(f"**{course.title.get(lang)}**")
            why_not = exams.start_refusal(user, catalog, store, course.id, now)  # certified, cooling down, ...
            st.caption(t("Ready to start.", lang) if why_not is None else error_text(why_not, lang, tz, catalog))
            st.page_link(
                nav.PAGES_DIR / "exam.py",
                label=t("Open exam", lang),
                icon=":material/quiz:",
                query_params={"course": course.id},
            )
    st.stop()

try:
    course, _ = exams.course_exam(catalog, course_id)
except HubError as e:
    st.error(error_text(e, lang, tz, catalog))
    st.stop()
st.title(course.title.get(lang))
attempt = next((a for a, c in live if c.id == course.id), None)
elsewhere = next(((a, c) for a, c in live if c.id != course.id), None)

if attempt is None:
    exam_view.intro(course, lang, catalog)
    if elsewhere is not None:
        st.info(
            t(
                "You have an exam in progress: {course}. Finish it before you start another.",
                lang,
                course=elsewhere[1].title.get(lang),
            )
        )
        st.page_link(
            nav.PAGES_DIR / "exam.py",
            label=t("Resume exam", lang),
            icon=":material/quiz:",
            query_params={"course": elsewhere[1].id},
        )
        st.stop()
    refused = exams.start_refusal(user, catalog, store, course.id, now)
    if refused is not None:
        exam_view.refusal(refused, lang, tz, catalog)
    if st.button(t("Start exam", lang), type="primary", disabled=refused is not None, key="exam_start"):
        try:
            exams.start_attempt(user, catalog, store, course.id, now)
        except HubError as e:
            exam_view.refusal(e, lang, tz, catalog)
        else:
            st.rerun()
    st.stop()

items = exams.items_for_page(user, attempt, catalog, lang)
exam_view.countdown(attempt, lang, tz)
problem = st.session_state.pop(exam_view.SAVE_ERROR_KEY, None)
if problem is not None:
    st.error(error_text(problem, lang, tz, catalog))
exam_view.questions(attempt, items, lang)
answered = len(exam_view.answers_given(attempt, items))
st.caption(t("{answered} of {total} questions answered.", lang, answered=answered, total=len(items)))
if exam_view.confirmed_submit(attempt, len(items) - answered, lang):
    try:
        exam_view.submit(user, attempt, items, catalog, lang)
    except HubError as e:
        st.error(error_text(e, lang, tz, catalog))
    else:
        st.rerun()
