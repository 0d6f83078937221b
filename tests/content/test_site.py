"""The real site: builds strictly, publishes every course and lesson, and never leaks an answer key."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from hub_app.catalog import load_catalog
from hub_app.catalog.models import MultipleItem, SingleItem

pytestmark = pytest.mark.slow


def _visible_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        raw = json.dumps(json.loads(raw), ensure_ascii=False)
        raw = raw.replace("\\n", " ").replace('\\"', '"')
    raw = re.sub(r"<[^>]+>", " ", raw)
    return re.sub(r"\s+", " ", html.unescape(raw))


def _needle(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[`*_]", "", text)).strip()


def _secrets(repo_root: Path) -> list[tuple[str, list[str]]]:
    """(where, texts) for every item: its prompt, its explanation, and its options taken together.

    A correct option alone is often a plain fact the lessons teach ("Development, Staging and Production
    environments"), so it may appear on the site; what must never appear is the item itself: its prompt,
    its explanation, or its options side by side."""
    catalog = load_catalog(repo_root)
    found = []
    for course in catalog.courses.values():
        for item in course.exam.items if course.exam else []:
            where = f"{course.id}/{item.id}"
            for lang in ("en", "zh"):
                found += [
                    (f"{where} prompt", [_needle(item.prompt.get(lang))]),
                    (f"{where} explanation", [_needle(item.explanation.get(lang))]),
                ]
                if isinstance(item, SingleItem | MultipleItem):
                    found.append((f"{where} options", [" ".join(_needle(o.text.get(lang)) for o in item.options)]))
    return found


def test_site_has_every_course_and_lesson_in_both_languages(built_site, repo_root):
    catalog = load_catalog(repo_root)
    for course in catalog.courses.values():
        for prefix in ("", "zh/"):
            assert (built_site / f"{prefix}courses/{course.id}/index.html").is_file()
            for lesson in course.lessons:
                assert (built_site / f"{prefix}courses/{course.id}/{lesson.slug}/index.html").is_file()


def test_course_page_links_to_its_exam_in_the_app(built_site, repo_root):
    catalog = load_catalog(repo_root)
    page = (built_site / "courses/qs-fundamentals/index.html").read_text(encoding="utf-8")
    assert f'href="{catalog.program.program.app_url}/exam?course=qs-fundamentals"' in page


def test_tier_and_points_tables_come_from_program_yml(built_site, repo_root):
    program = load_catalog(repo_root).program
    tiers_page = _visible_text(built_site / "program/tiers/index.html")
    for tier in program.tiers:
        assert tier.name.en in tiers_page
        assert f"{tier.benefits.discount_pct:g} %" in tiers_page
    points_page = _visible_text(built_site / "program/incentives/index.html")
    for rule in program.points.rules:
        assert f"{rule.name.en} {rule.points}" in points_page
    zh_tiers = _visible_text(built_site / "zh/program/tiers/index.html")
    assert all(tier.name.zh in zh_tiers for tier in program.tiers)


def test_no_answer_key_reaches_the_site(built_site, repo_root):
    secrets = _secrets(repo_root)
    assert len(secrets) > 100, "the exam banks should hold many items"
    leaks = []
    files = [
        p
        for p in built_site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".xml", ".js", ".txt", ".csv", ".yml", ".yaml", ".md"}
    ]
    assert not [p for p in built_site.rglob("exam.yml")], "an exam bank was copied into the site"
    for path in files:
        text = _visible_text(path)
        assert "correct: true" not in text and '"correct": true' not in text, path
        leaks += [
            f"{where} in {path.relative_to(built_site)}"
            for where, needles in secrets
            if all(needle in text for needle in needles)
        ]
    assert leaks == []


def test_no_external_fonts_or_cdns(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "cdn.jsdelivr.net" not in text, page
