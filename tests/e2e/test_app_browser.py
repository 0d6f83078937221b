"""A partner in a real browser against `streamlit run`: sign in, pass an exam, see the certificate and the
points, keep the session over a refresh, sign out; and the failures, refusals and public pages around it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from hub_app.catalog import load_catalog

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "quillstack-demo"
MEI = "mei.tan@harbourline.example"
LIN, LIN_PASSWORD = "lin.wei@harbourline.example", "lin-wei-password-1"


def idle(page: Page) -> None:
    """Wait until Streamlit has finished the rerun a click or an answer started."""
    page.wait_for_timeout(150)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def sign_in(page: Page, url: str, email: str, password: str, path: str = "") -> None:
    page.goto(f"{url}/{path}")
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    idle(page)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[`*_]", "", text)).strip()


QUESTION = '[data-testid="stLayoutWrapper"]:not(:has([data-testid="stLayoutWrapper"]))'


def _choose(box: Locator, widget: str, text: str) -> None:
    box.get_by_test_id(widget).locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).click()
    idle(box.page)


def _answer(page: Page, item, right: bool) -> None:
    """Answer one question, correctly or not, from the key in the course's exam.yml."""
    # Found again by its prompt for every action: each answer reruns the page and re-renders the blocks.
    box = page.locator(QUESTION).filter(has_text=_plain(item.prompt.en))
    if item.type in ("single", "multiple"):
        chosen = [o.text.en for o in item.options if o.correct == right]
        for text in chosen[:1] if item.type == "single" else chosen:
            _choose(box, "stRadio" if item.type == "single" else "stCheckbox", text)
    elif item.type == "true_false":
        _choose(box, "stRadio", "True" if item.answer == right else "False")
    else:
        value = (item.answers[0] if item.type == "short_text" else f"{item.answer:g}") if right else "999999"
        field = box.get_by_role("textbox")
        field.fill(value)
        field.press("Enter")
        idle(page)


def take_exam(page: Page, url: str, course_id: str, right: bool, repo_root) -> None:
    exam = load_catalog(repo_root).course(course_id).exam
    page.goto(f"{url}/exam?course={course_id}")
    idle(page)  # a first page on a replica reruns once more when it reads the session cookie
    page.get_by_role("button", name="Start exam").click()
    idle(page)
    expect(page.get_by_text(re.compile("Time left"))).to_be_visible()
    boxes = page.locator(QUESTION).filter(has=page.locator("p > strong"))  # "**3.** prompt"
    expect(boxes).to_have_count(exam.items_to_draw)
    shown = [_plain(text) for text in boxes.all_inner_texts()]
    drawn = [next(it for it in exam.items if _plain(it.prompt.en) in text) for text in shown]
    for item in drawn:
        _answer(page, item, right)
    if right:  # a wrong answer to "choose all that apply" may be no choice at all
        expect(page.get_by_text(f"{exam.items_to_draw} of {exam.items_to_draw} questions answered.")).to_be_visible()
    page.get_by_role("button", name="Submit answers").click()
    idle(page)


def my_points(page: Page, url: str) -> int:
    page.goto(f"{url}/leaderboards")
    caption = page.get_by_text(re.compile(r"^Your rank: .* with [\d,]+ points\.$"))
    expect(caption).to_be_visible(timeout=30_000)
    return int(re.search(r"with ([\d,]+) points", caption.inner_text()).group(1).replace(",", ""))


def test_partner_renews_a_certification_and_sees_it_everywhere(page: Page, hub, repo_root, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in(page, hub.url, MEI, PASSWORD)
    expect(page.get_by_role("heading", name=re.compile("Mei"))).to_be_visible()
    before = my_points(page, hub.url)

    take_exam(page, hub.url, "qs-sales-pro", right=True, repo_root=repo_root)
    expect(page.get_by_text(re.compile(r"^Passed: you scored 100"))).to_be_visible()
    new_cert = page.get_by_text(re.compile(r"^New certificate: Quillstack Certified Sales Professional"))
    expect(new_cert).to_be_visible()
    awarded = page.get_by_text(re.compile(r"^\+[\d,]+ points"))
    expect(awarded).to_be_visible()
    points = int(re.match(r"\+([\d,]+)", awarded.inner_text()).group(1).replace(",", ""))
    code = re.search(r"Verification code ([A-Z0-9-]+)", new_cert.inner_text()).group(1)
    page.screenshot(path=str(artifacts_dir / "app-exam-passed.png"), full_page=True)

    page.goto(f"{hub.url}/certificates")
    idle(page)  # a page opened by its address reruns once more when it reads the session cookie
    expect(page.get_by_text(code)).to_be_visible(timeout=30_000)
    assert my_points(page, hub.url) == before + points

    page.reload()
    expect(page.get_by_text(re.compile(r"^Your rank: "))).to_be_visible(timeout=30_000)  # still signed in
    page.get_by_role("button", name="Sign out").click()
    idle(page)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()

    visitor = page.context.browser.new_page()
    visitor.goto(f"{hub.url}/verify?code={code}")
    expect(visitor.get_by_text("Quillstack Certified Sales Professional")).to_be_visible(timeout=30_000)
    expect(visitor.get_by_text("Mei Tan")).to_be_visible()
    visitor.close()


def test_failed_attempt_shows_lessons_to_study_and_the_cool_down(page: Page, hub, repo_root, artifacts_dir):
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in(page, hub.url, LIN, LIN_PASSWORD)
    take_exam(page, hub.url, "qs-fundamentals", right=False, repo_root=repo_root)
    expect(page.get_by_text(re.compile(r"^Not passed: you scored 0"))).to_be_visible()
    expect(page.get_by_text("Study these lessons")).to_be_visible()
    lesson = page.get_by_role("link", name=re.compile("Quillstack platform|Building flows|Insight|Security"))
    expect(lesson.first).to_have_attribute("href", re.compile(r"/courses/qs-fundamentals/0\d-"))
    page.screenshot(path=str(artifacts_dir / "app-exam-failed.png"), full_page=True)
    page.get_by_role("button", name="Done").click()
    idle(page)
    page.goto(f"{hub.url}/exam?course=qs-fundamentals")
    expect(page.get_by_text(re.compile(r"Next attempt from|try again", re.I)).first).to_be_visible()
    expect(page.get_by_role("button", name="Start exam")).to_be_disabled()


def test_partner_user_is_refused_the_console(page: Page, hub):
    sign_in(page, hub.url, MEI, PASSWORD)
    page.goto(f"{hub.url}/console")
    expect(page.get_by_text(re.compile(r"not allowed", re.I)).first).to_be_visible(timeout=30_000)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Harbourline Systems")).to_have_count(0)  # no partner data, only the refusal
    expect(main.get_by_test_id("stDataFrame")).to_have_count(0)


def test_language_switch_and_phone_screen(context: BrowserContext, hub, artifacts_dir):
    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    sign_in(phone, hub.url, MEI, PASSWORD)
    phone.screenshot(path=str(artifacts_dir / "app-home-phone.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page scrolls sideways on a phone ({width}px)"
    desktop = context.new_page()
    desktop.set_viewport_size({"width": 1280, "height": 1000})
    desktop.goto(hub.url)
    desktop.get_by_test_id("stSidebar").get_by_text("简体中文").click()
    idle(desktop)
    expect(desktop.get_by_role("link", name="课程").first).to_be_visible()
    desktop.screenshot(path=str(artifacts_dir / "app-home-zh.png"), full_page=True)
    desktop.get_by_test_id("stSidebar").get_by_text("English").click()
    idle(desktop)
