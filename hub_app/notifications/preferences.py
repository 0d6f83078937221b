"""A person's email preferences: which kinds of mail, one per event or a daily or weekly digest.

An unsubscribe (the link in every mail) stops all mail but keeps these choices, so subscribing again on
the preferences page brings back what the person had chosen.
"""

from __future__ import annotations

from dataclasses import replace

from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Items
from hub_app.notifications.records import CADENCES, MailPreference, preference_of, set_preference
from hub_app.notifications.templates import TEMPLATES
from hub_app.partners.records import User
from hub_app.store.base import Store


class CadenceUnknown(HubError):
    """A digest choice that is not one of immediate, daily, weekly."""

    msgid = "'{cadence}' is not a way to get emails. Choose one of: {known}."

    def __init__(self, cadence: str):
        super().__init__(cadence=cadence, known=Items(CADENCES))
        self.cadence = cadence


class MailKindUnknown(HubError):
    """A kind of mail the hub does not send."""

    msgid = "The hub sends no email of the kind '{kind}'. Kinds it sends: {known}."

    def __init__(self, kind: str):
        super().__init__(kind=kind, known=Items(sorted(TEMPLATES)))
        self.kind = kind


def mail_kinds() -> list[str]:
    """The event types the hub mails about, in the order they are declared."""
    return list(TEMPLATES)  # as declared: issued, revoked, expiring, expired, then tiers


def save_preferences(actor: User, store: Store, wanted: set[str], cadence: str, subscribed: bool) -> MailPreference:
    """The actor's own choice: the kinds they want (the others muted), how often, and whether to get mail."""
    if cadence not in CADENCES:
        raise CadenceUnknown(cadence)
    for kind in wanted:
        if kind not in TEMPLATES:
            raise MailKindUnknown(kind)
    muted = frozenset(k for k in mail_kinds() if k not in wanted)
    chosen = replace(
        preference_of(store, actor.id),
        muted=muted,
        digest="" if cadence == "immediate" else cadence,
        unsubscribed=not subscribed,
    )
    set_preference(store, chosen)
    return chosen
