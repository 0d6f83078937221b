"""Home, courses, certificates, verify, the language switch and who sees which page."""

from __future__ import annotations

import pytest
from app_driver import app_as, texts

from hub_app.certification.records import CERTIFICATES, certificates_of
from hub_app.ui.views import certificate_doc
from hub_app.ui.web import context, nav


def test_home_answers_where_do_i_stand_and_what_next(hub):
    at = app_as(hub.ana)
    assert at.title[0].value == "Hello, Ana Lima"
    assert [(m.label, m.value) for m in at.metric] == [
        ("Points this quarter", "25"),
        ("My rank this quarter", "#2"),
        ("Valid certificates", "1"),
    ]
    page = texts(at).splitlines()
    assert ":orange-badge[Expiring soon] Quillstack Certified Associate expires on Dec 27, 2026." in page
    assert "Acme Integrations: Silver tier" in page
    assert [w.value for w in at.warning] == [
        "Your company's tier is at risk on Dec 27, 2026: a certificate lapses before the next review on "
        "Jan 1, 2027. Renew in time."
    ]
    assert "- people certified as Quillstack Certified Associate: 2 of 4" in "\n".join(page)
    recommended = [m for m in page if m.startswith("**") and " · " in m]
    assert recommended[0] == "**Selling Quillstack: Certified Sales Professional** · Professional"


def test_a_channel_managers_home_shows_their_work_with_links(hub):
    at = app_as(hub.manager)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Certificates lapsing"] == "1" and metrics["Partners at risk"] == "1"
    page = texts(at)
    assert "- Ana Lima (Acme Integrations): Quillstack Certified Associate lapses Dec 27, 2026" in page
    assert "- Acme Integrations: at risk on Dec 27, 2026" in page
    assert "Every partner's KPIs are up to date." in page
    assert "Vendor tools (partners, tier reviews, points) come with the channel manager console." not in page


@pytest.mark.parametrize("role_page", ["console", "company"])
def test_partner_user_is_not_offered_staff_or_admin_pages(hub, role_page):
    offered = [s.url_path for s in nav.PAGES if s.allowed(hub.ana) and s.url_path == role_page]
    assert offered == []


def test_partner_user_cannot_read_someone_elses_certificates_in_the_domain(hub):
    from hub_app.certification import certificates as certification
    from hub_app.partners.permissions import NotAllowed

    with pytest.raises(NotAllowed):
        certification.certificates_of(hub.ana, hub.store, hub.ben.id)


def test_courses_for_my_type_and_role_with_a_toggle_for_all(hub):
    at = app_as(hub.ana, "courses")
    titles = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert titles == [
        "#### Practice exam: Quillstack Certified Associate",
        "#### Quillstack Product Fundamentals",
        "#### Industry Plays: Financial Services, Manufacturing and Retail",
        "#### Marketing Quillstack: Co-marketing, MDF Campaigns and Demand Generation",
        "#### Practice exam: Quillstack Certified Industry Solutions Specialist",
        "#### Practice exam: Quillstack Certified Marketing Specialist",
        "#### Practice exam: Quillstack Certified Sales Professional",
        "#### Selling Quillstack: Certified Sales Professional",
    ]
    assert ":orange-badge[Expiring] · Foundation · 20 minutes" in texts(at).splitlines()
    at = at.toggle(key="courses_show_all").set_value(True).run()
    assert len([m for m in at.markdown if m.value.startswith("#### ")]) == 16  # 8 courses, 8 practice exams


def test_courses_link_to_lessons_on_the_site_in_my_language(hub):
    at = app_as(hub.ana, "courses", lang="zh")
    link = "- [Quillstack 平台概览](https://partners.example.com/zh/courses/qs-fundamentals/01-platform-tour/)"
    assert link in texts(at).splitlines()


def test_certificates_show_code_status_and_printable_copy(hub):
    at = app_as(hub.ben, "certificates")
    codes = [c.verification_code for c in certificates_of(hub.store, hub.ben.id)]
    assert sorted(c.value for c in at.code) == sorted(codes)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Printable certificate", "Badge (.json)", "Signed badge (.jwt)"] * 2


def test_certificate_outdated_by_a_new_major_version_says_when_to_recertify(hub):
    from dataclasses import replace
    from datetime import UTC, datetime

    cert = certificates_of(hub.store, hub.ben.id)[0]
    hub.store.replace(CERTIFICATES, replace(cert, recertify_by=datetime(2027, 2, 25, 12, tzinfo=UTC)))
    at = app_as(hub.ben, "certificates")
    assert [w.value for w in at.warning] == [
        "A new version of this course is out: pass its exam by Feb 25, 2027 to keep this certificate."
    ]


def test_printable_certificate_names_holder_dates_code_and_verify_url():
    html = certificate_doc.printable(
        certificate_doc.CertificateFacts(
            program="Quillstack Partner Program",
            vendor="Quillstack",
            holder="Ana <Lima>",
            certification="Quillstack Certified Associate",
            issued="Dec 27, 2024",
            expires="Dec 27, 2026",
            code="ABCD-EFGH-JK23",
            verify_url="https://hub.example.com/verify?code=ABCD-EFGH-JK23",
        ),
        "en",
    )
    for text in (
        "Ana &lt;Lima&gt;",
        "Quillstack Certified Associate",
        "Valid until</span>Dec 27, 2026",
        "ABCD-EFGH-JK23",
        "Verify at https://hub.example.com/verify?code=ABCD-EFGH-JK23",
        "@media print",
    ):
        assert text in html


def _ana_code(hub):
    return certificates_of(hub.store, hub.ana.id)[0].verification_code


def test_verify_by_link_shows_only_name_certification_status_and_dates(hub):
    at = app_as(None, "verify", code=_ana_code(hub).lower())
    assert texts(at).count("Ana Lima") == 1
    assert "### Quillstack Certified Associate" in texts(at).splitlines()
    assert ":green-badge[Valid]" in texts(at).splitlines()
    assert "**Holder:** Ana Lima  \n**Issued:** Dec 27, 2024  \n**Valid until:** Dec 27, 2026" in texts(at)
    assert "ana@acme.example" not in texts(at) and "Acme" not in texts(at)


def test_verify_by_typed_code(hub):
    at = app_as(None, "verify")
    at.text_input(key="verify_code").input(_ana_code(hub))
    at = next(b for b in at.button if b.label == "Verify").click().run()
    assert "**Holder:** Ana Lima" in texts(at)
    assert at.query_params["code"] == _ana_code(hub)  # the address can be shared


def test_verify_unknown_code_says_what_to_check(hub):
    at = app_as(None, "verify", code="AAAA-BBBB-CCCC")
    assert [e.value for e in at.error] == [
        "No certificate has the code 'AAAA-BBBB-CCCC'. Check the code on the certificate (like ABCD-EFGH-JK23)."
    ]


def test_language_switch_renders_chinese_and_is_remembered(hub):
    at = app_as(hub.ana)
    at = at.radio(key="hub_lang_choice").set_value("zh").run()
    assert at.title[0].value == "Ana Lima，您好"
    assert [m.label for m in at.metric] == ["本季度积分", "本季度排名", "有效证书"]
    assert "Quillstack 助理级认证 将于 2026年12月27日 到期。" in texts(at)
    assert context.sessions().language(hub.ana.id) == "zh"


def test_chinese_verify_page_formats_dates_for_the_locale(hub):
    at = app_as(None, "verify", lang="zh", code=_ana_code(hub))
    assert "**持证人:** Ana Lima  \n**颁发日期:** 2024年12月27日  \n**有效期至:** 2026年12月27日" in texts(at)


def test_home_and_exam_run_on_the_default_tinydb_store(real_catalog, monkeypatch, tmp_path):
    """The same pages on the store `open_store` gives the app (TinyDB in the data dir)."""
    import seed
    import streamlit as st

    from hub_app.store import open_store, tinydb_url
    from hub_app.ui.web import session

    built = seed.build(real_catalog, open_store(tinydb_url(tmp_path / "data")))
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(context, "now", lambda: seed.NOW)
    monkeypatch.setattr(session, "cookie_value", lambda: None)
    monkeypatch.setattr(context, "open_store", lambda path: built.store)
    st.cache_resource.clear()
    try:
        at = app_as(built.ana)
        assert at.title[0].value == "Hello, Ana Lima" and not at.exception
        at = app_as(built.dora, "exam", course="qs-fundamentals")
        at = next(b for b in at.button if b.label == "Start exam").click().run()
        assert "Submit answers" in [b.label for b in at.button]
    finally:
        st.cache_resource.clear()
