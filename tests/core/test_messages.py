"""Messages as facts: the English text of errors stays as it was, and one function words any message in the
reader's language, each param by its type."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hub_cast import real_catalog, staff

from hub_app.kernel.messages import Course, Day, Items, Message, Moment, Number, PartnerType, Rule, Term, Tier
from hub_app.kernel.problems import ContentProblem
from hub_app.learning.attempt_policy import CoolingDown
from hub_app.partners.companies import UnknownPartnerType
from hub_app.store.memory import MemoryStore
from hub_app.tiers import kpis
from hub_app.ui.words.markup import shown
from hub_app.ui.words.messages import error_text, text

CATALOG = real_catalog()
SINGAPORE = ZoneInfo("Asia/Singapore")
AT = datetime(2026, 11, 28, 1, 30, tzinfo=UTC)


def _zh(message: Message) -> str:
    """What a Chinese reader sees of the message (its Markdown escapes rendered)."""
    return shown(text(message, "zh", SINGAPORE, CATALOG))


@pytest.mark.parametrize(
    ("param", "english", "chinese"),
    [
        (Moment(AT), "2026-11-28 01:30 UTC", "2026年11月28日 09:30 (Asia/Singapore)"),
        (Day(date(2026, 3, 2)), "2026-03-02", "2026年3月2日"),
        (Course("qs-fundamentals"), "'qs-fundamentals'", "Quillstack 产品基础"),
        (Course("no-such-course"), "'no-such-course'", "no-such-course"),
        (Tier("silver"), "silver", "银牌"),
        (Tier("silver", "Silver"), "Silver", "银牌"),
        (PartnerType("si"), "si", "系统集成商"),
        (Rule("perfect_score"), "perfect_score", "满分奖励"),
        (Rule("manual_adjustment"), "manual_adjustment", "手动调整"),
        (Number(1234567), "1234567", "1,234,567"),
        (Number(25, signed=True), "+25", "+25"),
        (Items([PartnerType("si"), PartnerType("var")]), "si, var", "系统集成商、增值经销商"),
        (Term("tier proposal"), "tier proposal", "等级提案"),
        (Message("take exams"), "take exams", "参加考试"),
        ("ana@acme.example", "ana@acme.example", "ana@acme.example"),
    ],
)
def test_each_param_is_shown_by_its_type(param, english, chinese):
    assert str(Message("{value}", value=param)) == english
    assert _zh(Message("{value}", value=param)) == chinese


def test_an_error_is_english_in_str_and_the_readers_language_on_a_page():
    error = CoolingDown("qs-fundamentals", AT)
    assert str(error) == (
        "Take some time to study before retaking 'qs-fundamentals'. Next attempt from 2026-11-28 01:30 UTC."
    )
    assert error_text(error, "en", SINGAPORE, CATALOG) == (
        "Take some time to study before retaking Quillstack Product Fundamentals. "
        "Next attempt from Nov 28, 2026, 9:30\u202fAM (Asia/Singapore)."
    )
    assert error_text(error, "zh", SINGAPORE, CATALOG) == (
        "重考“Quillstack 产品基础”前请先复习。下次可于 2026年11月28日 09:30 (Asia/Singapore) 起参加考试。"
    )


def test_a_list_of_program_names_is_joined_with_the_chinese_separator():
    error = UnknownPartnerType("reseller", ["si", "var", "isv"])
    assert str(error) == "Unknown partner type 'reseller'. Use one of program.yml's partner types: si, var, isv."
    assert error_text(error, "zh", SINGAPORE, CATALOG) == (
        "未知的合作伙伴类型“reseller”。请使用 program.yml 中的合作伙伴类型之一："
        "系统集成商、增值经销商、独立软件开发商。"
    )


def test_a_kpi_import_problem_keeps_its_english_line_and_is_worded_in_chinese():
    with pytest.raises(kpis.ImportRejected) as e:
        kpis.import_kpis_csv(staff(MemoryStore(), "Admin", "program_admin"), MemoryStore(), "company_id,period\n", AT)
    (problem,) = e.value.problems
    assert str(problem) == (
        "<text>:1: header: missing column(s) revenue_12m, customers, csat; "
        "the first line must be company_id,period,revenue_12m,customers,csat"
    )
    assert _zh(Message("{p}", p=problem)) == (
        "<text>:1: header: 缺少列 revenue_12m、customers、csat；"
        "第一行必须是 company_id,period,revenue_12m,customers,csat"
    )
    assert isinstance(problem, ContentProblem)
