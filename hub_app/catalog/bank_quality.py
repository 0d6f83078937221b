"""Bank-quality warnings: what a test-wise candidate could exploit, and how much of a bank one person sees.

`partnerhub check` prints these after the content is valid; they never fail the check. Practice exams are
left out: they show their answers anyway. Four warnings, each as `path:line: key: message`:

- the correct option is the longest (or the shortest) option in more than LONGEST_SHARE of a bank's
  single-choice items (a candidate who always picks the longest, or the shortest, would beat chance);
- an option shares a run of COPY_WORDS words (English) or COPY_CHARS tokens (Chinese: a character or a Latin
  word) with any lesson, case, spaces, punctuation and Markdown aside (a copied sentence is recognised, not
  understood);
- a domain's bank holds fewer than BANK_FACTOR times what the blueprint draws from it;
- exposure above EXPOSURE_LIMIT. The hub draws unseen items first, so a person who uses all
  `max_attempts` attempts of the window sees, of each domain, min(bank, max_attempts x draw) items;
  exposure = sum over domains of min(bank_d, max_attempts x draw_d) / sum of bank_d.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hub_app.catalog.catalog import Catalog, Course
from hub_app.catalog.models import LANGS, Exam, MultipleItem, SingleItem
from hub_app.catalog.source import YamlSource
from hub_app.kernel.problems import ContentProblem

LONGEST_SHARE = 0.40
LONGEST_MIN_ITEMS = 5  # below this many single-choice items the share says nothing
COPY_WORDS = 6
COPY_CHARS = 12
BANK_FACTOR = 3
EXPOSURE_LIMIT = 0.80

_WORD = re.compile(r"[a-z0-9]+(?:['.-][a-z0-9]+)*")
_ZH_TOKEN = re.compile(r"[\u3400-\u9fff]|[a-z0-9]+")  # each Chinese character, or a Latin word, is one token


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _chars(text: str) -> list[str]:
    return _ZH_TOKEN.findall(text.lower())


@dataclass
class LessonText:
    """Every run of COPY_WORDS words (en) and COPY_CHARS tokens (zh) the lessons contain, with its lesson."""

    runs: dict[str, dict[tuple[str, ...] | str, str]]

    @classmethod
    def of(cls, catalog: Catalog) -> LessonText:
        runs: dict[str, dict[tuple[str, ...] | str, str]] = {"en": {}, "zh": {}}
        for course in catalog.courses.values():
            for lesson in course.lessons:
                for lang, path in (("en", lesson.path), ("zh", lesson.zh_path)):
                    if path is not None:
                        shown = _shown(path, catalog.root)
                        for run in _runs(lang, path.read_text(encoding="utf-8")):
                            runs[lang].setdefault(run, shown)
        return cls(runs)

    def copied(self, lang: str, text: str) -> tuple[str, str] | None:
        """(the shared run, the lesson it is in), or None when `text` copies no lesson."""
        for run in _runs(lang, text):
            if run in self.runs[lang]:
                return (" ".join(run) if isinstance(run, tuple) else run), self.runs[lang][run]
        return None


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _runs(lang: str, text: str) -> list[tuple[str, ...] | str]:
    if lang == "en":
        words = _words(text)
        return [tuple(words[i : i + COPY_WORDS]) for i in range(len(words) - COPY_WORDS + 1)]
    chars = _chars(text)
    return ["".join(chars[i : i + COPY_CHARS]) for i in range(len(chars) - COPY_CHARS + 1)]


def bank_warnings(catalog: Catalog) -> list[ContentProblem]:
    """Every bank-quality warning of every certifying (non-practice) exam, sorted by file and line."""
    lessons = LessonText.of(catalog)
    out: list[ContentProblem] = []
    for course in catalog.courses.values():
        if course.exam is not None and course.exam_source is not None and not course.exam.practice:
            out += exam_warnings(course, lessons)
    return sorted(out)


def exam_warnings(course: Course, lessons: LessonText) -> list[ContentProblem]:
    """The warnings of one course's exam."""
    exam, source = course.exam, course.exam_source
    assert exam is not None and source is not None
    return _longest(exam, source) + _copies(exam, source, lessons) + _bank_size(exam, source) + _exposure(exam, source)


def _longest(exam: Exam, source: YamlSource) -> list[ContentProblem]:
    singles = [it for it in exam.items if isinstance(it, SingleItem)]
    out = []
    for lang in LANGS:
        written = [it for it in singles if all(lang == "en" or o.text.zh for o in it.options)]
        if len(written) < LONGEST_MIN_ITEMS:
            continue
        for tell, picked in (("longest", _correct_is_longest), ("shortest", _correct_is_shortest)):
            ids = [it.id for it in written if picked(it, lang)]
            share = len(ids) / len(written)
            if share > LONGEST_SHARE:
                fix = "lengthen a distractor or shorten the answer" if tell == "longest" else "shorten a distractor"
                out.append(
                    source.problem(
                        ("items",),
                        f"the correct option is the {tell} ({lang}) in {len(ids)} of {len(written)} single-choice "
                        f"items ({share:.0%}, more than {LONGEST_SHARE:.0%}): {', '.join(ids)}; {fix}",
                    )
                )
    return out


def _lengths(item: SingleItem, lang: str) -> tuple[int, list[int]]:
    right = next(len(o.text.get(lang)) for o in item.options if o.correct)
    return right, [len(o.text.get(lang)) for o in item.options if not o.correct]


def _correct_is_longest(item: SingleItem, lang: str) -> bool:
    right, wrong = _lengths(item, lang)
    return all(right > w for w in wrong)


def _correct_is_shortest(item: SingleItem, lang: str) -> bool:
    right, wrong = _lengths(item, lang)
    return all(right < w for w in wrong)


def _copies(exam: Exam, source: YamlSource, lessons: LessonText) -> list[ContentProblem]:
    out = []
    for i, item in enumerate(exam.items):
        if not isinstance(item, SingleItem | MultipleItem):
            continue
        for j, option in enumerate(item.options):
            for lang in LANGS:
                text = option.text.en if lang == "en" else option.text.zh
                found = lessons.copied(lang, text) if text else None
                if found:
                    run, lesson = found
                    out.append(
                        source.problem(
                            ("items", i, "options", j, "text", lang),
                            f"item '{item.id}': the option copies {lesson} (\"{run}\"); paraphrase it",
                        )
                    )
    return out


def _bank_size(exam: Exam, source: YamlSource) -> list[ContentProblem]:
    out = []
    for i, entry in enumerate(exam.blueprint):
        held = sum(it.domain == entry.domain for it in exam.items)
        if entry.draw <= held < BANK_FACTOR * entry.draw:
            out.append(
                source.problem(
                    ("blueprint", i, "draw"),
                    f"domain '{entry.domain}' draws {entry.draw} items from a bank of {held}; "
                    f"hold at least {BANK_FACTOR * entry.draw} ({BANK_FACTOR} x draw) so that forms differ",
                )
            )
    return out


def exposure(exam: Exam) -> float:
    """The share of the bank one person sees after all allowed attempts (unseen items are drawn first)."""
    tries = exam.attempts.max_attempts
    held = {b.domain: sum(it.domain == b.domain for it in exam.items) for b in exam.blueprint}
    seen = sum(min(held[b.domain], tries * b.draw) for b in exam.blueprint)
    return seen / sum(held.values()) if sum(held.values()) else 0.0


def _exposure(exam: Exam, source: YamlSource) -> list[ContentProblem]:
    share = exposure(exam)
    if share <= EXPOSURE_LIMIT:
        return []
    tries = exam.attempts.max_attempts
    return [
        source.problem(
            ("attempts", "max_attempts"),
            f"a candidate who uses all {tries} attempts sees {share:.0%} of the bank "
            f"(per domain min(bank, {tries} x draw) / bank; more than {EXPOSURE_LIMIT:.0%}); "
            "grow the banks or allow fewer attempts per window",
        )
    ]
