"""Awards of a closed quarter: winners by the published rules, rewards credited once, ties, refusals."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from core_builders import T0

from hub_app.deals import registration, results
from hub_app.deals.registration import DealForm
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import USERS
from hub_app.recognition import awards, points
from hub_app.recognition.records import AWARDS, LEDGER, ledger_of
from hub_app.tiers import kpis

AFTER_Q1 = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def _won(world, user, amount: str, closed: date, currency: str = "USD", customer: str = "Initech"):
    program = world.catalog.program
    form = DealForm(
        customer=customer,
        website=f"{customer.lower().replace(' ', '')}.example",
        country="SG",
        contact_email=f"buyer@{customer.lower().replace(' ', '')}.example",
        products=("flow",),
        seats=10,
        amount=amount,
        currency=currency,
        expected_close=closed,
        stage="qualified",
        meeting_date=date(2026, 1, 5),
        notes="Met the CFO.",
    )
    deal = registration.register(user, world.store, program, form, T0)
    registration.submit(user, world.store, program, deal.id, T0)
    manager = world.manager if user.company_id == world.acme.id else world.other_manager
    registration.approve(manager, world.store, program, deal.id, T0)
    return registration.close(user, world.store, program, deal.id, True, closed, amount, T0)


def _close(world, period="2026-Q1", now=AFTER_Q1):
    program = world.catalog.program
    facts = results.period_facts(world.store, program, period)
    return awards.close_period(world.admin, world.store, program, period, facts, now)


def _winner(closing, award_id):
    result = next(r for r in closing.results if r.award_id == award_id)
    return [(w.place, w.user_id, w.company_id, w.score) for w in result.winners]


def test_the_sales_champion_is_the_person_with_most_won_value_in_the_program_currency(world):
    _won(world, world.ana, "10000", date(2026, 3, 10))
    _won(world, world.bob, "12000", date(2026, 3, 11), currency="SGD", customer="Globex Buyer")  # 8,880 USD
    closing = _close(world)
    assert _winner(closing, "sales-champion") == [(1, world.ana.id, world.acme.id, Decimal("10000"))]


def test_a_deal_won_outside_the_quarter_does_not_count(world):
    _won(world, world.ana, "10000", date(2026, 4, 1))
    _won(world, world.bob, "500", date(2026, 3, 31), customer="Small")
    assert _winner(_close(world), "sales-champion") == [(1, world.bob.id, world.globex.id, Decimal("500"))]


def test_a_deal_in_a_currency_without_a_rate_is_left_out_and_named(world):
    _won(world, world.ana, "90000", date(2026, 3, 10), currency="CHF")
    program = world.catalog.program
    facts = results.period_facts(world.store, program, "2026-Q1")
    found = awards.preview(world.admin, world.store, program, "2026-Q1", facts, AFTER_Q1)
    assert found.unconverted == ("CHF",)
    assert _winner(found, "sales-champion") == []


def test_equal_won_value_goes_to_whoever_reached_it_first(world):
    _won(world, world.bob, "5000", date(2026, 3, 20), customer="Late")
    _won(world, world.ana, "5000", date(2026, 2, 1))
    assert _winner(_close(world), "sales-champion")[0][1] == world.ana.id


def test_equal_score_and_moment_go_by_name_from_a_to_z(world):
    _won(world, world.bob, "5000", date(2026, 3, 20), customer="Bobs")
    _won(world, world.ana, "5000", date(2026, 3, 20), customer="Anas")
    assert _winner(_close(world), "sales-champion")[0][1] == world.ana.id  # "Ana" before "Bob"


def test_best_partner_weighs_revenue_certifications_and_csat(world):
    _won(world, world.ana, "10000", date(2026, 3, 10))
    _won(world, world.bob, "5000", date(2026, 3, 10), customer="Half")
    kpis.record_kpis(
        world.manager, world.store, world.acme.id, period="2026-Q1", revenue_12m=0, customers=0, csat=3, now=T0
    )
    kpis.record_kpis(
        world.other_manager, world.store, world.globex.id, period="2026-Q1", revenue_12m=0, customers=0, csat=5, now=T0
    )
    closing = _close(world)
    # Acme: 50 x 1 + 20 x 3/5 = 62; Globex: 50 x 0.5 + 20 x 5/5 = 45 (no certifications gained by anyone).
    assert _winner(closing, "best-partner") == [(1, None, world.acme.id, Decimal("62.0"))]


def test_leaderboard_rewards_go_to_the_top_of_the_quarters_board_and_credit_points_once(world):
    program = world.catalog.program
    points.record_event(world.manager, world.store, program, world.ana.id, "event_attended", "e1", T0)
    points.record_event(world.other_manager, world.store, program, world.bob.id, "event_attended", "e2", T0)
    points.record_event(world.other_manager, world.store, program, world.bob.id, "event_attended", "e3", T0)
    closing = _close(world)
    assert [w[1] for w in _winner(closing, "top-people")] == [world.bob.id, world.ana.id]
    assert [w[2] for w in _winner(closing, "top-companies")] == [world.globex.id, world.acme.id]
    credited = [e for e in ledger_of(world.store, world.bob.id) if e.rule == awards.AWARD_RULE]
    assert [(e.points, e.reason, e.at) for e in credited] == [(200, "top-people 2026-Q1", AFTER_Q1)]


def test_closing_twice_changes_nothing(world):
    _won(world, world.ana, "10000", date(2026, 3, 10))
    first = _close(world)
    before = (world.store.count(AWARDS), world.store.count(LEDGER))
    again = _close(world, now=AFTER_Q1 + timedelta(days=3))
    assert (world.store.count(AWARDS), world.store.count(LEDGER)) == before
    assert again.already and not first.already
    assert again.closed == first.closed


def test_an_unfinished_quarter_is_refused(world):
    program = world.catalog.program
    with pytest.raises(awards.PeriodNotFinished) as err:
        awards.close_period(world.admin, world.store, program, "2026-Q2", awards.Facts(), AFTER_Q1)
    assert str(err.value) == "2026-Q2 ends on 2026-06-30; close it once it has ended."
    with pytest.raises(awards.UnknownPeriod) as err:
        awards.close_period(world.admin, world.store, program, "2026-5", awards.Facts(), AFTER_Q1)
    assert str(err.value) == "'2026-5' is not a quarter; write it like 2026-Q3."


@pytest.mark.parametrize("who", ["manager", "acme_admin", "ana"])
def test_only_a_program_admin_previews_or_closes_a_period(world, who):
    program = world.catalog.program
    actor = getattr(world, who)
    with pytest.raises(NotAllowed):
        awards.preview(actor, world.store, program, "2026-Q1", awards.Facts(), AFTER_Q1)
    with pytest.raises(NotAllowed):
        awards.close_period(actor, world.store, program, "2026-Q1", awards.Facts(), AFTER_Q1)


def test_a_preview_writes_nothing(world):
    _won(world, world.ana, "10000", date(2026, 3, 10))
    program = world.catalog.program
    before = world.store.count(LEDGER)
    found = awards.preview(world.admin, world.store, program, "2026-Q1", awards.Facts(), AFTER_Q1)
    assert found.closed is None and world.store.count(AWARDS) == 0 and world.store.count(LEDGER) == before


def test_most_improved_is_the_largest_gain_over_the_quarter_before(world):
    program = world.catalog.program
    earlier = T0 - timedelta(days=70)  # 2025-Q4
    for n in range(3):
        points.record_event(world.other_manager, world.store, program, world.bob.id, "event_attended", f"o{n}", earlier)
    points.record_event(world.other_manager, world.store, program, world.bob.id, "event_attended", "n1", T0)
    points.record_event(world.manager, world.store, program, world.ana.id, "event_attended", "n2", T0)
    assert [w[2] for w in _winner(_close(world), "most-improved")] == [world.acme.id]


def test_the_last_finished_quarter(world):
    program = world.catalog.program
    assert awards.last_finished(program, AFTER_Q1) == "2026-Q1"
    assert awards.last_finished(program, datetime(2026, 1, 1, 3, tzinfo=UTC)) == "2025-Q4"  # Singapore: Jan 1


def test_an_inactive_winner_is_passed_over(world):
    _won(world, world.ana, "10000", date(2026, 3, 10))
    _won(world, world.bob, "100", date(2026, 3, 10), customer="Tiny")
    world.store.replace(USERS, replace(world.ana, active=False))
    assert _winner(_close(world), "sales-champion")[0][1] == world.bob.id


def test_mdf_bonuses_are_listed_for_the_funds_room_once_per_award(world):
    _won(world, world.ana, "10000", date(2026, 3, 10))
    _close(world)
    bonuses = awards.mdf_bonuses(world.store)
    assert sorted((a.award_id, a.company_id, a.mdf) for a in bonuses) == [
        ("best-partner", world.acme.id, Decimal(5000)),
        ("most-improved", world.acme.id, Decimal(2000)),
        ("top-companies", world.acme.id, Decimal(1000)),
    ]
    assert len({a.idempotency_key for a in bonuses}) == 3
