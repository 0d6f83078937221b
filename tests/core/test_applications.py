"""Recruitment: the public application, screening scores, the pipeline's history and approval."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from core_builders import T0
from pydantic import ValidationError

from hub_app.catalog.models import PartnerType
from hub_app.partners import accounts
from hub_app.partners import applications as apps
from hub_app.partners.companies import NotAChannelManager
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import APPLICATION_ANSWERS, APPLICATIONS, COMPANIES

TERMS = "2026-1"
SI_CRITERIA = ("technical-capability", "customer-references", "service-capability")


def _form(**changes):
    form = {
        "company": "Initech",
        "website": "https://www.Initech.co.uk/about",
        "country": "GB",
        "region": "EMEA",
        "type": "si",
        "industries": ["finance"],
        "size": "51-200",
        "contact_name": "Peter Gibbons",
        "contact_email": "Peter@initech.co.uk",
        "terms_version": TERMS,
        "consent": True,
        "answers": {c: {"answer": f"About {c}.", "evidence": "https://initech.co.uk/cases"} for c in SI_CRITERIA},
    }
    form.update(changes)
    return form


def _submit(world, **changes):
    return apps.submit(world.store, world.catalog.program, _form(**changes), terms_version=TERMS, now=T0)


def _scored(world, values=(4, 4, 3)):
    sent = _submit(world)
    app_id = sent.application.id
    apps.start_review(world.manager, world.store, world.catalog.program, app_id, T0)
    for criterion, value in zip(SI_CRITERIA, values, strict=True):
        apps.score(world.manager, world.store, world.catalog.program, app_id, criterion, value, "seen", T0)
    return sent


def test_registered_domain_drops_scheme_www_path_and_keeps_second_level_country_domains():
    assert apps.registered_domain("https://www.Initech.co.uk/about") == "initech.co.uk"
    assert apps.registered_domain("peter@mail.initech.com") == "initech.com"
    assert apps.registered_domain("not a website") is None


def test_a_good_application_is_stored_with_its_answers_a_reference_and_a_status_link(world):
    sent = _submit(world)
    stored = world.store.get(APPLICATIONS, sent.application.id)
    assert stored.status == "submitted" and stored.domain == "initech.co.uk" and stored.terms_version == TERMS
    assert stored.reference.startswith("APP-") and len(stored.reference) == 12
    assert sent.token not in stored.token_digest
    assert apps.by_token(world.store, sent.token) == stored
    assert sorted(apps.answers(world.store, stored.id)) == sorted(SI_CRITERIA)
    assert [(e.status, e.by) for e in apps.history(world.store, stored.id)] == [("submitted", "applicant")]


def test_a_bad_application_gets_every_problem_at_once_and_writes_nothing(world):
    form = _form(company=" ", website="nope", contact_email="peter", size="huge", industries=[], consent=False)
    form["answers"] = {"technical-capability": {"answer": "Yes."}}
    with pytest.raises(apps.ApplicationInvalid) as e:
        apps.submit(world.store, world.catalog.program, form, terms_version=TERMS, now=T0)
    problems = {field: str(m) for field, m in e.value.problems.items()}
    assert problems == {
        "company": "Give the company's name.",
        "website": "'nope' is not a website. Write it like acme.com.",
        "contact_email": "'peter' is not an email address. Write it like name@company.com.",
        "size": "Pick the company's size.",
        "industries": "Pick at least one industry you serve.",
        "consent": "Accept the program terms (version 2026-1) to apply.",
        "answers.customer-references": "Answer this question; a few sentences are enough.",
        "answers.service-capability": "Answer this question; a few sentences are enough.",
    }
    assert str(e.value) == "The application has 8 problems; each is shown next to its field."
    assert world.store.select(APPLICATIONS) == [] and world.store.select(APPLICATION_ANSWERS) == []


def test_consent_to_an_older_terms_version_is_refused(world):
    with pytest.raises(apps.ApplicationInvalid) as e:
        _submit(world, terms_version="2025-3")
    assert list(e.value.problems) == ["consent"]


def test_a_second_application_from_the_same_registered_domain_is_refused_kindly(world):
    first = _submit(world)
    with pytest.raises(apps.ApplicationInvalid) as e:
        _submit(world, website="initech.co.uk", company="Initech Ltd")
    assert str(e.value.problems["website"]) == (
        f"initech.co.uk has already applied ({first.application.reference}); follow that application's status link."
    )


def test_a_domain_whose_people_are_already_partners_is_refused(world):
    with pytest.raises(apps.ApplicationInvalid) as e:
        _submit(world, website="www.acme.io")
    assert str(e.value.problems["website"]) == ("acme.io is already a partner. Ask your partner admin for an account.")


def test_a_declined_domain_may_apply_again(world):
    sent = _submit(world)
    apps.decline(
        world.manager, world.store, world.catalog.program, sent.application.id, "incomplete", "no references", T0
    )
    assert _submit(world).application.status == "submitted"


def test_the_weighted_score_uses_program_weights(world):
    sent = _scored(world, (5, 3, 2))  # (5*40 + 3*30 + 2*30) / (5*100) = 70 %
    app = world.store.get(APPLICATIONS, sent.application.id)
    assert apps.weighted_percent(world.store, world.catalog.program, app) == Decimal("70.0")


def test_a_score_outside_zero_to_five_or_of_another_type_is_refused(world):
    sent = _submit(world)
    apps.start_review(world.manager, world.store, world.catalog.program, sent.application.id, T0)
    for criterion, value in (("technical-capability", 6), ("sales-capability", 3)):
        with pytest.raises(apps.InvalidScore) as e:
            apps.score(world.manager, world.store, world.catalog.program, sent.application.id, criterion, value, "", T0)
    assert str(e.value) == (
        "Score 'sales-capability' from 0 to 5 (got 3); the criteria of this type are "
        "technical-capability, customer-references, service-capability."
    )


def test_more_information_is_answered_through_the_status_link_and_kept_as_history(world):
    sent = _submit(world)
    app_id = sent.application.id
    apps.start_review(world.manager, world.store, world.catalog.program, app_id, T0)
    apps.request_info(
        world.manager, world.store, world.catalog.program, app_id, "Which ERP systems?", T0 + timedelta(hours=1)
    )
    back = apps.answer_info(world.store, sent.token, "SAP and Oracle.", T0 + timedelta(hours=2))
    assert back.status == "in_review"
    steps = [(e.status, e.by, e.note) for e in apps.history(world.store, app_id)]
    assert steps == [
        ("submitted", "applicant", ""),
        ("in_review", world.manager.id, ""),
        ("info_requested", world.manager.id, "Which ERP systems?"),
        ("in_review", "applicant", "SAP and Oracle."),
    ]


def test_a_wrong_status_link_is_not_known(world):
    with pytest.raises(apps.UnknownStatusLink) as e:
        apps.by_token(world.store, "made-up")
    assert str(e.value) == (
        "This status link is not known. Use the link from your confirmation, or quote your reference number."
    )


def test_a_decline_needs_a_known_reason_and_ends_the_pipeline(world):
    sent = _submit(world)
    with pytest.raises(apps.UnknownDeclineReason):
        apps.decline(world.manager, world.store, world.catalog.program, sent.application.id, "rude", "", T0)
    declined = apps.decline(
        world.manager, world.store, world.catalog.program, sent.application.id, "out-of-scope", "hardware only", T0
    )
    last = apps.history(world.store, declined.id)[-1]
    assert (last.status, last.reason, last.note) == ("declined", "out-of-scope", "hardware only")
    with pytest.raises(apps.ApplicationNotOpen) as e:
        apps.start_review(world.manager, world.store, world.catalog.program, declined.id, T0)
    assert str(e.value) == f"Application {declined.reference} is declined; it cannot go to in_review from there."


def test_partner_people_cannot_review_applications(world):
    sent = _submit(world)
    with pytest.raises(NotAllowed):
        apps.start_review(world.acme_admin, world.store, world.catalog.program, sent.application.id, T0)
    with pytest.raises(NotAllowed):
        apps.pending(world.ana, world.store, world.catalog.program)


def test_approval_makes_the_company_at_the_entry_tier_and_its_admin_with_a_one_time_password(world):
    sent = _scored(world)
    approval = apps.approve(
        world.admin, world.store, world.catalog.program, sent.application.id, T0, world.other_manager.id
    )
    company = world.store.get(COMPANIES, approval.company.id)
    assert (company.name, company.type, company.tier, company.region, company.country) == (
        "Initech",
        "si",
        world.catalog.program.tiers[0].id,
        "emea",
        "GB",
    )
    assert company.channel_manager_id == world.other_manager.id
    assert approval.admin.email == "peter@initech.co.uk" and approval.admin.roles == {"partner_admin"}
    assert accounts.sign_in(world.store, "peter@initech.co.uk", approval.temporary_password, T0).id == approval.admin.id
    stored = world.store.get(APPLICATIONS, sent.application.id)
    assert (stored.status, stored.company_id) == ("approved", company.id)
    assert apps.history(world.store, stored.id)[-1].by == world.admin.id


def test_the_reviewer_may_name_another_channel_manager_than_the_region_rule_gives(world):
    sent = _scored(world)
    program = world.catalog.program
    with pytest.raises(NotAChannelManager):
        apps.approve(world.manager, world.store, program, sent.application.id, T0, world.ana.id)
    assert [c.name for c in world.store.select(COMPANIES)] == ["Acme", "Globex"]  # nothing half-written
    approval = apps.approve(world.manager, world.store, program, sent.application.id, T0, world.other_manager.id)
    assert approval.company.channel_manager_id == world.other_manager.id


def test_without_a_region_manager_the_approving_channel_manager_gets_the_new_partner(world):
    sent = _scored(world)  # EMEA's rule names cm.emea@quillstack.example, who has no account here
    approval = apps.approve(world.manager, world.store, world.catalog.program, sent.application.id, T0)
    assert approval.company.channel_manager_id == world.manager.id


def test_approval_waits_for_every_score_and_refuses_below_the_threshold(world):
    sent = _submit(world)
    apps.start_review(world.manager, world.store, world.catalog.program, sent.application.id, T0)
    with pytest.raises(apps.ScreeningIncomplete):
        apps.approve(world.manager, world.store, world.catalog.program, sent.application.id, T0)
    for criterion in SI_CRITERIA:
        apps.score(world.manager, world.store, world.catalog.program, sent.application.id, criterion, 2, "", T0)
    with pytest.raises(apps.BelowThreshold) as e:
        apps.approve(world.manager, world.store, world.catalog.program, sent.application.id, T0)
    assert str(e.value) == "The weighted score is 40.0%, below the 65% this partner type needs. Decline it instead."
    assert world.store.get(APPLICATIONS, sent.application.id).status == "in_review"
    assert [c.name for c in world.store.select(COMPANIES)] == ["Acme", "Globex"]


def test_a_partner_types_pass_threshold_is_a_share_from_0_to_100_and_60_by_default(world):
    si = world.catalog.program.partner_types[0].model_dump()
    del si["pass_threshold"]
    assert PartnerType.model_validate(si).pass_threshold == 60
    assert PartnerType.model_validate({**si, "pass_threshold": 75}).pass_threshold == 75
    with pytest.raises(ValidationError, match="less than or equal to 100"):
        PartnerType.model_validate({**si, "pass_threshold": 120})


def test_a_stricter_threshold_from_program_yml_refuses_an_otherwise_passing_score(world):
    program = world.catalog.program
    strict_si = program.partner_types[0].model_copy(update={"pass_threshold": 80})
    strict = program.model_copy(update={"partner_types": [strict_si, *program.partner_types[1:]]})
    sent = _scored(world, (4, 4, 3))  # (160 + 120 + 90) / 500 = 74 %
    with pytest.raises(apps.BelowThreshold) as e:
        apps.approve(world.manager, world.store, strict, sent.application.id, T0)
    assert e.value.percent == Decimal("74.0") and e.value.threshold == 80
