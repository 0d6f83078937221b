"""Commissions: a won deal's line on the append-only commission ledger, quarterly statements, disputes.

A line is the deal's final amount times program.yml's rate for its deal type (resale or referral) at the
partner's tier on the close date. Lines are grouped into quarterly statements per partner; a program admin
approves a statement once its quarter is over, and an approved statement is frozen: a line earned later for
that quarter goes on the next open one. A partner raises a dispute as a note on a line; its channel manager
answers, and a correction is a reversal line, never an edit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from hub_app.catalog.models import Program
from hub_app.deals.records import (
    COMMISSIONS,
    DISPUTES,
    STATEMENTS,
    CommissionLine,
    Deal,
    Dispute,
    Statement,
)
from hub_app.kernel.calendar import quarter_label
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Message
from hub_app.partners.permissions import is_program_admin, manages, require, sees_company
from hub_app.partners.records import COMPANIES, Company, User
from hub_app.store.base import Store
from hub_app.tiers.records import proposals

CENT = Decimal("0.01")


class StatementNotClosed(HubError):
    msgid = "The statement for {period} cannot be approved before its quarter is over."

    def __init__(self, period: str):
        super().__init__(period=period)


class StatementFrozen(HubError):
    msgid = "The statement for {period} is approved, so it cannot change. Raise it with your channel manager."

    def __init__(self, period: str):
        super().__init__(period=period)


class DisputesOpen(HubError):
    msgid = "The statement for {period} has {count} unanswered dispute(s). Answer them before approving it."

    def __init__(self, period: str, count: int):
        super().__init__(period=period, count=count)


class CommissionNotFound(HubError):
    msgid = "No commission line or dispute '{line_id}'. Pick one from the statement."

    def __init__(self, line_id: str):
        super().__init__(line_id=line_id)


class NoteRequired(HubError):
    msgid = "Write {what}: it cannot be empty."

    def __init__(self, what: str):
        super().__init__(what=Message(what))


class AlreadyDisputed(HubError):
    msgid = "This line already has an unanswered dispute. Wait for your channel manager's answer."

    def __init__(self) -> None:
        super().__init__()


class DisputeAnswered(HubError):
    msgid = "This dispute is answered already. The partner can raise a new one on the line."

    def __init__(self) -> None:
        super().__init__()


def period_of(day: date) -> str:
    """The quarter a day falls in: '2026-Q4'."""
    return quarter_label(datetime(day.year, day.month, day.day))


def next_period(period: str) -> str:
    """The quarter after '2026-Q4': '2027-Q1'."""
    year, q = int(period[:4]), int(period[-1])
    return f"{year + 1}-Q1" if q == 4 else f"{year}-Q{q + 1}"


def tier_on(store: Store, company: Company, day: date) -> str:
    """The company's tier on a day: its tier now, walked back through the tier changes approved since."""
    changed = [p for p in proposals(store, "approved") if p.company_id == company.id and p.decided_at is not None]
    later = sorted(
        (p for p in changed if p.decided_at and p.decided_at.date() > day), key=lambda p: p.decided_at or p.created
    )
    return later[0].from_tier if later else company.tier


def _open_period(store: Store, company_id: str, period: str) -> str:
    while store.get(STATEMENTS, f"{company_id}:{period}") is not None:
        period = next_period(period)
    return period


def earn(store: Store, program: Program, deal: Deal, now: datetime) -> CommissionLine | None:
    """Append a won deal's commission line (inside the caller's transaction); None when the rate is 0 or
    the line was written before."""
    company = store.get(COMPANIES, deal.company_id)
    if company is None or deal.closed_on is None:
        return None
    tier = tier_on(store, company, deal.closed_on)
    rate = Decimal(f"{program.commissions.rate(deal.deal_type, tier):g}")
    base = deal.final_amount if deal.final_amount is not None else deal.amount
    if rate == 0:
        return None
    amount = (base * rate / 100).quantize(CENT, ROUND_HALF_UP)
    period = _open_period(store, company.id, period_of(deal.closed_on))
    line = CommissionLine(
        new_id(),
        company.id,
        deal.id,
        period,
        deal.closed_on,
        tier,
        deal.deal_type,
        rate,
        base,
        amount,
        deal.currency,
        now,
        f"commission:{deal.id}",
    )
    return line if store.append(COMMISSIONS, line) else None


def totals(lines: list[CommissionLine]) -> dict[str, Decimal]:
    """The sum of the lines per currency."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        sums[line.currency] += line.amount
    return dict(sorted(sums.items()))


@dataclass(frozen=True)
class StatementView:
    """A partner's statement for a quarter: its lines, totals per currency, approval and disputes."""

    company: Company
    period: str
    lines: tuple[CommissionLine, ...]
    totals: dict[str, Decimal]
    approved: Statement | None
    disputes: tuple[Dispute, ...]

    def open_disputes(self) -> list[Dispute]:
        """The disputes not answered yet."""
        return [d for d in self.disputes if d.answered_at is None]


def _company(actor: User, store: Store, company_id: str) -> Company:
    company = store.get(COMPANIES, company_id)
    require(
        sees_company(actor, company),
        actor,
        "see the commission statements of company '{company_id}'",
        company_id=company_id,
    )
    assert company is not None
    return company


def statement(actor: User, store: Store, company_id: str, period: str) -> StatementView:
    """The statement as its partner, its channel manager or a program admin sees it."""
    company = _company(actor, store, company_id)
    lines = tuple(store.select(COMMISSIONS, "statement", (company_id, period)))
    approved = store.get(STATEMENTS, f"{company_id}:{period}")
    disputes = tuple(store.select(DISPUTES, "statement", (company_id, period)))
    return StatementView(company, period, lines, totals(list(lines)), approved, disputes)


def periods(actor: User, store: Store, company_id: str, now: datetime, timezone: str) -> list[str]:
    """The quarters with a statement for the company, newest first, always including the current one."""
    _company(actor, store, company_id)
    current = quarter_label(now.astimezone(ZoneInfo(timezone)))
    found = {line.period for line in store.select(COMMISSIONS, "company", company_id)} | {current}
    return sorted(found, reverse=True)


def approve(actor: User, store: Store, company_id: str, period: str, now: datetime, timezone: str) -> Statement:
    """A program admin approves a closed quarter's statement; it is frozen from then on."""
    require(is_program_admin(actor), actor, "approve commission statements")
    if period >= quarter_label(now.astimezone(ZoneInfo(timezone))):
        raise StatementNotClosed(period)
    with store.transaction():
        view = statement(actor, store, company_id, period)
        if view.approved is not None:
            raise StatementFrozen(period)
        if view.open_disputes():
            raise DisputesOpen(period, len(view.open_disputes()))
        money = tuple(f"{currency} {amount}" for currency, amount in view.totals.items())
        done = Statement(
            f"{company_id}:{period}", company_id, period, tuple(x.id for x in view.lines), money, actor.id, now
        )
        store.add(STATEMENTS, done)
    return done


def _line(store: Store, line_id: str) -> CommissionLine:
    line = store.get(COMMISSIONS, line_id)
    if line is None:
        raise CommissionNotFound(line_id)
    return line


def dispute(actor: User, store: Store, line_id: str, note: str, now: datetime) -> Dispute:
    """A member of the partner raises a question on a line of an open statement."""
    if not note.strip():
        raise NoteRequired("what is wrong with this line")
    with store.transaction():
        line = _line(store, line_id)
        require(actor.active and actor.company_id == line.company_id, actor, "dispute this commission line")
        if store.get(STATEMENTS, f"{line.company_id}:{line.period}") is not None:
            raise StatementFrozen(line.period)
        if any(d.answered_at is None for d in store.select(DISPUTES, "line", line.id)):
            raise AlreadyDisputed()
        raised = Dispute(new_id(), line.id, line.company_id, line.period, actor.id, now, note.strip())
        store.add(DISPUTES, raised)
    return raised


def answer(actor: User, store: Store, dispute_id: str, text: str, now: datetime, reverse: bool = False) -> Dispute:
    """The channel manager answers a dispute; ``reverse`` also reverses the line (a correction)."""
    if not text.strip():
        raise NoteRequired("your answer to the partner")
    with store.transaction():
        raised = store.get(DISPUTES, dispute_id)
        if raised is None:
            raise CommissionNotFound(dispute_id)
        require(manages(actor, store.get(COMPANIES, raised.company_id)), actor, "answer this commission dispute")
        if raised.answered_at is not None:
            raise DisputeAnswered()
        done = replace(raised, answer=text.strip(), answered_by=actor.id, answered_at=now)
        store.replace(DISPUTES, done)
        if reverse:
            _reverse(store, _line(store, raised.line_id), now)
    return done


def _reverse(store: Store, line: CommissionLine, now: datetime) -> None:
    period = _open_period(store, line.company_id, line.period)
    store.append(
        COMMISSIONS,
        replace(
            line,
            id=new_id(),
            period=period,
            amount=-line.amount,
            base=-line.base,
            at=now,
            idempotency_key=f"reversal:{line.id}",
            reverses=line.id,
        ),
    )


def statement_rows(view: StatementView) -> list[dict[str, object]]:
    """The statement's lines as rows for a CSV file (one column per fact, amounts as Decimal)."""
    return [
        {
            "period": line.period,
            "line": line.id,
            "deal": line.deal_id,
            "earned_on": line.earned_on.isoformat(),
            "deal_type": line.deal_type,
            "tier": line.tier,
            "rate_pct": line.rate,
            "base": line.base,
            "amount": line.amount,
            "currency": line.currency,
            "reverses": line.reverses or "",
        }
        for line in view.lines
    ]
