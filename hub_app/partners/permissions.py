"""Who may see and do what: checked in the domain, whatever the pages show or hide.

A partner user sees themself and their company; a partner admin also their company's team; a channel
manager the partners assigned to them; a program admin everything.
"""

from __future__ import annotations

from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Message
from hub_app.partners.records import CHANNEL_MANAGER, COMPANIES, PARTNER_ADMIN, PROGRAM_ADMIN, Company, User
from hub_app.store.base import Store


class NotAllowed(HubError):
    """The acting user may not do this."""

    msgid = "You ({email}) are not allowed to {action}. Ask your channel manager or a program admin if you need this."

    def __init__(self, actor: User, action: Message):
        super().__init__(email=actor.email, action=action)
        self.actor, self.action = actor, action


def is_program_admin(actor: User) -> bool:
    """True for an active program admin."""
    return actor.active and actor.has_role(PROGRAM_ADMIN)


def is_partner_admin(actor: User) -> bool:
    """True for an active partner admin (of the company the actor belongs to)."""
    return actor.active and actor.has_role(PARTNER_ADMIN)


def manages(actor: User, company: Company | None) -> bool:
    """True when the actor is the company's channel manager or a program admin."""
    if is_program_admin(actor):
        return True
    return (
        company is not None
        and actor.active
        and actor.has_role(CHANNEL_MANAGER)
        and company.channel_manager_id == actor.id
    )


def administers_team(actor: User, company: Company | None) -> bool:
    """True when the actor may manage the company's people: its partner admin, its manager, a program admin."""
    if manages(actor, company):
        return True
    return company is not None and actor.active and actor.has_role(PARTNER_ADMIN) and actor.company_id == company.id


def sees_company(actor: User, company: Company | None) -> bool:
    """True when the actor may see the company: its members, its manager, a program admin."""
    if manages(actor, company):
        return True
    return company is not None and actor.active and actor.company_id == company.id


def sees_user(actor: User, user: User, store: Store) -> bool:
    """True when the actor may see this person's records (certificates, attempts, points)."""
    if actor.active and actor.id == user.id:
        return True
    if user.company_id is None:
        return is_program_admin(actor)
    return administers_team(actor, store.get(COMPANIES, user.company_id))


def require(allowed: bool, actor: User, action: str, **params: object) -> None:
    """Raise NotAllowed unless `allowed`; `action` is a msgid ("record KPIs for {company}") and its params."""
    if not allowed:
        raise NotAllowed(actor, Message(action, **params))


def require_user_visible(actor: User, user: User, store: Store) -> None:
    """Raise NotAllowed unless the actor may see this person's records."""
    require(sees_user(actor, user, store), actor, "see the records of {name}", name=user.display_name)


def require_manages_user(actor: User, user: User, store: Store) -> None:
    """Raise NotAllowed unless the actor manages the person's company (or is a program admin)."""
    company = store.get(COMPANIES, user.company_id) if user.company_id else None
    require(manages(actor, company), actor, "manage the records of {name}", name=user.display_name)


def is_vendor_staff(actor: User) -> bool:
    """True for an active channel manager or program admin."""
    return actor.active and (is_program_admin(actor) or actor.has_role(CHANNEL_MANAGER))


def require_console(actor: User) -> None:
    """NotAllowed unless the actor is vendor staff."""
    require(is_vendor_staff(actor), actor, "open the channel manager console")
