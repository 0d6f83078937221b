"""The session cookie: a session token signed with the hub's secret, written and cleared by the browser.

Streamlit reads request cookies (`st.context.cookies`) but cannot send a Set-Cookie header, so a tiny
script run in the page sets `document.cookie` for the app's own origin (Path=/, SameSite=Lax, Secure on
https). The script cannot mark the cookie HttpOnly; what protects it is the signature (a forged or edited
value is refused) and the server-side record it points to (sign-out deletes it). No Streamlit here.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from hub_app.partners.websessions import SESSION_TTL

COOKIE_NAME = "hub_session"
_SALT = "partner-hub-session"


def secret_key(data_dir: Path, configured: str | None) -> str:
    """The configured key (HUB_SECRET_KEY), or a random one generated once into `<data dir>/secret_key` (mode 600)."""
    if configured:
        return configured
    path = data_dir / "secret_key"
    if not path.exists():
        _create_key(path)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: remove it, and a new key is made at the next start.")
    return key


def _create_key(path: Path) -> None:
    # Written whole under a temporary name, then linked into place: two first starts at once agree on one
    # key (the second link fails and that start reads the first one's), and none ever reads a half-made file.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")  # mode 600
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


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
