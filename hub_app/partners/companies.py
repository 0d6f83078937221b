"""Partner companies: creating them, assigning channel managers, inviting members, leaderboard opt-out."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from hub_app.catalog.models import Program
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.partners import accounts
from hub_app.partners.permissions import (
    administers_team,
    is_program_admin,
    require,
    sees_company,
    sees_user,
)
from hub_app.partners.records import (
    CHANNEL_MANAGER,
    COMPANIES,
    PARTNER_ADMIN,
    PARTNER_USER,
    USERS,
    Company,
    User,
    users_of_company,
)
from hub_app.store.base import Store


class UnknownCompany(HubError):
    def __init__(self, company_id: str):
        super().__init__(f"No partner company '{company_id}'. Pick one from the partner list.")
        self.company_id = company_id


class UnknownProgramId(HubError):
    def __init__(self, kind: str, value: str, known: list[str]):
        super().__init__(f"Unknown {kind} '{value}'. Use one of program.yml's {kind}s: {', '.join(known)}.")
        self.kind, self.value = kind, value


class NotAChannelManager(HubError):
    def __init__(self, user_id: str):
        super().__init__(f"User '{user_id}' is not an active channel manager. Give them that role first.")
        self.user_id = user_id


@dataclass(frozen=True)
class Invitation:
    """A new member and the one-time password to hand them (they change it after signing in)."""

    user: User
    temporary_password: str


def create_company(
    actor: User,
    store: Store,
    program: Program,
    *,
    name: str,
    type: str,
    region: str,
    country: str,
    industries: tuple[str, ...] = (),
    now: datetime,
) -> Company:
    """Register a partner company at the lowest tier; program admins and channel managers (who get it)."""
    require(is_program_admin(actor) or actor.has_role(CHANNEL_MANAGER), actor, "register partner companies")
    known_types = [t.id for t in program.partner_types]
    if type not in known_types:
        raise UnknownProgramId("partner type", type, known_types)
    manager = None if is_program_admin(actor) else actor.id
    company = Company(
        id=new_id(),
        name=name.strip(),
        type=type,
        region=region,
        country=country,
        industries=tuple(industries),
        tier=program.tiers[0].id,
        channel_manager_id=manager,
        joined=now,
    )
    store.add(COMPANIES, company)
    return company


def company(actor: User, store: Store, company_id: str) -> Company:
    """The company, when the actor may see it."""
    found = store.get(COMPANIES, company_id)
    if found is None:
        raise UnknownCompany(company_id)
    require(sees_company(actor, found), actor, f"see the company {found.name}")
    return found


def visible_companies(actor: User, store: Store) -> list[Company]:
    """The companies the actor may see: all, the assigned ones, or their own."""
    return [c for c in store.select(COMPANIES) if sees_company(actor, c)]


def assign_channel_manager(actor: User, store: Store, company_id: str, manager_id: str) -> Company:
    """Make `manager_id` the company's channel manager (program admins only)."""
    require(is_program_admin(actor), actor, "assign channel managers")
    manager = store.get(USERS, manager_id)
    if manager is None or not manager.active or not manager.has_role(CHANNEL_MANAGER):
        raise NotAChannelManager(manager_id)
    with store.transaction():  # read and write as one: a tier decided meanwhile is not undone
        updated = replace(company(actor, store, company_id), channel_manager_id=manager_id)
        store.replace(COMPANIES, updated)
    return updated


def members(actor: User, store: Store, company_id: str) -> list[User]:
    """The company's people, for its partner admin, its channel manager or a program admin."""
    found = company(actor, store, company_id)
    require(administers_team(actor, found), actor, f"see the team of {found.name}")
    return sorted(users_of_company(store, company_id), key=lambda u: u.display_name.casefold())


def invite_member(
    actor: User,
    store: Store,
    company_id: str,
    *,
    email: str,
    display_name: str,
    job_role: str | None,
    admin: bool = False,
    now: datetime,
) -> Invitation:
    """Add a person to the company with a one-time password to hand over."""
    found = company(actor, store, company_id)
    require(administers_team(actor, found), actor, f"invite people to {found.name}")
    roles = frozenset({PARTNER_USER, PARTNER_ADMIN} if admin else {PARTNER_USER})
    password = secrets.token_urlsafe(12)
    user = accounts.create_user(
        actor,
        store,
        email=email,
        display_name=display_name,
        password=password,
        company_id=company_id,
        roles=roles,
        job_role=job_role,
        now=now,
    )
    return Invitation(user, password)


def set_user_leaderboard_opt_out(actor: User, store: Store, user_id: str, opt_out: bool) -> User:
    """Hide (or show) a person on leaderboards; they decide, or their partner admin."""
    with store.transaction():  # read and write as one: a concurrent change to the account is not undone
        user = store.get(USERS, user_id)
        require(user is not None and sees_user(actor, user, store), actor, "change this leaderboard setting")
        assert user is not None
        updated = replace(user, leaderboard_opt_out=opt_out)
        store.replace(USERS, updated)
    return updated


def set_company_leaderboard_opt_out(actor: User, store: Store, company_id: str, opt_out: bool) -> Company:
    """Hide (or show) a whole company on leaderboards."""
    with store.transaction():  # read and write as one: a tier decided meanwhile is not undone
        found = company(actor, store, company_id)
        require(administers_team(actor, found), actor, f"change the leaderboard setting of {found.name}")
        updated = replace(found, leaderboard_opt_out=opt_out)
        store.replace(COMPANIES, updated)
    return updated
