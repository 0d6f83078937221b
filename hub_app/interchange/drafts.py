"""Questions read from an exchange file (GIFT, Aiken), before they become exam.yml items.

Ids: the slug of the question's title (GIFT `::Title::`), else of the first words of its text, with the
domain in front (`flows-retry-policy`), so importing the same file twice is refused, not doubled. Text
fills `en` (the language every item must have); a translation is added by hand in exam.yml.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from hub_app.kernel.messages import Message
from hub_app.kernel.problems import ContentProblem

MAX_ID = 48


def numeral(value: float) -> str:
    """600.0 -> '600', 0.25 -> '0.25': numbers as an author writes them."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass
class Draft:
    """One question as read: its line, title, text, domain, and its type's fields."""

    line: int
    title: str | None
    prompt: str
    domain: str | None
    type: str = ""
    options: list[tuple[str, bool]] = field(default_factory=list)
    answer: bool | float | None = None
    answers: list[str] = field(default_factory=list)
    tolerance: float = 0.0
    explanation: str | None = None

    def key_text(self) -> str:
        """The answer key in words, the explanation of a question that brings none."""
        if self.type in ("single", "multiple"):
            right = [text for text, correct in self.options if correct]
            return ("Correct answer: " if len(right) == 1 else "Correct answers: ") + "; ".join(right) + "."
        if self.type == "true_false":
            return "The statement is true." if self.answer else "The statement is false."
        if self.type == "short_text":
            return "Accepted answers: " + "; ".join(self.answers) + "."
        assert isinstance(self.answer, float)
        spread = f" (± {numeral(self.tolerance)})" if self.tolerance else ""
        return f"The answer is {numeral(self.answer)}{spread}."


@dataclass
class DraftSet:
    """The drafts of one file and every problem found in it."""

    name: str
    drafts: list[Draft] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)

    def add(self, draft: Draft) -> None:
        self.drafts.append(draft)

    def problem(self, line: int, said: Message) -> None:
        self.problems.append(ContentProblem.of(self.name, line, "", said))


def slug(text: str) -> str:
    """Lowercase ASCII words joined by dashes, cut at a word boundary."""
    text = text.replace("'", "").replace("\u2019", "")  # customer's -> customers, not customer-s
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > MAX_ID:
            break
        out = f"{out}-{word}" if out else word
    return out


def item_id(draft: Draft, domain: str) -> str:
    """The id an imported question gets (see the module docstring)."""
    base = slug(draft.title or "") or slug(" ".join(draft.prompt.split()[:8]))
    if not base:
        base = hashlib.sha1(draft.prompt.encode()).hexdigest()[:8]
    return base if base.startswith(f"{domain}-") else f"{domain}-{base}"[: MAX_ID + len(domain) + 1].rstrip("-")


def resolve_domain(name: str | None, domains: dict[str, str]) -> str | None:
    """The blueprint domain a category names: its id, or its English title (case ignored)."""
    if name is None:
        return None
    wanted = name.strip().casefold()
    for domain, title in domains.items():
        if wanted in (domain.casefold(), title.casefold()) or slug(name) == domain:
            return domain
    return None


def to_items(found: DraftSet, domains: dict[str, str], taken: dict[str, int], bank: str) -> list[dict[str, Any]]:
    """exam.yml items for the drafts; problems (unknown domain, id in use) go to `found.problems`."""
    items, seen = [], dict(taken)
    for draft in found.drafts:
        domain = resolve_domain(draft.domain, domains)
        if domain is None:
            found.problem(draft.line, _domain_message(draft.domain, domains))
            continue
        new_id = item_id(draft, domain)
        if new_id in seen:
            where = (
                Message("{bank} line {line}", bank=bank, line=taken[new_id])
                if new_id in taken
                else Message("line {line}", line=seen[new_id])
            )
            used = Message(
                "id '{item_id}' is already used ({where}): give the question another title", item_id=new_id, where=where
            )
            found.problem(draft.line, used)
            continue
        seen[new_id] = draft.line
        items.append(_item(draft, new_id, domain))
    return items


def _domain_message(name: str | None, domains: dict[str, str]) -> Message:
    known = ", ".join(sorted(domains))
    if name is None:
        return Message(
            "the question has no domain: put a $CATEGORY: line above it or pass --domain ({known})", known=known
        )
    return Message(
        "'{name}' is not a domain of the blueprint ({known}): rename the category or pass --domain",
        name=name,
        known=known,
    )


def _item(draft: Draft, new_id: str, domain: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": new_id, "version": 1, "domain": domain, "type": draft.type}
    item["prompt"] = {"en": draft.prompt}
    if draft.type in ("single", "multiple"):
        item["options"] = [{"text": {"en": text}, **({"correct": True} if ok else {})} for text, ok in draft.options]
    elif draft.type == "short_text":
        item["answers"] = list(draft.answers)
    elif draft.type == "numeric":
        item["answer"], item["tolerance"] = draft.answer, draft.tolerance
    else:
        item["answer"] = draft.answer
    item["explanation"] = {"en": draft.explanation or draft.key_text()}
    return item
