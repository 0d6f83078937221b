"""Throttling failed sign-ins per email and source, with a delay that grows, instead of a lockout anyone can set.

Each failure counts twice: for the email written from this source, and for the email from every source.
`FREE_TRIES` failures from one source make that source wait `FIRST_DELAY`, doubling with each further
failure (up to `LONGEST_DELAY`); the whole-email count allows `FREE_TRIES_ANY_SOURCE` before it delays
everyone, so a stranger elsewhere cannot keep the owner out for long, and a guesser spread over many
addresses is still slowed. The email need not belong to an account: an unknown email is throttled exactly
like a known one, so a lock reveals nothing. A success clears its source's count; a reset clears them all.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime, timedelta

from hub_app.partners.records import SIGN_IN_THROTTLES, SignInThrottle
from hub_app.store.base import Store

FREE_TRIES = 5
FREE_TRIES_ANY_SOURCE = 20
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=1)
FORGOTTEN_AFTER = timedelta(days=1)  # a count whose last failure is older than this starts again
ANY_SOURCE = "*"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _keys(email: str, source: str) -> tuple[str, str]:
    folded = email.strip().casefold()
    return _digest(f"{folded}|{source or '-'}"), _digest(f"{folded}|{ANY_SOURCE}")


def waits_until(store: Store, email: str, source: str, now: datetime) -> datetime | None:
    """Until when a sign-in as `email` from `source` must wait, or None when it may try now."""
    ends = [t.locked_until for t in _counts(store, email, source) if t.locked_until and t.locked_until > now]
    return max(ends) if ends else None


def _counts(store: Store, email: str, source: str) -> list[SignInThrottle]:
    return [t for t in (store.get(SIGN_IN_THROTTLES, key) for key in _keys(email, source)) if t is not None]


def record_failure(store: Store, email: str, source: str, now: datetime) -> datetime | None:
    """Count a failed sign-in (inside the caller's transaction); until when the next try waits, or None."""
    here, anywhere = _keys(email, source)
    email_digest = _digest(email.strip().casefold())
    ends = [
        _count(store, here, email_digest, now, FREE_TRIES),
        _count(store, anywhere, email_digest, now, FREE_TRIES_ANY_SOURCE),
    ]
    waits = [end for end in ends if end is not None]
    return max(waits) if waits else None


def _count(store: Store, key: str, email_digest: str, now: datetime, free: int) -> datetime | None:
    found = store.get(SIGN_IN_THROTTLES, key)
    if found is not None and now - found.last_failure > FORGOTTEN_AFTER:
        store.remove(SIGN_IN_THROTTLES, key)
        found = None
    failures = 1 if found is None else found.failures + 1
    over = failures - free
    locked = now + min(FIRST_DELAY * 2**over, LONGEST_DELAY) if over >= 0 else None
    if found is None:
        store.add(SIGN_IN_THROTTLES, SignInThrottle(key, email_digest, failures, now, locked))
    else:
        store.replace(SIGN_IN_THROTTLES, replace(found, failures=failures, last_failure=now, locked_until=locked))
    return locked


def clear_source(store: Store, email: str, source: str) -> None:
    """Forget this source's failures after a success (inside the caller's transaction)."""
    here, _ = _keys(email, source)
    if store.get(SIGN_IN_THROTTLES, here) is not None:
        store.remove(SIGN_IN_THROTTLES, here)


def clear_all(store: Store, email: str) -> None:
    """Forget every failure for the email, from every source (a password reset; in the caller's transaction)."""
    for found in store.select(SIGN_IN_THROTTLES, "email", _digest(email.strip().casefold())):
        store.remove(SIGN_IN_THROTTLES, found.key)
