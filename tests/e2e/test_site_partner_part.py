"""The partner part of the site in a real browser: a visitor can neither read a price list nor find its
text by search; a partner who signs in through the gate lands back on the page, reads it, and finds it.

The site is served here by the real site server (`cli/site_server.py`) in front of the built site, its
gate reading the sessions of a real `streamlit run` of the app (the `hub` fixture points at it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from hub_app import store as stores
from hub_app.cli.site_server import Gate, SiteServer
from hub_app.ui.web import cookies

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PRICE_LIST = "/sales-kits/flow/"
PARTNER_WORD = "Conduit"  # the Flow battlecard's competitor: on partner pages only


@pytest.fixture(scope="module")
def gated(built_site: Path) -> Iterator[SiteServer]:
    """The site server over the built site; `partner_site` connects its gate to the app once it runs."""
    gate = Gate(built_site, lambda: stores.open_store("memory:"), "unset", "http://unset", "http://unset")
    server = SiteServer(built_site, "127.0.0.1", 0, gate).start()
    gate.site_url = f"http://127.0.0.1:{server.port}"
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site_url(gated: SiteServer) -> str:
    """This module's site: the gated one (the conftest `hub` app is told this URL as HUB_SITE_URL)."""
    return gated.gate.site_url


@pytest.fixture(scope="module")
def partner_site(gated: SiteServer, hub) -> str:
    gate = gated.gate
    gate.app_url, gate.secret = hub.url, cookies.secret_key(hub.data_dir, None)
    gate._open_store = lambda: stores.open_store(f"tinydb:{hub.data_dir / 'hub.json'}")
    return gate.site_url


def _search(page: Page, query: str) -> list[str]:
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(query, delay=40)
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(re.compile("Type to start searching|Initializing"), timeout=15_000)
    return page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.getAttribute('href'))")


def test_a_visitor_cannot_read_a_price_list_or_find_it_by_search(page: Page, partner_site: str, hub, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{partner_site}{PRICE_LIST}")
    expect(page).to_have_url(re.compile(re.escape(hub.url) + r"/.*"), timeout=30_000)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    assert "QS-FLOW-TEAM" not in page.content()
    csv = page.request.get(f"{partner_site}/sales-kits/flow/price-list.csv", max_redirects=0)
    assert csv.status == 303 and "QS-FLOW" not in csv.text()
    page.goto(f"{partner_site}/")
    expect(page.locator(".md-search-result__meta")).to_have_count(1)
    assert _search(page, PARTNER_WORD) == []
    expect(page.locator(".md-search-result__meta")).to_have_text("No matching documents")
    page.screenshot(path=str(artifacts_dir / "site-visitor-search-partner-word.png"))


def test_a_signed_in_partner_reads_the_price_list_and_finds_it_by_search(
    page: Page, partner_site: str, hub, artifacts_dir
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{partner_site}{PRICE_LIST}")
    page.get_by_label("Email").fill("mei.tan@harbourline.example")
    page.get_by_role("textbox", name="Password").fill("quillstack-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{partner_site}{PRICE_LIST}", timeout=30_000)
    expect(page.get_by_role("note")).to_contain_text("Internal")
    expect(page.get_by_role("cell", name="QS-FLOW-TEAM")).to_be_visible()
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    page.screenshot(path=str(artifacts_dir / "site-partner-price-list.png"))
    hrefs = _search(page, PARTNER_WORD)
    assert any("sales-kits/" in h for h in hrefs), hrefs
    assert not any("/zh/" in h for h in hrefs), hrefs
