"""Grading: every item type, both multiple-choice scorings, normalisation, and the score as a whole."""

from __future__ import annotations

import string
from fractions import Fraction

import pytest
from core_builders import exam_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub_app.catalog.models import Exam, MultipleItem, NumericItem, ShortTextItem, SingleItem, TrueFalseItem
from hub_app.learning.grading import grade, item_credit, normalise_text, parse_number
from hub_app.learning.records import DrawnItem

T = {"en": "x"}


def _opts(*correct: bool) -> list[dict]:
    return [{"text": T, "correct": c} for c in correct]


SINGLE = SingleItem(id="s", domain="d", prompt=T, explanation=T, type="single", options=_opts(False, True, False))
MULTI = MultipleItem(
    id="m", domain="d", prompt=T, explanation=T, type="multiple", options=_opts(True, True, False, False)
)
TF = TrueFalseItem(id="t", domain="d", prompt=T, explanation=T, type="true_false", answer=True)
TEXT = ShortTextItem(id="x", domain="d", prompt=T, explanation=T, type="short_text", answers=["Approval step", "承認"])
NUM = NumericItem(id="n", domain="d", prompt=T, explanation=T, type="numeric", answer=30, tolerance=0.5)
IDENTITY = (0, 1, 2)
REVERSED4 = (3, 2, 1, 0)  # displayed position p shows bank option 3 - p


@pytest.mark.parametrize(
    "item, order, answer, scoring, credit",
    [
        (SINGLE, IDENTITY, 1, "all_or_nothing", 1),
        (SINGLE, IDENTITY, 0, "all_or_nothing", 0),
        (SINGLE, (2, 0, 1), 0, "all_or_nothing", 0),  # position 0 shows bank option 2, a wrong one
        (SINGLE, (2, 1, 0), 1, "all_or_nothing", 1),  # position 1 shows bank option 1, the right one
        (SINGLE, IDENTITY, 7, "all_or_nothing", 0),  # out of range
        (SINGLE, IDENTITY, True, "all_or_nothing", 0),  # a bool is not a position
        (SINGLE, IDENTITY, None, "all_or_nothing", 0),
        (MULTI, REVERSED4, (2, 3), "all_or_nothing", 1),  # shows bank 1 and 0
        (MULTI, REVERSED4, (3,), "all_or_nothing", 0),
        (MULTI, REVERSED4, (3,), "partial", Fraction(1, 2)),
        (MULTI, REVERSED4, (2, 3), "partial", 1),
        (MULTI, REVERSED4, (1, 2, 3), "partial", Fraction(1, 2)),  # two right, one wrong: (2 - 1) / 2
        (MULTI, REVERSED4, (0, 1), "partial", 0),  # only wrong: floored at 0
        (MULTI, REVERSED4, (0, 1, 2, 3), "partial", 0),  # everything ticked earns nothing
        (MULTI, REVERSED4, (), "partial", 0),
        (MULTI, REVERSED4, "2,3", "partial", 0),
        (TF, (), True, "all_or_nothing", 1),
        (TF, (), False, "all_or_nothing", 0),
        (TF, (), "true", "all_or_nothing", 0),
        (TEXT, (), "approval step", "all_or_nothing", 1),
        (TEXT, (), "  APPROVAL   Step ", "all_or_nothing", 1),
        (TEXT, (), "Ａｐｐｒｏｖａｌ　ｓｔｅｐ", "all_or_nothing", 1),  # full-width letters and space
        (TEXT, (), "承認", "all_or_nothing", 1),
        (TEXT, (), "Approval", "all_or_nothing", 0),
        (TEXT, (), 30, "all_or_nothing", 0),
        (NUM, (), 30, "all_or_nothing", 1),
        (NUM, (), 30.5, "all_or_nothing", 1),
        (NUM, (), 29.4, "all_or_nothing", 0),
        (NUM, (), " 30 ", "all_or_nothing", 1),
        (NUM, (), "３０", "all_or_nothing", 1),  # full-width digits
        (NUM, (), "thirty", "all_or_nothing", 0),
        (NUM, (), float("nan"), "all_or_nothing", 0),
        (NUM, (), True, "all_or_nothing", 0),
    ],
)
def test_item_credit(item, order, answer, scoring, credit):
    drawn = DrawnItem(item.id, 1, order)
    assert item_credit(item, drawn, answer, scoring) == credit


EXAM = Exam.model_validate(exam_data())
ALL = tuple(DrawnItem(i.id, 1, tuple(range(len(getattr(i, "options", []))))) for i in EXAM.items)
KEY = {"a1": 0, "a2": (0, 1), "a3": False, "b1": "approval step", "b2": 30}


def test_all_right_scores_100_and_passes():
    result = grade(EXAM, ALL, KEY, pass_mark=70)
    assert (result.score_pct, result.passed, result.study_lessons) == (100.0, True, ())
    assert result.domain_scores == {"alpha": 100.0, "beta": 100.0}


def test_weak_domain_lists_its_lessons_to_study():
    answers = {**KEY, "b1": "wrong", "b2": 1}
    result = grade(EXAM, ALL, answers, pass_mark=70)
    assert result.score_pct == 60.0 and not result.passed
    assert result.domain_scores == {"alpha": 100.0, "beta": 0.0}
    assert result.study_lessons == ("02-beta",)


def test_pass_is_decided_on_the_exact_score_not_the_rounded_one():
    three = ALL[:3]  # 2 of 3 right = 66.666...%
    result = grade(EXAM, three, {"a1": 0, "a2": (0, 1)}, pass_mark=67)
    assert result.score_pct == 66.7 and result.passed is False


def test_item_whose_version_changed_after_the_draw_is_not_counted():
    drawn = (DrawnItem("a1", 2, (0, 1, 2)), DrawnItem("a3", 1))
    result = grade(EXAM, drawn, {"a1": 1, "a3": False}, pass_mark=70)
    assert result.score_pct == 100.0 and set(result.credits) == {"a3"}


def test_nothing_counted_scores_zero_and_fails():
    assert grade(EXAM, (), {}, 70).score_pct == 0.0 and not grade(EXAM, (), {}, 70).passed


answers = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 6),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.lists(st.integers(-1, 5), max_size=5).map(tuple),
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.dictionaries(st.sampled_from([i.id for i in EXAM.items]), answers),
    st.sampled_from(["all_or_nothing", "partial"]),
)
def test_any_answers_score_between_0_and_100(given_answers, scoring):
    exam = EXAM.model_copy(update={"multiple_choice_scoring": scoring})
    result = grade(exam, ALL, given_answers, pass_mark=70)
    assert 0 <= result.score_pct <= 100
    assert all(0 <= v <= 100 for v in result.domain_scores.values())


@given(st.permutations(range(3)), st.permutations(range(4)), st.sampled_from(["all_or_nothing", "partial"]))
def test_the_key_scores_100_whatever_the_option_order(single_order, multi_order, scoring):
    exam = EXAM.model_copy(update={"multiple_choice_scoring": scoring})
    drawn = (DrawnItem("a1", 1, tuple(single_order)), DrawnItem("a2", 1, tuple(multi_order)))
    key = {"a1": single_order.index(0), "a2": (multi_order.index(0), multi_order.index(1))}
    assert grade(exam, drawn, key, pass_mark=100).score_pct == 100.0


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    assert normalise_text(normalise_text(text)) == normalise_text(text)


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1))
def test_full_width_text_normalises_like_half_width(text):
    full = "".join(chr(ord(c) + 0xFEE0) for c in text)  # ASCII ! .. ~ map to U+FF01 .. U+FF5E
    assert normalise_text(full) == normalise_text(text)


@given(st.text(alphabet=string.ascii_letters + "ÄÖÜäöüßÉé 承認"))
def test_case_does_not_matter(text):
    assert normalise_text(text.upper()) == normalise_text(text.lower()) == normalise_text(text)


@given(st.text(), st.sampled_from([" ", "  ", "\t", "\u3000", "\n"]))
def test_spacing_around_and_between_words_does_not_matter(text, space):
    spaced = space + space.join(text.split()) + space
    assert normalise_text(spaced) == normalise_text(text)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_survive_being_typed_as_text(number):
    assert parse_number(repr(number)) == number
