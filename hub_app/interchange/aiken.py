"""The Aiken format (a question, lettered options, `ANSWER: X`) read into draft items."""

from __future__ import annotations

import re

from hub_app.interchange.drafts import Draft, DraftSet
from hub_app.kernel.messages import Message

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*)$", re.IGNORECASE)


def read_aiken(text: str, name: str, domain: str) -> DraftSet:
    """Every question of an Aiken file as a single-choice draft, and every problem found."""
    found = DraftSet(name)
    draft: Draft | None = None
    letters: list[str] = []
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        option, answer = _OPTION.match(line), _ANSWER.match(line)
        if answer:
            _close(found, draft, letters, answer.group(1).strip(), number)
            draft, letters = None, []
        elif option and draft is not None:
            letters.append(option.group(1))
            draft.options.append((option.group(2).strip(), False))
        elif draft is not None and draft.options:
            found.problem(number, Message("expected an option (A. text) or ANSWER: X here"))
        elif draft is not None:
            draft.prompt += "\n" + line
        else:
            draft = Draft(number, None, line, domain, type="single")
    if draft is not None:
        found.problem(draft.line, Message("the question has no ANSWER: line"))
    return found


def _close(found: DraftSet, draft: Draft | None, letters: list[str], letter: str, line: int) -> None:
    if draft is None:
        return found.problem(line, Message("ANSWER: without a question above it"))
    if len(draft.options) < 2:
        return found.problem(draft.line, Message("a question needs at least two options (A. text)"))
    expected = [chr(ord("A") + i) for i in range(len(letters))]
    if letters != expected:
        given, wanted = ", ".join(letters), ", ".join(expected)
        return found.problem(
            draft.line, Message("options are lettered {given}; letter them {wanted}", given=given, wanted=wanted)
        )
    if letter.upper() not in letters:
        known = ", ".join(letters)
        return found.problem(
            line, Message("ANSWER: {letter} names no option (use one of {known})", letter=letter, known=known)
        )
    chosen = letters.index(letter.upper())
    draft.options = [(text, i == chosen) for i, (text, _) in enumerate(draft.options)]
    found.add(draft)
