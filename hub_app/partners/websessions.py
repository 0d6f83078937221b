"""Browser sign-in sessions kept on the server, and each person's interface language.

A session is a random token; the browser holds it in a signed cookie and the server keeps only its
SHA-256, with the user and an expiry, so a copied sessions file signs nobody in. Signing out deletes the
record, so a stolen cookie dies with it. No Streamlit here: the pages use it through `ui.session`.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from filelock import FileLock

SESSION_TTL = timedelta(days=14)


@dataclass(frozen=True)
class WebSession:
    """One signed-in browser: whose it is and until when."""

    user_id: str
    expires: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SessionBook:
    """Sessions and language choices in memory; `FileSessionBook` keeps them in a JSON file too."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sessions: dict[str, WebSession] = {}
        self._languages: dict[str, str] = {}

    # Subclasses reload before and save after each change; in memory both do nothing.
    def _load(self) -> None: ...
    def _save(self) -> None: ...

    def open(self, user_id: str, now: datetime, ttl: timedelta = SESSION_TTL) -> str:
        """Start a session for the user; the returned token goes into the cookie."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._load()
            self._sessions = {k: s for k, s in self._sessions.items() if s.expires > now}  # prune lapsed ones
            self._sessions[_digest(token)] = WebSession(user_id, now + ttl)
            self._save()
        return token

    def user_id_for(self, token: str, now: datetime) -> str | None:
        """The user a live session token belongs to, or None (unknown, signed out or expired)."""
        with self._lock:
            self._load()
            found = self._sessions.get(_digest(token))
        return found.user_id if found is not None and found.expires > now else None

    def close(self, token: str) -> None:
        """End one session (sign out)."""
        with self._lock:
            self._load()
            if self._sessions.pop(_digest(token), None) is not None:
                self._save()

    def close_others(self, user_id: str, keep: str | None) -> None:
        """End every session of the user but `keep` (after a password change)."""
        kept = _digest(keep) if keep else None
        with self._lock:
            self._load()
            self._sessions = {k: s for k, s in self._sessions.items() if s.user_id != user_id or k == kept}
            self._save()

    def language(self, user_id: str) -> str | None:
        """The interface language the user chose last, if any."""
        with self._lock:
            self._load()
            return self._languages.get(user_id)

    def set_language(self, user_id: str, lang: str) -> None:
        """Remember the user's interface language for their next visit, on any device."""
        with self._lock:
            self._load()
            if self._languages.get(user_id) != lang:
                self._languages[user_id] = lang
                self._save()


class FileSessionBook(SessionBook):
    """A `SessionBook` in `<data dir>/web_sessions.json`, shared by every process that serves the app."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file_lock = FileLock(str(path) + ".lock")
        # Every change is load-change-save under the file lock too: another process cannot write back a
        # session that this one has just closed (the lock is re-entrant, so _load and _save may take it again).
        self._lock = _ThreadAndFileLock(self._file_lock)  # type: ignore[assignment]

    def _load(self) -> None:
        with self._file_lock:
            if not self.path.exists():
                return
            data = json.loads(self.path.read_text(encoding="utf-8"))
        self._sessions = {
            k: WebSession(v["user_id"], datetime.fromisoformat(v["expires"])) for k, v in data["sessions"].items()
        }
        self._languages = dict(data["languages"])

    def _save(self) -> None:
        data = {
            "sessions": {
                k: {"user_id": s.user_id, "expires": s.expires.isoformat()} for k, s in self._sessions.items()
            },
            "languages": self._languages,
        }
        with self._file_lock:
            # Written aside and renamed, so a crash leaves the old file or the new one, never half of one.
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".web_sessions.")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)


class _ThreadAndFileLock:
    """This process's threads, then other processes: one lock for a whole read-modify-write."""

    def __init__(self, file_lock: FileLock) -> None:
        self._thread = threading.RLock()
        self._file = file_lock

    def __enter__(self) -> None:
        self._thread.acquire()
        self._file.acquire()

    def __exit__(self, *exc: object) -> None:
        self._file.release()
        self._thread.release()
