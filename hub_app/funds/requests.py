"""An MDF request's life: request → pre-approval (fixing the proof required) or decline → claim with proof
→ approved, partially approved or denied → paid. Every step moves money on the fund ledger in the same
transaction as the request's change, so the balance is always the ledger's sum and never negative.

Roles are checked here: a partner admin requests and claims for its own company; the company's channel
manager (or a program admin) decides and pays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from hub_app.catalog.models import Program
from hub_app.funds import proofs
from hub_app.funds.allocation import CENT, balance_of, quarter_bounds, spend_expired, today
from hub_app.funds.records import (
    FUND_LEDGER,
    FUNDS,
    PROOFS,
    REQUESTS,
    Bucket,
    Fund,
    FundEntry,
    MdfRequest,
    ProofFile,
    RequestStatus,
    entries_of,
    funds_of,
    requests_of,
)
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Items, Message, Term
from hub_app.partners.permissions import is_partner_admin, is_program_admin, manages, require, sees_company
from hub_app.partners.records import COMPANIES, User
from hub_app.store.base import Store

STATUS_WORDS = {
    "pending": "waiting for pre-approval",
    "preapproved": "pre-approved",
    "declined": "declined",
    "claimed": "claimed, waiting for a decision",
    "approved": "claim approved",
    "partial": "claim partially approved",
    "denied": "claim denied",
    "paid": "paid",
}


class RequestInvalid(HubError):
    msgid = "The MDF {what} cannot be {action}: {problems}"

    def __init__(self, what: Term, action: Term, problems: list[Message]):
        super().__init__(what=what, action=action, problems=Items(problems))
        self.problems = problems


class RequestNotFound(HubError):
    msgid = "No MDF request '{request_id}'. Pick one from your list of requests."

    def __init__(self, request_id: str):
        super().__init__(request_id=request_id)


class RequestWrongStatus(HubError):
    msgid = "This MDF request is {status}, so it cannot be {action} now."

    def __init__(self, status: str, action: Term):
        super().__init__(status=Term(STATUS_WORDS[status]), action=action)


class NotEnoughFunds(HubError):
    msgid = "Only {available} of market development funds are available; this asks for {amount}."

    def __init__(self, available: str, amount: str):
        super().__init__(available=available, amount=amount)


def money_text(value: Decimal, currency: str) -> str:
    """'2,500.00 USD'."""
    return f"{value:,.2f} {currency}"


@dataclass(frozen=True)
class RequestForm:
    """What a partner admin enters; amounts and numbers as typed (parsed to Decimal, never float)."""

    activity: str
    title: str
    starts: date | None
    ends: date | None
    expected_leads: str
    cost: str
    vendor_share_pct: str


@dataclass(frozen=True)
class ClaimForm:
    """The claim: actual cost and results, a note, and the proof files."""

    actual_cost: str
    actual_leads: str
    note: str
    uploads: tuple[proofs.Upload, ...]


def _decimal(text: str, label: str, problems: list[Message], positive: bool = True) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or (positive and value == 0):
        problems.append(Message("{field} '{text}' is not an amount above 0", field=Term(label), text=text))
        return Decimal(0)
    return value.quantize(CENT, ROUND_HALF_UP)


def _count(text: str, label: str, problems: list[Message]) -> int:
    if not text.strip().isdigit():
        problems.append(Message("{field} '{text}' is not a whole number", field=Term(label), text=text))
        return 0
    return int(text.strip())


def _request_problems(form: RequestForm, program: Program, day: date) -> tuple[list[Message], Decimal, int, int]:
    rules, problems = program.funds, []
    if rules.activity(form.activity) is None:
        codes = Items(a.id for a in rules.activities)
        problems.append(
            Message("'{activity}' is not an activity type; use one of {codes}", activity=form.activity, codes=codes)
        )
    if not form.title.strip():
        problems.append(Message("describe the activity in a title"))
    if form.starts is None or form.ends is None:
        problems.append(Message("give the activity's start and end dates"))
    elif form.ends < form.starts:
        problems.append(Message("the activity ends before it starts"))
    elif form.starts < day:
        problems.append(Message("request before the activity starts, not after"))
    leads = _count(form.expected_leads, "the expected leads", problems)
    cost = _decimal(form.cost, "the cost", problems)
    share = _count(form.vendor_share_pct, "the vendor share", problems)
    if form.vendor_share_pct.strip().isdigit() and not 1 <= share <= rules.max_vendor_share_pct:
        problems.append(
            Message("the vendor share is at most {pct} % (you pay the rest)", pct=rules.max_vendor_share_pct)
        )
    return problems, cost, leads, share


def _move(
    store: Store, fund: Fund, request_id: str, actor: User, now: datetime, *moves: tuple[Bucket, Decimal]
) -> None:
    n = len(entries_of(store, fund.id))
    for i, (bucket, amount) in enumerate(moves):
        if amount == 0:
            continue
        key = f"{request_id}:{bucket}:{n + i}"
        store.append(
            FUND_LEDGER, FundEntry(new_id(), fund.id, fund.company_id, bucket, amount, now, actor.id, key, request_id)
        )


def _fund_for(store: Store, program: Program, company_id: str, amount: Decimal, day: date) -> Fund:
    # A fund is open from the first day of its quarter until it expires; the one expiring first is used first.
    started = [f for f in funds_of(store, company_id) if quarter_bounds(f.quarter, "UTC")[0] <= day < f.expires_on]
    open_funds = sorted(started, key=lambda f: f.expires_on)
    for fund in open_funds:
        if balance_of(entries_of(store, fund.id), fund.currency).available >= amount:
            return fund
    available = sum((balance_of(entries_of(store, f.id), f.currency).available for f in open_funds), Decimal(0))
    raise NotEnoughFunds(money_text(available, program.program.currency), money_text(amount, program.program.currency))


def request(actor: User, store: Store, program: Program, form: RequestForm, now: datetime) -> MdfRequest:
    """A partner admin asks for funds before an activity; the vendor's share is reserved as pending."""
    require(is_partner_admin(actor) and actor.company_id is not None, actor, "request market development funds")
    assert actor.company_id is not None
    day = today(program, now)
    problems, cost, leads, share = _request_problems(form, program, day)
    if problems:
        raise RequestInvalid(Term("request"), Term("sent"), problems)
    amount = (cost * share / 100).quantize(CENT, ROUND_HALF_UP)
    assert form.starts is not None and form.ends is not None
    with store.transaction():
        fund = _fund_for(store, program, actor.company_id, amount, day)
        made = MdfRequest(
            new_id(),
            actor.company_id,
            fund.id,
            actor.id,
            form.activity,
            form.title.strip(),
            form.starts,
            form.ends,
            leads,
            cost,
            share,
            amount,
            fund.currency,
            now,
        )
        store.add(REQUESTS, made)
        _move(store, fund, made.id, actor, now, ("pending", -amount))
    return made


def _request(store: Store, request_id: str) -> tuple[MdfRequest, Fund]:
    found = store.get(REQUESTS, request_id)
    if found is None:
        raise RequestNotFound(request_id)
    fund = store.get(FUNDS, found.fund_id)
    assert fund is not None
    return found, fund


def _require_manager(actor: User, store: Store, found: MdfRequest, action: str) -> None:
    require(manages(actor, store.get(COMPANIES, found.company_id)), actor, action)


def _require_status(found: MdfRequest, action: str, *allowed: str) -> None:
    if found.status not in allowed:
        raise RequestWrongStatus(found.status, Term(action))


def _after_release(store: Store, program: Program, fund: Fund, actor: User, now: datetime) -> None:
    # Money given back to a fund that has already expired expires with it, at once.
    if fund.expires_on <= today(program, now):
        spend_expired(store, fund, now, actor.id)


def preapprove(
    actor: User,
    store: Store,
    program: Program,
    request_id: str,
    amount: str,
    required: tuple[str, ...],
    note: str,
    now: datetime,
) -> MdfRequest:
    """The channel manager pre-approves up to the reserved amount and names the proof the claim must carry."""
    problems: list[Message] = []
    value = _decimal(amount, "the pre-approved amount", problems)
    unknown = [p for p in required if program.funds.proof(p) is None]
    if not required:
        problems.append(Message("name at least one proof of performance the claim must carry"))
    problems += [Message("'{proof}' is not a proof of performance type", proof=p) for p in unknown]
    if problems:
        raise RequestInvalid(Term("request"), Term("pre-approved"), problems)
    with store.transaction():
        found, fund = _request(store, request_id)
        _require_manager(actor, store, found, "decide this MDF request")
        _require_status(found, "pre-approved", "pending")
        if value > found.amount:
            raise RequestInvalid(
                Term("request"),
                Term("pre-approved"),
                [
                    Message(
                        "pre-approve at most the {amount} asked for", amount=money_text(found.amount, found.currency)
                    )
                ],
            )
        done = replace(
            found,
            status="preapproved",
            preapproved_amount=value,
            proofs_required=tuple(required),
            decided_by=actor.id,
            decided_at=now,
            decision_note=note.strip(),
        )
        store.replace(REQUESTS, done)
        _move(store, fund, found.id, actor, now, ("pending", found.amount), ("approved", -value))
        _after_release(store, program, fund, actor, now)
    return done


def decline(actor: User, store: Store, program: Program, request_id: str, note: str, now: datetime) -> MdfRequest:
    """The channel manager declines a request (the note says why); the reserved amount is given back."""
    if not note.strip():
        raise RequestInvalid(Term("request"), Term("declined"), [Message("say why you decline it")])
    with store.transaction():
        found, fund = _request(store, request_id)
        _require_manager(actor, store, found, "decide this MDF request")
        _require_status(found, "declined", "pending")
        done = replace(found, status="declined", decided_by=actor.id, decided_at=now, decision_note=note.strip())
        store.replace(REQUESTS, done)
        _move(store, fund, found.id, actor, now, ("pending", found.amount))
        _after_release(store, program, fund, actor, now)
    return done


def _claim_problems(found: MdfRequest, form: ClaimForm, program: Program, day: date) -> tuple[list[Message], list[str]]:
    rules, problems = program.funds, []
    if day < found.ends:
        problems.append(Message("claim after the activity has ended ({day})", day=found.ends.isoformat()))
    if day > found.ends + timedelta(days=rules.claim_within_days):
        problems.append(
            Message("claims are accepted up to {days} days after the activity", days=rules.claim_within_days)
        )
    _decimal(form.actual_cost, "the actual cost", problems)
    _count(form.actual_leads, "the leads generated", problems)
    types: list[str] = []
    for upload in form.uploads:
        kind, refused = proofs.content_type(upload, rules.proof_max_mb)
        problems += refused
        types.append(kind or "")
        if rules.proof(upload.proof) is None:
            problems.append(Message("'{proof}' is not a proof of performance type", proof=upload.proof))
    given = {u.proof for u in form.uploads}
    names = [p for p in found.proofs_required if p not in given]
    if names:
        problems.append(
            Message(
                "add the proof required at pre-approval: {proofs}",
                proofs=Items(names),
            )
        )
    return problems, types


def claim(
    actor: User, store: Store, program: Program, blob_dir: Path, request_id: str, form: ClaimForm, now: datetime
) -> MdfRequest:
    """A partner admin claims a pre-approved activity with its results and proof files (kept by hash)."""
    with store.transaction():
        found, _ = _request(store, request_id)
        require(is_partner_admin(actor) and actor.company_id == found.company_id, actor, "claim this MDF request")
        _require_status(found, "claimed", "preapproved")
        problems, types = _claim_problems(found, form, program, today(program, now))
        if problems:
            raise RequestInvalid(Term("claim"), Term("sent"), problems)
        cost = _decimal(form.actual_cost, "the actual cost", [])
        share = (cost * found.vendor_share_pct / 100).quantize(CENT, ROUND_HALF_UP)
        claimed = min(share, found.preapproved_amount or Decimal(0))
        for upload, kind in zip(form.uploads, types, strict=True):
            sha = proofs.keep(blob_dir, upload.data)
            store.add(
                PROOFS,
                ProofFile(
                    new_id(), found.id, upload.proof, upload.filename, kind, len(upload.data), sha, actor.id, now
                ),
            )
        done = replace(
            found,
            status="claimed",
            actual_cost=cost,
            actual_leads=int(form.actual_leads.strip()),
            claim_note=form.note.strip(),
            claimed_amount=claimed,
            claimed_at=now,
        )
        store.replace(REQUESTS, done)
    return done


def decide_claim(
    actor: User, store: Store, program: Program, request_id: str, amount: str, note: str, now: datetime
) -> MdfRequest:
    """The channel manager approves the claimed amount, approves part of it (a note says why) or denies it
    (amount 0, a note says why); what is not approved is given back to the fund."""
    problems: list[Message] = []
    value = _decimal(amount, "the approved amount", problems, positive=False)
    if problems:
        raise RequestInvalid(Term("claim"), Term("decided"), problems)
    with store.transaction():
        found, fund = _request(store, request_id)
        _require_manager(actor, store, found, "decide this MDF claim")
        _require_status(found, "decided", "claimed")
        claimed = found.claimed_amount or Decimal(0)
        if value > claimed:
            raise RequestInvalid(
                Term("claim"),
                Term("decided"),
                [Message("approve at most the {amount} claimed", amount=money_text(claimed, found.currency))],
            )
        if value < claimed and not note.strip():
            raise RequestInvalid(Term("claim"), Term("decided"), [Message("say why you approve less than claimed")])
        status: RequestStatus = "approved" if value == claimed else "partial" if value > 0 else "denied"
        done = replace(
            found,
            status=status,
            approved_amount=value,
            claim_decided_by=actor.id,
            claim_decided_at=now,
            claim_decision_note=note.strip(),
        )
        store.replace(REQUESTS, done)
        reserved = found.preapproved_amount or Decimal(0)
        _move(store, fund, found.id, actor, now, ("approved", reserved), ("approved", -value))
        _after_release(store, program, fund, actor, now)
    return done


def pay(actor: User, store: Store, request_id: str, reference: str, now: datetime) -> MdfRequest:
    """The channel manager (or a program admin) records the payment of an approved claim, with its reference."""
    if not reference.strip():
        raise RequestInvalid(Term("claim"), Term("paid"), [Message("give the payment reference")])
    with store.transaction():
        found, fund = _request(store, request_id)
        _require_manager(actor, store, found, "pay this MDF claim")
        _require_status(found, "paid", "approved", "partial")
        amount = found.approved_amount or Decimal(0)
        done = replace(found, status="paid", paid_reference=reference.strip(), paid_at=now, paid_by=actor.id)
        store.replace(REQUESTS, done)
        _move(store, fund, found.id, actor, now, ("approved", amount), ("paid", -amount))
    return done


def visible_requests(actor: User, store: Store) -> list[MdfRequest]:
    """The requests the actor may see: its company's, its assigned partners', or (admin) all."""
    if is_program_admin(actor):
        return store.select(REQUESTS)
    if actor.company_id is not None:
        return requests_of(store, actor.company_id) if actor.active else []
    companies = [c for c in store.select(COMPANIES) if manages(actor, c)]
    return [r for c in companies for r in requests_of(store, c.id)]


def proof_files(actor: User, store: Store, request_id: str) -> list[ProofFile]:
    """The proof files of a claim, for its partner and its channel manager."""
    found, _ = _request(store, request_id)
    require(sees_company(actor, store.get(COMPANIES, found.company_id)), actor, "see this MDF claim")
    return store.select(PROOFS, "request", found.id)
