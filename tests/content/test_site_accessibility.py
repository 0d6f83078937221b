"""What the Lighthouse audit (`make audit`) found and the theme overrides fixed, guarded on the real build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

AUDITED_PAGES = ["", "courses/", "courses/qs-fundamentals/01-platform-tour/"]
SEARCH_NAMES = {"": "Search", "zh/": "查找"}


def _html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", SEARCH_NAMES)
@pytest.mark.parametrize("page", AUDITED_PAGES)
def test_search_dialog_has_an_accessible_name_in_the_page_language(built_site: Path, prefix: str, page: str):
    html = _html(built_site, prefix + page)
    assert f'role="dialog" aria-label="{SEARCH_NAMES[prefix]}"' in html


@pytest.mark.parametrize("prefix", SEARCH_NAMES)
@pytest.mark.parametrize("page", AUDITED_PAGES)
def test_head_has_no_hreflang_links_that_make_material_fetch_a_missing_sitemap(
    built_site: Path, prefix: str, page: str
):
    html = _html(built_site, prefix + page)
    head = html.split("</head>", 1)[0]
    assert not re.search(r'<link rel="alternate"[^>]*hreflang', head)
    # The language switch stays: the header still links the page to its translation.
    assert re.search(r'<a href="[^"]*" hreflang="zh" class="md-select__link"', html)


def test_sitemap_carries_the_hreflang_alternates_instead(built_site: Path):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert '<xhtml:link rel="alternate" hreflang="zh" href="http' in sitemap


def test_every_page_has_its_own_meta_description(built_site: Path, repo_root: Path):
    """Lighthouse's meta-description passes on the site-wide fallback too; search results need the page's own."""
    config = (repo_root / "mkdocs.yml").read_text(encoding="utf-8")
    fallbacks = set(re.findall(r"^\s*site_description: (.+)$", config, flags=re.MULTILINE))
    pages = sorted(built_site.rglob("index.html"))
    descriptions = {
        p: re.search(r'<meta name="description" content="([^"]*)">', p.read_text(encoding="utf-8")) for p in pages
    }
    generic = [str(p.relative_to(built_site)) for p, m in descriptions.items() if not m or m[1] in fallbacks]
    assert len(pages) > 10
    assert generic == []
