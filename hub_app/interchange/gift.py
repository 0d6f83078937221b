"""Moodle's GIFT format, read into exam.yml items and written back from a bank (pure text in and out).

Our own reader: the PyPI ones misread short answers. Every problem in a file is reported at once as
`FILE:line: message`, with the line of the question (or of the answer) it concerns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from hub_app.catalog.models import Exam, MultipleItem, NumericItem, ShortTextItem, SingleItem, TrueFalseItem
from hub_app.interchange.drafts import Draft, DraftSet, numeral
from hub_app.kernel.messages import Message
from hub_app.kernel.problems import ContentProblem

ESCAPABLE = "~=#{}:\\"
_FORMAT = re.compile(r"^\[(markdown|plain|html|moodle)\]")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_NUMERIC = re.compile(rf"^=?\s*({_NUMBER})\s*(?::\s*({_NUMBER}))?$")
BankItem = SingleItem | MultipleItem | TrueFalseItem | ShortTextItem | NumericItem
_RANGE = re.compile(rf"^=?\s*({_NUMBER})\s*\.\.\s*({_NUMBER})$")


@dataclass
class _Block:
    """One question's text as written: its characters and the file line of each."""

    chars: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def text(self, start: int = 0, end: int | None = None) -> str:
        return "".join(self.chars[start:end])

    def line(self, index: int) -> int:
        return self.lines[min(index, len(self.lines) - 1)] if self.lines else 1


class _Text(HTMLParser):
    """HTML reduced to plain text: no raw HTML reaches the bank."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("br", "p", "div", "li"):
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def _blocks(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each question or $CATEGORY, split on blank lines, `//` comment lines dropped."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    depth = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.lstrip().startswith("//"):
            continue
        if not line.strip() and depth == 0:
            current = None
            continue
        if current is None:
            current = []
            out.append((number, current))
        current.append(f"{number}\x00{line}")
        depth = max(0, depth + _brace_balance(line))
    return [(first, "\n".join(lines)) for first, lines in out]


def _brace_balance(line: str) -> int:
    balance, i = 0, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        balance += {"{": 1, "}": -1}.get(line[i], 0)
        i += 1
    return balance


def _unpack(block: str) -> _Block:
    out = _Block()
    for k, tagged in enumerate(block.split("\n")):
        number, line = tagged.split("\x00", 1)
        if k:
            out.chars.append("\n")
            out.lines.append(int(number))
        out.chars.extend(line)
        out.lines.extend([int(number)] * len(line))
    return out


def _find(b: _Block, char: str, start: int = 0) -> int:
    """Index of the first unescaped `char` from `start`, or -1."""
    i = start
    while i < len(b.chars):
        if b.chars[i] == "\\":
            i += 2
            continue
        if b.chars[i] == char:
            return i
        i += 1
    return -1


def _split(raw: str, marks: str) -> list[tuple[str, str]]:
    """Split answer text on unescaped marks: [(mark, text)], the text before any mark under mark ''."""
    parts: list[tuple[str, str]] = [("", "")]
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            parts[-1] = (parts[-1][0], parts[-1][1] + raw[i : i + 2])
            i += 2
            continue
        if c in marks:
            parts.append((c, ""))
        else:
            parts[-1] = (parts[-1][0], parts[-1][1] + c)
        i += 1
    return parts


def unescape(text: str) -> str:
    """GIFT escapes (\\~ \\= \\# \\{ \\} \\: \\\\ and \\n) to the characters they stand for."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in ESCAPABLE + "n":
            out.append("\n" if text[i + 1] == "n" else text[i + 1])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def escape(text: str) -> str:
    """Text made safe for GIFT: its special characters escaped, line breaks as \\n."""
    out = "".join("\\" + c if c in ESCAPABLE else c for c in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


class _Reader:
    """Reads one GIFT file into drafts; collects every problem rather than stopping at the first."""

    def __init__(self, name: str, domain: str | None):
        self.name, self.domain = name, domain
        self.drafts = DraftSet(name)

    def problem(self, line: int, said: Message) -> None:
        self.drafts.problems.append(ContentProblem.of(self.name, line, "", said))

    def clean(self, text: str, fmt: str, line: int) -> str:
        """Unescaped text of the given format, HTML reduced to text; raw tags elsewhere are refused."""
        m = _FORMAT.match(text.strip())
        if m:
            fmt, text = m.group(1), text.strip()[m.end() :]
        text = unescape(text)
        if fmt == "html":
            parser = _Text()
            parser.feed(text)
            parser.close()
            text = "\n".join(" ".join(p.split()) for p in "".join(parser.out).split("\n"))
            text = "\n".join(p for p in text.split("\n") if p)
        elif _TAG.search(text):
            tag = _TAG.search(text).group(0)  # type: ignore[union-attr]
            self.problem(
                line,
                Message(
                    "HTML tag {tag} in a [{fmt}] text: mark the text [html] "
                    "to have its tags removed, or write it without tags",
                    tag=tag,
                    fmt=fmt,
                ),
            )
        return " ".join(text.split()) if "\n" not in text else text.strip()

    def read(self, text: str) -> DraftSet:
        for first, block in _blocks(text):
            head, _, rest = block.partition("\n")
            if head.split("\x00", 1)[1].startswith("$CATEGORY:"):
                self.category(first, head.split("\x00", 1)[1][len("$CATEGORY:") :].strip())
                if not rest:
                    continue
                first, block = int(rest.split("\x00", 1)[0]), rest  # a question right under its category
            self.question(first, _unpack(block))
        return self.drafts

    def category(self, line: int, path: str) -> None:
        self.domain = path.strip("/").split("/")[-1].strip() if path.strip("/") else None

    def question(self, first: int, b: _Block) -> None:
        title, start = None, 0
        text = b.text()
        if text.startswith("::"):
            end = text.find("::", 2)
            if end < 0:
                self.problem(first, Message("the title is not closed: write ::Title:: before the question"))
                return
            title, start = unescape(text[2:end]).strip(), end + 2
        fmt_match = _FORMAT.match(b.text(start).lstrip())
        fmt = fmt_match.group(1) if fmt_match else "markdown"
        opening = _find(b, "{", start)
        if opening < 0:
            self.problem(
                first,
                Message(
                    "description (a text without an answer block { }) is not supported: the bank holds only questions"
                ),
            )
            return
        closing = _find(b, "}", opening)
        if closing < 0:
            self.problem(b.line(opening), Message("the answer block is not closed: add {brace}", brace="}"))
            return
        before, after = b.text(start, opening), b.text(closing + 1)
        prompt = self.clean(before, fmt, first)
        tail = self.clean(after, fmt, b.line(closing))
        if tail:
            prompt = f"{prompt} _____ {tail}".strip()
        if not prompt:
            self.problem(first, Message("the question has no text before its answer block"))
            return
        draft = Draft(first, title, prompt, self.domain)
        self.answers(draft, b.text(opening + 1, closing), b.line(opening), fmt)

    def answers(self, draft: Draft, raw: str, line: int, fmt: str) -> None:
        body, general = raw, None
        general_at = _general_feedback(raw)
        if general_at >= 0:
            body, general = raw[:general_at], self.clean(raw[general_at + 4 :], fmt, line)
        draft.explanation = general or None
        stripped = body.strip()
        if not stripped:
            return self.problem(draft.line, Message("essay questions (an empty answer block {}) are not supported"))
        if stripped.startswith("#"):
            return self.numeric(draft, stripped[1:], line)
        if "->" in stripped and "=" in stripped and "~" not in stripped:
            return self.problem(draft.line, Message("matching questions (=item -> match) are not supported"))
        if "~" in [m for m, _ in _split(stripped, "~=")]:
            return self.choice(draft, stripped, line, fmt)
        head = _split(stripped, "#")
        if head[0][1].strip().upper() in ("T", "TRUE", "F", "FALSE"):
            return self.true_false(draft, head, line, fmt)
        return self.short(draft, stripped, line, fmt)

    def true_false(self, draft: Draft, parts: list[tuple[str, str]], line: int, fmt: str) -> None:
        draft.type, draft.answer = "true_false", parts[0][1].strip().upper().startswith("T")
        feedback = [self.clean(text, fmt, line) for _, text in parts[1:3]]
        # GIFT: {T#shown when answered wrong#shown when answered right}; the right one explains best.
        draft.explanation = draft.explanation or next((f for f in reversed(feedback) if f), None)
        self.drafts.add(draft)

    def short(self, draft: Draft, raw: str, line: int, fmt: str) -> None:
        answers, feedback = [], None
        for mark, text in _split(raw, "="):
            if not mark:
                if text.strip():
                    return self.problem(line, _unmarked(text))
                continue
            weight, text = _weight(text)
            if weight is not None and weight != 100:
                return self.problem(
                    line,
                    Message(
                        "partial credit (%{weight}%) on a short answer is not "
                        "supported: the hub accepts an answer fully or not at all",
                        weight=numeral(weight),
                    ),
                )
            value, note = _answer_and_feedback(text)
            answers.append(self.clean(value, fmt, line))
            feedback = feedback or (self.clean(note, fmt, line) if note else None)
        if not answers or not all(answers):
            return self.problem(line, Message("a short answer is empty: write =answer"))
        draft.type, draft.answers = "short_text", answers
        draft.explanation = draft.explanation or feedback
        self.drafts.add(draft)

    def choice(self, draft: Draft, raw: str, line: int, fmt: str) -> None:
        options: list[tuple[str, float, str | None]] = []
        for mark, text in _split(raw, "~="):
            if not mark:
                if text.strip():
                    return self.problem(line, _unmarked(text))
                continue
            weight, text = _weight(text)
            if weight is None:
                weight = 100.0 if mark == "=" else 0.0
            value, note = _answer_and_feedback(text)
            options.append((self.clean(value, fmt, line), weight, self.clean(note, fmt, line) if note else None))
        if any(not text for text, _, _ in options):
            return self.problem(line, Message("an answer is empty: write text after = or ~"))
        if len(options) < 2:
            return self.problem(line, Message("a choice question needs at least two answers"))
        right = [w for _, w, _ in options if w > 0]
        if not right:
            return self.problem(
                line, Message("no answer is right: mark one with = (or give right answers a weight like ~%50%)")
            )
        if right == [100.0]:
            draft.type = "single"
        elif 100.0 in right:
            return self.problem(
                line,
                Message(
                    "partial credit beside a full answer is not supported: mark one answer = and "
                    "the others ~, or give every right answer a weight like ~%50%"
                ),
            )
        elif abs(sum(right) - 100) > 0.01:
            return self.problem(
                line,
                Message("the weights of the right answers add up to {total}%, not 100%", total=numeral(sum(right))),
            )
        else:
            draft.type = "multiple"
        draft.options = [(text, w > 0) for text, w, _ in options]
        draft.explanation = draft.explanation or next((n for _, w, n in options if w > 0 and n), None)
        self.drafts.add(draft)

    def numeric(self, draft: Draft, raw: str, line: int) -> None:
        parts = _split(raw, "=")
        if len([m for m, _ in parts if m]) > 1:
            return self.problem(
                line,
                Message(
                    "a numeric question with several answers is not supported: keep one answer "
                    "and a tolerance (#3.14:0.01) or a range (#1..5)"
                ),
            )
        text = "".join(t for _, t in parts)
        value, note = _answer_and_feedback(text)
        value = value.strip()
        if value.startswith("%100%"):
            value = value[5:]
        if (m := _RANGE.match(value)) is not None:
            low, high = float(m.group(1)), float(m.group(2))
            if low > high:
                bounds = f"{m.group(1)}..{m.group(2)}"
                return self.problem(
                    line, Message("the range {bounds} runs backwards: write the lower bound first", bounds=bounds)
                )
            draft.answer, draft.tolerance = (low + high) / 2, (high - low) / 2
        elif (m := _NUMERIC.match(value)) is not None:
            draft.answer, draft.tolerance = float(m.group(1)), float(m.group(2) or 0)
            if draft.tolerance < 0:
                return self.problem(line, Message("the tolerance {tolerance} is negative", tolerance=m.group(2)))
        else:
            return self.problem(
                line,
                Message("'{value}' is not a number, a number:tolerance or a range low..high", value=unescape(value)),
            )
        draft.type = "numeric"
        draft.explanation = draft.explanation or (self.clean(note, "markdown", line) if note else None)
        self.drafts.add(draft)


def _general_feedback(raw: str) -> int:
    i = 0
    while i < len(raw):
        if raw[i] == "\\":
            i += 2
            continue
        if raw.startswith("####", i):
            return i
        i += 1
    return -1


def _weight(text: str) -> tuple[float | None, str]:
    m = _WEIGHT.match(text.strip())
    return (float(m.group(1)), text.strip()[m.end() :]) if m else (None, text)


def _answer_and_feedback(text: str) -> tuple[str, str | None]:
    parts = _split(text, "#")
    return parts[0][1], ("#".join(t for _, t in parts[1:]) if len(parts) > 1 else None)


def read_gift(text: str, name: str, domain: str | None = None) -> DraftSet:
    """Every question of a GIFT file as a draft item, and every problem found (`domain`: before any $CATEGORY)."""
    return _Reader(name, domain).read(text.lstrip("\ufeff"))


def _option_weights(item: MultipleItem, scoring: str) -> tuple[str, str]:
    right = sum(o.correct for o in item.options)
    wrong = len(item.options) - right
    plus = f"%{numeral(round(100 / right, 5))}%"
    # all_or_nothing: one wrong pick loses the item; partial: each wrong pick costs what a right one earns.
    minus = "%-100%" if scoring == "all_or_nothing" or not wrong else f"%-{numeral(round(100 / right, 5))}%"
    return plus, minus


def _answer_block(item: BankItem, scoring: str) -> list[str]:
    if isinstance(item, SingleItem):
        return [f"{'=' if o.correct else '~'}{escape(o.text.en)}" for o in item.options]
    if isinstance(item, MultipleItem):
        plus, minus = _option_weights(item, scoring)
        return [f"~{plus if o.correct else minus}{escape(o.text.en)}" for o in item.options]
    if isinstance(item, TrueFalseItem):
        return ["TRUE" if item.answer else "FALSE"]
    if isinstance(item, ShortTextItem):
        return [f"={escape(a)}" for a in item.answers]
    return [f"#{numeral(item.answer)}:{numeral(item.tolerance)}"]


def write_gift(exam: Exam, title: str) -> str:
    """The bank as GIFT (English text), one $CATEGORY per domain, item ids as titles: it reads back the same."""
    out = [f"// {escape(title)}: exam bank exported by Partner Hub. Secret: it holds the answer key.", ""]
    for entry in exam.blueprint:
        out += [f"$CATEGORY: {entry.domain}", ""]
        for item in (it for it in exam.items if it.domain == entry.domain):
            out.append(f"::{item.id}:: [markdown]{escape(item.prompt.en)} {{")
            out += [f"\t{line}" for line in _answer_block(item, exam.multiple_choice_scoring)]
            out += [f"\t####{escape(item.explanation.en)}", "}", ""]
    return "\n".join(out)


def _unmarked(text: str) -> Message:
    return Message("answer '{answer}' has no = or ~ in front of it", answer=unescape(text.strip()))
