"""Registering a deal, the channel manager's decision, protection, the one extension, won/lost, expiry.

Roles are checked here, whatever a page shows: a partner user acts on its own company's registrations, a
channel manager decides those of the partners assigned to them (a program admin: all). Every change is a
`DealEvent` fact in the deal's history, written in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from hub_app.catalog.models import Program
from hub_app.deals import commissions, conflicts, customers
from hub_app.deals.records import (
    DEAL_EVENTS,
    DEALS,
    Deal,
    DealAct,
    DealEvent,
    DealType,
    Stage,
    deals_of,
    events_of,
)
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Day, Items, Message, Term
from hub_app.partners.permissions import is_program_admin, manages, require, sees_company
from hub_app.partners.records import COMPANIES, USERS, Company, User
from hub_app.recognition.points import award
from hub_app.store.base import Store

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


class DealNotFound(HubError):
    msgid = "No deal registration '{deal_id}'. Pick one from your list of registrations."

    def __init__(self, deal_id: str):
        super().__init__(deal_id=deal_id)


class DealInvalid(HubError):
    msgid = "The registration cannot be {action}: {problems}"

    def __init__(self, action: Term, problems: list[Message]):
        super().__init__(action=action, problems=Items(problems))
        self.problems = problems


class DealWrongStatus(HubError):
    msgid = "This registration is {status}, so it cannot be {action} now."

    def __init__(self, status: str, action: Term):
        super().__init__(status=Term(STATUS_WORDS[status]), action=action)


STATUS_WORDS = {
    "draft": "a draft",
    "submitted": "awaiting a decision",
    "approved": "approved and protected",
    "rejected": "declined",
    "more_info": "waiting for more information",
    "won": "won",
    "lost": "lost",
    "expired": "expired",
}


class AlreadyProtected(HubError):
    msgid = "Another registration for this customer is protected until {day}: the first approved registration wins."

    def __init__(self, until: datetime):
        super().__init__(day=Day(until))


@dataclass(frozen=True)
class DealForm:
    """What a partner enters; amounts are text as typed (parsed to Decimal, never float)."""

    customer: str
    website: str = ""
    country: str = ""
    contact_email: str = ""
    products: tuple[str, ...] = ()
    seats: int = 0
    amount: str = "0"
    currency: str = "USD"
    expected_close: date | None = None
    stage: Stage = "prospect"
    meeting_date: date | None = None
    notes: str = ""
    deal_type: DealType = "resale"
    contact_phone: str = ""


def _money(text: str, problems: list[Message]) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        problems.append(Message("the amount '{text}' is not a number", text=text))
        return Decimal(0)
    if not value.is_finite() or value < 0:
        problems.append(Message("the amount '{text}' is not a number", text=text))
        return Decimal(0)
    return value


def _problems(form: DealForm, program: Program, complete: bool) -> list[Message]:
    problems: list[Message] = []
    if not form.customer.strip():
        problems.append(Message("enter the end customer's company name"))
    _money(form.amount, problems)
    if not CURRENCY.match(form.currency):
        problems.append(Message("the currency '{code}' is not an ISO code such as USD", code=form.currency))
    if form.deal_type not in ("resale", "referral"):
        problems.append(Message("'{deal_type}' is not a deal type; use resale or referral", deal_type=form.deal_type))
    if form.contact_email and not EMAIL.match(form.contact_email.strip()):
        problems.append(Message("'{email}' is not an email address", email=form.contact_email))
    if form.contact_phone.strip() and not customers.phone_key(form.contact_phone, form.country):
        problems.append(customers.bad_phone(form.contact_phone))
    known = {p.id for p in program.products}
    for product in form.products:
        if product not in known:
            problems.append(Message("'{product}' is not one of the program's products", product=product))
    if complete:
        required = [
            (form.website or form.contact_email, "the customer's website or a contact email"),
            (form.country, "the customer's country"),
            (form.contact_email, "the customer contact's email"),
            (form.products, "at least one product"),
            (form.expected_close, "the expected close date"),
            (form.meeting_date, "the date you met the customer"),
            (form.notes.strip(), "notes on what you have done and the next step"),
        ]
        problems += [Message("add {what}", what=Term(what)) for value, what in required if not value]
    return problems


def _company(store: Store, company_id: str) -> Company | None:
    return store.get(COMPANIES, company_id)


def _deal(store: Store, deal_id: str) -> Deal:
    deal = store.get(DEALS, deal_id)
    if deal is None:
        raise DealNotFound(deal_id)
    return deal


def _record(store: Store, deal: Deal, actor: User, act: DealAct, now: datetime, rule: str = "", note: str = "") -> None:
    n = len(events_of(store, deal.id))
    store.append(DEAL_EVENTS, DealEvent(new_id(), deal.id, now, actor.id, act, f"{deal.id}:{act}:{n}", rule, note))


def _require_partner(actor: User, deal: Deal) -> None:
    require(actor.active and actor.company_id == deal.company_id, actor, "change this deal registration")


def _require_manager(actor: User, store: Store, deal: Deal) -> None:
    require(manages(actor, _company(store, deal.company_id)), actor, "decide this deal registration")


def _require_status(deal: Deal, action: str, *allowed: str) -> None:
    if deal.status not in allowed:
        raise DealWrongStatus(deal.status, Term(action))


def _fields(form: DealForm) -> dict[str, object]:
    return {
        "customer": form.customer.strip(),
        "website": form.website.strip(),
        "country": form.country.strip(),
        "contact_email": form.contact_email.strip().lower(),
        "products": tuple(form.products),
        "seats": form.seats,
        "amount": _money(form.amount, []),
        "currency": form.currency,
        "expected_close": form.expected_close,
        "stage": form.stage,
        "meeting_date": form.meeting_date,
        "notes": form.notes.strip(),
        "contact_phone": form.contact_phone.strip(),
        "deal_type": form.deal_type,
    }


def register(actor: User, store: Store, program: Program, form: DealForm, now: datetime) -> Deal:
    """A partner user saves a draft registration for their company."""
    require(actor.active and actor.company_id is not None, actor, "register deals")
    assert actor.company_id is not None
    problems = _problems(form, program, complete=False)
    if problems:
        raise DealInvalid(Term("saved"), problems)
    deal = Deal(id=new_id(), company_id=actor.company_id, owner_id=actor.id, created=now, **_fields(form))  # type: ignore[arg-type]
    with store.transaction():
        store.add(DEALS, deal)
        _record(store, deal, actor, "registered", now)
    return deal


def revise(actor: User, store: Store, program: Program, deal_id: str, form: DealForm, now: datetime) -> Deal:
    """The partner edits a draft, or a registration the channel manager asked more information about."""
    with store.transaction():
        deal = _deal(store, deal_id)
        _require_partner(actor, deal)
        _require_status(deal, "changed", "draft", "more_info")
        problems = _problems(form, program, complete=False)
        if problems:
            raise DealInvalid(Term("saved"), problems)
        deal = replace(deal, **_fields(form))  # type: ignore[arg-type]
        store.replace(DEALS, deal)
        _record(store, deal, actor, "revised", now)
    return deal


def _form(deal: Deal) -> DealForm:
    return DealForm(
        deal.customer,
        deal.website,
        deal.country,
        deal.contact_email,
        deal.products,
        deal.seats,
        str(deal.amount),
        deal.currency,
        deal.expected_close,
        deal.stage,
        deal.meeting_date,
        deal.notes,
        deal.deal_type,
        deal.contact_phone,
    )


def precheck(actor: User, store: Store, program: Program, deal_id: str, now: datetime) -> list[Message]:
    """What the partner sees before submitting (no partner named): see `conflicts.partner_notice`."""
    deal = _deal(store, deal_id)
    _require_partner(actor, deal)
    return conflicts.partner_notice(conflicts.check(store, program.deals, deal), now)


def submit(actor: User, store: Store, program: Program, deal_id: str, now: datetime) -> Deal:
    """The partner submits a complete registration to its channel manager."""
    with store.transaction():
        deal = _deal(store, deal_id)
        _require_partner(actor, deal)
        _require_status(deal, "submitted", "draft", "more_info")
        problems = _problems(_form(deal), program, complete=True)
        if problems:
            raise DealInvalid(Term("submitted"), problems)
        deal = replace(deal, status="submitted", submitted_at=now)
        store.replace(DEALS, deal)
        _record(store, deal, actor, "submitted", now)
    return deal


def approve(actor: User, store: Store, program: Program, deal_id: str, now: datetime) -> Deal:
    """The channel manager approves: protection starts for the company's tier's window."""
    with store.transaction():
        deal = _deal(store, deal_id)
        _require_manager(actor, store, deal)
        _require_status(deal, "approved", "submitted")
        found = conflicts.check(store, program.deals, deal)
        held = [o for o in found.overlaps if o.deal.company_id != deal.company_id]
        until = conflicts.protected_until(conflicts.Check(tuple(held), ()), now)
        if until is not None:
            raise AlreadyProtected(until)
        company = _company(store, deal.company_id)
        tier = company.tier if company else program.tiers[0].id
        days = program.deals.protection_days[tier]
        deal = replace(deal, status="approved", protected_until=now + timedelta(days=days))
        store.replace(DEALS, deal)
        _record(store, deal, actor, "approved", now, rule=f"protection {days} days ({tier})")
    return deal


def reject(actor: User, store: Store, program: Program, deal_id: str, reason: str, note: str, now: datetime) -> Deal:
    """The channel manager rejects with one of program.yml's reason codes and a note."""
    if program.deals.reason(reason) is None:
        codes = Items(r.id for r in program.deals.reasons)
        raise DealInvalid(
            Term("rejected"),
            [Message("'{reason}' is not a reason code; use one of {codes}", reason=reason, codes=codes)],
        )
    with store.transaction():
        deal = _deal(store, deal_id)
        _require_manager(actor, store, deal)
        _require_status(deal, "rejected", "submitted", "more_info")
        deal = replace(deal, status="rejected", reason=reason)
        store.replace(DEALS, deal)
        _record(store, deal, actor, "rejected", now, rule=reason, note=note.strip())
    return deal


def request_info(actor: User, store: Store, deal_id: str, note: str, now: datetime) -> Deal:
    """The channel manager asks the partner for more information (the note says what)."""
    if not note.strip():
        raise DealInvalid(Term("sent back"), [Message("say what information is missing")])
    with store.transaction():
        deal = _deal(store, deal_id)
        _require_manager(actor, store, deal)
        _require_status(deal, "sent back", "submitted")
        deal = replace(deal, status="more_info")
        store.replace(DEALS, deal)
        _record(store, deal, actor, "info_requested", now, note=note.strip())
    return deal


def request_extension(actor: User, store: Store, deal_id: str, now: datetime) -> Deal:
    """The partner asks for the deal's one extension before protection ends."""
    with store.transaction():
        deal = _deal(store, deal_id)
        _require_partner(actor, deal)
        _require_status(deal, "extended", "approved")
        if deal.extension_used or deal.extension_requested:
            raise DealInvalid(Term("extended"), [Message("a registration gets one extension, and this one has had it")])
        deal = replace(deal, extension_requested=True)
        store.replace(DEALS, deal)
        _record(store, deal, actor, "extension_requested", now)
    return deal


def grant_extension(actor: User, store: Store, program: Program, deal_id: str, now: datetime) -> Deal:
    """The channel manager grants the requested extension: program.yml's extension_days more protection."""
    with store.transaction():
        deal = _deal(store, deal_id)
        _require_manager(actor, store, deal)
        _require_status(deal, "extended", "approved")
        if deal.extension_used or not deal.extension_requested or deal.protected_until is None:
            raise DealInvalid(Term("extended"), [Message("the partner has not asked for an extension")])
        days = program.deals.extension_days
        deal = replace(
            deal,
            extension_used=True,
            extension_requested=False,
            protected_until=deal.protected_until + timedelta(days=days),
        )
        store.replace(DEALS, deal)
        _record(store, deal, actor, "extended", now, rule=f"extension {days} days")
    return deal


def close(
    actor: User,
    store: Store,
    program: Program,
    deal_id: str,
    won: bool,
    closed_on: date,
    final_amount: str,
    now: datetime,
) -> Deal:
    """The partner marks an approved deal won or lost; a win awards the owner the deal_won points and puts
    its commission line on the company's statement, in the same transaction."""
    problems: list[Message] = []
    amount = _money(final_amount, problems)
    if problems:
        raise DealInvalid(Term("closed"), problems)
    with store.transaction():
        deal = _deal(store, deal_id)
        _require_partner(actor, deal)
        _require_status(deal, "closed", "approved")
        act: DealAct = "won" if won else "lost"
        deal = replace(deal, status="won" if won else "lost", closed_on=closed_on, final_amount=amount)
        store.replace(DEALS, deal)
        _record(store, deal, actor, act, now)
        owner = store.get(USERS, deal.owner_id)
        if won and owner is not None:
            award(store, program, owner, "deal_won", f"deal_won:{deal.id}", now)
        if won:
            customers.remember_won(store, deal, now)
            commissions.earn(store, program, deal, now)
    return deal


def expire_deals(store: Store, now: datetime, actor: User) -> list[Deal]:
    """Approved registrations whose protection has run out become expired; returns them."""
    expired: list[Deal] = []
    with store.transaction():
        for deal in store.select(DEALS, "status", "approved"):
            if deal.protected_until is not None and deal.protected_until <= now:
                done = replace(deal, status="expired")
                store.replace(DEALS, done)
                _record(store, done, actor, "expired", now, rule="protection ended")
                expired.append(done)
    return expired


def visible_deals(actor: User, store: Store) -> list[Deal]:
    """The registrations the actor may see: its company's, its assigned partners', or (admin) all."""
    if is_program_admin(actor):
        return store.select(DEALS)
    if actor.company_id is not None:
        return deals_of(store, actor.company_id) if actor.active else []
    companies = [c for c in store.select(COMPANIES) if manages(actor, c)]
    return [d for c in companies for d in deals_of(store, c.id)]


def history(actor: User, store: Store, deal_id: str) -> list[DealEvent]:
    """The deal's full history, for its partner and its channel manager."""
    deal = _deal(store, deal_id)
    require(sees_company(actor, _company(store, deal.company_id)), actor, "see this deal registration")
    return events_of(store, deal.id)


@dataclass(frozen=True)
class SideBySide:
    """The channel manager's view of one registration next to each overlapping one, with the rule named."""

    deal: Deal
    overlaps: tuple[conflicts.Overlap, ...]
    ignored: tuple[tuple[conflicts.MatchRule, int], ...]


def overlap_view(actor: User, store: Store, program: Program, deal_id: str) -> SideBySide:
    """What the channel manager decides on: this registration and those it overlaps (partners named)."""
    deal = _deal(store, deal_id)
    _require_manager(actor, store, deal)
    found = conflicts.check(store, program.deals, deal)
    return SideBySide(deal, found.overlaps, found.ignored)
