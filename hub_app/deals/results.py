"""A quarter's results for the awards: won deal value per person and company (in the program currency),
certifications gained per company and CSAT from the quarter's KPIs.

Recognition ranks; this gathers, a floor above it, what deals, certification and tiers recorded.
A won deal counts in the quarter of its close date, at its final amount, converted by program.yml's
``awards.exchange_rates``; a deal in a currency without a rate is left out and its currency named.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from hub_app.catalog.models import Program
from hub_app.certification.records import CERTIFICATES
from hub_app.deals.records import DEALS, Deal
from hub_app.partners.records import USERS
from hub_app.recognition.awards import Count, Facts, period_bounds
from hub_app.store.base import Store
from hub_app.tiers.records import kpis_of


def in_program_currency(program: Program, amount: Decimal, currency: str) -> Decimal | None:
    """``amount`` in the program currency, None when program.yml has no rate for ``currency``."""
    if currency == program.program.currency:
        return amount
    rate = program.awards.exchange_rates.get(currency)
    return None if rate is None else (amount * Decimal(rate)).quantize(Decimal("0.01"))


def _add(counts: dict[str, Count], owner: str, value: Decimal, at: datetime) -> None:
    before = counts.get(owner)
    if before is None:
        counts[owner] = Count(value, at)
    else:
        counts[owner] = Count(before.value + value, max(before.reached, at))


def won_in(store: Store, program: Program, since: datetime, until: datetime) -> list[Deal]:
    """Deals won with a close date inside the period (local dates of the program's time zone)."""
    zone = ZoneInfo(program.program.timezone)
    first, last = since.astimezone(zone).date(), until.astimezone(zone).date()
    return [d for d in store.select(DEALS, "status", "won") if d.closed_on is not None and first <= d.closed_on < last]


def _moment(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def period_facts(store: Store, program: Program, period: str) -> Facts:
    """What the awards rank a quarter on (see the module docstring)."""
    since, until = period_bounds(program, period)
    zone = ZoneInfo(program.program.timezone)
    by_person: dict[str, Count] = {}
    by_company: dict[str, Count] = {}
    unconverted: set[str] = set()
    for deal in won_in(store, program, since, until):
        assert deal.closed_on is not None
        value = in_program_currency(program, deal.final_amount or deal.amount, deal.currency)
        if value is None:
            unconverted.add(deal.currency)
            continue
        _add(by_person, deal.owner_id, value, _moment(deal.closed_on, zone))
        _add(by_company, deal.company_id, value, _moment(deal.closed_on, zone))
    return Facts(
        by_person,
        by_company,
        _certifications(store, since, until),
        _csat(store, period, by_company),
        tuple(sorted(unconverted)),
    )


def _certifications(store: Store, since: datetime, until: datetime) -> dict[str, Count]:
    """New certificates (not renewals, not revoked) issued in the period, by the holder's company."""
    counts: dict[str, Count] = {}
    companies = {u.id: u.company_id for u in store.select(USERS)}
    for cert in store.select(CERTIFICATES):
        company_id = companies.get(cert.user_id)
        if company_id and since <= cert.issued < until and cert.renews is None and cert.revoked_at is None:
            _add(counts, company_id, Decimal(1), cert.issued)
    return counts


def _csat(store: Store, period: str, won: dict[str, Count]) -> dict[str, Decimal]:
    """The CSAT of the quarter's KPI record, for every company that has one."""
    found: dict[str, Decimal] = {}
    for company_id in {u.company_id for u in store.select(USERS) if u.company_id} | set(won):
        record = next((k for k in kpis_of(store, company_id) if k.period == period), None)
        if record is not None and record.csat is not None:
            found[company_id] = Decimal(str(record.csat))
    return found
