"""The site's news page is generated from content/announcements/ in both languages, pinned first, with
whom each announcement is for; the announcement files themselves are not pages of the site."""

from __future__ import annotations

from pathlib import Path

from hub_app.catalog import load_catalog
from hub_app.catalog.announcements import load_announcements
from hub_app.publishing.news import news_pages

ROOT = Path(__file__).resolve().parents[2]


def _pages() -> dict[str, str]:
    catalog = load_catalog(ROOT)
    return news_pages(catalog, load_announcements(ROOT, catalog.program))


def test_the_news_page_lists_every_announcement_pinned_first_in_english_and_chinese():
    pages = _pages()
    assert sorted(pages) == ["news.md", "news.zh.md"]
    english = [line for line in pages["news.md"].splitlines() if line.startswith("## ")]
    assert english == [
        "## Quillstack Flow 4.0 is generally available { #2026-11-flow-4 }",
        "## Market development funds for the first half of 2027 { #2026-11-mdf-2027-h1 }",
        "## APAC partner summit in Singapore, 19 January 2027 { #2026-10-apac-summit }",
        "## Higher API limits for ISV and technology partners { #2026-09-api-limits }",
    ]
    assert "## Quillstack Flow 4.0 正式发布 { #2026-11-flow-4 }" in pages["news.zh.md"]


def test_each_entry_says_whom_it_is_for_in_the_readers_language():
    pages = _pages()
    assert "Nov 10, 2026 · For: Gold, Platinum · Until: Jan 15, 2027" in pages["news.md"]
    assert "2026年11月10日 · 面向：金牌、白金 · 有效期至：2027年1月15日" in pages["news.zh.md"]
    assert "**Pinned** · Nov 18, 2026 · For: every partner · Until: Feb 28, 2027" in pages["news.md"]
