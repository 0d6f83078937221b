"""Market development funds: allocation by tier, request → pre-approval → claim with proof → paid, balances
from the ledger, uploads checked by content, expiry and reminders; every bad form refused with nothing written."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from core_builders import T0
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub_app.deals import commissions
from hub_app.deals.records import DEALS, Deal
from hub_app.funds import allocation, proofs, requests
from hub_app.funds.records import FUND_LEDGER, FUNDS, PROOFS, REQUESTS, entries_of
from hub_app.funds.requests import ClaimForm, NotEnoughFunds, RequestForm, RequestInvalid, RequestWrongStatus
from hub_app.notifications.records import OUTBOX
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import COMPANIES, USERS
from hub_app.store.memory import MemoryStore

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
QUARTER = "2026-Q1"


def _tier(world, company, tier):
    world.store.replace(COMPANIES, replace(world.store.get(COMPANIES, company.id), tier=tier))


def _allocated(world, tier="gold"):
    _tier(world, world.acme, tier)
    return allocation.allocate(world.admin, world.store, world.catalog.program, QUARTER, T0)


def _form(**changes) -> RequestForm:
    form = RequestForm(
        "webinar", "Automation readiness webinar", date(2026, 3, 10), date(2026, 3, 12), "40", "2000", "50"
    )
    return replace(form, **changes)


def _balance(world):
    funds = allocation.funds_for(world.acme_admin, world.store, world.acme.id)
    return allocation.total_balance(world.store, funds, "USD")


def _preapproved(world, amount="1000"):
    program = world.catalog.program
    made = requests.request(world.acme_admin, world.store, program, _form(), T0)
    return requests.preapprove(world.manager, world.store, program, made.id, amount, ("invoice",), "", T0)


def _claim(world, made, tmp_path, uploads=None, cost="1800", when=T0 + timedelta(days=12)):
    uploads = uploads if uploads is not None else (proofs.Upload("invoice.pdf", PDF, "invoice"),)
    form = ClaimForm(cost, "52", "Went well.", tuple(uploads))
    return requests.claim(world.acme_admin, world.store, world.catalog.program, tmp_path, made.id, form, when)


def test_gold_gets_its_fixed_allocation_and_registered_none(world):
    [fund] = _allocated(world)
    assert (fund.company_id, fund.allocated, fund.rule, fund.expires_on) == (
        world.acme.id,
        Decimal("2500"),
        "fixed",
        date(2026, 4, 1) + timedelta(days=30),
    )
    assert allocation.allocate(world.admin, world.store, world.catalog.program, QUARTER, T0) == []


def test_platinum_gets_a_share_of_last_quarters_won_revenue_capped(world):
    _tier(world, world.acme, "platinum")
    base = dict(
        company_id=world.acme.id,
        owner_id=world.ana.id,
        website="",
        country="",
        contact_email="",
        products=(),
        seats=1,
        currency="USD",
        expected_close=None,
        stage="prospect",
        meeting_date=None,
        notes="",
        created=T0,
    )
    world.store.add(
        DEALS,
        Deal(
            "d1",
            customer="A",
            amount=Decimal(100000),
            status="won",
            closed_on=date(2025, 11, 3),
            final_amount=Decimal("120000"),
            **base,
        ),
    )
    [fund] = allocation.allocate(world.admin, world.store, world.catalog.program, QUARTER, T0)
    assert (fund.rule, fund.basis, fund.allocated) == ("percent", Decimal("120000"), Decimal("3600.00"))
    world.store.add(
        DEALS, Deal("d2", customer="B", amount=Decimal(900000), status="won", closed_on=date(2026, 2, 3), **base)
    )
    [capped] = allocation.allocate(world.admin, world.store, world.catalog.program, "2026-Q2", T0)
    assert capped.allocated == Decimal("10000")


def test_only_a_program_admin_allocates(world):
    with pytest.raises(NotAllowed):
        allocation.allocate(world.manager, world.store, world.catalog.program, QUARTER, T0)


def test_the_whole_journey_moves_money_through_every_bucket(world, tmp_path):
    _allocated(world)
    program = world.catalog.program
    made = requests.request(world.acme_admin, world.store, program, _form(), T0)
    assert (made.amount, _balance(world).pending, _balance(world).available) == (
        Decimal("1000.00"),
        Decimal("1000.00"),
        Decimal("1500.00"),
    )
    requests.preapprove(world.manager, world.store, program, made.id, "800", ("invoice", "attendees"), "Cap 800", T0)
    assert (_balance(world).pending, _balance(world).approved) == (Decimal(0), Decimal("800.00"))
    uploads = (proofs.Upload("invoice.pdf", PDF, "invoice"), proofs.Upload("photo.png", PNG, "attendees"))
    claimed = _claim(world, world.store.get(REQUESTS, made.id), tmp_path, uploads)
    assert claimed.claimed_amount == Decimal("800.00")  # 50 % of 1,800, at most the pre-approved 800
    requests.decide_claim(world.manager, world.store, program, made.id, "700", "One invoice was for catering.", T0)
    assert world.store.get(REQUESTS, made.id).status == "partial"
    assert (_balance(world).approved, _balance(world).available) == (Decimal("700.00"), Decimal("1800.00"))
    paid = requests.pay(world.manager, world.store, made.id, "PAY-2026-0042", T0)
    balance = _balance(world)
    assert (paid.status, balance.paid, balance.approved, balance.available) == (
        "paid",
        Decimal("700.00"),
        Decimal(0),
        Decimal("1800.00"),
    )
    assert balance.available == balance.allocated - balance.paid - balance.approved - balance.pending


def test_proof_files_are_kept_by_content_hash(world, tmp_path):
    _allocated(world)
    made = _preapproved(world)
    _claim(world, made, tmp_path)
    [proof] = world.store.select(PROOFS)
    assert (proof.content_type, proof.sha256) == ("application/pdf", proofs.digest(PDF))
    assert proofs.read(tmp_path, proof.sha256) == PDF


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (
            proofs.Upload("invoice.pdf", PNG, "invoice"),
            "invoice.pdf is named like a PDF file but its content is not one",
        ),
        (proofs.Upload("invoice.exe", PDF, "invoice"), "invoice.exe is not a PDF, PNG, JPG or CSV file"),
        (
            proofs.Upload("list.csv", b"\xff\xfe\x00a", "invoice"),
            "list.csv is named like a CSV file but its content is not one",
        ),
        (proofs.Upload("invoice.pdf", b"", "invoice"), "invoice.pdf is empty"),
        (proofs.Upload("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "invoice"), "big.pdf is larger than 10 MB"),
    ],
)
def test_a_bad_upload_is_refused_by_its_content_and_nothing_is_written(world, tmp_path, upload, problem):
    _allocated(world)
    made = _preapproved(world)
    with pytest.raises(RequestInvalid) as refused:
        _claim(world, made, tmp_path / "blobs", (upload,))
    assert str(refused.value) == f"The MDF claim cannot be sent: {problem}"
    assert world.store.get(REQUESTS, made.id).status == "preapproved"
    assert world.store.select(PROOFS) == [] and not (tmp_path / "blobs").exists()


def test_a_claim_without_the_proof_named_at_pre_approval_is_refused(world, tmp_path):
    _allocated(world)
    made = _preapproved(world)
    with pytest.raises(RequestInvalid) as refused:
        _claim(world, made, tmp_path, (proofs.Upload("photo.png", PNG, "screenshots"),))
    assert str(refused.value) == "The MDF claim cannot be sent: add the proof required at pre-approval: invoice"


def test_a_claim_before_the_activity_ends_or_after_the_window_is_refused(world, tmp_path):
    _allocated(world)
    made = _preapproved(world)
    with pytest.raises(RequestInvalid, match="claim after the activity has ended"):
        _claim(world, made, tmp_path, when=T0)
    with pytest.raises(RequestInvalid, match="claims are accepted up to 60 days after the activity"):
        _claim(world, made, tmp_path, when=T0 + timedelta(days=80))


def test_every_bad_request_field_is_named_and_nothing_is_written(world):
    _allocated(world)
    before = len(world.store.select(FUND_LEDGER))
    bad = RequestForm("party", " ", date(2026, 3, 12), date(2026, 3, 10), "many", "-5", "80")
    with pytest.raises(RequestInvalid) as refused:
        requests.request(world.acme_admin, world.store, world.catalog.program, bad, T0)
    assert str(refused.value) == (
        "The MDF request cannot be sent: 'party' is not an activity type; use one of event, webinar, digital, "
        "localisation, trade-show, describe the activity in a title, the activity ends before it starts, "
        "the expected leads 'many' is not a whole number, the cost '-5' is not an amount above 0, "
        "the vendor share is at most 50 % (you pay the rest)"
    )
    assert world.store.select(REQUESTS) == [] and len(world.store.select(FUND_LEDGER)) == before


def test_a_request_beyond_the_available_balance_is_refused(world):
    _allocated(world)
    with pytest.raises(NotEnoughFunds) as refused:
        requests.request(world.acme_admin, world.store, world.catalog.program, _form(cost="6000"), T0)
    assert str(refused.value) == (
        "Only 2,500.00 USD of market development funds are available; this asks for 3,000.00 USD."
    )


def test_partner_users_and_other_partners_cannot_request_and_other_managers_cannot_decide(world):
    _allocated(world)
    program = world.catalog.program
    with pytest.raises(NotAllowed):
        requests.request(world.ana, world.store, program, _form(), T0)
    made = requests.request(world.acme_admin, world.store, program, _form(), T0)
    with pytest.raises(NotAllowed):
        requests.preapprove(world.other_manager, world.store, program, made.id, "100", ("invoice",), "", T0)
    with pytest.raises(NotAllowed):
        allocation.funds_for(world.bob, world.store, world.acme.id)
    assert requests.visible_requests(world.bob, world.store) == []
    assert requests.visible_requests(world.other_manager, world.store) == []


def test_a_declined_request_gives_the_money_back_and_cannot_be_claimed(world, tmp_path):
    _allocated(world)
    program = world.catalog.program
    made = requests.request(world.acme_admin, world.store, program, _form(), T0)
    requests.decline(world.manager, world.store, program, made.id, "Not an eligible audience.", T0)
    assert _balance(world).available == Decimal("2500")
    with pytest.raises(RequestWrongStatus) as refused:
        _claim(world, world.store.get(REQUESTS, made.id), tmp_path)
    assert str(refused.value) == "This MDF request is declined, so it cannot be claimed now."


def test_unspent_funds_expire_and_admins_are_reminded_once_before(world):
    [fund] = _allocated(world)
    program = world.catalog.program
    _preapproved(world, "1000")
    soon = T0 + timedelta(days=fund.expires_on.toordinal() - T0.date().toordinal() - 5)
    assert allocation.remind(world.store, program, soon) == 1
    assert allocation.remind(world.store, program, soon) == 0
    [reminder] = [e for e in world.store.select(OUTBOX) if e.type == "funds.expiring"]
    assert (reminder.recipients, reminder.payload["available"]) == ((world.acme_admin.id,), "1,500.00 USD")
    after = T0 + timedelta(days=90)
    assert allocation.expire(world.store, program, after) == [fund]
    balance = _balance(world)
    assert (balance.expired, balance.approved, balance.available) == (Decimal("1500.00"), Decimal("1000.00"), 0)


# --- properties ------------------------------------------------------------------------------------
STEP = st.tuples(
    st.sampled_from(["request", "preapprove", "decline", "claimed", "decide", "pay"]),
    st.integers(0, 4),
    st.integers(1, 3000),
)


def _fresh(world, tier: str) -> MemoryStore:
    """A new store holding the world's people and Acme at `tier` (one per generated example)."""
    store = MemoryStore()
    store.add(COMPANIES, replace(world.acme, tier=tier))
    for user in (world.admin, world.manager, world.acme_admin, world.ana):
        store.add(USERS, user)
    return store


def _step(world, store, action: str, target, amount: int) -> None:
    program = world.catalog.program
    if action == "request":
        requests.request(world.acme_admin, store, program, _form(cost=str(amount)), T0)
    elif target is None:
        return
    elif action == "preapprove":
        requests.preapprove(world.manager, store, program, target.id, str(amount // 2 or 1), ("invoice",), "", T0)
    elif action == "decline":
        requests.decline(world.manager, store, program, target.id, "No.", T0)
    elif action == "claimed" and target.status == "preapproved":  # a claim's files are not the point here
        store.replace(REQUESTS, replace(target, status="claimed", claimed_amount=target.preapproved_amount))
    elif action == "decide":
        requests.decide_claim(world.manager, store, program, target.id, str(amount // 3), "Part.", T0)
    elif action == "pay":
        requests.pay(world.manager, store, target.id, f"PAY-{amount}", T0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, max_size=16))
def test_a_funds_balance_is_its_ledgers_sum_and_never_negative(world, steps):
    store = _fresh(world, "gold")
    [fund] = allocation.allocate(world.admin, store, world.catalog.program, QUARTER, T0)
    for action, pick, amount in steps:
        made = store.select(REQUESTS)
        with contextlib.suppress(RequestInvalid, RequestWrongStatus, NotEnoughFunds):
            _step(world, store, action, made[pick % len(made)] if made else None, amount)
        entries = entries_of(store, fund.id)
        balance = allocation.balance_of(entries, "USD")
        assert balance.available == sum(e.amount for e in entries) >= 0
        assert balance.available == balance.allocated - balance.paid - balance.approved - balance.pending
        assert min(balance.pending, balance.approved, balance.paid) >= 0


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.lists(st.decimals(min_value=1, max_value=10**7, places=2), min_size=1, max_size=8),
    types=st.lists(st.sampled_from(["resale", "referral"]), min_size=8, max_size=8),
)
def test_commission_lines_sum_to_their_statements_totals(world, amounts, types):
    store = _fresh(world, "platinum")
    program = world.catalog.program
    for n, amount in enumerate(amounts):
        deal = Deal(
            f"d{n}",
            world.acme.id,
            world.ana.id,
            f"C{n}",
            "",
            "",
            "",
            (),
            1,
            amount,
            "USD",
            None,
            "prospect",
            None,
            "",
            T0,
            "won",
            closed_on=date(2026, 2, 1),
            final_amount=amount,
            deal_type=types[n],
        )
        commissions.earn(store, program, deal, T0)
    view = commissions.statement(world.admin, store, world.acme.id, QUARTER)
    assert len(view.lines) == len(amounts)
    assert view.totals == {"USD": sum(line.amount for line in view.lines)}
    cent = Decimal("0.01")
    assert all(line.amount == (line.base * line.rate / 100).quantize(cent, ROUND_HALF_UP) for line in view.lines)


def test_the_fund_jobs_allocate_once_and_say_what_they_did(world):
    from hub_app.cli import funds as fund_jobs

    _tier(world, world.acme, "gold")
    assert fund_jobs.run(world.catalog, world.store, T0) == (
        "MDF: 1 allocation(s) for 2026-Q1, 0 award bonus(es) credited, 0 fund(s) expired, 0 reminder(s) queued."
    )
    assert fund_jobs.run(world.catalog, world.store, T0) == ""


def test_an_award_mdf_bonus_is_credited_once_to_the_next_quarters_fund(world):
    from hub_app.recognition.records import AWARDS, Award

    bonus = Award(
        "aw1",
        "2025-Q4",
        "top_companies",
        "leaderboard",
        1,
        None,
        world.acme.id,
        Decimal(900),
        0,
        Decimal("1000.00"),
        "USD",
        "",
        T0,
        "award:2025-Q4:top_companies:1",
    )
    world.store.add(AWARDS, bonus)
    (entry,) = allocation.credit_award_bonuses(world.store, world.catalog.program, T0, "system")
    assert (entry.fund_id, entry.bucket, entry.amount) == (f"{world.acme.id}:2026-Q1", "allocated", Decimal("1000.00"))
    assert allocation.credit_award_bonuses(world.store, world.catalog.program, T0, "system") == []  # once
    fund = world.store.get(FUNDS, f"{world.acme.id}:2026-Q1")  # made for it: the tier gets no allocation
    assert allocation.balance_of(entries_of(world.store, fund.id), "USD").available == Decimal("1000.00")
