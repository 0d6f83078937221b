"""A partner reads the site in a real browser: catalog -> lesson, search in English and Chinese, language switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _search(page: Page, query: str) -> None:
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(query, delay=40)


def test_partner_reaches_a_lesson_from_the_catalog(page: Page, site_url: str, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/courses/")
    expect(page.get_by_role("heading", name="Courses and certifications", level=1)).to_be_visible()
    page.get_by_role("link", name="Quillstack Product Fundamentals").first.click()
    expect(page.get_by_role("link", name="Take the certification exam")).to_be_visible()
    page.get_by_role("article").get_by_role("link").filter(has_text=re.compile("tour", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/courses/qs-fundamentals/01-[^/]+/$"))
    page.screenshot(path=str(artifacts_dir / "site-lesson-desktop.png"), full_page=False)


@pytest.mark.parametrize(("query", "lang"), [("Bottleneck Finder", "en"), ("QuickStart", "en"), ("流程引擎", "zh")])
def test_search_lists_only_pages_of_the_readers_language(page: Page, site_url: str, query: str, lang: str):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/zh/" if lang == "zh" else f"{site_url}/")
    _search(page, query)
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible(timeout=15_000)
    hrefs = results.evaluate_all("els => els.map(e => e.href)")
    assert all(("/zh/" in h) == (lang == "zh") for h in hrefs), hrefs


def test_language_switch_opens_the_chinese_page(page: Page, site_url: str, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/program/tiers/")
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(re.compile(r"/zh/program/tiers/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("级别")
    page.screenshot(path=str(artifacts_dir / "site-tiers-zh-desktop.png"), full_page=True)


def test_site_is_readable_on_a_phone(page: Page, site_url: str, artifacts_dir):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site_url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px wide)"
    page.screenshot(path=str(artifacts_dir / "site-home-phone.png"), full_page=True)
    page.goto(f"{site_url}/courses/qs-fundamentals/")
    page.screenshot(path=str(artifacts_dir / "site-course-phone.png"), full_page=True)


def test_search_index_waits_for_the_reader_not_the_first_paint(page: Page, site_url: str):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/zh/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_timeout(1000)
    assert not [url for url in requested if url.endswith("search/search_index.json")]
    with page.expect_response(lambda response: response.url.endswith("search/search_index.json")):
        page.keyboard.press("/")
