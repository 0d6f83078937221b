"""Learning's records: exam attempts and the items drawn for them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

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
