"""Deal registration: the conflict pre-check (never naming a partner), decisions, protection, won/lost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from core_builders import T0

from hub_app.catalog.loader import load_catalog
from hub_app.deals import conflicts, registration
from hub_app.deals.records import DEALS, events_of
from hub_app.deals.registration import AlreadyProtected, DealForm, DealInvalid, DealWrongStatus
from hub_app.partners.permissions import NotAllowed
from hub_app.recognition.records import ledger_of

RULES = load_catalog(".").program.deals


def _form(**changes) -> DealForm:
    form = DealForm(
        customer="Initech Inc",
        website="https://www.initech.co.uk/about",
        country="GB",
        contact_email="peter@initech.co.uk",
        products=("flow",),
        seats=50,
        amount="12,500.50",
        currency="GBP",
        expected_close=date(2027, 3, 1),
        stage="qualified",
        meeting_date=date(2026, 11, 20),
        notes="Demo done; proposal next week.",
    )
    return replace(form, **changes)


def _submitted(world, user, **changes):
    program = world.catalog.program
    deal = registration.register(user, world.store, program, _form(**changes), T0)
    return registration.submit(user, world.store, program, deal.id, T0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://shop.acme.co.uk/x", "acme.co.uk"),
        ("www.acme.com", "https://acme.com"),
        ("eu.acme.com.au", "acme.com.au"),
    ],
)
def test_subdomains_and_public_suffixes_share_a_registered_domain(a, b):
    assert conflicts.registered_domain(a) == conflicts.registered_domain(b) != ""


def test_different_companies_under_co_uk_are_different_domains():
    assert conflicts.registered_domain("acme.co.uk") != conflicts.registered_domain("globex.co.uk")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Inc", "ACME Corporation"),
        ("Acme, Inc.", "acme"),
        ("Siemens AG", "SIEMENS"),
        ("腾讯科技有限公司", "腾讯科技"),
    ],
)
def test_legal_suffixes_and_case_are_ignored_in_names(a, b):
    assert conflicts.clean_name(a, RULES) == conflicts.clean_name(b, RULES)


def test_free_mail_matches_the_whole_address_and_company_mail_the_domain():
    assert conflicts.email_key("Bob@Gmail.com", RULES) == ("email", "bob@gmail.com")
    assert conflicts.email_key("li@qq.com", RULES) == ("email", "li@qq.com")
    assert conflicts.email_key("x@mail.acme.de", RULES) == ("domain", "acme.de")


def test_money_is_kept_as_decimal_and_stored_as_text(world):
    deal = registration.register(world.ana, world.store, world.catalog.program, _form(), T0)
    assert deal.amount == Decimal("12500.50")
    assert DEALS.codec.to_doc(deal)["amount"] == "12500.50"
    assert world.store.get(DEALS, deal.id).amount == Decimal("12500.50")


def test_a_draft_may_be_incomplete_but_submitting_names_what_is_missing(world):
    program = world.catalog.program
    draft = registration.register(world.ana, world.store, program, DealForm(customer="Initech"), T0)
    with pytest.raises(DealInvalid) as err:
        registration.submit(world.ana, world.store, program, draft.id, T0)
    assert str(err.value).startswith(
        "The registration cannot be submitted: add the customer's website or a contact email"
    )


def test_partner_is_told_of_protection_without_the_partner_named(world):
    program = world.catalog.program
    theirs = _submitted(world, world.bob, customer="INITECH Corporation", website="initech.co.uk")
    registration.approve(world.other_manager, world.store, program, theirs.id, T0)
    mine = registration.register(world.ana, world.store, program, _form(website="https://sales.initech.co.uk"), T0)
    notices = registration.precheck(world.ana, world.store, program, mine.id, T0)
    assert [str(n) for n in notices] == ["This customer is already protected until 2026-04-16."]
    assert "Globex" not in str(notices)


def test_an_undecided_overlap_is_a_possible_overlap(world):
    program = world.catalog.program
    _submitted(world, world.bob, customer="Initech Ltd", website="", contact_email="peter@gmail.com")
    mine = registration.register(world.ana, world.store, program, _form(contact_email="peter@gmail.com"), T0)
    notices = registration.precheck(world.ana, world.store, program, mine.id, T0)
    assert [str(n) for n in notices] == ["Possible overlap — a channel manager will decide."]


def test_a_criterion_matching_too_many_registrations_is_ignored_and_counted(world):
    program = world.catalog.program
    for n in range(RULES.too_many_matches + 1):
        _submitted(world, world.bob, customer=f"Shop {n}", website=f"shop{n}.example", contact_email="buyer@gmail.com")
    mine = registration.register(world.ana, world.store, program, _form(contact_email="buyer@gmail.com"), T0)
    notices = registration.precheck(world.ana, world.store, program, mine.id, T0)
    assert [str(n) for n in notices] == [
        "Matching by contact email address was skipped: it matches 6 records, too many to say anything."
    ]


def test_the_side_by_side_view_names_the_matching_rule(world):
    program = world.catalog.program
    theirs = _submitted(world, world.bob, customer="Umbrella", website="initech.co.uk", contact_email="a@b.io")
    mine = _submitted(world, world.ana)
    view = registration.overlap_view(world.manager, world.store, program, mine.id)
    assert [(o.deal.id, o.rule) for o in view.overlaps] == [(theirs.id, "domain")]


def test_approval_protects_for_the_tier_window_and_the_first_approved_wins(world):
    program = world.catalog.program
    mine = _submitted(world, world.ana)
    theirs = _submitted(world, world.bob)
    approved = registration.approve(world.manager, world.store, program, mine.id, T0)
    assert approved.protected_until == T0 + timedelta(days=45)
    with pytest.raises(AlreadyProtected) as err:
        registration.approve(world.other_manager, world.store, program, theirs.id, T0)
    assert str(err.value) == (
        "Another registration for this customer is protected until 2026-04-16: the first approved registration wins."
    )


def test_a_channel_manager_decides_only_assigned_partners_deals(world):
    deal = _submitted(world, world.ana)
    with pytest.raises(NotAllowed):
        registration.approve(world.other_manager, world.store, world.catalog.program, deal.id, T0)
    assert registration.visible_deals(world.other_manager, world.store) == []
    assert registration.visible_deals(world.bob, world.store) == []
    with pytest.raises(NotAllowed):
        registration.history(world.bob, world.store, deal.id)


def test_reject_needs_a_known_reason_code(world):
    program = world.catalog.program
    deal = _submitted(world, world.ana)
    with pytest.raises(DealInvalid) as err:
        registration.reject(world.manager, world.store, program, deal.id, "because", "", T0)
    assert "'because' is not a reason code; use one of duplicate" in str(err.value)
    done = registration.reject(world.manager, world.store, program, deal.id, "direct-deal", "AE owns it", T0)
    assert done.status == "rejected"
    assert [(e.act, e.rule, e.note) for e in events_of(world.store, deal.id)][-1] == (
        "rejected",
        "direct-deal",
        "AE owns it",
    )


def test_more_info_goes_back_to_the_partner_who_resubmits(world):
    program = world.catalog.program
    deal = _submitted(world, world.ana)
    registration.request_info(world.manager, world.store, deal.id, "Who is the sponsor?", T0)
    registration.revise(world.ana, world.store, program, deal.id, _form(notes="Sponsor: CFO."), T0)
    again = registration.submit(world.ana, world.store, program, deal.id, T0)
    assert again.status == "submitted" and again.notes == "Sponsor: CFO."


def test_one_extension_per_deal_on_request(world):
    program = world.catalog.program
    deal = _submitted(world, world.ana)
    registration.approve(world.manager, world.store, program, deal.id, T0)
    registration.request_extension(world.ana, world.store, deal.id, T0)
    extended = registration.grant_extension(world.manager, world.store, program, deal.id, T0)
    assert extended.protected_until == T0 + timedelta(days=45 + 30)
    with pytest.raises(DealInvalid):
        registration.request_extension(world.ana, world.store, deal.id, T0)


def test_won_deal_awards_deal_won_points_once(world):
    program = world.catalog.program
    deal = _submitted(world, world.ana)
    registration.approve(world.manager, world.store, program, deal.id, T0)
    won = registration.close(world.ana, world.store, program, deal.id, True, date(2026, 12, 20), "13000", T0)
    assert (won.status, won.final_amount) == ("won", Decimal("13000"))
    assert [e.rule for e in ledger_of(world.store, world.ana.id)].count("deal_won") == 1
    with pytest.raises(DealWrongStatus) as err:
        registration.close(world.ana, world.store, program, deal.id, True, date(2026, 12, 20), "13000", T0)
    assert str(err.value) == "This registration is won, so it cannot be closed now."


def test_expiry_ends_protection_and_is_in_the_history(world):
    program = world.catalog.program
    deal = _submitted(world, world.ana)
    registration.approve(world.manager, world.store, program, deal.id, T0)
    assert registration.expire_deals(world.store, T0 + timedelta(days=44), world.admin) == []
    [done] = registration.expire_deals(world.store, T0 + timedelta(days=45), world.admin)
    assert done.status == "expired"
    acts = [e.act for e in registration.history(world.ana, world.store, deal.id)]
    assert acts == ["registered", "submitted", "approved", "expired"]
