"""The conflict matcher on a table of real-looking pairs: which rule matches, or that nothing does."""

from __future__ import annotations

from datetime import date

import pytest
from core_builders import T0

from hub_app.catalog.loader import load_catalog
from hub_app.deals import conflicts, customers, registration
from hub_app.deals.records import Deal
from hub_app.deals.registration import DealForm

RULES = load_catalog(".").program.deals


def _deal(customer="", website="", email="", phone="", country="SG") -> Deal:
    return Deal(
        "d",
        "c",
        "u",
        customer,
        website,
        country,
        email,
        (),
        0,
        0,  # type: ignore[arg-type]
        "USD",
        None,
        "prospect",
        None,
        "",
        T0,
        contact_phone=phone,
    )


def _rules_matching(a: Deal, b: Deal) -> set[str]:
    mine, theirs = conflicts.keys_of(a, RULES), conflicts.keys_of(b, RULES)
    return {r for r in conflicts.RULES if conflicts._matches(r, mine[r], theirs[r], RULES.name_match_threshold)}


PAIRS = [
    # (first, second, the rules that match)
    (_deal(website="https://shop.acme.co.uk/basket"), _deal(website="acme.co.uk"), {"domain"}),
    (_deal(website="www.acme.com"), _deal(email="jane@eu.mail.acme.com"), {"domain"}),
    (_deal(website="acme.co.uk"), _deal(website="globex.co.uk"), set()),
    (_deal(website="acme.com.au"), _deal(website="acme.com"), set()),
    (_deal(website="acme.github.io"), _deal(website="globex.github.io"), set()),  # a public suffix
    (_deal(customer="Acme Inc"), _deal(customer="ACME Corporation"), {"name"}),
    (_deal(customer="Acme, Inc."), _deal(customer="acme"), {"name"}),
    (_deal(customer="Initech GmbH"), _deal(customer="Initech AG"), {"name"}),
    (_deal(customer="Initech Ltd"), _deal(customer="Initek Ltd"), set()),  # one letter in six: under 90
    (_deal(customer="Northwind Logistics"), _deal(customer="Northwind Logistic"), {"name"}),
    (_deal(customer="腾讯科技有限公司"), _deal(customer="腾讯科技"), {"name"}),
    (_deal(email="bob@gmail.com"), _deal(email="Bob@Gmail.com"), {"email"}),
    (_deal(email="bob@gmail.com"), _deal(email="alice@gmail.com"), set()),  # free mail: not one company
    (_deal(email="li@qq.com"), _deal(website="qq.com"), set()),
    (_deal(phone="+65 6123 4567"), _deal(phone="6123-4567", country="SG"), {"phone"}),
    (_deal(phone="(415) 555-0132", country="US"), _deal(phone="+1 415 555 0132"), {"phone"}),
    (_deal(phone="020 7946 0958", country="GB"), _deal(phone="+44 20 7946 0958"), {"phone"}),
    (_deal(phone="6123 4567", country="SG"), _deal(phone="6123 4567", country="HK"), set()),  # two countries
    (_deal(phone="12"), _deal(phone="12"), set()),  # not a phone number: says nothing
]


@pytest.mark.parametrize(("a", "b", "rules"), PAIRS)
def test_real_looking_pairs_match_by_the_expected_rules(a, b, rules):
    assert _rules_matching(a, b) == rules
    assert _rules_matching(b, a) == rules  # a match does not depend on which one came first


@pytest.mark.parametrize(
    ("typed", "country", "e164"),
    [
        ("+65 6123 4567", "", "+6561234567"),
        ("6123 4567", "sg", "+6561234567"),
        ("+86 10 6552 9988", "SG", "+861065529988"),
        ("(415) 555-0132", "US", "+14155550132"),
        ("415 555 0132", "Singapore", ""),  # a country name is no region: a local number cannot be placed
        ("call me", "SG", ""),
    ],
)
def test_phone_numbers_are_matched_in_e164_form(typed, country, e164):
    assert customers.phone_key(typed, country) == e164


def _form(**changes) -> DealForm:
    values = dict(
        customer="Initech Inc",
        website="https://www.initech.co.uk",
        country="GB",
        contact_email="peter@initech.co.uk",
        products=("flow",),
        seats=5,
        amount="1000",
        currency="GBP",
        expected_close=date(2027, 3, 1),
        stage="qualified",
        meeting_date=date(2026, 2, 20),
        notes="Demo done.",
    )
    values.update(changes)
    return DealForm(**values)  # type: ignore[arg-type]


def test_an_existing_customer_is_a_possible_overlap_without_a_partner_named(world):
    program = world.catalog.program
    text = "name,website,country,phone,contact_email\nInitech Corporation,initech.co.uk,GB,,\n"
    customers.import_customers_csv(world.admin, world.store, "direct.csv", text, T0)
    mine = registration.register(world.ana, world.store, program, _form(), T0)
    notices = registration.precheck(world.ana, world.store, program, mine.id, T0)
    assert [str(n) for n in notices] == ["This looks like an existing customer — a channel manager will decide."]
    found = conflicts.check(world.store, program.deals, mine)
    assert [(k.customer.name, k.rule) for k in found.customers] == [("Initech Corporation", "domain")]


def test_a_won_deals_customer_becomes_an_existing_customer(world):
    program = world.catalog.program
    deal = registration.register(world.ana, world.store, program, _form(contact_phone="+44 20 7946 0958"), T0)
    registration.submit(world.ana, world.store, program, deal.id, T0)
    registration.approve(world.manager, world.store, program, deal.id, T0)
    registration.close(world.ana, world.store, program, deal.id, True, date(2026, 3, 20), "1000", T0)
    [known] = customers.existing_customers(world.store)
    assert (known.name, known.source, known.deal_id, known.phone) == (
        "Initech Inc",
        "won_deal",
        deal.id,
        "+44 20 7946 0958",
    )
    theirs = registration.register(
        world.bob,
        world.store,
        program,
        _form(customer="Other name", website="", contact_email="", contact_phone="020 7946 0958"),
        T0,
    )
    found = conflicts.check(world.store, program.deals, theirs)
    assert [(k.customer.deal_id, k.rule) for k in found.customers] == [(deal.id, "phone")]


def test_a_bad_phone_number_is_refused_with_the_number_named(world):
    program = world.catalog.program
    with pytest.raises(registration.DealInvalid) as err:
        registration.register(world.ana, world.store, program, _form(contact_phone="call me"), T0)
    assert str(err.value) == (
        "The registration cannot be saved: 'call me' is not a phone number; write it with its country code, "
        "like +65 6123 4567"
    )


def test_a_customer_import_names_every_bad_row_and_writes_nothing(world):
    text = (
        "name,website,country,phone,contact_email\n"
        "Initech,initech.co.uk,GB,,\n"
        ",globex.example,DE,,\n"
        "Umbrella,,,,\n"
        "Hooli,,US,call me,ceo@hooli\n"
    )
    with pytest.raises(customers.CustomersRejected) as err:
        customers.import_customers_csv(world.manager, world.store, "direct.csv", text, T0)
    assert str(err.value) == (
        "Nothing was imported: 4 problem(s). Fix them and import again.\n"
        "direct.csv:3: name: is empty; give the customer's company name\n"
        "direct.csv:4: website: give a website, a contact email or a phone number to match on\n"
        "direct.csv:5: phone: 'call me' is not a phone number; write it with its country code, like +65 6123 4567\n"
        "direct.csv:5: contact_email: 'ceo@hooli' is not an email address"
    )
    assert customers.existing_customers(world.store) == []


def test_a_customer_import_without_a_name_column_says_what_the_header_must_be(world):
    with pytest.raises(customers.CustomersRejected) as err:
        customers.import_customers_csv(world.manager, world.store, "x.csv", "company,site\nA,a.com\n", T0)
    assert str(err.value).endswith(
        "x.csv:1: header: missing column(s) name; the first line must be name,website,country,phone,contact_email"
    )


def test_a_partner_cannot_import_customers(world):
    from hub_app.partners.permissions import NotAllowed

    with pytest.raises(NotAllowed):
        customers.import_customers_csv(world.acme_admin, world.store, "x.csv", "name,website\nA,a.com\n", T0)
