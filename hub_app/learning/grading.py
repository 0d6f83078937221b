"""Grading on the server: each drawn item against its bank key, then the score, domains and what to study.

Every item is worth one point. Answers name options by their *displayed* position; the attempt's
`option_order` maps them back to the bank. An item whose bank version changed after it was drawn is
left out of the score (the candidate saw a different question from the one the key now describes).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from hub_app.catalog.models import Exam, MultipleItem, NumericItem, ShortTextItem, SingleItem, TrueFalseItem
from hub_app.learning.records import Answer, DrawnItem

BankItem = SingleItem | MultipleItem | TrueFalseItem | ShortTextItem | NumericItem
ZERO = Fraction(0)


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one attempt."""

    score_pct: float  # rounded to one decimal, for display
    passed: bool  # decided on the exact score, not the rounded one
    domain_scores: Mapping[str, float]
    study_lessons: tuple[str, ...]
    credits: Mapping[str, Fraction] = field(default_factory=dict)  # item_id -> 0..1, counted items only


def normalise_text(text: str) -> str:
    """Compare-ready text: full-/half-width unified (NFKC), case-folded, runs of spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def parse_number(value: object) -> float | None:
    """A finite number from an answer (int, float or text such as '１２.５' or ' 30 '), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(normalise_text(value).replace(" ", ""))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _positions(answer: Answer | None, size: int) -> set[int] | None:
    """Displayed positions chosen, or None when the answer is not a valid choice list."""
    chosen = [answer] if isinstance(answer, int) else answer
    if not isinstance(chosen, list | tuple | set | frozenset):
        return None
    if not all(isinstance(p, int) and not isinstance(p, bool) and 0 <= p < size for p in chosen):
        return None
    return set(chosen)


def _single(item: SingleItem, drawn: DrawnItem, answer: Answer | None) -> Fraction:
    if not isinstance(answer, int) or isinstance(answer, bool):
        return ZERO
    chosen = _positions(answer, len(drawn.option_order))
    if not chosen:
        return ZERO
    return Fraction(int(item.options[drawn.option_order[answer]].correct))


def _multiple(item: MultipleItem, drawn: DrawnItem, answer: Answer | None, scoring: str) -> Fraction:
    chosen = _positions(answer, len(drawn.option_order))
    if chosen is None or isinstance(answer, int):
        return ZERO
    bank_chosen = {drawn.option_order[p] for p in chosen}
    key = {i for i, option in enumerate(item.options) if option.correct}
    if scoring == "all_or_nothing":
        return Fraction(int(bank_chosen == key))
    right, wrong = len(bank_chosen & key), len(bank_chosen - key)
    return max(ZERO, Fraction(right - wrong, len(key)))


def _text(item: ShortTextItem, answer: Answer | None) -> Fraction:
    if not isinstance(answer, str):
        return ZERO
    return Fraction(int(normalise_text(answer) in {normalise_text(a) for a in item.answers}))


def _numeric(item: NumericItem, answer: Answer | None) -> Fraction:
    number = parse_number(answer)
    if number is None:
        return ZERO
    # A hair of slack so that 0.1 + 0.2 style representation errors do not fail a right answer.
    return Fraction(int(abs(number - item.answer) <= item.tolerance + 1e-9))


def item_credit(item: BankItem, drawn: DrawnItem, answer: Answer | None, scoring: str) -> Fraction:
    """The credit (0..1) one answer earns on one drawn item."""
    if isinstance(item, SingleItem):
        return _single(item, drawn, answer)
    if isinstance(item, MultipleItem):
        return _multiple(item, drawn, answer, scoring)
    if isinstance(item, TrueFalseItem):
        return Fraction(int(isinstance(answer, bool) and answer == item.answer))
    if isinstance(item, ShortTextItem):
        return _text(item, answer)
    return _numeric(item, answer)


def _counted(exam: Exam, drawn: Iterable[DrawnItem]) -> list[tuple[BankItem, DrawnItem]]:
    bank = {item.id: item for item in exam.items}
    found = [(bank.get(d.item_id), d) for d in drawn]
    return [(item, d) for item, d in found if item is not None and item.version == d.item_version]


def _pct(credits: Iterable[Fraction]) -> Fraction:
    values = list(credits)
    return 100 * sum(values, ZERO) / len(values) if values else ZERO


def grade(exam: Exam, drawn: Iterable[DrawnItem], answers: Mapping[str, Answer], pass_mark: int) -> Grade:
    """Grade the drawn items against the bank: score, pass, per-domain scores and lessons to study."""
    counted = _counted(exam, drawn)
    credits = {
        d.item_id: item_credit(item, d, answers.get(d.item_id), exam.multiple_choice_scoring) for item, d in counted
    }
    by_domain: dict[str, list[Fraction]] = {}
    for item, d in counted:
        by_domain.setdefault(item.domain, []).append(credits[d.item_id])
    domain_pct = {domain: _pct(values) for domain, values in by_domain.items()}
    score = _pct(credits.values())
    return Grade(
        score_pct=round(float(score), 1),
        passed=bool(counted) and score >= pass_mark,
        domain_scores={domain: round(float(p), 1) for domain, p in domain_pct.items()},
        study_lessons=_study(exam, {d for d, p in domain_pct.items() if p < pass_mark}),
        credits=credits,
    )


def _study(exam: Exam, weak_domains: set[str]) -> tuple[str, ...]:
    lessons: list[str] = []
    for entry in exam.blueprint:
        if entry.domain in weak_domains:
            lessons.extend(slug for slug in entry.lessons if slug not in lessons)
    return tuple(lessons)


def correct_answer(item: BankItem, drawn: DrawnItem) -> Answer:
    """The key in the attempt's terms (displayed positions), for practice-exam review only."""
    if isinstance(item, SingleItem | MultipleItem):
        shown = [p for p, bank in enumerate(drawn.option_order) if item.options[bank].correct]
        return shown[0] if isinstance(item, SingleItem) else tuple(shown)
    if isinstance(item, ShortTextItem):
        return item.answers[0]
    return item.answer
