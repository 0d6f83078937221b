"""Allocating each partner's quarterly MDF from program.yml, balances from the fund ledger, expiry, reminders.

An allocation is by tier: a fixed amount, or a percentage of last quarter's won deal revenue (in the
program's currency) up to a cap. It is written once per partner and quarter (its idempotency key), so
running the allocation again, from the console or a job, changes nothing. What is still available when a
fund expires (program.yml ``funds.expire_after_days`` after its quarter) is spent as an "expired" entry;
partner admins are reminded ``funds.reminder_days`` before, through the outbox.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from hub_app.catalog.models import Program
from hub_app.deals.commissions import period_of, tier_on
from hub_app.deals.records import DEALS
from hub_app.funds.records import FUND_LEDGER, FUNDS, AllocationRule, Bucket, Fund, FundEntry, entries_of, funds_of
from hub_app.kernel.calendar import QUARTER_LABEL, quarter_label
from hub_app.kernel.errors import HubError
from hub_app.kernel.events import FUNDS_EXPIRING, event
from hub_app.kernel.ids import new_id
from hub_app.notifications.records import record
from hub_app.partners.permissions import is_program_admin, require, sees_company
from hub_app.partners.records import COMPANIES, PARTNER_ADMIN, USERS, Company, User
from hub_app.recognition import awards
from hub_app.store.base import Store

CENT = Decimal("0.01")
BUCKETS: tuple[Bucket, ...] = ("allocated", "pending", "approved", "paid", "expired")


class QuarterInvalid(HubError):
    msgid = "'{quarter}' is not a quarter. Write it like 2026-Q4."

    def __init__(self, quarter: str):
        super().__init__(quarter=quarter)


@dataclass(frozen=True)
class Balance:
    """A fund's buckets and what is available: allocated − paid − approved − pending − expired."""

    allocated: Decimal
    pending: Decimal
    approved: Decimal
    paid: Decimal
    expired: Decimal
    available: Decimal
    currency: str


def balance_of(entries: list[FundEntry], currency: str) -> Balance:
    """The balance a ledger adds up to (available is the plain sum of the signed entries)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        sums[entry.bucket] += entry.amount
    buckets = {b: sums[b] if b == "allocated" else -sums[b] for b in BUCKETS}
    return Balance(**buckets, available=sum((e.amount for e in entries), Decimal(0)), currency=currency)


def total_balance(store: Store, funds: list[Fund], currency: str) -> Balance:
    """The balances of several funds added up."""
    return balance_of([e for f in funds for e in entries_of(store, f.id)], currency)


def quarter_bounds(quarter: str, timezone: str) -> tuple[date, date]:
    """The first day of a quarter and the first day of the next, as local dates."""
    found = QUARTER_LABEL.match(quarter)
    if found is None:
        raise QuarterInvalid(quarter)
    start = date(int(found.group(1)), 3 * (int(found.group(2)) - 1) + 1, 1)
    return start, start + relativedelta(months=3)


def previous_quarter(quarter: str) -> str:
    """The quarter before '2027-Q1': '2026-Q4'."""
    start, _ = quarter_bounds(quarter, "UTC")
    return period_of(start - timedelta(days=1))


def won_revenue(store: Store, company_id: str, quarter: str, currency: str) -> Decimal:
    """The final amounts of the company's deals won in a quarter, in one currency (others are not converted)."""
    won = [
        (d.closed_on, d.final_amount if d.final_amount is not None else d.amount)
        for d in store.select(DEALS, "company", company_id)
        if d.status == "won" and d.closed_on is not None and d.currency == currency
    ]
    return sum((amount for day, amount in won if period_of(day) == quarter), Decimal(0))


def amount_for(
    store: Store, program: Program, company: Company, quarter: str
) -> tuple[Decimal, AllocationRule, Decimal, str]:
    """(allocation, rule, basis, tier) for a company's quarter; allocation 0 when its tier gets none."""
    start, _ = quarter_bounds(quarter, program.program.timezone)
    tier = tier_on(store, company, start)
    rule = program.funds.allocation.get(tier)
    if rule is None:
        return Decimal(0), "fixed", Decimal(0), tier
    if rule.fixed is not None:
        return Decimal(rule.fixed), "fixed", Decimal(0), tier
    basis = won_revenue(store, company.id, previous_quarter(quarter), program.program.currency)
    share = (basis * Decimal(str(rule.percent)) / 100).quantize(CENT, ROUND_HALF_UP)
    return min(share, Decimal(rule.cap or 0)), "percent", basis, tier


def allocate(actor: User, store: Store, program: Program, quarter: str, now: datetime) -> list[Fund]:
    """A program admin allocates a quarter's MDF to every partner whose tier gets some; the new funds."""
    require(is_program_admin(actor), actor, "allocate market development funds")
    return allocate_quarter(store, program, quarter, now, actor.id)


def allocate_quarter(store: Store, program: Program, quarter: str, now: datetime, actor_id: str) -> list[Fund]:
    """The allocation itself (a job or the admin): once per partner and quarter."""
    _, end = quarter_bounds(quarter, program.program.timezone)
    expires = end + timedelta(days=program.funds.expire_after_days)
    made: list[Fund] = []
    with store.transaction():
        for company in store.select(COMPANIES):
            fund_id = f"{company.id}:{quarter}"
            if store.get(FUNDS, fund_id) is not None:
                continue
            amount, rule, basis, tier = amount_for(store, program, company, quarter)
            if amount <= 0:
                continue
            currency = program.program.currency
            fund = Fund(fund_id, company.id, quarter, currency, amount, rule, basis, tier, expires, now)
            store.add(FUNDS, fund)
            entry = FundEntry(new_id(), fund.id, company.id, "allocated", amount, now, actor_id, f"allocate:{fund.id}")
            store.append(FUND_LEDGER, entry)
            made.append(fund)
    return made


def next_quarter(quarter: str) -> str:
    """The quarter after '2026-Q4': '2027-Q1'."""
    _, end = quarter_bounds(quarter, "UTC")
    return period_of(end)


def credit_award_bonuses(store: Store, program: Program, now: datetime, actor_id: str) -> list[FundEntry]:
    """Credit each award's MDF bonus (`recognition.awards.mdf_bonuses`) to the winner company's fund of the
    quarter after the award's, once per award (its idempotency key): the fund is made when the tier gets
    no allocation of its own. A bonus in another currency than the program's is left for a person to
    credit (the ledger holds one currency per fund)."""
    credited: list[FundEntry] = []
    with store.transaction():
        for award in awards.mdf_bonuses(store):
            company = store.get(COMPANIES, award.company_id) if award.company_id else None
            if company is None or award.currency != program.program.currency:
                continue
            key = f"mdf-bonus:{award.idempotency_key}"
            quarter = next_quarter(award.period)
            fund = store.get(FUNDS, f"{company.id}:{quarter}")
            if fund is None:
                _, end = quarter_bounds(quarter, program.program.timezone)
                tier = tier_on(store, company, quarter_bounds(quarter, program.program.timezone)[0])
                expires = end + timedelta(days=program.funds.expire_after_days)
                fund = Fund(
                    f"{company.id}:{quarter}",
                    company.id,
                    quarter,
                    award.currency,
                    Decimal(0),
                    "fixed",
                    Decimal(0),
                    tier,
                    expires,
                    now,
                )
                store.add(FUNDS, fund)
            entry = FundEntry(new_id(), fund.id, company.id, "allocated", award.mdf, now, actor_id, key)
            if store.append(FUND_LEDGER, entry):
                credited.append(entry)
    return credited


def today(program: Program, now: datetime) -> date:
    """The program's local date."""
    return now.astimezone(ZoneInfo(program.program.timezone)).date()


def current_quarter(program: Program, now: datetime) -> str:
    """The program's current quarter: '2026-Q4'."""
    return quarter_label(now.astimezone(ZoneInfo(program.program.timezone)))


def expire(store: Store, program: Program, now: datetime, actor_id: str = "system") -> list[Fund]:
    """Spend what is still available in every fund past its expiry date; the funds that expired now."""
    day = today(program, now)
    done: list[Fund] = []
    with store.transaction():
        for fund in store.select(FUNDS):
            if fund.expires_on <= day and spend_expired(store, fund, now, actor_id):
                done.append(fund)
    return done


def spend_expired(store: Store, fund: Fund, now: datetime, actor_id: str) -> bool:
    """Write an "expired" entry for what an expired fund still has available (inside a transaction)."""
    entries = entries_of(store, fund.id)
    available = balance_of(entries, fund.currency).available
    if available <= 0:
        return False
    key = f"expire:{fund.id}:{len(entries)}"
    return store.append(
        FUND_LEDGER, FundEntry(new_id(), fund.id, fund.company_id, "expired", -available, now, actor_id, key)
    )


def remind(store: Store, program: Program, now: datetime) -> int:
    """Queue a reminder to the partner admins of each fund with money available that expires within one of
    program.yml's reminder_days (once per fund and threshold); how many were queued."""
    day, queued = today(program, now), 0
    with store.transaction():
        for fund in store.select(FUNDS):
            left = (fund.expires_on - day).days
            due = [d for d in sorted(program.funds.reminder_days) if 0 < left <= d]
            available = balance_of(entries_of(store, fund.id), fund.currency).available
            if not due or available <= 0:
                continue
            admins = tuple(
                u.id for u in store.select(USERS, "company", fund.company_id) if u.active and u.has_role(PARTNER_ADMIN)
            )
            payload = {
                "quarter": fund.quarter,
                "available": f"{available:,.2f} {fund.currency}",
                "expires": fund.expires_on.isoformat(),
                "days": str(left),
            }
            queued += record(
                store, event(FUNDS_EXPIRING, now, (fund.id,), payload, admins, key=f"funds.expiring:{fund.id}:{due[0]}")
            )
    return queued


def expire_and_remind(actor: User, store: Store, program: Program, now: datetime) -> tuple[list[Fund], int]:
    """A program admin runs the daily job now: expire what is past its date, queue the reminders due."""
    require(is_program_admin(actor), actor, "expire market development funds")
    return expire(store, program, now, actor.id), remind(store, program, now)


def funds_for(actor: User, store: Store, company_id: str) -> list[Fund]:
    """A company's funds for its members, its channel manager or a program admin."""
    company = store.get(COMPANIES, company_id)
    require(
        sees_company(actor, company),
        actor,
        "see the market development funds of company '{company_id}'",
        company_id=company_id,
    )
    return funds_of(store, company_id)
