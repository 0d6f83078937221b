"""The session cookie: a session token signed with the hub's secret, written and cleared by the browser.

Streamlit reads request cookies (`st.context.cookies`) but cannot send a Set-Cookie header, so a tiny
script run in the page sets `document.cookie` for the app's own origin (Path=/, SameSite=Lax, Secure on
https). The script cannot mark the cookie HttpOnly; what protects it is the signature (a forged or edited
value is refused) and the server-side record it points to (sign-out deletes it). No Streamlit here.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from hub_app.partners.websessions import SESSION_TTL

COOKIE_NAME = "hub_session"
_SALT = "partner-hub-session"


def secret_key(data_dir: Path) -> str:
    """HUB_SECRET_KEY, or a random key generated once into `<data dir>/secret_key` (mode 600)."""
    configured = os.environ.get("HUB_SECRET_KEY", "").strip()
    if configured:
        return configured
    path = data_dir / "secret_key"
    if not path.exists():
        _create_secret(path)
    return path.read_text().strip()


def _create_secret(path: Path) -> None:
    """Write a new key whole under a private name, then link it in place: never seen empty or half-written.

    Two first starts at once both try; the link is atomic and refuses an existing name, so one key wins
    and both read it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):  # another start won; its key is the key
            os.link(tmp, path)
    finally:
        tmp.unlink()


def sign(token: str, secret: str) -> str:
    """The cookie value for a session token."""
    return URLSafeTimedSerializer(secret, salt=_SALT).dumps(token)


def unsign(value: str, secret: str) -> str | None:
    """The session token in a cookie value, or None when it is forged, edited or too old."""
    try:
        token = URLSafeTimedSerializer(secret, salt=_SALT).loads(value, max_age=int(SESSION_TTL.total_seconds()))
    except BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return token if isinstance(token, str) else None


def set_script(value: str) -> str:
    """A script that stores the cookie for the app's origin."""
    max_age = int(SESSION_TTL.total_seconds())
    return _script(f"{COOKIE_NAME}={value}; Max-Age={max_age}")


def clear_script() -> str:
    """A script that deletes the cookie."""
    return _script(f"{COOKIE_NAME}=; Max-Age=0")


def _script(cookie: str) -> str:
    # json.dumps makes the value a safe JS string literal; the value itself is URL-safe base64.
    return (
        "<script>(function(){var c=" + json.dumps(cookie) + "+'; Path=/; SameSite=Lax';"
        "if(location.protocol==='https:'){c+='; Secure';}document.cookie=c;})();</script>"
    )
