"""Selling in a real browser: a partner admin registers a deal and sees the overlap warning, the channel
manager approves it, the partner marks it won and sees the points and the statement line; then requests
MDF, the manager pre-approves it naming the proof, the partner claims with a PDF, the manager pays it."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "quillstack-demo"
JAMES = "james.koh@harbourline.example"  # partner admin, Harbourline Systems (Gold)
PRIYA = "cm.apac@quillstack.example"  # Harbourline's channel manager
CUSTOMER = "Wexford Analytics"
PDF = b"%PDF-1.4\n% proof of performance\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def program_today() -> date:
    """Today in the program's time zone (an MDF activity may not start before it)."""
    return datetime.now(ZoneInfo("Asia/Singapore")).date()


def idle(page: Page) -> None:
    """Wait until Streamlit has finished the rerun a click started."""
    page.wait_for_timeout(200)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def signed_in(browser: Browser, url: str, email: str) -> Page:
    """A new browser context signed in as `email`."""
    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    page.goto(url)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    idle(page)
    return page


def open_page(page: Page, url: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    idle(page)


def pick(page: Page, label: str, option: str) -> None:
    """Choose an option of a selectbox or multiselect by its label and the option's text."""
    page.get_by_label(label, exact=True).click()
    page.keyboard.type(option)  # filters the options, so the one wanted is first
    expect(page.get_by_role("option").filter(has_text=option).first).to_be_visible()
    page.keyboard.press("Enter")
    idle(page)


def fill_date(page: Page, label: str, day: date) -> None:
    """Type a date into a date input's year, month and day segments (each moves on to the next)."""
    page.get_by_role("spinbutton", name=f"year, {label}").click()
    page.keyboard.type(day.strftime("%Y%m%d"))
    page.keyboard.press("Tab")


def register(page: Page, customer: str, website: str) -> None:
    """Fill the registration form completely and save the draft."""
    today = program_today()
    page.get_by_label("End customer company").fill(customer)
    page.get_by_label("Website or domain").fill(website)
    page.get_by_label("Country").fill("SG")
    page.get_by_label("Customer contact email").fill(f"cio@{website}")
    pick(page, "Products", "Quillstack Flow")
    page.keyboard.press("Escape")
    page.get_by_label("Amount").fill("40000")
    fill_date(page, "Expected close", date(today.year + 1, 3, 1))
    fill_date(page, "Meeting date", today)
    page.get_by_label("Qualification notes").fill("Workshop held; proposal next.")
    page.get_by_role("button", name="Save draft").click()
    idle(page)


def submit(page: Page, url: str, registration: str) -> None:
    open_page(page, url, "deals")
    pick(page, "Registration", registration)
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Submitted.")).to_be_visible()


def points(page: Page, url: str) -> int:
    open_page(page, url, "leaderboards")
    caption = page.get_by_text(re.compile(r"^Your rank: .* with [\d,]+ points\.$"))
    expect(caption).to_be_visible(timeout=30_000)
    return int(re.search(r"with ([\d,]+) points", caption.inner_text()).group(1).replace(",", ""))


def test_register_approve_win_then_mdf_request_claim_and_payment(browser: Browser, hub, tmp_path: Path):
    url = hub.url
    james = signed_in(browser, url, JAMES)
    open_page(james, url, "deals")
    register(james, CUSTOMER, "wexford.example")
    submit(james, url, f"{CUSTOMER} · a draft")
    open_page(james, url, "deals")
    register(james, "WEXFORD ANALYTICS Pte Ltd", "www.wexford.example")
    expect(james.get_by_text("Possible overlap — a channel manager will decide.")).to_be_visible()
    submit(james, url, "WEXFORD ANALYTICS Pte Ltd · a draft")

    priya = signed_in(browser, url, PRIYA)
    open_page(priya, url, "deals")
    pick(priya, "Registration", "WEXFORD ANALYTICS Pte Ltd · awaiting a decision")
    expect(priya.get_by_text("Overlapping registrations")).to_be_visible()
    priya.get_by_role("button", name="Approve", exact=True).click()
    expect(priya.get_by_text("Approved: protection starts.")).to_be_visible()

    before = points(james, url)
    open_page(james, url, "deals")
    pick(james, "Registration", "WEXFORD ANALYTICS Pte Ltd · approved and protected")
    james.get_by_role("button", name="Close the deal").click()
    expect(james.get_by_text("Closed.", exact=True)).to_be_visible()
    assert points(james, url) == before + 500
    open_page(james, url, "commissions")
    james.get_by_label("Line", exact=True).click()
    expect(james.get_by_role("option").filter(has_text="WEXFORD ANALYTICS Pte Ltd · 1,200.00 USD")).to_be_visible()
    james.keyboard.press("Escape")

    open_page(james, url, "funds")
    james.get_by_text("Request funds for an activity").click()
    pick(james, "Activity type", "Webinar or online workshop")
    james.get_by_label("Title", exact=True).fill("Wexford automation clinic")
    fill_date(james, "Starts", program_today())
    fill_date(james, "Ends", program_today())
    james.get_by_label("Expected leads").fill("12")
    james.get_by_label("Total cost (USD)").fill("200")
    james.get_by_role("button", name="Request funds").click()
    expect(james.get_by_text("Requested. Your channel manager pre-approves it")).to_be_visible()

    open_page(priya, url, "funds")
    pick(priya, "Partner", "Harbourline Systems")
    pick(priya, "Request", "Wexford automation clinic · waiting for pre-approval")
    pick(priya, "Proof of performance required", "Vendor invoices")
    priya.keyboard.press("Escape")
    priya.get_by_role("button", name="Pre-approve").click()
    expect(priya.get_by_text("Pre-approved.", exact=True)).to_be_visible()

    proof = tmp_path / "invoice.pdf"
    proof.write_bytes(PDF)
    open_page(james, url, "funds")
    pick(james, "Request", "Wexford automation clinic · pre-approved")
    james.get_by_label("Actual cost (USD)").fill("180")
    james.get_by_label("Leads generated").fill("15")
    james.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(proof))
    expect(james.get_by_text("invoice.pdf")).to_be_visible()
    james.get_by_role("button", name="Send the claim").click()
    expect(james.get_by_text("Claim sent with 1 file(s). Your channel manager decides on it.")).to_be_visible()

    open_page(priya, url, "funds")
    pick(priya, "Partner", "Harbourline Systems")
    pick(priya, "Request", "Wexford automation clinic · claimed, waiting for a decision")
    expect(priya.get_by_role("button", name="Vendor invoices: invoice.pdf")).to_be_visible()
    priya.get_by_role("button", name="Decide the claim").click()
    expect(priya.get_by_text("Claim decided.", exact=True)).to_be_visible()
    priya.get_by_label("Payment reference").fill("PAY-WEX-1")
    priya.get_by_role("button", name="Mark as paid").click()
    expect(priya.get_by_text("Marked as paid.", exact=True)).to_be_visible()

    open_page(james, url, "funds")
    pick(james, "Request", "Wexford automation clinic · paid")
    expect(james.get_by_text(re.compile(r"· PAY-WEX-1$"))).to_be_visible()
