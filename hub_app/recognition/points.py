"""Points: awards by program.yml's rules into an append-only ledger, caps, adjustments and reversals.

Each award carries an idempotency key, so a retake, a double click or a replayed job never awards
twice. Nothing is edited: a correction is a new entry that reverses the original.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from hub_app.catalog.models import Program
from hub_app.kernel.calendar import window_bounds
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.partners.permissions import require_manages_user, require_user_visible
from hub_app.partners.records import User
from hub_app.recognition.records import LedgerEntry
from hub_app.store.base import HubStore, in_window

MANUAL = "manual_adjustment"
REVERSAL = "reversal"
EVENT_RULES = ("deal_won", "event_attended")  # recorded by staff; the others follow from exams


class UnknownLedgerEntry(HubError):
    def __init__(self, entry_id: str):
        super().__init__(f"No points entry '{entry_id}'. Pick the entry from the person's points history.")
        self.entry_id = entry_id


class AlreadyReversed(HubError):
    def __init__(self, entry: LedgerEntry):
        super().__init__(
            f"The entry of {entry.points:+d} points ({entry.rule}, {entry.at:%Y-%m-%d}) was already reversed. "
            "Add a manual adjustment if the balance is still wrong."
        )
        self.entry = entry


class CannotReverseReversal(HubError):
    def __init__(self, entry: LedgerEntry):
        super().__init__("A reversal cannot itself be reversed. Add a manual adjustment instead.")
        self.entry = entry


class InvalidAdjustment(HubError):
    def __init__(self, message: str):
        super().__init__(message)


class UnknownUser(HubError):
    def __init__(self, user_id: str):
        super().__init__(f"No user '{user_id}'. Pick the person from the partner's team list.")
        self.user_id = user_id


def reversed_ids(entries: Iterable[LedgerEntry]) -> set[str]:
    """Ids of entries that a later entry reverses."""
    return {e.reverses for e in entries if e.reverses}


def _capped(store: HubStore, program: Program, user_id: str, rule_id: str, now: datetime) -> bool:
    rule = program.points.rule(rule_id)
    if rule is None or rule.cap is None:
        return False
    since, until = window_bounds(rule.cap.window, now, program.program.timezone)
    mine = store.ledger_of(user_id)  # the person's entries, not the whole window's: a cap is per person
    undone = reversed_ids(mine)
    used = [e for e in mine if e.rule == rule_id and in_window(e.at, since, until) and e.id not in undone]
    return len(used) >= rule.cap.count


def award(
    store: HubStore, program: Program, user: User, rule_id: str, key: str, now: datetime, reason: str = ""
) -> LedgerEntry | None:
    """Award a rule's points once per key; None when the program has no such rule, it is capped or done."""
    rule = program.points.rule(rule_id)
    if rule is None:
        return None
    with store.transaction():
        if _capped(store, program, user.id, rule_id, now):
            return None
        entry = LedgerEntry(new_id(), user.id, user.company_id, rule_id, rule.points, now, key, reason)
        return entry if store.append_ledger(entry) else None


def record_event(
    actor: User, store: HubStore, program: Program, user_id: str, rule_id: str, source_id: str, now: datetime
) -> LedgerEntry | None:
    """Staff record a deal won or an event attended (`source_id` names it, so it counts once)."""
    if rule_id not in EVENT_RULES:
        raise InvalidAdjustment(f"'{rule_id}' is awarded by the hub itself. Record one of: {', '.join(EVENT_RULES)}.")
    user = _user(store, user_id)
    require_manages_user(actor, user, store)
    return award(store, program, user, rule_id, f"{rule_id}:{user_id}:{source_id}", now)


def adjust(actor: User, store: HubStore, user_id: str, points: int, reason: str, now: datetime) -> LedgerEntry:
    """A manual adjustment by the person's channel manager or a program admin, with a reason."""
    user = _user(store, user_id)
    require_manages_user(actor, user, store)
    if not reason.strip():
        raise InvalidAdjustment("Give a reason for the adjustment; the partner sees it in their points history.")
    if points == 0:
        raise InvalidAdjustment("An adjustment of 0 points changes nothing. Enter a positive or negative number.")
    entry_id = new_id()
    entry = LedgerEntry(entry_id, user.id, user.company_id, MANUAL, points, now, f"{MANUAL}:{entry_id}", reason.strip())
    store.append_ledger(entry)
    return entry


def reverse(actor: User, store: HubStore, entry_id: str, reason: str, now: datetime) -> LedgerEntry:
    """Undo an entry with a new one of opposite sign that references it; each entry reverses once."""
    original = store.ledger_entry(entry_id)
    if original is None:
        raise UnknownLedgerEntry(entry_id)
    require_manages_user(actor, _user(store, original.user_id), store)
    if not reason.strip():
        raise InvalidAdjustment("Give a reason for the reversal; the partner sees it in their points history.")
    if original.reverses is not None:
        raise CannotReverseReversal(original)
    entry = LedgerEntry(
        new_id(), original.user_id, original.company_id, REVERSAL, -original.points, now,
        f"{REVERSAL}:{original.id}", reason.strip(), reverses=original.id,
    )  # fmt: skip
    if not store.append_ledger(entry):
        raise AlreadyReversed(original)
    return entry


def total(
    actor: User, store: HubStore, user_id: str, since: datetime | None = None, until: datetime | None = None
) -> int:
    """The person's points with since <= at < until (reversals count when they are made)."""
    user = _user(store, user_id)
    require_user_visible(actor, user, store)
    return sum(e.points for e in store.ledger_of(user_id) if in_window(e.at, since, until))


def history(actor: User, store: HubStore, user_id: str) -> list[LedgerEntry]:
    """The person's ledger entries, oldest first."""
    user = _user(store, user_id)
    require_user_visible(actor, user, store)
    return store.ledger_of(user_id)


def _user(store: HubStore, user_id: str) -> User:
    user = store.user(user_id)
    if user is None:
        raise UnknownUser(user_id)
    return user


def renewal_key(user_id: str, course_id: str, old_expiry: datetime) -> str:
    """The idempotency key of an on-time renewal bonus."""
    return f"on_time_renewal:{user_id}:{course_id}:{old_expiry.astimezone(ZoneInfo('UTC')):%Y-%m-%d}"
