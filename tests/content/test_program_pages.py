"""Generated program tables and exam guides: cumulative perks, protection, fees, weights; no item text."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub_app.catalog import load_catalog
from hub_app.publishing import courses, guides, tables

CATALOG = load_catalog(Path(__file__).resolve().parents[2])


def _column(table: str, label: str, tier_index: int) -> str:
    row = next(line for line in table.splitlines() if line.startswith(f"| {label} |"))
    return [cell.strip() for cell in row.strip("|").split("|")][tier_index + 1]


def test_benefits_matrix_is_cumulative_with_protection_and_vouchers():
    table = tables.tier_table(CATALOG, "en", "program/tiers.md")
    assert _column(table, "Also included", 2).startswith("*Everything in Silver, plus:*<br>• Co-selling")
    assert _column(table, "Deal registration protection", 0) == "45 days, one 30-day extension"
    assert _column(table, "Certification exam vouchers", 3) == "4 per quarter"
    assert table.index("What you get") < table.index("What it takes")


def test_benefits_matrix_in_chinese_uses_full_width_punctuation():
    table = tables.tier_table(CATALOG, "zh", "program/tiers.md")
    assert "*包含银牌全部权益，另加：*" in table
    assert "（独立软件开发商、技术合作伙伴）" in table


def test_exam_fees_table_states_fee_by_level_and_vouchers_by_tier():
    table = tables.exam_fees_table(CATALOG, "en", "program/tiers.md")
    assert "| Foundation | Free |" in table
    assert "| Professional | 150 USD |" in table
    assert "| Gold | 2 per quarter |" in table


def test_revenue_credit_table_credits_sis_and_puts_isvs_on_the_exchange_track():
    table = tables.revenue_credit_table(CATALOG, "en", "program/evaluation.md")
    assert "| System integrator | 100 % | 50 % | 25 % | — |" in table
    assert "| Independent software vendor | 100 % | — | — | Yes |" in table


def test_exam_guide_publishes_domains_weights_and_objectives():
    course = CATALOG.course("qs-marketing")
    page = guides.exam_guide_page(CATALOG, course, "en", "http://app", courses.practice_of(CATALOG, course))
    assert "| Co-marketing and brand | 25 % | 5 |" in page
    assert "- Write a co-marketing message led by the partner's own offer" in page
    assert "| Exam fee | 150 USD per attempt; a tier's exam voucher pays it |" in page
    assert "[Practice exam: Quillstack Certified Marketing Specialist](../qs-marketing-practice/index.md)" in page


@pytest.mark.parametrize("course_id", [c.id for c in CATALOG.certifying_courses()])
def test_exam_guide_never_holds_item_text(course_id):
    course = CATALOG.course(course_id)
    page = guides.exam_guide_page(CATALOG, course, "en", "http://app", None)
    assert course.exam is not None
    leaked = [it.id for it in course.exam.items if it.prompt.en in page or it.explanation.en in page]
    assert leaked == []


def test_every_certification_has_a_practice_course_and_practice_courses_stay_off_the_catalog_table():
    practice = {c.meta.practice_for for c in CATALOG.courses.values() if c.meta.practice_for}
    assert practice == {c.id for c in CATALOG.certifying_courses()}
    page = courses.catalog_page(CATALOG, "en")
    assert "qs-fundamentals-practice" not in page


def test_catalog_covers_every_partner_type_with_at_least_eight_certifications():
    certifying = CATALOG.certifying_courses()
    assert len(certifying) >= 8
    covered = {t for c in certifying for t in c.meta.audience.partner_types}
    assert covered == {p.id for p in CATALOG.program.partner_types}
