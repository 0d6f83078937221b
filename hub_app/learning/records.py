"""Learning's records: exam attempts and the items drawn for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub_app.store.base import Index, Kind, Store
from hub_app.store.codecs import MAYBE_WHEN, WHEN, Codec, packed

# An answer as the exam page sends it. Options are answered by their *displayed* position (0-based),
# never by their place in the bank, so the page learns nothing about the bank's order.
#   single -> int, multiple -> tuple[int, ...], true_false -> bool, short_text -> str, numeric -> float
Answer = int | tuple[int, ...] | bool | str | float


@dataclass(frozen=True)
class DrawnItem:
    """One item of an attempt, frozen at draw time: its bank id and version and the displayed option order.

    `option_order[i]` is the bank index of the option shown at position i (empty for items without options).
    """

    item_id: str
    item_version: int
    option_order: tuple[int, ...] = ()


@dataclass(frozen=True)
class Attempt:
    """One sitting of a course exam; open until `submitted_at` is set."""

    id: str
    user_id: str
    course_id: str
    course_version: str
    seed: int
    started_at: datetime
    deadline: datetime
    items: tuple[DrawnItem, ...]
    answers: Mapping[str, Answer] = field(default_factory=dict)  # item_id -> answer
    submitted_at: datetime | None = None
    score_pct: float | None = None
    passed: bool | None = None
    domain_scores: Mapping[str, float] = field(default_factory=dict)  # domain -> percent

    @property
    def is_open(self) -> bool:
        """True until the attempt is submitted."""
        return self.submitted_at is None


def _answers_out(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


def _answers_back(answers: Mapping[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}


def _items_out(items: tuple[DrawnItem, ...]) -> list[list[Any]]:
    return [[d.item_id, d.item_version, list(d.option_order)] for d in items]


def _items_back(items: list[list[Any]]) -> tuple[DrawnItem, ...]:
    return tuple(DrawnItem(i, v, tuple(order)) for i, v, order in items)


# Attempts are large (a dozen drawn items each) and read a few at a time: documents, decoded on read.
ATTEMPTS: Kind[Attempt] = Kind(
    "attempt",
    "attempts",
    Codec(
        Attempt,
        {
            "started_at": WHEN,
            "deadline": WHEN,
            "submitted_at": MAYBE_WHEN,
            "items": packed((_items_out, _items_back)),
            "answers": packed((_answers_out, _answers_back)),
            "domain_scores": packed((dict, dict)),
        },
    ),
    indexes=(Index("user", ("user_id",)),),
    order=("started_at",),
    keep="documents",
)
KINDS: tuple[Kind[Any], ...] = (ATTEMPTS,)


def attempts_of(store: Store, user_id: str, course_id: str | None = None) -> list[Attempt]:
    """The person's attempts (at one course, if named), oldest first."""
    found = store.select(ATTEMPTS, "user", user_id)
    return found if course_id is None else [a for a in found if a.course_id == course_id]
