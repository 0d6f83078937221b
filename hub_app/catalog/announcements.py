"""Announcements: Markdown files in content/announcements/ with front matter (date, audience, pinned,
expires), in English (``<slug>.md``) and Chinese (``<slug>.zh.md``), read into `Announcement`s. Who sees
which and the read receipts are hub_app.community.announcements; the site's news page is publishing.news.

```markdown
---
date: 2026-11-20
audience: {types: [si, var], tiers: [gold, platinum], regions: [APAC], roles: [sales]}
pinned: true
expires: 2027-01-31
---
# Flow 4.0 is here
...
```
Every problem of every file is reported at once, as `path:line: key: message`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import Field, ValidationError

from hub_app.catalog.models import Model, Program
from hub_app.kernel.problems import ContentError, ContentProblem

FOLDER = Path("content") / "announcements"
Ids = list[Annotated[str, Field(min_length=1)]]


@dataclass(frozen=True)
class Audience:
    """Who something is for: partner types, tiers, regions and roles (an empty tuple: everyone)."""

    types: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


class AudienceMatter(Model):
    types: Ids = []
    tiers: Ids = []
    regions: Ids = []
    roles: Ids = []


class FrontMatter(Model):
    date: dt.date
    audience: AudienceMatter = AudienceMatter()
    pinned: bool = False
    expires: dt.date | None = None


@dataclass(frozen=True)
class Announcement:
    """One piece of vendor news: its slug, front matter, and title and Markdown body per language."""

    id: str
    date: dt.date
    audience: Audience
    pinned: bool
    expires: dt.date | None
    titles: dict[str, str]
    bodies: dict[str, str]

    def title(self, lang: str) -> str:
        """The title in ``lang`` (English when there is no translation)."""
        return self.titles.get(lang) or self.titles["en"]

    def body(self, lang: str) -> str:
        """The Markdown body in ``lang`` (English when there is no translation)."""
        return self.bodies.get(lang) or self.bodies["en"]


def _split(text: str) -> tuple[str, str, int]:
    """Front matter, body and the body's first line number; no front matter gives ("", text, 1)."""
    if not text.startswith("---\n"):
        return "", text, 1
    end = text.find("\n---\n", 4)
    if end < 0:
        return "", text, 1
    matter = text[4:end]
    return matter, text[end + 5 :], matter.count("\n") + 3


def _title(body: str) -> tuple[str, str]:
    lines = body.strip().splitlines()
    if lines and lines[0].startswith("# "):
        return lines[0][2:].strip(), "\n".join(lines[1:]).strip()
    return "", body.strip()


def _read(path: Path, rel: str, problems: list[ContentProblem]) -> tuple[FrontMatter | None, str, str]:
    text = path.read_text(encoding="utf-8")
    matter, body, body_line = _split(text)
    title, rest = _title(body)
    if not title:
        problems.append(ContentProblem(rel, body_line, "title", "start the text with a '# ' heading (the title)"))
    if not matter:
        problems.append(ContentProblem(rel, 1, "front matter", "add front matter between '---' lines (date: ...)"))
        return None, title, rest
    try:
        data = yaml.safe_load(matter) or {}
        return FrontMatter.model_validate(data), title, rest
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", 0) + 2
        problems.append(ContentProblem(rel, line, "front matter", f"not YAML: {getattr(e, 'problem', e)}"))
    except ValidationError as e:
        for error in e.errors():
            key = ".".join(str(p) for p in error["loc"]) or "front matter"
            problems.append(ContentProblem(rel, _line_of(matter, str(error["loc"][0])), key, error["msg"]))
    return None, title, rest


def _line_of(matter: str, key: str) -> int:
    for number, line in enumerate(matter.splitlines(), start=2):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _audience_problems(matter: FrontMatter, rel: str, program: Program) -> list[ContentProblem]:
    known = {"types": {p.id for p in program.partner_types}, "tiers": {t.id for t in program.tiers}}
    problems = []
    for group, ids in known.items():
        for i, value in enumerate(getattr(matter.audience, group)):
            if value not in ids:
                what = "partner type" if group == "types" else "tier"
                message = f"unknown {what} '{value}' (one of: {', '.join(sorted(ids))})"
                problems.append(ContentProblem(rel, 1, f"audience.{group}[{i}]", message))
    return problems


def load_announcements(root: Path, program: Program) -> list[Announcement]:
    """Every announcement under ``root``/content/announcements, newest first; ContentError lists all problems."""
    folder = root / FOLDER
    problems: list[ContentProblem] = []
    found: list[Announcement] = []
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        if path.name.endswith(".zh.md"):
            continue
        rel = path.relative_to(root).as_posix()
        matter, title, body = _read(path, rel, problems)
        titles, bodies = {"en": title}, {"en": body}
        zh = path.with_name(f"{path.stem}.zh.md")
        if zh.is_file():
            _, titles["zh"], bodies["zh"] = _read(zh, zh.relative_to(root).as_posix(), problems)
        if matter is None:
            continue
        problems += _audience_problems(matter, rel, program)
        aud = matter.audience
        audience = Audience(tuple(aud.types), tuple(aud.tiers), tuple(aud.regions), tuple(aud.roles))
        found.append(Announcement(path.stem, matter.date, audience, matter.pinned, matter.expires, titles, bodies))
    if problems:
        raise ContentError(problems)
    return sorted(found, key=lambda a: (a.date, a.id), reverse=True)


def current(announcements: list[Announcement], today: date) -> list[Announcement]:
    """The announcements published by ``today`` and not expired, pinned first, then newest first."""
    live = [a for a in announcements if a.date <= today and (a.expires is None or today <= a.expires)]
    return sorted(live, key=lambda a: (a.pinned, a.date), reverse=True)
