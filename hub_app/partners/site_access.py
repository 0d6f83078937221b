"""Who may read the partner part of the enablement site: the rule the site server and `/hub/auth` apply.

A reader is the person behind a live web session (the same one the app signs in) who is active and is
either vendor staff or belongs to an active partner company. The cookie is unsigned by the caller; this
module sees only the session token, so it stays below the web layer.
"""

from __future__ import annotations

from datetime import datetime

from hub_app.partners import permissions
from hub_app.partners.records import COMPANIES, USERS, User
from hub_app.partners.websessions import SessionBook
from hub_app.store.base import Store


def may_read_partner_pages(store: Store, user: User) -> bool:
    """True for an active user of an active partner company, or active vendor staff."""
    if not user.active:
        return False
    if permissions.is_vendor_staff(user):
        return True
    company = store.get(COMPANIES, user.company_id) if user.company_id else None
    return company is not None and company.active


def partner_reader(store: Store, token: str | None, now: datetime) -> User | None:
    """The person a session token signs in, when they may read partner pages; else None."""
    if not token:
        return None
    user_id = SessionBook(store).user_id_for(token, now)
    user = store.get(USERS, user_id) if user_id else None
    return user if user is not None and may_read_partner_pages(store, user) else None
