"""What's new: the current announcements for a person's audience, each marked read or unread, and the
read receipts (the announcements themselves are content, read by hub_app.catalog.announcements)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hub_app.catalog.announcements import Announcement, current
from hub_app.community.audience import company_of, matches
from hub_app.community.records import READ_RECEIPTS, ReadReceipt, reads_of
from hub_app.partners.records import User
from hub_app.store.base import Store


@dataclass(frozen=True)
class News:
    """An announcement as one person sees it: whether they have read it."""

    announcement: Announcement
    unread: bool


def whats_new(actor: User, store: Store, announcements: list[Announcement], now: datetime, timezone: str) -> list[News]:
    """The current announcements for ``actor``'s audience, pinned first, each marked read or unread."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    company = company_of(store, actor)
    read = reads_of(store, actor.id)
    mine = [a for a in current(announcements, today) if matches(a.audience, actor, company)]
    return [News(a, a.id not in read) for a in mine]


def mark_read(actor: User, store: Store, announcement_id: str, now: datetime) -> bool:
    """Keep ``actor``'s read receipt (once); False when they had read it before."""
    with store.transaction():
        if store.get(READ_RECEIPTS, (actor.id, announcement_id)) is not None:
            return False
        store.add(READ_RECEIPTS, ReadReceipt(actor.id, announcement_id, now))
        return True
