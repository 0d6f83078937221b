"""The demo world's selling: registered deals won (their commission lines on quarterly statements, past
quarters approved, one open with a dispute and one answered) and market development funds (two quarters'
allocations, the last one expired, and requests and claims in every state), all played through the domain.

It runs after the history (`hub_app.demo.history`), on the companies as they stand then; a proof file is a
tiny generated PDF, kept in the blob directory like any upload.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from hub_app.catalog import Catalog
from hub_app.deals import commissions, registration
from hub_app.deals.records import COMMISSIONS
from hub_app.deals.registration import DealForm
from hub_app.demo.world import SHOWCASE, World
from hub_app.funds import allocation, proofs, requests
from hub_app.funds.requests import ClaimForm, RequestForm
from hub_app.partners.records import COMPANIES, PARTNER_ADMIN, USERS, Company, User
from hub_app.store.base import Store

FIRST = ("Northwind", "Bluefin", "Orchard", "Keystone", "Lumen", "Tidewater", "Summit", "Atlas", "Cobalt", "Redwood")
SECOND = ("Logistics", "Retail", "Health", "Freight", "Energy", "Bank", "Foods", "Telecom")
CUSTOMERS = tuple(f"{a} {b}" for b in SECOND for a in FIRST)  # 80 names no fuzzy match takes for another
PROOF_PDF = b"%PDF-1.4\n% Partner Hub demo proof of performance\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# (title, activity, total cost, days before now it was requested, where it ends up); Quillstack pays half
REQUESTS = (
    ("Automation readiness webinar", "webinar", 3000, 140, "paid"),
    ("Logistics round table, Singapore", "event", 1200, 55, "paid"),
    ("Search campaign: Flow for finance teams", "digital", 1200, 48, "partial"),
    ("Case study localisation (Bahasa, Thai)", "localisation", 600, 44, "denied"),
    ("Insight dashboards workshop", "webinar", 800, 40, "approved"),
    ("Partner day at Tech Week", "trade-show", 800, 36, "claimed"),
    ("LinkedIn campaign: SLA dashboards", "digital", 600, 20, "preapproved"),
    ("Customer appreciation dinner", "event", 400, 12, "declined"),
    ("Q1 kick-off seminar", "event", 600, 3, "pending"),
)


def play(store: Store, catalog: Catalog, world: World, rng: random.Random, blob_dir: Path) -> None:
    """Deals won with their statements, then funds with requests and claims, for the selling partners."""
    companies = [c for c in store.select(COMPANIES) if c.tier in ("silver", "gold", "platinum")]
    names = iter(CUSTOMERS)
    for company in sorted(companies, key=lambda c: c.name)[:10]:
        _deals(store, catalog, world, rng, company, names)
    _statements(store, catalog, world)
    _funds(store, catalog, world, blob_dir)


def _people(store: Store, company: Company) -> tuple[User, User | None]:
    members = [u for u in store.select(USERS, "company", company.id) if u.active]
    admins = [u for u in members if u.has_role(PARTNER_ADMIN)]
    return (admins or members)[0], store.get(USERS, company.channel_manager_id or "")


def _deals(store: Store, catalog: Catalog, world: World, rng: random.Random, company: Company, names) -> None:
    seller, manager = _people(store, company)
    if manager is None:
        return
    program, slug = catalog.program, company.id[:6]
    for n in range(rng.randint(2, 4)):
        registered = world.now - timedelta(days=rng.randint(60, 200))
        name = next(names)
        form = DealForm(
            name,
            f"{slug}{n}.{company.country.lower()}.example",
            company.country,
            f"it@{slug}{n}.example",
            ("flow",),
            rng.randint(20, 400),
            str(rng.randrange(8000, 90000, 500)),
            program.program.currency,
            (registered + timedelta(days=45)).date(),
            "proposal",
            (registered - timedelta(days=7)).date(),
            "Discovery and demo done; proposal with the customer.",
            "referral" if n % 3 == 2 else "resale",
        )
        deal = registration.register(seller, store, program, form, registered)
        registration.submit(seller, store, program, deal.id, registered + timedelta(hours=2))
        registration.approve(manager, store, program, deal.id, registered + timedelta(days=1))
        closed = registered + timedelta(days=rng.randint(20, 55))
        if closed < world.now:
            final = str(int(deal.amount * rng.choice((90, 100, 110)) / 100))
            registration.close(seller, store, program, deal.id, True, closed.date(), final, closed)


def _statements(store: Store, catalog: Catalog, world: World) -> None:
    zone, current = catalog.program.program.timezone, allocation.current_quarter(catalog.program, world.now)
    lines = sorted(store.select(COMMISSIONS), key=lambda x: (x.company_id, x.period))
    keys = sorted({(x.company_id, x.period) for x in lines if x.period < current})
    disputed = {x.company_id for x in lines[:1]}  # the first company's last quarter stays open, disputed
    for company_id, period in keys:
        company = store.get(COMPANIES, company_id)
        if company is None:
            continue
        if company_id in disputed and period == max(p for c, p in keys if c == company_id):
            _dispute(store, world, company, period)
            continue
        commissions.approve(world.admin, store, company_id, period, world.now - timedelta(days=2), zone)


def _dispute(store: Store, world: World, company: Company, period: str) -> None:
    seller, manager = _people(store, company)
    first, *rest = store.select(COMMISSIONS, "statement", (company.id, period))
    asked = commissions.dispute(
        seller, store, first.id, "The customer signed for 10 more seats; please check.", world.now - timedelta(days=6)
    )
    if manager is not None:
        commissions.answer(
            manager,
            store,
            asked.id,
            "Checked with billing: the final amount stands as invoiced.",
            world.now - timedelta(days=5),
        )
    later = rest[0] if rest else first  # a second question, still unanswered
    commissions.dispute(seller, store, later.id, "Was this at our Gold rate?", world.now - timedelta(days=1))


def _funds(store: Store, catalog: Catalog, world: World, blob_dir: Path) -> None:
    program = catalog.program
    current = allocation.current_quarter(program, world.now)
    last = allocation.previous_quarter(current)
    start, _ = allocation.quarter_bounds(current, program.program.timezone)
    begun = datetime.combine(start, datetime.min.time(), world.now.tzinfo)
    allocation.allocate_quarter(store, program, last, begun - timedelta(days=92), world.admin.id)
    allocation.allocate_quarter(store, program, current, begun + timedelta(hours=1), world.admin.id)
    showcase = next((c for c in store.select(COMPANIES) if c.name == SHOWCASE), None)
    if showcase is not None:
        for title, activity, cost, ago, outcome in REQUESTS:
            asked = world.now - timedelta(days=ago)
            _request(store, catalog, world, showcase, blob_dir, title, activity, cost, asked, outcome)
    allocation.expire(store, program, world.now)


def _request(store, catalog, world, company, blob_dir, title, activity, cost: int, asked: datetime, outcome) -> None:
    """One request played to `outcome` through the domain: decided two days on, claimed after the activity."""
    program, (admin, manager) = catalog.program, _people(store, company)
    if manager is None:
        return
    starts = asked.date() + timedelta(days=7)
    form = RequestForm(activity, title, starts, starts + timedelta(days=1), str(cost // 25), str(cost), "50")
    try:
        made = requests.request(admin, store, program, form, asked)
    except requests.NotEnoughFunds:  # another seed's showcase reached Gold later: no fund for that quarter
        return
    if outcome == "pending":
        return
    decided = asked + timedelta(days=2)
    if outcome == "declined":
        requests.decline(manager, store, program, made.id, "Dinners are not an eligible activity.", decided)
        return
    requests.preapprove(manager, store, program, made.id, str(made.amount), ("invoice", "attendees"), "", decided)
    if outcome == "preapproved":
        return
    claimed = asked + timedelta(days=12)
    pdf = proofs.Upload("invoice.pdf", PROOF_PDF, "invoice")
    uploads = (pdf, proofs.Upload("attendees.pdf", PROOF_PDF, "attendees"))
    form_claim = ClaimForm(str(cost * 95 // 100), str(cost // 20), "Full room; leads passed to Quillstack.", uploads)
    done = requests.claim(admin, store, program, blob_dir, made.id, form_claim, claimed)
    if outcome == "claimed":
        return
    share = done.claimed_amount or made.amount
    amount, note = {
        "denied": ("0", "The invoices are not for this activity."),
        "partial": (str((share * 2 / 3).quantize(share)), "Only the search ads were for Quillstack."),
    }.get(outcome, (str(share), ""))
    requests.decide_claim(manager, store, program, made.id, amount, note, claimed + timedelta(days=3))
    if outcome == "paid":
        requests.pay(manager, store, made.id, f"PAY-{claimed:%Y%m}-{made.id[:6].upper()}", claimed + timedelta(days=9))
