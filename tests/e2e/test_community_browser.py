"""Community in a real browser: a partner user registers for an event and asks a question; another partner
user answers it; the asker sees the answer and accepts it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from test_app_browser import MEI, PASSWORD, idle, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

JAMES = "james.koh@harbourline.example"
TITLE = "Does the Flow connector SDK support Python 3.13?"


def _register_for_an_event(page: Page, url: str) -> None:
    page.goto(f"{url}/events")
    idle(page)
    register = page.get_by_role("button", name="Register", exact=True).first
    expect(register).to_be_visible(timeout=30_000)
    register.click()
    idle(page)
    expect(page.get_by_text("You are registered").first).to_be_visible()


def _ask(page: Page, url: str) -> None:
    page.goto(f"{url}/community")
    idle(page)
    page.get_by_text("Ask a question").click()
    page.get_by_role("textbox", name="Question", exact=True).fill(TITLE)
    page.get_by_role("textbox", name="Details (Markdown)").fill("We build connectors in **Python**.")
    page.get_by_role("button", name="Ask", exact=True).click()
    idle(page)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=30_000)


def _answer(page: Page, url: str) -> None:
    page.goto(f"{url}/community")
    idle(page)
    page.get_by_role("textbox", name="Search questions").fill("connector SDK Python")
    page.keyboard.press("Enter")
    idle(page)
    page.get_by_role("button", name=TITLE).click()
    idle(page)
    page.get_by_role("textbox", name="Your answer (Markdown)").fill("Yes, since SDK 2.4: see the *release notes*.")
    page.get_by_role("button", name="Post answer").click()
    idle(page)
    expect(page.get_by_text("Yes, since SDK 2.4")).to_be_visible()


def test_a_partner_registers_for_an_event_and_asks_a_question_another_answers(
    page: Page, browser: Browser, hub, artifacts_dir
):
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in(page, hub.url, MEI, PASSWORD)
    _register_for_an_event(page, hub.url)
    page.screenshot(path=str(artifacts_dir / "app-events.png"), full_page=True)
    _ask(page, hub.url)
    colleague = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(colleague, hub.url, JAMES, PASSWORD)
    _answer(colleague, hub.url)
    colleague.screenshot(path=str(artifacts_dir / "app-community-phone.png"), full_page=True)
    colleague.context.close()
    page.reload()
    idle(page)
    expect(page.get_by_text("Yes, since SDK 2.4")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Accept this answer").click()
    idle(page)
    expect(page.get_by_text(re.compile("^Accepted answer$"))).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "app-community-question.png"), full_page=True)
