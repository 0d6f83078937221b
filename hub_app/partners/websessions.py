"""Browser sign-in sessions kept in the store, and each person's interface language.

A session is a random token; the browser holds it in a signed cookie and the store keeps only its
SHA-256 (`WebSession.digest`), with the user and an expiry, so a copied database signs nobody in. Signing
out deletes the record, so a stolen cookie dies with it. Every process serving the app reads and writes
the same store, in its transactions: none loses another's sign-in or brings back its sign-out. No
Streamlit here: the pages use it through `ui.web.session`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from hub_app.partners.records import LANGUAGES, WEB_SESSIONS, LanguageChoice, WebSession
from hub_app.store.base import Store

SESSION_TTL = timedelta(days=14)

__all__ = ["SESSION_TTL", "SessionBook", "WebSession"]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionBook:
    """Sessions and language choices, in a store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def open(self, user_id: str, now: datetime, ttl: timedelta = SESSION_TTL) -> str:
        """Start a session for the user; the returned token goes into the cookie."""
        token = secrets.token_urlsafe(32)
        with self.store.transaction():
            for lapsed in [s for s in self.store.select(WEB_SESSIONS) if s.expires <= now]:  # prune lapsed ones
                self.store.remove(WEB_SESSIONS, lapsed.digest)
            self.store.add(WEB_SESSIONS, WebSession(_digest(token), user_id, now + ttl))
        return token

    def user_id_for(self, token: str, now: datetime) -> str | None:
        """The user a live session token belongs to, or None (unknown, signed out or expired)."""
        found = self.store.get(WEB_SESSIONS, _digest(token))
        return found.user_id if found is not None and found.expires > now else None

    def close(self, token: str) -> None:
        """End one session (sign out)."""
        with self.store.transaction():
            if self.store.get(WEB_SESSIONS, _digest(token)) is not None:
                self.store.remove(WEB_SESSIONS, _digest(token))

    def close_others(self, user_id: str, keep: str | None) -> None:
        """End every session of the user but `keep` (after a password change)."""
        kept = _digest(keep) if keep else None
        with self.store.transaction():
            for session in self.store.select(WEB_SESSIONS, "user", user_id):
                if session.digest != kept:
                    self.store.remove(WEB_SESSIONS, session.digest)

    def language(self, user_id: str) -> str | None:
        """The interface language the user chose last, if any."""
        found = self.store.get(LANGUAGES, user_id)
        return None if found is None else found.lang

    def set_language(self, user_id: str, lang: str) -> None:
        """Remember the user's interface language for their next visit, on any device."""
        with self.store.transaction():
            found = self.store.get(LANGUAGES, user_id)
            if found is None:
                self.store.add(LANGUAGES, LanguageChoice(user_id, lang))
            elif found.lang != lang:
                self.store.replace(LANGUAGES, LanguageChoice(user_id, lang))
