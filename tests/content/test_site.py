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


def _index(built_site: Path, rel: str) -> list[dict]:
    return json.loads((built_site / rel).read_text(encoding="utf-8"))["docs"]


def _partner_pages(built_site: Path) -> set[str]:
    manifest = json.loads((built_site / ".hub/audiences.json").read_text(encoding="utf-8"))["partners"]
    return {p for p in manifest if p.endswith("/")}


def test_partner_pages_stay_out_of_the_public_search_indexes_and_the_sitemap(built_site):
    partner = _partner_pages(built_site)
    assert {"sales-kits/flow/", "zh/sales-kits/flow/", "courses/qs-fundamentals/01-platform-tour/"} <= partner
    for rel in ("search/search_index.json", "zh/search/search_index.json"):
        locations = {d["location"].split("#")[0] for d in _index(built_site, rel)}
        assert locations and not locations & partner, rel
    public_text = json.dumps(_index(built_site, "search/search_index.json"), ensure_ascii=False)
    assert "QS-FLOW-TEAM" not in public_text and "Conduit" not in public_text
    partner_locations = {d["location"] for d in _index(built_site, "search/partners/search_index.json")}
    assert "sales-kits/flow/" in partner_locations
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/program/tiers/</loc>" in sitemap and "/sales-kits/flow/</loc>" not in sitemap
    assert "/01-platform-tour/</loc>" not in sitemap
    assert "sales-kits/flow/price-list.csv" in json.loads((built_site / ".hub/audiences.json").read_text())["partners"]


def test_english_search_never_lists_chinese_pages_and_chinese_search_only_chinese(built_site):
    for rel, zh in [
        ("search/search_index.json", False),
        ("search/partners/search_index.json", False),
        ("zh/search/search_index.json", True),
        ("zh/search/partners/search_index.json", True),
    ]:
        assert {d["location"].startswith("zh/") for d in _index(built_site, rel)} == {zh}, rel


def test_a_chinese_synonym_finds_the_page_it_means(built_site):
    entries = {d["location"]: d["text"] for d in _index(built_site, "zh/search/search_index.json")}
    assert "交易\u200b注册" in entries["zh/program/rules-of-engagement/"]
    assert "等级" in entries["zh/program/tiers/"]


def test_partner_pages_carry_noindex_and_the_internal_banner_and_public_pages_do_not(built_site):
    kit = (built_site / "sales-kits/flow/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in kit
    assert '<div class="hub-internal" role="note"><strong>Internal</strong> · For Quillstack partners only' in kit
    zh_kit = (built_site / "zh/sales-kits/flow/index.html").read_text(encoding="utf-8")
    assert "<strong>内部资料</strong> · 仅供 Quillstack 合作伙伴使用" in zh_kit
    tiers = (built_site / "program/tiers/index.html").read_text(encoding="utf-8")
    assert "noindex" not in tiers and "hub-internal" not in tiers


def test_each_language_has_its_own_404_in_its_own_words(built_site):
    root, zh = (built_site / "404.html").read_text(encoding="utf-8"), (built_site / "zh/404.html").read_text("utf-8")
    assert '<html lang="en"' in root and "<h1>404 · Page not found</h1>" in root
    assert '<html lang="zh"' in zh and "<h1>404 · 找不到页面</h1>" in zh
    assert "QS-FLOW-TEAM" not in root + zh


def test_chinese_pages_have_the_theme_strings_in_chinese(built_site):
    page = (built_site / "zh/program/tiers/index.html").read_text(encoding="utf-8")
    for english in ("Link to this section", "Switch to dark mode", "Made with", 'alt="logo"'):
        assert english not in page, english
    assert 'title="链接到本节"' in page and "Quillstack 合作伙伴计划 — 基于 Partner Hub 构建" in page


def test_every_page_offers_apply_sign_in_register_a_deal_and_contact(built_site, repo_root):
    app_url = load_catalog(repo_root).program.program.app_url
    page = (built_site / "program/index.html").read_text(encoding="utf-8")
    for label, href in [
        ("Apply", f"{app_url}/apply"),
        ("Sign in", f"{app_url}/"),
        ("Register a deal", f"{app_url}/deals"),
        ("Contact", "/contact/"),
    ]:
        assert f'<a href="{href}">{label}</a>' in page, label
    zh = (built_site / "zh/program/index.html").read_text(encoding="utf-8")
    assert '<a href="/zh/contact/">联系我们</a>' in zh and f'<a href="{app_url}/deals">报备商机</a>' in zh


def test_code_lines_carry_no_empty_links(built_site):
    lesson = (built_site / "courses/qs-integration/03-connector-sdk/index.html").read_text(encoding="utf-8")
    assert "<pre" in lesson and not re.search(r'<a[^>]*href="#__codelineno[^"]*"[^>]*></a>', lesson)


def test_site_url_comes_from_the_environment(tmp_path, repo_root):
    import os
    import subprocess
    import sys

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HUB_SITE_URL": "https://partners.example.com/"}
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert '<link rel="canonical" href="https://partners.example.com/program/tiers/">' in (
        out / "program/tiers/index.html"
    ).read_text(encoding="utf-8")
    assert "<loc>https://partners.example.com/program/</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
