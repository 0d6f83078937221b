"""Joining in a real browser: a visitor applies, the region's channel manager scores and approves, and the
new partner admin signs in with the one-time password, accepts the agreement and sees the checklist."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from test_app_browser import PASSWORD, idle, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SOPHIE = "cm.emea@quillstack.example"  # program.yml's region rule: EMEA
CRITERIA = ("Technical capability", "Customer references", "Service capability")


def _pick(page: Page, label: str, option: str, many: bool = False) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.press_sequentially(option)
    page.get_by_role("option", name=option, exact=True).click()
    if many:  # a multiselect stays open for the next choice
        page.keyboard.press("Escape")


def _apply(page: Page, url: str) -> str:
    page.goto(f"{url}/apply")
    expect(page.get_by_role("heading", name="Apply to become a partner")).to_be_visible(timeout=30_000)
    page.get_by_label("Company name", exact=True).fill("Brightwave Integrations Ltd")
    page.get_by_label("Website", exact=True).fill("https://www.brightwave.example")
    page.get_by_label("Country", exact=True).fill("United Kingdom")
    _pick(page, "Region", "Europe, Middle East and Africa")
    _pick(page, "Industries you serve", "Retail", many=True)
    _pick(page, "Company size", "51-200 employees")
    page.get_by_label("Contact person", exact=True).fill("Ada Brightwave")
    page.get_by_label("Contact email", exact=True).fill("ada@brightwave.example")
    for area in page.locator("textarea").all():
        area.fill("Twelve certified engineers; SAP and Salesforce integrations since 2019.")
    page.get_by_text("I accept the program terms").click()
    page.get_by_role("button", name="Send the application").click()
    idle(page)
    thanks = page.get_by_text(re.compile(r"Your application APP-\w{8} is with our partner team"))
    expect(thanks).to_be_visible(timeout=30_000)
    return re.search(r"APP-\w{8}", thanks.inner_text()).group(0)


def _score_and_approve(page: Page, url: str, reference: str) -> str:
    sign_in(page, url, SOPHIE, PASSWORD)
    page.goto(f"{url}/applications")
    _pick(page, "Application", f"{reference} · Brightwave Integrations Ltd")
    idle(page)
    page.get_by_role("button", name="Start the review").click()
    idle(page)
    for i in range(len(CRITERIA)):
        slider = page.get_by_role("slider").nth(i)
        slider.focus()
        for _ in range(4):
            slider.press("ArrowRight")
        page.get_by_role("button", name="Save the score").nth(i).click()
        idle(page)
    expect(page.get_by_text("Weighted total 80.0%: passes the 65% threshold.")).to_be_visible()
    page.get_by_role("button", name="Approve", exact=True).click()
    idle(page)
    expect(page.get_by_text("Approved: the partner and its admin account are created.")).to_be_visible()
    password = page.get_by_test_id("stCode").first.inner_text().strip()
    page.get_by_role("button", name="Sign out").click()
    idle(page)
    return password


def test_a_visitor_applies_is_approved_and_the_new_admin_starts_onboarding(page: Page, hub, artifacts_dir):
    reference = _apply(page, hub.url)
    password = _score_and_approve(page, hub.url, reference)
    sign_in(page, hub.url, "ada@brightwave.example", password)
    # A one-time password works once: the new admin chooses their own before anything else.
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name="New password", exact=True).fill("brightwave-harbour-kite-72")
    page.get_by_role("textbox", name="New password again").fill("brightwave-harbour-kite-72")
    page.get_by_role("button", name="Save my password").click()
    idle(page)
    expect(page.get_by_text("Getting started: 0 of 4 done")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="I accept version 2026.2 of the partner agreement").click()
    idle(page)
    expect(page.get_by_text("Thank you: the partner agreement is accepted.")).to_be_visible()
    expect(page.get_by_text("Getting started: 1 of 4 done")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "joining-onboarding.png"), full_page=True)
