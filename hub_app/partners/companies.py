"""Partner companies: creating them, assigning channel managers, inviting members, leaderboard opt-out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hub_app.catalog.models import Program
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Items, PartnerType
from hub_app.partners import accounts
from hub_app.partners.permissions import (
    administers_team,
    is_program_admin,
    is_vendor_staff,
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
    user_by_email,
    users_of_company,
)
from hub_app.partners.regions import region_code
from hub_app.store.base import Store


class UnknownCompany(HubError):
    msgid = "No partner company '{company_id}'. Pick one from the partner list."

    def __init__(self, company_id: str):
        super().__init__(company_id=company_id)
        self.company_id = company_id


class UnknownPartnerType(HubError):
    msgid = "Unknown partner type '{value}'. Use one of program.yml's partner types: {known}."

    def __init__(self, value: str, known: list[str]):
        super().__init__(value=value, known=Items(PartnerType(k) for k in known))
        self.value = value


class NotAChannelManager(HubError):
    msgid = "User '{user_id}' is not an active channel manager. Give them that role first."

    def __init__(self, user_id: str):
        super().__init__(user_id=user_id)
        self.user_id = user_id


class CannotInvite(HubError):
    """The email is taken; said without saying so, since a partner admin may not learn who has an account."""

    msgid = "{email} cannot be invited. Check the address; if it is right, ask your channel manager to add the person."

    def __init__(self, email: str):
        super().__init__(email=email)
        self.email = email


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
    require(is_vendor_staff(actor), actor, "register partner companies")  # an active one
    known_types = [t.id for t in program.partner_types]
    if type not in known_types:
        raise UnknownPartnerType(type, known_types)
    manager = None if is_program_admin(actor) else actor.id
    company = Company(
        id=new_id(),
        name=name.strip(),
        type=type,
        region=region_code(region),  # a code in the store: words are chosen when shown
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
    require(sees_company(actor, found), actor, "see the company {company}", company=found.name)
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
    require(administers_team(actor, found), actor, "see the team of {company}", company=found.name)
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
    one_time_ttl: timedelta = accounts.ONE_TIME_PASSWORD_TTL,
) -> Invitation:
    """Add a person to the company with a one-time password to hand over (it lapses after `one_time_ttl`).

    A taken email is named as taken only to vendor staff (and for one's own colleagues): a partner admin
    learns nothing of other companies' people or the vendor's accounts from it."""
    found = company(actor, store, company_id)
    require(administers_team(actor, found), actor, "invite people to {company}", company=found.name)
    roles = frozenset({PARTNER_USER, PARTNER_ADMIN} if admin else {PARTNER_USER})
    password = accounts.new_one_time_password()
    try:
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
            one_time_ttl=one_time_ttl,
        )
    except accounts.EmailTaken as taken:
        holder = user_by_email(store, taken.email)
        if is_vendor_staff(actor) or (holder is not None and sees_user(actor, holder, store)):
            raise  # vendor staff, or the actor's own colleague: nothing they may not know
        raise CannotInvite(taken.email) from None
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
        require(
            administers_team(actor, found), actor, "change the leaderboard setting of {company}", company=found.name
        )
        updated = replace(found, leaderboard_opt_out=opt_out)
        store.replace(COMPANIES, updated)
    return updated
