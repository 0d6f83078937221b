"""The program's legal texts (content/legal/): the partner agreement, the program terms, the code of conduct.

Each is a Markdown page of the site, in English and Chinese, whose front matter carries its ``version`` and
``effective`` date: the hub records the version a person accepted, and asks again when a newer one is
published. Both languages of a document must carry the same version (a translation is the same text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from hub_app.kernel.problems import ContentError, ContentProblem

AGREEMENT, TERMS, CONDUCT = "partner-agreement", "program-terms", "code-of-conduct"
DOCUMENTS = (AGREEMENT, TERMS, CONDUCT)
FOLDER = Path("content") / "legal"


@dataclass(frozen=True)
class LegalText:
    """One legal document: its id, version, the day it takes effect, its title and body per language."""

    id: str
    version: str
    effective: dt.date
    title: dict[str, str]
    body: dict[str, str]

    def site_path(self) -> str:
        """Its page on the site, relative to the site's root (the Chinese one is under zh/)."""
        return f"legal/{self.id}/"


def _front_matter(path: Path, problems: list[ContentProblem]) -> tuple[dict[str, object], str]:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.removeprefix("---\n").partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        problems.append(ContentProblem(str(path), 1, "front matter", "missing (start the file with --- lines)"))
        return {}, text
    data = yaml.safe_load(head)
    return (data if isinstance(data, dict) else {}), body


def _read(root: Path, doc_id: str, problems: list[ContentProblem]) -> LegalText | None:
    titles, bodies, versions, days = {}, {}, {}, {}
    for lang, suffix in (("en", ".md"), ("zh", ".zh.md")):
        path = root / FOLDER / f"{doc_id}{suffix}"
        shown = str(FOLDER / path.name)
        if not path.exists():
            problems.append(ContentProblem(shown, 1, "file", "missing: every legal text is published in en and zh"))
            continue
        meta, body = _front_matter(path, problems)
        for key in ("version", "effective", "title"):
            if key not in meta:
                problems.append(ContentProblem(shown, 1, key, "required field is missing"))
        if not isinstance(meta.get("effective", dt.date.min), dt.date):
            problems.append(ContentProblem(shown, 1, "effective", "write the day like 2026-10-01"))
        versions[lang], days[lang] = str(meta.get("version", "")), meta.get("effective")
        titles[lang], bodies[lang] = str(meta.get("title", "")), body.strip()
    if len(versions) == 2 and (versions["en"] != versions["zh"] or days["en"] != days["zh"]):
        zh = str(FOLDER / f"{doc_id}.zh.md")
        problems.append(ContentProblem(zh, 1, "version", f"must match the English text's ({versions['en']})"))
    if problems or "en" not in versions:
        return None
    effective = days["en"]
    assert isinstance(effective, dt.date)
    return LegalText(doc_id, versions["en"], effective, titles, bodies)


def load_legal(root: Path) -> dict[str, LegalText]:
    """The three legal texts by id; `ContentError` listing every problem when one is missing or malformed."""
    problems: list[ContentProblem] = []
    found = {doc_id: _read(root, doc_id, problems) for doc_id in DOCUMENTS}
    if problems:
        raise ContentError(problems)
    return {doc_id: text for doc_id, text in found.items() if text is not None}
