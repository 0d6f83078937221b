"""`partnerhub check` on the site's content: audiences, the zh glossary and stale translations."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from hub_app.publishing import audiences
from hub_app.publishing.content_checks import check_site_content, source_hash, stale_translations

GLOSSARY = """terms:
  - en: Bottleneck Finder
    zh: 瓶颈分析器
    avoid: [瓶颈查找器]
"""


def _write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@x"
    if when:
        env["GIT_COMMITTER_DATE"] = env["GIT_AUTHOR_DATE"] = when
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_a_page_without_an_audience_fails_the_check_with_its_path(tmp_path):
    _write(tmp_path, "content/program/tiers.md", "---\naudience: partners\n---\n# Tiers\n")
    _write(tmp_path, "content/faq.md", "# FAQ\n")
    _write(tmp_path, "content/news.md", "---\naudience: everyone\n---\n# News\n")
    report = check_site_content(tmp_path)
    assert [str(e) for e in report.errors] == [
        "content/faq.md:1: audience: missing; write 'audience: public' or 'audience: partners'",
        "content/news.md:1: audience: 'everyone' is not one of: public, partners",
    ]


def test_a_glossary_variant_is_reported_where_it_is_and_accepted_answers_are_left_alone(tmp_path):
    _write(tmp_path, "content/glossary.yml", GLOSSARY)
    _write(
        tmp_path, "content/insight.zh.md", "---\naudience: public\n---\n# Insight\n\n用瓶颈查找器找出等待最久的步骤。\n"
    )
    _write(tmp_path, "courses/c1/exam.yml", "items:\n  - answers: [Bottleneck Finder, 瓶颈查找器]\n")
    _write(tmp_path, "courses/c1/lessons/01-a.zh.md", "瓶颈分析器\n")
    warnings = [str(w) for w in check_site_content(tmp_path).warnings]
    assert warnings == [
        "content/insight.zh.md:6: glossary: '瓶颈查找器' is not the glossary's word for 'Bottleneck Finder': "
        "write '瓶颈分析器' (content/glossary.yml)"
    ]


def test_a_glossary_entry_without_its_chinese_word_is_an_error(tmp_path):
    _write(tmp_path, "content/glossary.yml", "terms:\n  - en: Approval step\n    avoid: [Approval 步骤]\n")
    assert [str(e) for e in check_site_content(tmp_path).errors] == [
        "content/glossary.yml:2: terms[0]: needs both en and zh"
    ]


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path, "init", "-q")
    _write(tmp_path, "content/tiers.md", "---\naudience: public\n---\n# Tiers\n")
    _write(tmp_path, "content/tiers.zh.md", "---\naudience: public\n---\n# 级别\n")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "both", when="2026-11-20T10:00:00+00:00")
    return tmp_path


def test_a_translation_older_than_its_english_source_is_reported_with_both_dates(repo):
    _write(repo, "content/tiers.md", "---\naudience: public\n---\n# Tiers and benefits\n")
    _git(repo, "commit", "-qam", "en only", when="2026-12-01T09:30:00+00:00")
    current = source_hash(repo / "content/tiers.md")
    assert [str(p) for p in stale_translations(repo)] == [
        "content/tiers.zh.md:1: translation: its English source tiers.md changed on 2026-12-01 09:30 UTC, "
        f'after the translation (2026-11-20 10:00 UTC): update it, and record source_hash: "{current}" in its '
        "front matter"
    ]


def test_a_translation_committed_with_its_source_is_not_stale(repo):
    assert stale_translations(repo) == []


def test_a_recorded_source_hash_decides_even_when_the_dates_do_not(repo):
    en = repo / "content/tiers.md"
    _write(repo, "content/tiers.zh.md", f'---\nsource_hash: "{source_hash(en)}"\naudience: public\n---\n# 级别\n')
    _git(repo, "commit", "-qam", "hash", when="2026-11-21T10:00:00+00:00")
    assert stale_translations(repo) == []
    _write(repo, "content/tiers.md", "---\naudience: public\n---\n# Tiers, changed\n")
    _git(repo, "commit", "-qam", "en", when="2026-11-20T12:00:00+00:00")  # an older date, rebased in
    assert len(stale_translations(repo)) == 1


def test_search_is_split_by_language_and_part_with_synonyms_on_the_page_entry():
    index = {
        "config": {"lang": ["en", "zh"], "fields": {"title": {"boost": 1000.0}, "tags": {"boost": 1000000.0}}},
        "docs": [
            {"location": "program/tiers/", "title": "Tiers", "text": "tiers"},
            {"location": "sales-kits/flow/", "title": "Flow kit", "text": "partner prices"},
            {"location": "zh/program/tiers/", "title": "级别", "text": "级别"},
            {"location": "zh/program/tiers/#grace", "title": "宽限期", "text": "宽限期"},
            {"location": "zh/sales-kits/flow/", "title": "Flow 工具包", "text": "合作伙伴价格"},
        ],
    }
    pages = {"program/tiers/": "public", "sales-kits/flow/": "partners", "zh/program/tiers/": "public"}
    split = audiences.search_indexes(index, pages, {"zh/program/tiers/": ["等级"]})
    locations = {path: [d["location"] for d in value["docs"]] for path, value in split.items()}
    assert locations == {
        "search/search_index.json": ["program/tiers/"],
        "search/partners/search_index.json": ["program/tiers/", "sales-kits/flow/"],
        "zh/search/search_index.json": ["zh/program/tiers/", "zh/program/tiers/#grace"],
        "zh/search/partners/search_index.json": [
            "zh/program/tiers/",
            "zh/program/tiers/#grace",
            "zh/sales-kits/flow/",  # no audience recorded: counted as partners, never public
        ],
    }
    assert split["zh/search/search_index.json"]["docs"][0]["text"] == "级别 等级"
    assert split["search/search_index.json"]["config"]["fields"]["tags"]["boost"] == audiences.TAG_BOOST


def test_the_sitemap_keeps_public_urls_only():
    xml = (
        "<urlset>\n<url><loc>https://p.example/program/tiers/</loc></url>\n"
        "<url><loc>https://p.example/sales-kits/flow/</loc></url>\n</urlset>"
    )
    pages = {"program/tiers/": "public", "sales-kits/flow/": "partners"}
    assert audiences.public_sitemap(xml, "https://p.example/", pages) == (
        "<urlset>\n<url><loc>https://p.example/program/tiers/</loc></url>\n</urlset>"
    )


def test_the_files_beside_a_partner_page_belong_to_the_partner_part(tmp_path):
    for rel in ("sales-kits/flow/index.html", "sales-kits/flow/price-list.csv", "program/index.html", "404.html"):
        _write(tmp_path, rel, "x")
    _write(tmp_path, "assets/logo.svg", "x")
    pages = {"sales-kits/flow/": "partners", "program/": "public", "": "public"}
    assert audiences.partner_files(tmp_path, pages) == [
        "sales-kits/flow/",
        "sales-kits/flow/index.html",
        "sales-kits/flow/price-list.csv",
        "search/partners/search_index.json",
        "zh/search/partners/search_index.json",
    ]


def test_a_hub_link_in_content_points_at_the_app():
    from hub_app.publishing.chrome import app_links

    markdown = "Register it on the [Deals page](hub:/deals), or read [the rules](rules.md)."
    assert app_links(markdown, "https://partners.example.com/hub/") == (
        "Register it on the [Deals page](https://partners.example.com/hub/deals), or read [the rules](rules.md)."
    )
