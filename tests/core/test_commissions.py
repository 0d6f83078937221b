"""Commissions: a won deal's line at the tier of its close date, quarterly statements, approval freezes them,
disputes answered by the channel manager, the CSV export neutralised."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from core_builders import T0

from hub_app.deals import commissions, registration
from hub_app.deals.commissions import DisputesOpen, NoteRequired, StatementFrozen, StatementNotClosed
from hub_app.deals.records import COMMISSIONS
from hub_app.deals.registration import DealForm
from hub_app.deals.statement_csv import statement_csv
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import COMPANIES
from hub_app.recognition.records import ledger_of
from hub_app.tiers.records import PROPOSALS, TierProposal

TZ = "Asia/Singapore"
LATER = T0 + timedelta(days=120)  # 2026-Q3: the first quarter (Q1) is over


def _form(**changes) -> DealForm:
    form = DealForm(
        customer="Initech Inc",
        website="initech.co.uk",
        country="GB",
        contact_email="peter@initech.co.uk",
        products=("flow",),
        seats=50,
        amount="20000",
        currency="USD",
        expected_close=date(2026, 3, 20),
        stage="qualified",
        meeting_date=date(2026, 2, 20),
        notes="Demo done.",
    )
    return replace(form, **changes)


def _set_tier(world, tier: str) -> None:
    world.store.replace(COMPANIES, replace(world.store.get(COMPANIES, world.acme.id), tier=tier))


def _won(world, user=None, closed=date(2026, 3, 10), final="20,000", **changes):
    user = user or world.ana
    program = world.catalog.program
    deal = registration.register(user, world.store, program, _form(**changes), T0)
    registration.submit(user, world.store, program, deal.id, T0)
    registration.approve(world.manager, world.store, program, deal.id, T0)
    return registration.close(user, world.store, program, deal.id, True, closed, final, T0)


def test_a_won_resale_deal_earns_the_rebate_of_its_tier_on_its_statement(world):
    _set_tier(world, "gold")
    deal = _won(world)
    view = commissions.statement(world.ana, world.store, world.acme.id, "2026-Q1")
    [line] = view.lines
    assert (line.deal_id, line.tier, line.deal_type, line.rate, line.amount) == (
        deal.id,
        "gold",
        "resale",
        Decimal("3"),
        Decimal("600.00"),
    )
    assert view.totals == {"USD": Decimal("600.00")}


def test_a_referral_earns_the_referral_rate_and_winning_awards_the_points_too(world):
    _set_tier(world, "silver")
    _won(world, deal_type="referral", final="12345.67")
    [line] = world.store.select(COMMISSIONS)
    assert (line.rate, line.amount) == (Decimal("10"), Decimal("1234.57"))
    assert [e.rule for e in ledger_of(world.store, world.ana.id)] == ["deal_won"]


def test_the_rate_is_the_tier_the_partner_held_on_the_close_date(world):
    _set_tier(world, "gold")  # promoted from silver on 2026-03-15, after the close date
    world.store.add(
        PROPOSALS,
        TierProposal(
            "p1", world.acme.id, "silver", "gold", "promote", T0, "approved", world.manager.id, T0 + timedelta(days=13)
        ),
    )
    _won(world, closed=date(2026, 3, 10))
    [line] = world.store.select(COMMISSIONS)
    assert (line.tier, line.rate) == ("silver", Decimal("2"))


def test_a_zero_rate_writes_no_line(world):
    _won(world)  # registered tier: no resale rebate
    assert world.store.select(COMMISSIONS) == []


def test_lines_in_several_currencies_total_per_currency(world):
    _set_tier(world, "gold")
    _won(world, currency="EUR", final="1000")
    _won(world, customer="Globex", website="globex.de", contact_email="a@globex.de", final="500")
    view = commissions.statement(world.acme_admin, world.store, world.acme.id, "2026-Q1")
    assert view.totals == {"EUR": Decimal("30.00"), "USD": Decimal("15.00")}
    assert sum(line.amount for line in view.lines) == sum(view.totals.values())


def test_a_partner_cannot_see_another_partners_statement_and_a_manager_only_assigned_ones(world):
    with pytest.raises(NotAllowed):
        commissions.statement(world.bob, world.store, world.acme.id, "2026-Q1")
    with pytest.raises(NotAllowed):
        commissions.statement(world.other_manager, world.store, world.acme.id, "2026-Q1")
    assert commissions.statement(world.manager, world.store, world.acme.id, "2026-Q1").company == world.acme


def test_only_a_program_admin_approves_and_only_after_the_quarter(world):
    _set_tier(world, "gold")
    _won(world)
    with pytest.raises(NotAllowed):
        commissions.approve(world.manager, world.store, world.acme.id, "2026-Q1", LATER, TZ)
    with pytest.raises(StatementNotClosed) as refused:
        commissions.approve(world.admin, world.store, world.acme.id, "2026-Q1", T0, TZ)
    assert str(refused.value) == "The statement for 2026-Q1 cannot be approved before its quarter is over."
    done = commissions.approve(world.admin, world.store, world.acme.id, "2026-Q1", LATER, TZ)
    assert done.totals == ("USD 600.00",)


def test_an_approved_statement_is_frozen_and_a_late_line_goes_on_the_next_open_one(world):
    _set_tier(world, "gold")
    _won(world)
    commissions.approve(world.admin, world.store, world.acme.id, "2026-Q1", LATER, TZ)
    _won(world, customer="Umbrella", website="umbrella.io", contact_email="x@umbrella.io", closed=date(2026, 3, 30))
    assert len(commissions.statement(world.admin, world.store, world.acme.id, "2026-Q1").lines) == 1
    assert len(commissions.statement(world.admin, world.store, world.acme.id, "2026-Q2").lines) == 1
    with pytest.raises(StatementFrozen):
        commissions.approve(world.admin, world.store, world.acme.id, "2026-Q1", LATER, TZ)


def test_a_dispute_blocks_approval_until_the_manager_answers_and_may_reverse_the_line(world):
    _set_tier(world, "gold")
    _won(world)
    [line] = world.store.select(COMMISSIONS)
    raised = commissions.dispute(world.ana, world.store, line.id, "The final amount was 25,000.", T0)
    with pytest.raises(DisputesOpen) as refused:
        commissions.approve(world.admin, world.store, world.acme.id, "2026-Q1", LATER, TZ)
    assert str(refused.value) == (
        "The statement for 2026-Q1 has 1 unanswered dispute(s). Answer them before approving it."
    )
    with pytest.raises(NotAllowed):
        commissions.answer(world.other_manager, world.store, raised.id, "No.", T0)
    commissions.answer(world.manager, world.store, raised.id, "Right: reversed, register the new amount.", T0, True)
    view = commissions.statement(world.ana, world.store, world.acme.id, "2026-Q1")
    assert view.totals == {"USD": Decimal("0.00")}
    assert [x.reverses for x in view.lines] == [None, line.id]


def test_an_empty_dispute_or_one_on_another_partners_line_is_refused_and_nothing_written(world):
    _set_tier(world, "gold")
    _won(world)
    [line] = world.store.select(COMMISSIONS)
    with pytest.raises(NoteRequired) as refused:
        commissions.dispute(world.ana, world.store, line.id, "  ", T0)
    assert str(refused.value) == "Write what is wrong with this line: it cannot be empty."
    with pytest.raises(NotAllowed):
        commissions.dispute(world.bob, world.store, line.id, "Mine!", T0)
    assert commissions.statement(world.ana, world.store, world.acme.id, "2026-Q1").disputes == ()


def test_the_statement_csv_has_lines_and_totals_and_no_formula_cells(world):
    _set_tier(world, "gold")
    _won(world)
    view = commissions.statement(world.ana, world.store, world.acme.id, "2026-Q1")
    forged = replace(view, lines=(replace(view.lines[0], deal_id="=HYPERLINK(1)"),))
    rows = statement_csv(forged).splitlines()
    assert rows[0] == "period,line,deal,earned_on,deal_type,tier,rate_pct,base,amount,currency,reverses"
    assert rows[1].split(",")[2] == "'=HYPERLINK(1)"
    assert rows[1].split(",")[7:10] == ["20000", "600.00", "USD"]
    assert rows[2] == "2026-Q1,total,,,,,,,600.00,USD,"
