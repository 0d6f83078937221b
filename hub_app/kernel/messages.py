"""Messages as facts: an English template (also the gettext msgid) and params that say what they are.

The domain never words a message for one reader. It names a template and hands over facts; the page
words them in the reader's language and zone (`hub_app.ui.words.messages.text`), the CLI and the logs
in English (`str(message)`). A param says what it is by its type:

- `Moment(datetime)`: a time to the minute. English text: ``2026-11-28 17:00 UTC``; on a page: the
  reader's zone and locale (``Nov 28, 2026, 5:00 PM (Asia/Singapore)``).
- `Day(date | datetime)`: a date. ``2026-11-28``; on a page ``Nov 28, 2026`` / ``2026年11月28日``.
- `Course(id)`, `Tier(id)`, `PartnerType(id)`, `Rule(id)`: program.yml things. English text: the id (a course id
  quoted, as English messages quote ids; a tier by its English name when the domain gives it); on a
  page their program.yml name in the reader's language.
- `Number(n)`: a quantity, grouped as the locale groups (``12,500``); ``signed`` adds + to gains.
- `Items([...])`: a list, each item shown by its own type, joined by the language's separator
  (``, `` in English, ``、`` in Chinese).
- `Lines([...])`: values one per line (the problems of a file).
- `Term(msgid)`: a word or phrase of the hub's own, translated like any msgid.
- `Message(...)`: a nested message (a field problem, an action), worded in the same language.

Anything else (names, emails, codes, ports, line numbers, a person's note) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime


class Message:
    """A msgid and its params; ``str()`` is the English text."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: object):
        self.msgid = msgid
        self.params: Mapping[str, object] = params

    def __str__(self) -> str:
        return self.msgid.format(**self.params) if self.params else self.msgid

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{dict(self.params)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (other.msgid, other.params) == (self.msgid, self.params)

    def __hash__(self) -> int:
        return hash(self.msgid)


@dataclass(frozen=True)
class Moment:
    """A time to the minute."""

    value: datetime

    def __str__(self) -> str:
        return f"{self.value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class Day:
    """A calendar date (of a datetime: the date where the reader is)."""

    value: date | datetime

    def __str__(self) -> str:
        return f"{self.value:%Y-%m-%d}"


@dataclass(frozen=True)
class Course:
    """A course of the catalog, by id."""

    id: str

    def __str__(self) -> str:
        return f"'{self.id}'"


@dataclass(frozen=True)
class Tier:
    """A tier of program.yml, by id; `en`, when given, is its English name for the English text."""

    id: str
    en: str | None = None

    def __str__(self) -> str:
        return self.en or self.id


@dataclass(frozen=True)
class PartnerType:
    """A partner type of program.yml, by id."""

    id: str

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class Rule:
    """A points rule of program.yml (or the hub's manual adjustment or reversal), by id."""

    id: str

    def __str__(self) -> str:
        return self.id


@dataclass(frozen=True)
class Number:
    """A quantity: grouped as the reader's locale groups digits."""

    value: int | float
    signed: bool = False

    def __str__(self) -> str:
        return f"{self.value:+}" if self.signed else str(self.value)


@dataclass(frozen=True)
class Items:
    """A list of values, joined by the language's separator."""

    values: tuple[object, ...]

    def __init__(self, values: Iterable[object]):
        object.__setattr__(self, "values", tuple(values))

    def __str__(self) -> str:
        return ", ".join(str(v) for v in self.values)


@dataclass(frozen=True)
class Lines:
    """Values one per line (the problems of a file), each shown by its own type."""

    values: tuple[object, ...]

    def __init__(self, values: Iterable[object]):
        object.__setattr__(self, "values", tuple(values))

    def __str__(self) -> str:
        return "\n".join(str(v) for v in self.values)


@dataclass(frozen=True)
class Term:
    """A word or phrase of the hub's own (a msgid without params)."""

    msgid: str

    def __str__(self) -> str:
        return self.msgid
