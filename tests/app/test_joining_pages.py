"""Joining: the public application (questionnaire per type, problems in place, a kind duplicate refusal),
the status link (answering a question), the review queue (region, scores, approval with the one-time
password shown once), the onboarding checklist on the partner admin's home and the public locator."""

from __future__ import annotations

import seed
from app_driver import app_as, texts

from hub_app.partners import accounts, onboarding
from hub_app.partners import applications as apps
from hub_app.partners.records import APPLICATIONS, COMPANIES
from hub_app.ui.words.markup import shown

SI = ("technical-capability", "customer-references", "service-capability")


def _form(**changes):
    form = {
        "company": "Initech",
        "website": "initech.co.uk",
        "country": "United Kingdom",
        "region": "EMEA",
        "type": "si",
        "industries": ["Financial services"],
        "size": "51-200",
        "contact_name": "Peter Gibbons",
        "contact_email": "peter@initech.co.uk",
        "terms_version": "2026.1",
        "consent": True,
        "answers": {c: {"answer": f"About {c}.", "evidence": "initech.co.uk/cases"} for c in SI},
    }
    form.update(changes)
    return form


def _applied(hub, **changes):
    return apps.submit(hub.store, hub.catalog.program, _form(**changes), terms_version="2026.1", now=seed.NOW)


def _fill(at, **values):
    for key, value in values.items():
        at.text_input(key=key).input(value)


def _send(at):
    [b for b in at.button if b.label in ("Send the application", "提交申请")][0].click().run()


def test_the_questionnaire_is_the_chosen_types_criteria_with_their_evidence_fields():
    at = app_as(None, "apply")
    assert not at.exception
    assert "Customer references: customer, project, year and a contact who agreed to be called" in [
        i.label for i in at.text_input
    ]
    at.selectbox(key="apply_type").select("isv").run()
    labels = [i.label for i in at.text_input]
    assert any(label.startswith("Product and API details:") for label in labels)
    assert [a.label for a in at.text_area][
        0
    ] == "What does your product do that customers cannot build with Quillstack Flow alone?"


def test_a_bad_application_shows_each_problem_under_its_field_and_writes_nothing(hub):
    at = app_as(None, "apply")
    _fill(at, apply_website="not a site", apply_email="peter")
    _send(at)
    assert not at.exception
    errors = [shown(e.value) for e in at.error]
    assert "'not a site' is not a website. Write it like acme.com." in errors
    assert "Give the company's name." in errors
    assert "Accept the program terms (version 2026.1) to apply." in errors
    assert errors[-1] == "The application has 12 problems; each is shown next to its field."
    assert hub.store.select(APPLICATIONS) == []


def _good(at):
    _fill(at, apply_company="Initech", apply_website="initech.co.uk", apply_country="United Kingdom")
    _fill(at, apply_contact="Peter Gibbons", apply_email="peter@initech.co.uk")
    at.selectbox(key="apply_region").select("emea")
    at.multiselect(key="apply_ind").select("Retail")
    at.selectbox(key="apply_size").select("51-200")
    for c in SI:
        at.text_area(key=f"apply_q_si_{c}").input(f"We do {c}.")
    at.checkbox(key="apply_consent").check()
    _send(at)


def test_a_good_application_gives_a_reference_and_the_status_link_once(hub):
    at = app_as(None, "apply")
    _good(at)
    assert not at.exception
    [stored] = hub.store.select(APPLICATIONS)
    assert [s.value for s in at.success] == [
        f"Thank you. Your application {stored.reference} is with our partner team."
    ]
    assert at.code[0].value.startswith("https://hub.example.com/application?token=")
    assert (stored.terms_version, stored.conduct_version) == ("2026.1", "2026.1")


def test_a_company_that_already_applied_is_told_kindly_where_to_look(hub):
    first = _applied(hub)
    at = app_as(None, "apply")
    _good(at)
    assert (
        f"initech.co.uk has already applied ({first.application.reference}); follow that application's status link."
        in [shown(e.value) for e in at.error]
    )
    assert len(hub.store.select(APPLICATIONS)) == 1


def test_the_applicant_answers_a_question_on_the_status_page(hub):
    sent = _applied(hub)
    apps.start_review(hub.manager, hub.store, hub.catalog.program, sent.application.id, seed.NOW)
    apps.request_info(hub.manager, hub.store, hub.catalog.program, sent.application.id, "Which ERP?", seed.NOW)
    at = app_as(None, "application", token=sent.token)
    assert not at.exception
    assert "**Status:** More information requested" in [m.value for m in at.markdown]
    at.text_area(key="application_reply").input("SAP S/4HANA.")
    [b for b in at.button if b.label == "Send the answer"][0].click().run()
    assert [s.value for s in at.success] == ["Thank you. Your answer is with the reviewer."]
    assert hub.store.get(APPLICATIONS, sent.application.id).status == "in_review"


def test_a_wrong_status_link_is_refused_in_chinese(hub):
    at = app_as(None, "application", lang="zh", token="nope")
    assert [e.value for e in at.error] == ["无法识别此状态链接。请使用确认信息中的链接，或提供您的参考编号。"]


def _review(at, score):
    for c in SI:
        at.slider(key=f"s_{c}").set_value(score)
        [b for b in at.button if b.label == "Save the score"][SI.index(c)].click().run()


def test_the_channel_manager_scores_approves_and_sees_the_one_time_password_once(hub):
    sent = _applied(hub)
    at = app_as(hub.manager, "applications")
    assert not at.exception
    [b for b in at.button if b.label == "Start the review"][0].click().run()
    assert [s.value for s in at.success] == ["In review."]
    _review(at, 4)
    assert "Weighted total 80.0%: passes the 65% threshold." in [s.value for s in at.success]
    [b for b in at.button if b.label == "Approve"][0].click().run()
    assert not at.exception
    password = at.code[0].value
    admin = accounts.sign_in(hub.store, "peter@initech.co.uk", password, seed.NOW)
    assert hub.store.get(COMPANIES, admin.company_id).name == "Initech"
    at.run()
    assert [c.value for c in at.code] == []  # shown once
    assert hub.store.get(APPLICATIONS, sent.application.id).status == "approved"


def test_a_partner_user_opening_the_review_queue_by_url_is_refused(hub):
    at = app_as(hub.ana, "applications")
    assert [e.value for e in at.error] == [
        "You (ana@acme.example) are not allowed to review applications. "
        "Ask your channel manager or a program admin if you need this."
    ]


def test_a_channel_manager_of_another_region_is_refused_the_application_by_url(hub):
    accounts.create_user(
        hub.admin,
        hub.store,
        email="cm.emea@quillstack.example",
        display_name="Sophie Laurent",
        password=seed.PASSWORD,
        company_id=None,
        roles=frozenset({"channel_manager"}),
        job_role=None,
        now=seed.NOW,
    )
    sent = _applied(hub)
    at = app_as(hub.manager, "applications", application=sent.application.id)
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"You (cm@quillstack.io) are not allowed to review application {sent.application.reference}. "
        "Ask your channel manager or a program admin if you need this."
    ]


def test_the_partner_admin_accepts_the_agreement_from_the_checklist_on_home(hub):
    at = app_as(hub.ben, "home")
    assert not at.exception
    assert "Getting started: 1 of 4 done" in [h.value for h in at.subheader]
    [b for b in at.button if b.label == "I accept version 2026.2 of the partner agreement"][0].click().run()
    assert [s.value for s in at.success][0] == "Thank you: the partner agreement is accepted."
    assert "Getting started: 2 of 4 done" in [h.value for h in at.subheader]
    [accepted] = onboarding.acceptances(hub.store, hub.acme.id)
    assert (accepted.version, accepted.user_id) == ("2026.2", hub.ben.id)


def test_a_partner_user_sees_no_checklist(hub):
    at = app_as(hub.ana, "home")
    assert "Getting started" not in texts(at)


def test_the_console_shows_onboarding_and_time_to_first_certification(hub):
    at = app_as(hub.manager, "console")
    assert not at.exception
    table = [d.value for d in at.dataframe if "Time to first certification" in d.value.columns][0]
    assert list(table["Partner"]) == ["Acme Integrations"]
    assert list(table["Onboarding"]) == ["1/4"]


def test_the_locator_lists_only_partners_that_opted_in_in_chinese(hub):
    at = app_as(None, "partners", lang="zh")
    assert "找到 0 家合作伙伴。" in [c.value for c in at.caption]
    onboarding.update_profile(
        hub.ben,
        hub.store,
        hub.acme.id,
        website="acme.example",
        description="Integrations of Quillstack Flow with SAP and Salesforce for retailers in Singapore.",
        industries=["Retail"],
        listed=True,
    )
    at = app_as(None, "partners", lang="zh")
    assert "**Acme Integrations**" in [m.value for m in at.markdown]
    assert [m.value for m in at.markdown if m.value.startswith("**持有的认证：**")] == [
        "**持有的认证：** Quillstack 助理级认证、Quillstack 认证销售专家"
    ]
    at.selectbox(key="loc_type").select("isv").run()
    assert "找到 0 家合作伙伴。" in [c.value for c in at.caption]
