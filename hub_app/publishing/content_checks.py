"""What `partnerhub check` checks in the site's content, besides the catalog: every page's audience, the zh
glossary, and translations their English source has moved on from.

- **Audience** (an error): every page under content/ declares `audience: public` or `audience: partners`.
- **Glossary** (a warning): `content/glossary.yml` names one Chinese word per English term and the variants
  to avoid; a variant in a Chinese page, lesson, course or exam file, program.yml or the app's zh catalog
  is reported where it is. Accepted-answer lists (`answers:`) and search synonyms (`synonyms:`) are left
  alone: they list exactly the words people type.
- **Stale translations** (a warning): a zh page whose English source changed after it. A zh page may record
  `source_hash` (the first 12 hex digits of the English file's SHA-256) in its front matter: then any change
  to the English file counts. Without one, the two files' last commit dates (git) decide. Either way both
  dates are reported.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from hub_app.catalog.announcements import FOLDER as ANNOUNCEMENTS
from hub_app.kernel.problems import ContentProblem
from hub_app.publishing.audiences import AUDIENCES

GLOSSARY = "content/glossary.yml"
_WORD_LISTS = re.compile(r"^\s*(-\s+)?(answers|synonyms):")
SAME_EDIT = timedelta(minutes=1)  # without a hash, an English file saved within a minute of its zh is one edit


@dataclass(frozen=True)
class Term:
    """One glossary entry: the English term, its Chinese word, and the variants to avoid."""

    en: str
    zh: str
    avoid: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class SiteReport:
    """Every problem at once: errors fail the check, warnings are shown."""

    errors: list[ContentProblem]
    warnings: list[ContentProblem]


def front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of a Markdown page ({} when it has none or it is not a mapping)."""
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---", 4)
    try:
        found = yaml.safe_load(text[4:end]) if end != -1 else None
    except yaml.YAMLError:
        return {}
    return found if isinstance(found, dict) else {}


def source_hash(path: Path) -> str:
    """The hash a zh page records of its English source: the first 12 hex digits of its SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def audience_problems(root: Path) -> list[ContentProblem]:
    """Pages under content/ without a valid `audience` (announcements are not pages: their `audience` says
    whom the app shows them to, and the site publishes them on its news page)."""
    problems = []
    for page in sorted((root / "content").rglob("*.md")):
        if page.is_relative_to(root / ANNOUNCEMENTS):
            continue
        value = front_matter(page.read_text(encoding="utf-8")).get("audience")
        rel = page.relative_to(root).as_posix()
        if value is None:
            problems.append(
                ContentProblem(rel, 1, "audience", "missing; write 'audience: public' or 'audience: partners'")
            )
        elif value not in AUDIENCES:
            problems.append(ContentProblem(rel, 1, "audience", f"'{value}' is not one of: {', '.join(AUDIENCES)}"))
    return problems


def load_glossary(root: Path) -> tuple[list[Term], list[ContentProblem]]:
    """The glossary's terms, and what is wrong with the file."""
    path = root / GLOSSARY
    if not path.is_file():
        return [], []
    data = yaml.compose(path.read_text(encoding="utf-8"))
    entries = data.value if data is not None and isinstance(data, yaml.MappingNode) else []
    terms_node = next((v for k, v in entries if k.value == "terms"), None)
    if not isinstance(terms_node, yaml.SequenceNode):
        return [], [ContentProblem(GLOSSARY, 1, "terms", "missing; write a list of {en, zh, avoid} entries")]
    terms, problems = [], []
    for i, node in enumerate(terms_node.value):
        raw = yaml.safe_load(yaml.serialize(node))
        line = node.start_mark.line + 1
        if not isinstance(raw, dict) or not raw.get("en") or not raw.get("zh"):
            problems.append(ContentProblem(GLOSSARY, line, f"terms[{i}]", "needs both en and zh"))
            continue
        avoid = raw.get("avoid") or []
        if not isinstance(avoid, list) or not all(isinstance(a, str) and a for a in avoid):
            problems.append(ContentProblem(GLOSSARY, line, f"terms[{i}].avoid", "must be a list of words"))
            continue
        terms.append(Term(str(raw["en"]), str(raw["zh"]), tuple(avoid), line))
    return terms, problems


def _glossary_files(root: Path) -> list[Path]:
    found = [*(root / "content").rglob("*.zh.md"), *(root / "courses").glob("*/lessons/*.zh.md")]
    found += [*(root / "courses").glob("*/course.yml"), *(root / "courses").glob("*/exam.yml")]
    found += [root / "program.yml", *(root / "hub_app/kernel/locales/zh").glob("*.po")]
    return sorted(p for p in found if p.is_file())


def glossary_problems(root: Path, terms: list[Term]) -> list[ContentProblem]:
    """Every use of a variant the glossary says to avoid, by file and line."""
    problems = []
    for path in _glossary_files(root):
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _WORD_LISTS.match(line) or (path.suffix == ".po" and not line.startswith("msgstr")):
                continue
            for term in terms:
                for variant in term.avoid:
                    if variant in line:
                        problems.append(
                            ContentProblem(
                                rel,
                                number,
                                "glossary",
                                f"'{variant}' is not the glossary's word for '{term.en}': "
                                f"write '{term.zh}' ({GLOSSARY})",
                            )
                        )
    return problems


def _changed_on(root: Path, path: Path, dirty: set[str]) -> datetime:
    rel = path.relative_to(root).as_posix()
    if rel not in dirty:
        try:
            out = subprocess.run(
                ["git", "log", "-1", "--format=%cI", "--", rel], cwd=root, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            out = ""
        if out:
            return datetime.fromisoformat(out).astimezone(UTC)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def _dirty(root: Path) -> set[str]:
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--", "content", "courses"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {line[3:].strip() for line in out.splitlines() if len(line) > 3}


def translation_pairs(root: Path) -> list[tuple[Path, Path]]:
    """(English source, zh translation) for every page and lesson that has both."""
    zh = [*(root / "content").rglob("*.zh.md"), *(root / "courses").glob("*/lessons/*.zh.md")]
    pairs = [(p.with_name(p.name[: -len(".zh.md")] + ".md"), p) for p in sorted(zh)]
    return [(en, zh_page) for en, zh_page in pairs if en.is_file()]


def stale_translations(root: Path) -> list[ContentProblem]:
    """zh pages whose English source changed after them, with both dates."""
    dirty, problems = _dirty(root), []
    for en, zh in translation_pairs(root):
        recorded = front_matter(zh.read_text(encoding="utf-8")).get("source_hash")
        current = source_hash(en)
        en_date, zh_date = _changed_on(root, en, dirty), _changed_on(root, zh, dirty)
        if recorded is not None:
            stale = str(recorded) != current
            hint = f'update it, then set source_hash: "{current}" in its front matter'
        else:
            stale = en_date - zh_date > SAME_EDIT
            hint = f'update it, and record source_hash: "{current}" in its front matter'
        if stale:
            problems.append(
                ContentProblem(
                    zh.relative_to(root).as_posix(),
                    1,
                    "translation",
                    f"its English source {en.name} changed on {en_date:%Y-%m-%d %H:%M} UTC, after the translation "
                    f"({zh_date:%Y-%m-%d %H:%M} UTC): {hint}",
                )
            )
    return problems


def check_site_content(root: Path) -> SiteReport:
    """Audience errors; glossary and stale-translation warnings."""
    terms, glossary_file = load_glossary(root)
    errors = audience_problems(root) + glossary_file
    warnings = glossary_problems(root, terms) + stale_translations(root)
    return SiteReport(errors, warnings)
