"""Accounts: creating people, signing in (argon2, lockout), changing passwords, deactivating."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.partners.permissions import administers_team, is_program_admin, require, sees_user
from hub_app.partners.records import PARTNER_ADMIN, PARTNER_USER, ROLES, User
from hub_app.store.base import HubStore

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
PARTNER_ROLES = frozenset({PARTNER_USER, PARTNER_ADMIN})

# Module-level so tests can swap in cheap parameters; production keeps argon2-cffi's defaults.
HASHER = PasswordHasher()


class SignInFailed(HubError):
    def __init__(self) -> None:
        super().__init__("Wrong email or password. Check both and try again.")


class AccountLocked(HubError):
    def __init__(self, retry_at: datetime):
        super().__init__(
            f"Too many failed sign-ins. Try again after {retry_at:%Y-%m-%d %H:%M} UTC, "
            "or ask your partner admin to reset your password."
        )
        self.retry_at = retry_at


class AccountInactive(HubError):
    def __init__(self, email: str):
        super().__init__(f"The account {email} is deactivated. Ask your partner admin if you still need access.")
        self.email = email


class PasswordTooShort(HubError):
    def __init__(self) -> None:
        super().__init__(f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters.")


class EmailTaken(HubError):
    def __init__(self, email: str):
        super().__init__(f"An account for {email} already exists. Sign in, or use another email address.")
        self.email = email


class InvalidAccountDetails(HubError):
    def __init__(self, field: str, problem: str):
        super().__init__(problem)
        self.field, self.problem = field, problem


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_details(email: str, display_name: str) -> None:
    if not EMAIL.match(email.strip()):
        raise InvalidAccountDetails(
            "email", f"'{email.strip()}' is not an email address. Write it like name@company.com."
        )
    if not display_name.strip():
        raise InvalidAccountDetails("display_name", "Give the person's name as it should appear on certificates.")


class InvalidRoles(HubError):
    def __init__(self, roles: frozenset[str]):
        super().__init__(
            f"Unknown or unsuitable roles {sorted(roles)}. Partner staff take partner_user/partner_admin; "
            f"vendor staff take channel_manager/program_admin; one of {sorted(ROLES)}."
        )
        self.roles = roles


def hash_password(password: str) -> str:
    """An argon2id hash of `password`, refusing passwords that are too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort()
    return HASHER.hash(password)


def _check_roles(roles: frozenset[str], company_id: str | None) -> None:
    partner = company_id is not None
    if not roles or not roles <= ROLES or (roles <= PARTNER_ROLES) != partner:
        raise InvalidRoles(roles)


def create_user(
    actor: User | None,
    store: HubStore,
    *,
    email: str,
    display_name: str,
    password: str,
    company_id: str | None,
    roles: frozenset[str],
    job_role: str | None,
    now: datetime,
) -> User:
    """Create an account. `actor` None is allowed only for the very first program admin."""
    _check_details(email, display_name)
    _check_roles(roles, company_id)
    if actor is None:
        require(not store.users() and roles == {"program_admin"}, _NOBODY, "create accounts")
    elif company_id is None:
        require(is_program_admin(actor), actor, "create vendor staff accounts")
    else:
        require(administers_team(actor, store.company(company_id)), actor, "add people to this company")
    user = User(
        id=new_id(),
        email=email.strip().casefold(),
        display_name=display_name.strip(),
        company_id=company_id,
        roles=frozenset(roles),
        job_role=job_role,
        password_hash=hash_password(password),
        created=now,
    )
    with store.transaction():
        if store.user_by_email(user.email) is not None:
            raise EmailTaken(user.email)
        store.add_user(user)
    return user


def sign_in(store: HubStore, email: str, password: str, now: datetime) -> User:
    """The user with these credentials; five failures lock the account for fifteen minutes."""
    user, error = _check_credentials(store, email, password, now)
    # Raised outside the transaction, so the failure count it wrote is kept.
    if error is not None:
        raise error
    assert user is not None
    return user


@dataclass(frozen=True)
class _Verified:
    """What argon2 found, worked out before any transaction: the account as read, and the answer."""

    user: User
    matches: bool
    new_hash: str


def _verify(store: HubStore, email: str, password: str, now: datetime) -> _Verified | HubError:
    # argon2 costs tens of milliseconds by design; run inside a transaction it would hold the store's
    # lock, and a flood of sign-ins would make every reader wait. It runs here, on a plain read.
    user = store.user_by_email(email)
    if user is None:
        HASHER.hash(password)  # costs what a wrong password costs: timing does not reveal who has an account
        return SignInFailed()
    if user.locked_until is not None and now < user.locked_until:
        return AccountLocked(user.locked_until)
    matches = _verifies(user.password_hash, password)
    return _Verified(user, matches, _rehashed(user, password) if matches else user.password_hash)


def _check_credentials(
    store: HubStore, email: str, password: str, now: datetime, new_password: str | None = None
) -> tuple[User | None, HubError | None]:
    verified = _verify(store, email, password, now)
    if isinstance(verified, HubError):
        return None, verified
    new_hash = hash_password(new_password) if new_password is not None and verified.matches else None
    with store.transaction():
        return _settle(store, verified, now, new_hash)


def _settle(
    store: HubStore, verified: _Verified, now: datetime, new_hash: str | None
) -> tuple[User | None, HubError | None]:
    """Record what the verification found, on the account as it is now (checked again under the lock)."""
    user = store.user(verified.user.id)
    if user is None or user.password_hash != verified.user.password_hash:
        return None, SignInFailed()  # the password changed while we checked the old one
    if user.locked_until is not None and now < user.locked_until:
        return None, AccountLocked(user.locked_until)
    if user.locked_until is not None:  # the lock has lapsed: a fresh start
        user = replace(user, failed_sign_ins=0, locked_until=None)
    if not verified.matches:
        return None, _record_failure(store, user, now)
    if not user.active:
        return None, AccountInactive(user.email)
    signed_in = replace(user, failed_sign_ins=0, locked_until=None, password_hash=new_hash or verified.new_hash)
    store.update_user(signed_in)
    return signed_in, None


def _record_failure(store: HubStore, user: User, now: datetime) -> HubError:
    failures = user.failed_sign_ins + 1
    locked = now + LOCKOUT if failures >= MAX_FAILED_SIGN_INS else None
    store.update_user(replace(user, failed_sign_ins=failures, locked_until=locked))
    return AccountLocked(locked) if locked else SignInFailed()


def _verifies(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _rehashed(user: User, password: str) -> str:
    return HASHER.hash(password) if HASHER.check_needs_rehash(user.password_hash) else user.password_hash


def change_password(actor: User, store: HubStore, current: str, new: str, now: datetime) -> User:
    """Change the actor's own password after checking the current one.

    A wrong current password counts towards the lockout, as at sign-in: a stolen session cannot guess it."""
    if len(new) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort()
    user, error = _check_credentials(store, actor.email, current, now, new_password=new)
    if error is not None:  # raised outside the transaction, so the failure count it wrote is kept
        raise error
    assert user is not None
    return user


def deactivate(actor: User, store: HubStore, user_id: str) -> User:
    """Deactivate an account: it can no longer sign in; its records stay."""
    with store.transaction():  # read and write as one: a concurrent change to the account is not undone
        user = _visible_user(actor, store, user_id)
        company = store.company(user.company_id) if user.company_id else None
        allowed = administers_team(actor, company) if company else is_program_admin(actor)
        require(allowed and actor.id != user.id, actor, f"deactivate {user.display_name}")
        updated = replace(user, active=False)
        store.update_user(updated)
    return updated


def reset_password(actor: User, store: HubStore, user_id: str) -> str:
    """Give a member a new one-time password (their partner admin, channel manager or a program admin).

    The lockout ends with it; the password is returned once, to be handed over."""
    temporary = secrets.token_urlsafe(12)
    password_hash = hash_password(temporary)  # before the transaction: argon2 never holds the store's lock
    with store.transaction():
        user = _visible_user(actor, store, user_id)
        company = store.company(user.company_id) if user.company_id else None
        allowed = administers_team(actor, company) if company else is_program_admin(actor)
        require(allowed and actor.id != user.id, actor, f"reset the password of {user.display_name}")
        store.update_user(replace(user, password_hash=password_hash, failed_sign_ins=0, locked_until=None))
    return temporary


def _visible_user(actor: User, store: HubStore, user_id: str) -> User:
    user = store.user(user_id)
    require(user is not None and sees_user(actor, user, store), actor, f"see user '{user_id}'")
    assert user is not None
    return user


_NOBODY = User("-", "anonymous", "anonymous", None, frozenset(), None, "", datetime.min.replace(tzinfo=UTC))
