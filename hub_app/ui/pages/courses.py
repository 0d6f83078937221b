"""Courses: the catalog for my partner type and role (or all), my state in each, lessons and the exam."""

import streamlit as st

from hub_app.kernel.i18n import t
from hub_app.learning import exams
from hub_app.ui.parts import exam as exam_view
from hub_app.ui.views import overview
from hub_app.ui.web import context, nav
from hub_app.ui.web.signin import require_user
from hub_app.ui.words import labels, links

user, lang = require_user()
catalog, site = context.catalog(), context.site_url()
st.title(t("Courses", lang))
rows = overview.course_rows(user, catalog, context.store(), context.now())
show_all = st.toggle(t("Show all courses", lang), key="courses_show_all", value=not any(r.for_me for r in rows))
shown = rows if show_all else [r for r in rows if r.for_me]
if not show_all:
    st.caption(t("Courses for your partner type and role. Switch on “Show all courses” to see every course.", lang))
for row in shown:
    course = row.course
    with st.container(border=True):
        st.markdown(f"#### {course.title.get(lang)}")
        st.markdown(
            f"{labels.course_state(row.state, lang)} · {labels.level(course.meta.level, lang)} · "
            + t("{minutes} minutes", lang, minutes=course.meta.duration_minutes)
        )
        st.write(course.meta.summary.get(lang))
        if course.meta.prerequisites:
            missing = exams.missing_prerequisites(user, catalog, context.store(), course, context.now())
            line = exam_view.prerequisites_line(course, catalog, lang)
            if missing:
                st.warning(line + " " + t("Pass them before you take this exam.", lang), icon=":material/lock:")
            else:
                st.caption(line)
        with st.expander(t("Lessons", lang)):
            for lesson in course.lessons:
                st.markdown(f"- [{lesson.title.get(lang)}]({links.lesson_url(site, course.id, lesson.slug, lang)})")
        if course.exam is not None:
            label = {
                "in_progress": t("Resume exam", lang),
                "expiring": t("Renew", lang),
                "expired": t("Renew", lang),
            }.get(row.state, t("Start exam", lang))
            if row.state != "certified":
                st.page_link(
                    nav.PAGES_DIR / "exam.py", label=label, icon=":material/quiz:", query_params={"course": course.id}
                )
