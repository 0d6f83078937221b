"""Security on the pages: no external favicon, person-supplied text shown as text (never as Markdown)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import seed
import streamlit as st
from app_driver import app_as

import hub_app
from hub_app.certification import certificates as certification
from hub_app.certification.records import CERTIFICATES
from hub_app.partners.records import COMPANIES, USERS
from hub_app.ui.views import certificate_doc
from hub_app.ui.words.markup import shown


def test_the_favicon_is_a_file_shipped_in_the_package_not_an_external_icon(hub, monkeypatch):
    seen: list[object] = []
    real = st.set_page_config

    def spy(*args, **kwargs):
        seen.append(kwargs.get("page_icon"))
        return real(*args, **kwargs)

    monkeypatch.setattr(st, "set_page_config", spy)
    app_as(hub.ana)
    icon = Path(str(seen[0]))
    assert icon.is_file() and icon.suffix == ".png"
    assert Path(hub_app.__file__).parent in icon.parents


# What a hostile invitee, partner or typed URL would try: a phishing link, a tracking image, a fake
# green badge, raw HTML and a line break that starts a new Markdown block.
HOSTILE_NAME = "Eve [Valid until 2099](https://evil.example/phish) ![](https://evil.example/t.png)"
HOSTILE_COMPANY = "Evil Corp :green-badge[Active] <img src=https://evil.example/c.png>\n# Certified"
HOSTILE_REASON = "[appeal here](https://evil.example/appeal) $x^2$"
HOSTILE_CODE = "NOPE\n\n:green-badge[Active] **Valid until:** [2099](https://evil.example)"
# Unescaped (no backslash before it), each of these would render as markup.
RAW_MARKUP = re.compile(r"(?<!\\)(\]\(https://evil|!\[|:green-badge\[|<img|\$x)|\n# Certified")

# Elements whose text (or label) Streamlit renders as Markdown.
MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error", "toast")
LABELLED_KINDS = (
    "button",
    "checkbox",
    "toggle",
    "radio",
    "text_input",
    "selectbox",
    "expander",
    "tabs",
    "metric",
    "form_submit_button",
    "page_link",
    "link_button",
    "download_button",
)


def markdown_sources(at) -> list[str]:
    """The Markdown source of every element on the page that Streamlit renders as Markdown."""
    found = [str(e.value) for kind in MARKDOWN_KINDS for e in at.get(kind)]
    found += [str(getattr(e.proto, "label", "")) for kind in LABELLED_KINDS for e in at.get(kind)]
    return found


@pytest.fixture
def hostile(hub):
    """Ana and her company named by an attacker, and her certificate revoked with a hostile reason."""
    hub.store.replace(USERS, replace(hub.store.get(USERS, hub.ana.id), display_name=HOSTILE_NAME))
    hub.store.replace(COMPANIES, replace(hub.store.get(COMPANIES, hub.acme.id), name=HOSTILE_COMPANY))
    held = certification.certificates_of(hub.ana, hub.store, hub.ana.id)[0]
    hub.store.replace(CERTIFICATES, replace(held, revoked_at=seed.NOW, revoke_reason=HOSTILE_REASON))
    return hub


@pytest.mark.parametrize(
    ("who", "page", "query"),
    [
        ("ana", None, {}),
        ("ana", "courses", {}),
        ("ana", "exam", {"course": "qs-fundamentals"}),
        ("ana", "certificates", {}),
        ("ana", "leaderboards", {}),
        ("ana", "account", {}),
        ("ben", "company", {}),
        (None, "verify", {"code": HOSTILE_CODE}),
        (None, "verify", {"code": "ana"}),  # replaced by Ana's real code below
    ],
)
def test_hostile_names_and_codes_show_as_typed_never_as_markup(hostile, who, page, query):
    if query.get("code") == "ana":
        query = {"code": certification.certificates_of(hostile.ana, hostile.store, hostile.ana.id)[0].verification_code}
    at = app_as(getattr(hostile, who) if who else None, page, **query)
    assert not at.exception
    sources = markdown_sources(at)
    leaks = [s for s in sources if RAW_MARKUP.search(s)]
    assert leaks == []
    shown_text = "\n".join(shown(s) for s in sources)
    hostile_seen = [
        h
        for h in (HOSTILE_NAME, HOSTILE_COMPANY.replace("\n", " "), HOSTILE_REASON, HOSTILE_CODE.replace("\n\n", " "))
        if h in shown_text
    ]
    assert hostile_seen, "the page shows none of the hostile strings: the test checks nothing"


def test_a_crafted_code_on_the_verify_page_shows_no_badge_only_the_unknown_code(hub):
    at = app_as(None, "verify", code=HOSTILE_CODE)
    assert [shown(e.value) for e in at.error] == [
        "No certificate has the code 'NOPE :green-badge[Active] **Valid until:** [2099](https://evil.example)'. "
        "Check the code on the certificate (like ABCD-EFGH-JK23)."
    ]
    assert [m.value for m in at.markdown if "badge" in m.value and "\\" not in m.value] == []


def test_the_printable_certificate_escapes_the_holders_name():
    page = certificate_doc.printable(
        certificate_doc.CertificateFacts(
            program="P",
            vendor="V",
            holder='<script>alert(1)</script> "Eve"',
            certification="C",
            issued="i",
            expires="e",
            code="ABCD",
            verify_url="https://hub/verify?code=ABCD",
        ),
        "en",
    )
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Eve&quot;" in page


def test_a_console_adjustment_shows_the_hostile_name_and_reason_as_typed(hostile):
    at = app_as(hostile.manager, "console")
    at.selectbox(key="points_person").set_value(hostile.store.get(USERS, hostile.ana.id))
    at = at.run()
    at.number_input(key="adjust_points").set_value(5)
    at.text_input(key="adjust_reason").input(HOSTILE_REASON)
    at = [b for b in at.button if b.label == "Adjust"][0].click().run()
    assert [shown(s.value) for s in at.success] == [f"+5 points for {HOSTILE_NAME}: {HOSTILE_REASON}"]
    assert [s.value for s in at.success if RAW_MARKUP.search(s.value)] == []
