"""The demo world's past quarters closed with awards: won deals played through deal registration, then each
finished quarter closed as a program admin would (`hub_app.recognition.awards.close_period`).

The documented partner user (Mei Tan) wins the largest deal of the last finished quarter, so her home shows
the sales champion award; the rest is drawn from the seeded `random.Random`.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hub_app.catalog import Catalog
from hub_app.deals import customers, registration, results
from hub_app.deals.registration import DealForm
from hub_app.demo.world import SHOWCASE, World
from hub_app.partners.records import USERS, User
from hub_app.recognition import awards
from hub_app.store.base import Store

QUARTERS_CLOSED = 3
CUSTOMERS = (
    "Northwind Logistics",
    "Bluefin Retail",
    "Kestrel Health",
    "Orchid Freight",
    "Lumen Foods",
    "Tidewater Insurance",
    "Cobalt Mining",
    "Saffron Hotels",
    "Granite Utilities",
    "Marigold Telecom",
)


DIRECT_CUSTOMERS = """name,website,country,phone,contact_email
Straits Shipping Pte Ltd,straitsshipping.example,SG,+65 6222 0101,it@straitsshipping.example
Pacific Pharma Corporation,pacificpharma.example,JP,+81 3 5555 0199,
Lotus Retail Group,lotusretail.example,CN,+86 21 5555 0188,
"""


def play(store: Store, catalog: Catalog, world: World, rng: random.Random) -> None:
    """The vendor's direct customers; a few won deals in each of the last finished quarters, closed in order."""
    program = catalog.program
    customers.import_customers_csv(world.admin, store, "direct-customers.csv", DIRECT_CUSTOMERS, world.start)
    periods = _periods(catalog, world.now)
    for n, period in enumerate(periods):
        since, until = awards.period_bounds(program, period)
        sellers = _sellers(world, rng)
        for i, (user, manager) in enumerate(sellers):
            amount = Decimal(rng.randrange(8, 60) * 1000)
            if n == len(periods) - 1 and i == 0:  # the showcase seller leads the last quarter
                leader = max(
                    (c.value for c in results.period_facts(store, program, period).won_by_person.values()), default=0
                )
                amount = max(Decimal(95000), (Decimal(leader) / 1000).quantize(Decimal(1)) * 1000 + 5000)
            closed = _day_in(since, until, rng, catalog)
            _win(store, catalog, user, manager, f"{CUSTOMERS[(n * 3 + i) % len(CUSTOMERS)]} {period}", amount, closed)
        close_at = min(until + timedelta(days=2), world.now)
        facts = results.period_facts(store, program, period)
        awards.close_period(world.admin, store, program, period, facts, close_at)


def _periods(catalog: Catalog, now: datetime) -> list[str]:
    program = catalog.program
    last = awards.last_finished(program, now)
    found = [last]
    for _ in range(QUARTERS_CLOSED - 1):
        found.insert(0, awards.previous_period(program, found[0]))
    return found


def _sellers(world: World, rng: random.Random) -> list[tuple[User, User]]:
    """The showcase's sales person first, then a few others (each with their channel manager)."""
    showcase = next(p for p in world.plans if p.company.name == SHOWCASE)
    others = rng.sample([p for p in world.plans if p.company.name != SHOWCASE and p.people], 3)
    star = next((p.user for p in showcase.people if p.user.email.startswith("mei.tan@")), showcase.people[0].user)
    chosen = [star] + [rng.choice(p.people).user for p in others]
    managers = {m.id: m for m in world.managers.values()}
    plans = {p.company.id: p for p in world.plans}
    return [(u, managers[plans[u.company_id or ""].company.channel_manager_id or ""]) for u in chosen]


def _day_in(since: datetime, until: datetime, rng: random.Random, catalog: Catalog) -> date:
    zone = ZoneInfo(catalog.program.program.timezone)
    first, last = since.astimezone(zone).date(), until.astimezone(zone).date()
    return first + timedelta(days=rng.randrange(10, (last - first).days - 5))


def _win(store: Store, catalog: Catalog, user: User, manager: User, customer: str, amount: Decimal, day: date) -> None:
    program = catalog.program
    slug = customer.split()[0].lower()
    form = DealForm(
        customer=customer,
        website=f"https://www.{slug}-{day:%Y%m}.example",
        country="SG",
        contact_email=f"procurement@{slug}-{day:%Y%m}.example",
        products=(program.products[0].id,),
        seats=int(amount / 500),
        amount=str(amount),
        currency=program.program.currency,
        expected_close=day,
        stage="proposal",
        meeting_date=day - timedelta(days=40),
        notes="Discovery workshop held; pilot agreed with the operations lead.",
    )
    start = datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo(program.program.timezone)) - timedelta(days=35)
    seller = store.get(USERS, user.id) or user
    deal = registration.register(seller, store, program, form, start)
    registration.submit(seller, store, program, deal.id, start + timedelta(hours=1))
    registration.approve(manager, store, program, deal.id, start + timedelta(days=1))
    closed_at = start + timedelta(days=35, hours=6)
    registration.close(seller, store, program, deal.id, True, day, str(amount), closed_at)
