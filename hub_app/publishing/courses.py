"""The site's course pages, generated from the catalog: catalog, course overviews and lessons.

Pure: catalog in, {docs-relative path: Markdown} out. The MkDocs hook (site_hooks.py) publishes the
result today; a pre-build step for another generator could write the same pages to disk. Exam banks
never pass through here: only counts and the attempt policy do.
"""

from __future__ import annotations

from hub_app.catalog import Catalog, Course
from hub_app.catalog.models import LANGS
from hub_app.kernel.i18n import fmt_list, t
from hub_app.publishing.front_matter import front_matter as _front_matter
from hub_app.publishing.guides import exam_fee, exam_guide_page


def exam_url(app_url: str, course_id: str) -> str:
    """The hub app's exam page for a course."""
    return f"{app_url.rstrip('/')}/exam?course={course_id}"


def _colon(lang: str) -> str:
    return "：" if lang == "zh" else ": "


def _suffix(lang: str) -> str:
    return ".md" if lang == "en" else f".{lang}.md"


def _names(program_list: list, ids: list[str], lang: str) -> list[str]:
    by_id = {x.id: x.name.get(lang) for x in program_list}
    return [by_id[i] for i in ids]


def _tags(catalog: Catalog, course: Course, lang: str) -> list[str]:
    program, meta = catalog.program, course.meta
    return [
        *_names(program.partner_types, meta.audience.partner_types, lang),
        *_names(program.job_roles, meta.audience.roles, lang),
        *_names(program.products, [meta.product], lang),
    ]


def is_practice(course: Course) -> bool:
    """A practice course: it rehearses another course's certification exam and certifies nothing."""
    return course.meta.practice_for is not None


_LEVELS = ("foundation", "professional", "expert")


def learning_order(catalog: Catalog) -> list[Course]:
    """Courses as a learner meets them: foundation, then professional, then expert (by id within a level)."""
    return sorted(catalog.courses.values(), key=lambda c: (_LEVELS.index(c.meta.level), c.id))


def practice_of(catalog: Catalog, course: Course) -> Course | None:
    """The practice course that rehearses this course's exam, if there is one."""
    return next((c for c in catalog.courses.values() if c.meta.practice_for == course.id), None)


def _practice_section(course: Course, lang: str, app_url: str) -> list[str]:
    exam = course.exam
    if exam is None or not exam.practice:
        return []
    return [
        f"## {t('Practice exam', lang)}",
        "",
        "- "
        + t(
            "{count} questions; {minutes} minutes; the answers and explanations are shown after you submit.",
            lang,
            count=exam.items_to_draw,
            minutes=exam.time_limit_minutes,
        ),
        "- " + t("Free, as often as you like; it certifies nothing and awards no points.", lang),
        "",
        f"[{t('Take the practice exam', lang)}]({exam_url(app_url, course.id)}){{ .md-button .md-button--primary }}",
        "",
    ]


def _prepare_section(catalog: Catalog, course: Course, lang: str, app_url: str) -> list[str]:
    practice = practice_of(catalog, course)
    lines = [f"## {t('Prepare for the exam', lang)}", "", f"- [{t('Exam guide', lang)}](exam-guide.md)"]
    if practice is not None:
        lines.append(f"- [{practice.title.get(lang)}](../{practice.id}/index.md)")
    return [*lines, ""]


def _exam_section(catalog: Catalog, course: Course, lang: str, app_url: str) -> list[str]:
    cert, exam = course.certification, course.exam
    if cert is None or exam is None:
        return _practice_section(course, lang, app_url)
    policy = exam.attempts
    return [
        f"## {t('Certification', lang)}{_colon(lang)}{cert.name.get(lang)}",
        "",
        "- "
        + t(
            "{count} questions drawn from the course's item bank; {minutes} minutes.",
            lang,
            count=exam.items_to_draw,
            minutes=exam.time_limit_minutes,
        ),
        "- "
        + t(
            "Pass mark {mark} %; the certificate is valid for {months} months.",
            lang,
            mark=cert.pass_mark,
            months=cert.validity_months,
        ),
        "- "
        + t(
            "Up to {max} attempts in any {days} days; after a failed attempt, wait {hours} hours.",
            lang,
            max=policy.max_attempts,
            days=policy.window_days,
            hours=f"{policy.cooldown_hours:g}",
        ),
        "- " + t("Exam fee: {fee}.", lang, fee=exam_fee(catalog, course, lang)),
        "",
        f"[{t('Take the certification exam', lang)}]({exam_url(app_url, course.id)})"
        "{ .md-button .md-button--primary }",
        "",
        *_prepare_section(catalog, course, lang, app_url),
    ]


def course_page(catalog: Catalog, course: Course, lang: str, app_url: str) -> str:
    """A course's overview: who it is for, what it certifies, its lessons."""
    program, meta = catalog.program, course.meta
    prereqs = fmt_list([f"[{catalog.course(p).title.get(lang)}](../{p}/index.md)" for p in meta.prerequisites], lang)
    facts = [
        (t("Level", lang), t(meta.level.capitalize(), lang)),
        (t("Duration", lang), t("{minutes} minutes", lang, minutes=meta.duration_minutes)),
        (t("Partner types", lang), fmt_list(_names(program.partner_types, meta.audience.partner_types, lang), lang)),
        (t("Roles", lang), fmt_list(_names(program.job_roles, meta.audience.roles, lang), lang)),
        (t("Product", lang), _names(program.products, [meta.product], lang)[0]),
        (t("Prerequisites", lang), prereqs or "—"),
        (t("Version", lang), meta.version),
    ]
    lines = [
        _front_matter(
            meta.title.get(lang), meta.summary.get(lang), None if is_practice(course) else _tags(catalog, course, lang)
        ),
        f"# {meta.title.get(lang)}",
        "",
        meta.summary.get(lang),
        "",
        f"| {t('Course', lang)} | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in facts],
        "",
    ]
    lines += [f"## {t('Lessons', lang)}", ""]
    lines += [f"{i}. [{le.title.get(lang)}]({le.slug}.md)" for i, le in enumerate(course.lessons, 1)]
    lines += ["", *_exam_section(catalog, course, lang, app_url)]
    return "\n".join(lines)


def lesson_page(catalog: Catalog, course: Course, index: int, lang: str, app_url: str) -> str:
    """A lesson as written, with the way to the previous and next lesson and to the exam."""
    lesson = course.lessons[index]
    path = lesson.zh_path if lang == "zh" and lesson.zh_path else lesson.path
    body = path.read_text(encoding="utf-8")
    nav = [f"[{t('Course overview', lang)}](index.md)"]
    if index > 0:
        prev = course.lessons[index - 1]
        nav.insert(0, f"[← {prev.title.get(lang)}]({prev.slug}.md)")
    if index + 1 < len(course.lessons):
        nxt = course.lessons[index + 1]
        nav.append(f"[{nxt.title.get(lang)} →]({nxt.slug}.md)")
    elif course.certification:
        nav.append(f"[{t('Take the certification exam', lang)}]({exam_url(app_url, course.id)})")
    elif course.exam is not None and course.exam.practice:
        nav.append(f"[{t('Take the practice exam', lang)}]({exam_url(app_url, course.id)})")
    # Lessons are for partners: they teach what the kits do (competitor positioning, partner pricing) and
    # are the exam's study material; the catalog and course overviews stay public for recruiting.
    header = _front_matter(
        lesson.title.get(lang),
        f"{course.title.get(lang)} — {lesson.title.get(lang)}",
        audience="partners",
        course=course.title.get(lang),
        course_version=course.meta.version,
    )
    return header + body.rstrip() + "\n\n---\n\n" + " · ".join(nav) + "\n"


def catalog_page(catalog: Catalog, lang: str) -> str:
    """All courses in one table, then every tag (partner type, role, product) with its courses."""
    lines = [
        _front_matter(
            t("Courses and certifications", lang),
            t("Every Quillstack partner course, who it is for and the certification it leads to.", lang),
        ),
        f"# {t('Courses and certifications', lang)}",
        "",
        t(
            "Study a course's lessons here, then take its certification exam in the partner hub app. "
            "Filter by partner type, role or product with the tags below.",
            lang,
        ),
        "",
        f"| {t('Course', lang)} | {t('Level', lang)} | {t('Product', lang)} | {t('Certification', lang)} |",
        "|---|---|---|---|",
    ]
    for course in learning_order(catalog):
        if is_practice(course):
            continue  # listed on the course whose exam it rehearses
        product = _names(catalog.program.products, [course.meta.product], lang)[0]
        cert = course.certification.name.get(lang) if course.certification else "—"
        lines.append(
            f"| [{course.title.get(lang)}]({course.id}/index.md) | "
            f"{t(course.meta.level.capitalize(), lang)} | {product} | {cert} |"
        )
    lines += ["", f"## {t('Browse by tag', lang)}", "", "<!-- material/tags -->", ""]
    return "\n".join(lines)


def course_pages(catalog: Catalog, app_url: str) -> dict[str, str]:
    """Every generated page of the course catalog, in every language, by docs-relative path."""
    pages: dict[str, str] = {}
    for lang in LANGS:
        pages[f"courses/index{_suffix(lang)}"] = catalog_page(catalog, lang)
        for course in catalog.courses.values():
            base = f"courses/{course.id}"
            pages[f"{base}/index{_suffix(lang)}"] = course_page(catalog, course, lang, app_url)
            for i, lesson in enumerate(course.lessons):
                pages[f"{base}/{lesson.slug}{_suffix(lang)}"] = lesson_page(catalog, course, i, lang, app_url)
            if course.certification is not None and course.exam is not None:
                practice = practice_of(catalog, course)
                pages[f"{base}/exam-guide{_suffix(lang)}"] = exam_guide_page(catalog, course, lang, app_url, practice)
    return pages


def _course_entries(course: Course) -> list[str]:
    entries = [f"courses/{course.id}/index.md"]
    return entries + [f"courses/{course.id}/{le.slug}.md" for le in course.lessons]


def courses_nav(catalog: Catalog) -> dict[str, list]:
    """The "Courses" section of the site's navigation; a practice course sits in its certification's section."""
    sections: list = ["courses/index.md"]
    for course in learning_order(catalog):
        if is_practice(course):
            continue
        entries = _course_entries(course)
        if course.certification is not None and course.exam is not None:
            entries.append(f"courses/{course.id}/exam-guide.md")
        practice = practice_of(catalog, course)
        if practice is not None:
            entries += _course_entries(practice)
        sections.append({course.title.en: entries})
    return {"Courses": sections}
