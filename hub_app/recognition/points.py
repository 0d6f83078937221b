"""Points: awards by program.yml's rules into an append-only ledger, caps, adjustments and reversals.

Each award carries an idempotency key, so a retake, a double click or a replayed job never awards
twice. Nothing is edited: a correction is a new entry that reverses the original.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from hub_app.catalog.models import Adjustments, Program
from hub_app.kernel.calendar import window_bounds
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Day, Items, Message, Number, Rule
from hub_app.partners.permissions import require_manages_user, require_user_visible
from hub_app.partners.records import USERS, User
from hub_app.recognition.records import LEDGER, LedgerEntry, ledger_of
from hub_app.store.base import Store, in_window

MANUAL = "manual_adjustment"
REVERSAL = "reversal"
EVENT_RULES = ("deal_won", "event_attended")  # recorded by staff; the others follow from exams
DEFAULT_LIMITS = Adjustments()  # program.yml's points.adjustments when it says nothing


class UnknownLedgerEntry(HubError):
    msgid = "No points entry '{entry_id}'. Pick the entry from the person's points history."

    def __init__(self, entry_id: str):
        super().__init__(entry_id=entry_id)
        self.entry_id = entry_id


class AlreadyReversed(HubError):
    msgid = (
        "The entry of {points} points ({rule}, {day}) was already reversed. "
        "Add a manual adjustment if the balance is still wrong."
    )

    def __init__(self, entry: LedgerEntry):
        super().__init__(points=Number(entry.points, signed=True), rule=Rule(entry.rule), day=Day(entry.at))
        self.entry = entry


class CannotReverseReversal(HubError):
    msgid = "A reversal cannot itself be reversed. Add a manual adjustment instead."

    def __init__(self, entry: LedgerEntry):
        super().__init__()
        self.entry = entry


class InvalidAdjustment(HubError):
    msgid = "{problem}"

    def __init__(self, problem: Message):
        super().__init__(problem=problem)
        self.problem = problem


class AdjustmentTooLarge(HubError):
    msgid = "An adjustment is at most {limit} points either way (program.yml points.adjustments). Nothing was changed."

    def __init__(self, points: int, limit: int):
        super().__init__(limit=Number(limit))
        self.points, self.limit = points, limit


class AdjustmentNeedsConfirmation(HubError):
    msgid = "{points} points is more than {threshold} either way: confirm the adjustment to make it."

    def __init__(self, points: int, threshold: int):
        super().__init__(points=Number(points, signed=True), threshold=Number(threshold))
        self.points, self.threshold = points, threshold


class UnknownUser(HubError):
    msgid = "No user '{user_id}'. Pick the person from the partner's team list."

    def __init__(self, user_id: str):
        super().__init__(user_id=user_id)
        self.user_id = user_id


def reversed_ids(entries: Iterable[LedgerEntry]) -> set[str]:
    """Ids of entries that a later entry reverses."""
    return {e.reverses for e in entries if e.reverses}


def _capped(store: Store, program: Program, user_id: str, rule_id: str, now: datetime) -> bool:
    rule = program.points.rule(rule_id)
    if rule is None or rule.cap is None:
        return False
    since, until = window_bounds(rule.cap.window, now, program.program.timezone)
    mine = ledger_of(store, user_id)  # the person's entries, not the whole window's: a cap is per person
    undone = reversed_ids(mine)
    used = [e for e in mine if e.rule == rule_id and in_window(e.at, since, until) and e.id not in undone]
    return len(used) >= rule.cap.count


def award(
    store: Store, program: Program, user: User, rule_id: str, key: str, now: datetime, reason: str = ""
) -> LedgerEntry | None:
    """Award a rule's points once per key; None when the program has no such rule, it is capped or done."""
    rule = program.points.rule(rule_id)
    if rule is None:
        return None
    with store.transaction():
        if _capped(store, program, user.id, rule_id, now):
            return None
        entry = LedgerEntry(new_id(), user.id, user.company_id, rule_id, rule.points, now, key, reason)
        return entry if store.append(LEDGER, entry) else None


def record_event(
    actor: User, store: Store, program: Program, user_id: str, rule_id: str, source_id: str, now: datetime
) -> LedgerEntry | None:
    """Staff record a deal won or an event attended (`source_id` names it, so it counts once)."""
    if rule_id not in EVENT_RULES:
        rules = Items(Rule(r) for r in EVENT_RULES)
        problem = Message("'{rule}' is awarded by the hub itself. Record one of: {rules}.", rule=rule_id, rules=rules)
        raise InvalidAdjustment(problem)
    user = _user(store, user_id)
    require_manages_user(actor, user, store)
    return award(store, program, user, rule_id, f"{rule_id}:{user_id}:{source_id}", now)


def adjust(
    actor: User,
    store: Store,
    user_id: str,
    points: int,
    reason: str,
    now: datetime,
    *,
    limits: Adjustments = DEFAULT_LIMITS,
    confirmed: bool = False,
) -> LedgerEntry:
    """A manual adjustment by the person's channel manager or a program admin, with a reason.

    At most `limits.max_points` either way; above `limits.confirm_above` only when `confirmed`."""
    user = _user(store, user_id)
    require_manages_user(actor, user, store)
    if abs(points) > limits.max_points:
        raise AdjustmentTooLarge(points, limits.max_points)
    if abs(points) > limits.confirm_above and not confirmed:
        raise AdjustmentNeedsConfirmation(points, limits.confirm_above)
    if not reason.strip():
        raise InvalidAdjustment(
            Message("Give a reason for the adjustment; the partner sees it in their points history.")
        )
    if points == 0:
        raise InvalidAdjustment(
            Message("An adjustment of 0 points changes nothing. Enter a positive or negative number.")
        )
    entry_id = new_id()
    entry = LedgerEntry(entry_id, user.id, user.company_id, MANUAL, points, now, f"{MANUAL}:{entry_id}", reason.strip())
    store.append(LEDGER, entry)
    return entry


def reverse(actor: User, store: Store, entry_id: str, reason: str, now: datetime) -> LedgerEntry:
    """Undo an entry with a new one of opposite sign that references it; each entry reverses once."""
    original = store.get(LEDGER, entry_id)
    if original is None:
        raise UnknownLedgerEntry(entry_id)
    require_manages_user(actor, _user(store, original.user_id), store)
    if not reason.strip():
        raise InvalidAdjustment(Message("Give a reason for the reversal; the partner sees it in their points history."))
    if original.reverses is not None:
        raise CannotReverseReversal(original)
    entry = LedgerEntry(
        new_id(),
        original.user_id,
        original.company_id,
        REVERSAL,
        -original.points,
        now,
        f"{REVERSAL}:{original.id}",
        reason.strip(),
        reverses=original.id,
    )
    if not store.append(LEDGER, entry):
        raise AlreadyReversed(original)
    return entry


def total(actor: User, store: Store, user_id: str, since: datetime | None = None, until: datetime | None = None) -> int:
    """The person's points with since <= at < until (reversals count when they are made)."""
    user = _user(store, user_id)
    require_user_visible(actor, user, store)
    return sum(e.points for e in ledger_of(store, user_id) if in_window(e.at, since, until))


def history(actor: User, store: Store, user_id: str) -> list[LedgerEntry]:
    """The person's ledger entries, oldest first."""
    user = _user(store, user_id)
    require_user_visible(actor, user, store)
    return ledger_of(store, user_id)


def _user(store: Store, user_id: str) -> User:
    user = store.get(USERS, user_id)
    if user is None:
        raise UnknownUser(user_id)
    return user


def renewal_key(user_id: str, course_id: str, old_expiry: datetime) -> str:
    """The idempotency key of an on-time renewal bonus."""
    return f"on_time_renewal:{user_id}:{course_id}:{old_expiry.astimezone(ZoneInfo('UTC')):%Y-%m-%d}"
