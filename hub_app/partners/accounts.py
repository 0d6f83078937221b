"""Accounts: creating people, signing in (argon2, throttled per account and source), passwords, deactivating.

A one-time password (handed out by an invitation or a reset) expires after `ONE_TIME_PASSWORD_TTL`
(HUB_ONE_TIME_PASSWORD_HOURS), signs in once, and that session can do nothing but choose the real
password. Failed sign-ins are throttled by `partners.throttle`, keyed by the email written and the
source, whether or not an account uses the email: a locked account answers as an unknown email does.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Message, Moment
from hub_app.partners import passwords, throttle
from hub_app.partners.permissions import administers_team, is_program_admin, require, sees_user
from hub_app.partners.records import (
    COMPANIES,
    PARTNER_ADMIN,
    PARTNER_USER,
    ROLES,
    USERS,
    WEB_SESSIONS,
    User,
    user_by_email,
)
from hub_app.store.base import Store

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
ONE_TIME_PASSWORD_TTL = timedelta(hours=72)
SERVICE_WORDS = ("partner hub", "partnerhub")  # the service's own name is among the first words a guesser tries
PARTNER_ROLES = frozenset({PARTNER_USER, PARTNER_ADMIN})

# Module-level so tests can swap in cheap parameters; production keeps argon2-cffi's defaults.
HASHER = PasswordHasher()


class SignInFailed(HubError):
    msgid = "Wrong email or password. Check both and try again."

    def __init__(self) -> None:
        super().__init__()


class AccountLocked(HubError):
    """Too many failed sign-ins with this email from here: said alike whether or not an account uses it."""

    msgid = "Too many failed sign-ins. Try again after {time}, or ask your partner admin to reset your password."

    def __init__(self, retry_at: datetime):
        super().__init__(time=Moment(retry_at))
        self.retry_at = retry_at


class AccountInactive(HubError):
    msgid = "The account {email} is deactivated. Ask your partner admin if you still need access."

    def __init__(self, email: str):
        super().__init__(email=email)
        self.email = email


class PasswordTooShort(HubError):
    msgid = "Choose a password of at least {count} characters."

    def __init__(self) -> None:
        super().__init__(count=MIN_PASSWORD_LENGTH)


class PasswordTooGuessable(HubError):
    msgid = (
        "This password is too easy to guess: it is a common or leaked password, a pattern, or made of your "
        "name or email. Choose a longer phrase of words that do not belong together."
    )

    def __init__(self) -> None:
        super().__init__()


class OneTimePasswordLapsed(HubError):
    msgid = (
        "This one-time password has expired or was already used. Ask your partner admin (or your channel "
        "manager) for a new one."
    )

    def __init__(self) -> None:
        super().__init__()


class FirstPasswordNotDue(HubError):
    msgid = "Give your current password to change it."

    def __init__(self) -> None:
        super().__init__()


class EmailTaken(HubError):
    msgid = "An account for {email} already exists. Sign in, or use another email address."

    def __init__(self, email: str):
        super().__init__(email=email)
        self.email = email


class InvalidAccountDetails(HubError):
    msgid = "{problem}"

    def __init__(self, field: str, problem: Message):
        super().__init__(problem=problem)
        self.field, self.problem = field, problem


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_details(email: str, display_name: str) -> None:
    if not EMAIL.match(email.strip()):
        problem = Message("'{email}' is not an email address. Write it like name@company.com.", email=email.strip())
        raise InvalidAccountDetails("email", problem)
    if not display_name.strip():
        problem = Message("Give the person's name as it should appear on certificates.")
        raise InvalidAccountDetails("display_name", problem)


class InvalidRoles(HubError):
    msgid = (
        "Unknown or unsuitable roles {roles}. Partner staff take partner_user/partner_admin; "
        "vendor staff take channel_manager/program_admin; one of {known}."
    )

    def __init__(self, roles: frozenset[str]):
        super().__init__(roles=sorted(roles), known=sorted(ROLES))
        self.roles = roles


def hash_password(password: str, context_words: tuple[str, ...] = ()) -> str:
    """An argon2id hash of `password`, refusing passwords that are too short or too guessable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort()
    if passwords.too_guessable(password, context_words):
        raise PasswordTooGuessable()
    return HASHER.hash(password)


def _one_time_hash(password: str) -> str:
    # generated by us (16 random bytes): no policy to check, and the person's words are not in it
    return HASHER.hash(password)


def new_one_time_password() -> str:
    """A random one-time password to hand over (16 bytes, URL-safe)."""
    return secrets.token_urlsafe(12)


def _check_roles(roles: frozenset[str], company_id: str | None) -> None:
    partner = company_id is not None
    if not roles or not roles <= ROLES or (roles <= PARTNER_ROLES) != partner:
        raise InvalidRoles(roles)


def create_user(
    actor: User | None,
    store: Store,
    *,
    email: str,
    display_name: str,
    password: str,
    company_id: str | None,
    roles: frozenset[str],
    job_role: str | None,
    now: datetime,
    one_time_ttl: timedelta | None = None,
) -> User:
    """Create an account. `actor` None is allowed only for the very first program admin.

    With `one_time_ttl` the password is a generated one-time password: it signs in once within that time,
    and the person chooses their own at once."""
    _check_details(email, display_name)
    _check_roles(roles, company_id)
    if one_time_ttl is None:
        password_hash = hash_password(password, (email, display_name, *SERVICE_WORDS))
    else:
        password_hash = _one_time_hash(password)
    if actor is None:
        require(not store.select(USERS) and roles == {"program_admin"}, _NOBODY, "create accounts")
    elif company_id is None:
        require(is_program_admin(actor), actor, "create vendor staff accounts")
    else:
        require(administers_team(actor, store.get(COMPANIES, company_id)), actor, "add people to this company")
    user = User(
        id=new_id(),
        email=email.strip().casefold(),
        display_name=display_name.strip(),
        company_id=company_id,
        roles=frozenset(roles),
        job_role=job_role,
        password_hash=password_hash,
        created=now,
        one_time_until=None if one_time_ttl is None else now + one_time_ttl,
        must_change_password=one_time_ttl is not None,
    )
    with store.transaction():
        if user_by_email(store, user.email) is not None:
            raise EmailTaken(user.email)
        store.add(USERS, user)
    return user


def sign_in(store: Store, email: str, password: str, now: datetime, source: str = "") -> User:
    """The user with these credentials. Failures are throttled per email and source (`throttle`)."""
    user, error = _check_credentials(store, email, password, now, source)
    if error is not None:
        raise error
    assert user is not None
    return user


def _check_credentials(
    store: Store, email: str, password: str, now: datetime, source: str
) -> tuple[User | None, HubError | None]:
    # argon2 costs tens of milliseconds by design, so it runs outside any transaction: a flood of wrong
    # passwords never holds the store's write lock, and no page waits on someone else's sign-in. The
    # outcome is then written against the account as it is by then (a hash changed meanwhile: verify again).
    waits = throttle.waits_until(store, email, source, now)
    if waits is not None:
        return None, AccountLocked(waits)
    seen = user_by_email(store, email)
    if seen is None:
        HASHER.hash(password)  # costs what a wrong password costs: timing does not reveal who has an account
        with store.transaction():
            return None, _failure(store, email, source, now)
    verified = _verifies(seen.password_hash, password)
    rehashed = _rehashed(seen, password) if verified else seen.password_hash
    with store.transaction():
        user = store.get(USERS, seen.id)
        if user is None or user.password_hash != seen.password_hash:
            changed = user is not None and user.active
            return _check_credentials(store, email, password, now, source) if changed else (None, SignInFailed())
        return _record_outcome(store, user, email, source, verified, rehashed, now)


def _record_outcome(
    store: Store, user: User, email: str, source: str, verified: bool, rehashed: str, now: datetime
) -> tuple[User | None, HubError | None]:
    if not verified:
        return None, _failure(store, email, source, now)
    if not user.active:
        return None, AccountInactive(user.email)
    if user.must_change_password and (user.one_time_until is None or now >= user.one_time_until):
        return None, OneTimePasswordLapsed()
    throttle.clear_source(store, email, source)
    # a one-time password signs in once: the session it opens may only choose the real password
    signed_in = replace(user, password_hash=rehashed, one_time_until=None)
    if signed_in != user:
        store.replace(USERS, signed_in)
    return signed_in, None


def _failure(store: Store, email: str, source: str, now: datetime) -> HubError:
    waits = throttle.record_failure(store, email, source, now)
    return AccountLocked(waits) if waits is not None else SignInFailed()


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _rehashed(user: User, password: str) -> str:
    return HASHER.hash(password) if HASHER.check_needs_rehash(user.password_hash) else user.password_hash


def change_password(actor: User, store: Store, current: str, new: str, now: datetime, source: str = "") -> User:
    """Change the actor's own password after checking the current one.

    A wrong current password counts towards the throttle, as at sign-in: a stolen session cannot guess it.
    Right after a one-time password signed in (`must_change_password`), no current password is asked:
    the one-time password was used up by that sign-in."""
    new_hash = hash_password(new, (actor.email, actor.display_name, *SERVICE_WORDS))  # before any lock
    stored = store.get(USERS, actor.id)
    if stored is not None and stored.must_change_password:
        return _choose_first_password(store, stored, new_hash)
    user, error = _check_credentials(store, actor.email, current, now, source)
    if error is not None:
        raise error
    assert user is not None
    with store.transaction():
        now_stored = store.get(USERS, user.id)
        if now_stored is None or now_stored.password_hash != user.password_hash:
            raise SignInFailed()  # changed meanwhile: the current password given is no longer current
        updated = replace(now_stored, password_hash=new_hash)
        store.replace(USERS, updated)
    return updated


def _choose_first_password(store: Store, seen: User, new_hash: str) -> User:
    with store.transaction():
        user = store.get(USERS, seen.id)
        if user is None or not user.active:
            raise SignInFailed()
        if not user.must_change_password:
            raise FirstPasswordNotDue()  # chosen meanwhile in another tab: from now on the current one counts
        updated = replace(user, password_hash=new_hash, must_change_password=False, one_time_until=None)
        store.replace(USERS, updated)
    return updated


def deactivate(actor: User, store: Store, user_id: str) -> User:
    """Deactivate an account: it can no longer sign in; its records stay."""
    with store.transaction():  # read and write as one: a concurrent change to the account is not undone
        user = _visible_user(actor, store, user_id)
        company = store.get(COMPANIES, user.company_id) if user.company_id else None
        allowed = administers_team(actor, company) if company else is_program_admin(actor)
        require(allowed and actor.id != user.id, actor, "deactivate {name}", name=user.display_name)
        updated = replace(user, active=False)
        store.replace(USERS, updated)
    return updated


def reset_password(
    actor: User, store: Store, user_id: str, now: datetime, ttl: timedelta = ONE_TIME_PASSWORD_TTL
) -> str:
    """Give a member a new one-time password (their partner admin, channel manager or a program admin).

    The password signs in once within `ttl`, and the person then chooses their own; every session they
    had ends, and so do the sign-in delays on their email. It is returned once, to be handed over."""
    temporary = new_one_time_password()
    temporary_hash = _one_time_hash(temporary)  # outside the transaction: argon2 never holds the write lock
    with store.transaction():
        user = _visible_user(actor, store, user_id)
        company = store.get(COMPANIES, user.company_id) if user.company_id else None
        allowed = administers_team(actor, company) if company else is_program_admin(actor)
        require(allowed and actor.id != user.id, actor, "reset the password of {name}", name=user.display_name)
        reset = replace(
            user,
            password_hash=temporary_hash,
            failed_sign_ins=0,
            locked_until=None,
            one_time_until=now + ttl,
            must_change_password=True,
        )
        store.replace(USERS, reset)
        for session in store.select(WEB_SESSIONS, "user", user.id):
            store.remove(WEB_SESSIONS, session.digest)
        throttle.clear_all(store, user.email)
    return temporary


def _visible_user(actor: User, store: Store, user_id: str) -> User:
    user = store.get(USERS, user_id)
    require(user is not None and sees_user(actor, user, store), actor, "see user '{user_id}'", user_id=user_id)
    assert user is not None
    return user


_NOBODY = User("-", "anonymous", "anonymous", None, frozenset(), None, "", datetime.min.replace(tzinfo=UTC))
