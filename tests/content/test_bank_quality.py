"""Bank-quality warnings: test-wise tells, copied lesson sentences, small banks and exposure, named by line."""

from __future__ import annotations

from content_tree import COURSE, EXAM, Tree, _item
from typer.testing import CliRunner

from hub_app.catalog import bank_quality, load_catalog
from hub_app.catalog.models import Exam
from hub_app.cli.main import app

LESSON = "# Lesson 01-intro\n\nA failed step is retried up to five times with exponential back-off, then errors.\n"
LESSON_ZH = "# 课程\n\n失败的步骤会以指数退避方式最多重试五次，然后进入错误路径。\n"


def _single(n: int, right: str, wrong: str, domain: str = "core", zh: tuple[str, str] | None = None) -> dict:
    item = _item(n, domain)
    item["options"] = [
        {"text": {"en": right, **({"zh": zh[0]} if zh else {})}, "correct": True},
        {"text": {"en": wrong, **({"zh": zh[1]} if zh else {})}},
    ]
    return item


def _balanced(count: int) -> list[dict]:
    """Items whose correct option is neither the longest nor the shortest."""
    items = [_single(n, "Staging", "Production") for n in range(1, count + 1)]
    for item in items:
        item["options"].append({"text": {"en": "Dev"}})
    return items


def _warnings(tree: Tree, exam: dict, lesson: str = LESSON) -> list[str]:
    tree.course(exam=exam)
    tree.write("courses/basics/lessons/01-intro.md", lesson)
    tree.write("courses/basics/lessons/01-intro.zh.md", LESSON_ZH)
    return [str(w) for w in bank_quality.bank_warnings(load_catalog(tree.root))]


def test_a_large_balanced_bank_has_no_warnings(tree):
    exam = {**EXAM, "items": _balanced(10)}  # draws 2 of 10: 3 attempts see 60 %
    assert _warnings(tree, exam) == []


def test_a_domain_bank_under_three_times_its_draw_is_named(tree):
    exam = {**EXAM, "attempts": {"max_attempts": 1, "window_days": 30}, "items": _balanced(5)}
    assert _warnings(tree, exam) == [
        "courses/basics/exam.yml:11: blueprint[0].draw: domain 'core' draws 2 items from a bank of 5; "
        "hold at least 6 (3 x draw) so that forms differ"
    ]


def test_exposure_counts_unseen_first_draws_over_the_allowed_attempts(tree):
    exam = {**EXAM, "attempts": {"max_attempts": 4, "window_days": 30}, "items": _balanced(9)}
    assert _warnings(tree, exam) == [
        "courses/basics/exam.yml:3: attempts.max_attempts: a candidate who uses all 4 attempts sees 89% of the bank "
        "(per domain min(bank, 4 x draw) / bank; more than 80%); grow the banks or allow fewer attempts per window"
    ]
    assert bank_quality.exposure(load_catalog(tree.root).course("basics").exam) == 8 / 9


def test_exposure_is_summed_over_domains():
    exam = load_exam(
        blueprint=[("a", 1), ("b", 3)],
        bank={"a": 10, "b": 9},
        attempts=3,
    )
    assert bank_quality.exposure(exam) == (3 + 9) / 19


def load_exam(blueprint: list[tuple[str, int]], bank: dict[str, int], attempts: int) -> Exam:
    return Exam.model_validate(
        {
            "time_limit_minutes": 20,
            "attempts": {"max_attempts": attempts, "window_days": 30},
            "blueprint": [{"domain": d, "title": {"en": d}, "draw": n} for d, n in blueprint],
            "items": [_item(i, d) | {"id": f"{d}{i}"} for d, count in bank.items() for i in range(count)],
        }
    )


def test_the_longest_option_being_right_too_often_lists_the_items(tree):
    items = _balanced(10)
    for n in (1, 3, 4, 7):
        items[n - 1] = _single(n, "The run moves to the error path", "It stops")
    assert _warnings(tree, {**EXAM, "items": items}) == []  # 4 of 10: not more than 40 %
    items[9] = _single(10, "Longer answer", "Short")
    assert _warnings(tree, {**EXAM, "items": items}) == [
        "courses/basics/exam.yml:13: items: the correct option is the longest (en) in 5 of 10 single-choice items "
        "(50%, more than 40%): q1, q3, q4, q7, q10; lengthen a distractor or shorten the answer"
    ]


def test_the_shortest_option_being_right_too_often_is_a_tell_too(tree):
    items = _balanced(10)
    for n in (2, 5, 6, 8, 9):
        items[n - 1] = _single(n, "Staging", "The Production environment")
    assert _warnings(tree, {**EXAM, "items": items}) == [
        "courses/basics/exam.yml:13: items: the correct option is the shortest (en) in 5 of 10 single-choice items "
        "(50%, more than 40%): q2, q5, q6, q8, q9; shorten a distractor"
    ]


def test_an_option_that_copies_a_lesson_sentence_is_named_in_each_language(tree):
    items = _balanced(10)
    items[1] = _single(
        2,
        "Retried up to five times with exponential back-off",
        "It is run again at once, forever, until it succeeds",
        zh=("失败的步骤会以指数退避方式最多重试五次", "立即无限次重跑，直到成功"),
    )
    exam = {**EXAM, "items": items}
    assert _warnings(tree, exam) == [
        "courses/basics/exam.yml:36: items[1].options[0].text.en: item 'q2': the option copies "
        'courses/basics/lessons/01-intro.md ("retried up to five times with"); paraphrase it',
        "courses/basics/exam.yml:37: items[1].options[0].text.zh: item 'q2': the option copies "
        'courses/basics/lessons/01-intro.zh.md ("失败的步骤会以指数退避方"); paraphrase it',
    ]


def test_a_paraphrased_option_is_not_a_copy(tree):
    items = _balanced(10)
    items[1] = _single(2, "Several more tries, each after a longer pause", "Never; the run fails at once")
    assert _warnings(tree, {**EXAM, "items": items}) == []


def test_practice_exams_are_not_checked(tree):
    # A practice course certifies nothing; its small bank (which would warn on a certifying exam) is not checked.
    drill = {key: value for key, value in COURSE.items() if key != "certification"}
    drill = {**drill, "id": "drill", "title": {"en": "Drill", "zh": "练习"}}
    tree.course(course=drill, exam={**EXAM, "practice": True})
    assert _warnings(tree, {**EXAM, "items": _balanced(10)}) == []


def test_check_prints_the_warnings_and_still_succeeds(tree):
    tree.course(exam={**EXAM, "attempts": {"max_attempts": 1, "window_days": 30}, "items": _balanced(5)})
    result = CliRunner().invoke(app, ["check", "--root", str(tree.root)])
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == [
        "1 bank-quality warning (the exams still work):",
        "courses/basics/exam.yml:11: blueprint[0].draw: domain 'core' draws 2 items from a bank of 5; "
        "hold at least 6 (3 x draw) so that forms differ",
    ]
