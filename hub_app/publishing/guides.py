"""Published exam guides: each certification's domains, weights and objectives, from its exam.yml blueprint.

Only the blueprint (domain titles, draws, objectives, study lessons), the attempt policy and the count of
items of each type reach the page; no item text, option or answer key passes through here.
"""

from __future__ import annotations

from collections import Counter

from hub_app.catalog import Catalog, Course
from hub_app.kernel.i18n import fmt_list, fmt_number, t
from hub_app.publishing.front_matter import front_matter as _front_matter

_TYPES = {
    "single": "single choice",
    "multiple": "multiple choice (select all that apply)",
    "true_false": "true or false",
    "short_text": "short answer",
    "numeric": "numeric answer",
}


def exam_fee(catalog: Catalog, course: Course, lang: str) -> str:
    """What one attempt at the course's certification exam costs, by its level (program.yml ``exams``)."""
    fee = catalog.program.exams.fee_usd.get(course.meta.level, 0)
    if not fee:
        return t("Free", lang)
    amount = f"{fmt_number(fee, lang)} {catalog.program.program.currency}"
    return t("{amount} per attempt; a tier's exam voucher pays it", lang, amount=amount)


def _domains(course: Course, lang: str) -> list[str]:
    """The weights table (narrow enough for a phone), then each domain's objectives and lessons to study."""
    exam = course.exam
    assert exam is not None
    total = exam.items_to_draw
    lines = [f"| {t('Domain', lang)} | {t('Weight', lang)} | {t('Questions', lang)} |", "|---|---:|---:|"]
    lines += [f"| {b.title.get(lang)} | {round(100 * b.draw / total)} % | {b.draw} |" for b in exam.blueprint]
    for entry in exam.blueprint:
        lessons = [course.lesson(slug) for slug in entry.lessons]
        links = fmt_list([f"[{le.title.get(lang)}]({le.slug}.md)" for le in lessons], lang)
        lines += ["", f"### {entry.title.get(lang)}", ""]
        lines += [f"- {o.get(lang)}" for o in entry.objectives]
        if links:
            lines += ["", t("Study: {lessons}", lang, lessons=links)]
    return lines


def _types(course: Course, lang: str) -> str:
    exam = course.exam
    assert exam is not None
    counts: Counter[str] = Counter(item.type for item in exam.items)
    return fmt_list([t(_TYPES[kind], lang) for kind in _TYPES if counts[kind]], lang)


def exam_guide_page(catalog: Catalog, course: Course, lang: str, app_url: str, practice: Course | None) -> str:
    """A certification's exam guide: the form, the domains with weights and objectives, where to study."""
    cert, exam = course.certification, course.exam
    assert cert is not None and exam is not None
    title = t("Exam guide: {certification}", lang, certification=cert.name.get(lang))
    policy = exam.attempts
    facts = [
        (t("Questions", lang), str(exam.items_to_draw)),
        (t("Time", lang), t("{minutes} minutes", lang, minutes=exam.time_limit_minutes)),
        (t("Pass mark", lang), f"{cert.pass_mark} %"),
        (t("Exam fee", lang), exam_fee(catalog, course, lang)),
        (t("Question types", lang), _types(course, lang)),
        (
            t("Attempts", lang),
            t(
                "Up to {max} attempts in any {days} days; after a failed attempt, wait {hours} hours.",
                lang,
                max=policy.max_attempts,
                days=policy.window_days,
                hours=f"{policy.cooldown_hours:g}",
            ),
        ),
        (t("Certificate valid for", lang), t("{months} months", lang, months=cert.validity_months)),
    ]
    lines = [
        _front_matter(
            title,
            t("Domains, weights and objectives of the {certification} exam.", lang, certification=cert.name.get(lang)),
        ),
        f"# {title}",
        "",
        t(
            "Each attempt draws a new form from the exam's item bank: every domain contributes the number of "
            "questions below, so the weights hold for every form. Most questions describe a situation and ask "
            "what you would do; they test the objectives, not sentences from the lessons.",
            lang,
        ),
        "",
        f"| {t('The exam', lang)} | |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in facts],
        "",
        f"## {t('Domains and objectives', lang)}",
        "",
        *_domains(course, lang),
        "",
    ]
    if practice is not None:
        lines += [
            f"## {t('Practice exam', lang)}",
            "",
            t("Rehearse with the practice exam first: it is free and shows the answers after you submit.", lang),
            "",
            f"[{practice.title.get(lang)}](../{practice.id}/index.md)",
            "",
        ]
    return "\n".join(lines)
