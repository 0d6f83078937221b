"""GIFT and Aiken import problems are messages with msgids: a Chinese reader gets them in Chinese."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hub_app.interchange.aiken import read_aiken
from hub_app.interchange.gift import read_gift
from hub_app.ui.words.messages import text

UTC = ZoneInfo("UTC")


def _zh(problems, catalog):
    return [f"{p.path}:{p.line}: {text(p.said, 'zh', UTC, catalog, markdown=False)}" for p in problems]


def test_gift_problems_are_worded_in_chinese(catalog):
    found = read_gift(
        "::Q1:: Pick {\n=A\n~B\n}\n\n::Q2:: How much? {#5..1}\n\n::Q3:: Open {\n~x\n", "quiz.gift", "basics"
    )
    assert [str(p) for p in found.problems] == [
        "quiz.gift:6: the range 5..1 runs backwards: write the lower bound first",
        "quiz.gift:8: the answer block is not closed: add }",
    ]
    assert _zh(found.problems, catalog) == [
        "quiz.gift:6: 范围 5..1 上下限颠倒：请先写下限",
        "quiz.gift:8: 答案块未闭合：请添加 }",
    ]


def test_aiken_problems_are_worded_in_chinese(catalog):
    found = read_aiken("What is 2+2?\nA. 3\nC. 4\nANSWER: C\n\nLonely?\nANSWER: A\n", "quiz.txt", "basics")
    assert _zh(found.problems, catalog) == [
        "quiz.txt:1: 选项字母为 A, C；请改为 A, B",
        "quiz.txt:6: 题目至少需要两个选项（A. 文本）",
    ]
