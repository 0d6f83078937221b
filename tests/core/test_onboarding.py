"""Onboarding: the checklist per partner type from program.yml, progress from the store, the versioned
agreement (a new version asks again), the profile and the locator opt-in; the public locator's filters;
the legal texts' front matter."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from core_builders import T0

from hub_app.catalog import ContentError
from hub_app.catalog.legal import load_legal
from hub_app.partners import applications as apps
from hub_app.partners import locator, onboarding
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import COMPANIES

ROOT = Path(__file__).resolve().parents[2]
CURRENT = "2026.2"
DESCRIPTION = "Integrations of Quillstack Flow with SAP for retailers in Singapore."


def _checklist(world, company=None, facts=None, version=CURRENT):
    company = world.store.get(COMPANIES, (company or world.acme).id)
    return onboarding.checklist(world.catalog.program, company, version, world.store, facts or onboarding.Facts())


def _profile(world, **changes):
    values = dict(website="acme.io", description=DESCRIPTION, industries=["Retail"], listed=True)
    values.update(changes)
    return onboarding.update_profile(world.acme_admin, world.store, world.acme.id, **values)


def test_the_checklist_follows_the_partner_types_steps_in_program_yml(world):
    assert [s.id for s in _checklist(world).steps] == ["agreement", "profile", "first-certification", "first-deal"]
    isv = world.catalog.program.partner_type("isv").onboarding
    assert (isv.steps, isv.entry_course) == (["agreement", "profile", "first-certification"], "qs-fundamentals")


def test_progress_is_computed_from_acceptance_profile_certificate_and_deal(world):
    assert _checklist(world).done == 0
    onboarding.accept_agreement(world.acme_admin, world.store, world.acme.id, CURRENT, CURRENT, T0)
    _profile(world)
    facts = onboarding.Facts(first_certified=T0 + timedelta(days=12), first_deal=T0 + timedelta(days=20))
    found = _checklist(world, facts=facts)
    assert (found.done, found.complete) == (4, True)
    assert found.time_to_first_certification == timedelta(days=12)


def test_a_new_agreement_version_asks_again(world):
    onboarding.accept_agreement(world.acme_admin, world.store, world.acme.id, "2026.1", "2026.1", T0)
    assert _checklist(world, version="2026.1").steps[0].done
    newer = _checklist(world, version=CURRENT)
    assert (newer.steps[0].done, newer.agreement_outdated) == (False, True)


def test_a_stale_page_cannot_accept_an_old_version(world):
    with pytest.raises(onboarding.AgreementVersionOutdated) as e:
        onboarding.accept_agreement(world.acme_admin, world.store, world.acme.id, "2026.1", CURRENT, T0)
    assert str(e.value) == (
        "Version 2026.1 of the partner agreement is not the current one (2026.2). Read it and accept it."
    )
    assert onboarding.acceptances(world.store, world.acme.id) == []


@pytest.mark.parametrize("who", ["ana", "manager", "bob"])
def test_only_the_companys_partner_admin_accepts_its_agreement(world, who):
    with pytest.raises(NotAllowed):
        onboarding.accept_agreement(getattr(world, who), world.store, world.acme.id, CURRENT, CURRENT, T0)


def test_a_bad_profile_gets_every_problem_and_writes_nothing(world):
    with pytest.raises(apps.ApplicationInvalid) as e:
        _profile(world, website="nope", description="Short.", industries=[])
    assert {k: str(m) for k, m in e.value.problems.items()} == {
        "website": "'nope' is not a website. Write it like acme.com.",
        "description": "Describe what your company does for customers in at least 40 characters.",
        "industries": "Pick at least one industry you serve.",
    }
    assert world.store.get(COMPANIES, world.acme.id).website == ""


def test_a_partner_user_cannot_edit_the_profile(world):
    with pytest.raises(NotAllowed):
        onboarding.update_profile(
            world.ana,
            world.store,
            world.acme.id,
            website="acme.io",
            description=DESCRIPTION,
            industries=["Retail"],
            listed=True,
        )


def test_the_locator_lists_only_companies_that_opted_in_with_their_certifications(world):
    assert locator.listings(world.store, {}) == []
    _profile(world)
    [listed] = locator.listings(world.store, {world.acme.id: frozenset({"qs-fundamentals"})})
    assert (listed.name, listed.type, listed.industries, listed.certifications) == (
        "Acme",
        "si",
        ("Retail",),
        ("qs-fundamentals",),
    )
    _profile(world, listed=False)
    assert locator.listings(world.store, {}) == []


@pytest.mark.parametrize(
    ("filters", "found"),
    [
        (locator.Filters(), ["Acme"]),
        (locator.Filters(type="si", industry="Retail"), ["Acme"]),
        (locator.Filters(type="var"), []),
        (locator.Filters(certification="qs-fundamentals"), ["Acme"]),
        (locator.Filters(certification="qs-sales-pro"), []),
        (locator.Filters(text="sap"), ["Acme"]),
        (locator.Filters(region="EMEA"), []),
    ],
)
def test_the_locator_filters_by_type_tier_region_industry_certification_and_text(world, filters, found):
    _profile(world)
    certified = {world.acme.id: frozenset({"qs-fundamentals"})}
    assert [x.name for x in locator.search(world.store, certified, filters)] == found


def test_the_legal_texts_carry_a_version_and_an_effective_date_in_both_languages():
    legal = load_legal(ROOT)
    assert {d: (x.version, str(x.effective)) for d, x in legal.items()} == {
        "partner-agreement": ("2026.2", "2026-10-01"),
        "program-terms": ("2026.1", "2026-07-01"),
        "code-of-conduct": ("2026.1", "2026-07-01"),
    }
    assert legal["partner-agreement"].title["zh"] == "Quillstack 合作伙伴协议"


def test_a_translation_on_another_version_is_a_content_problem(tmp_path):
    folder = tmp_path / "content" / "legal"
    folder.mkdir(parents=True)
    for doc in ("partner-agreement", "program-terms", "code-of-conduct"):
        for suffix, version in ((".md", "2"), (".zh.md", "2" if doc != "program-terms" else "1")):
            (folder / f"{doc}{suffix}").write_text(
                f"---\ntitle: T\nversion: '{version}'\neffective: 2026-01-01\n---\n# T\n"
            )
    with pytest.raises(ContentError) as e:
        load_legal(tmp_path)
    assert [str(p) for p in e.value.problems] == [
        "content/legal/program-terms.zh.md:1: version: must match the English text's (2)"
    ]


def test_a_channel_manager_sees_only_the_applications_of_their_region(world):
    from hub_app.partners import accounts

    emea = accounts.create_user(
        world.admin,
        world.store,
        email="cm.emea@quillstack.example",
        display_name="Sophie",
        password="tidal-frame-quartz-41",
        company_id=None,
        roles=frozenset({"channel_manager"}),
        job_role=None,
        now=T0,
    )
    form = {
        "company": "Initech",
        "website": "initech.co.uk",
        "country": "GB",
        "region": "EMEA",
        "type": "var",
        "industries": ["Retail"],
        "size": "1-10",
        "contact_name": "Peter",
        "contact_email": "p@initech.co.uk",
        "terms_version": "t",
        "consent": True,
        "answers": {c.id: {"answer": "Yes."} for c in world.catalog.program.partner_type("var").screening},
    }
    sent = apps.submit(world.store, world.catalog.program, form, terms_version="t", now=T0)
    program = world.catalog.program
    assert [a.id for a in apps.pending(emea, world.store, program)] == [sent.application.id]
    assert apps.pending(world.manager, world.store, program) == []
    with pytest.raises(NotAllowed):
        apps.start_review(world.manager, world.store, program, sent.application.id, T0)
    assert [a.id for a in apps.pending(world.admin, world.store, program)] == [sent.application.id]
