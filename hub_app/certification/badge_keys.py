"""The badge issuer's signing key: RSA, generated once into ``<data dir>/badge_key.pem`` or given by a setting.

``HUB_BADGE_KEY_FILE`` names a PEM file holding an RSA private key (for replicas sharing one key, or a key
kept outside the data directory). Without it the key is generated on first use into the data directory,
mode 600, written whole under a temporary name and linked into place, as the hub's secret key is: two first
starts at once agree on one key and no one reads a half-written file. The public half is published as a
JWKS (`jwks`); its ``kid`` is the RFC 7638 thumbprint, so a verifier picks the key by the token's header.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from joserfc.jwk import KeySet, RSAKey

from hub_app.kernel.errors import HubError

KEY_FILE = "badge_key.pem"
KEY_BITS = 2048


class BadgeKeyUnreadable(HubError):
    """The configured (or stored) badge key file is missing or is not an RSA private key in PEM."""

    msgid = (
        "The badge signing key '{path}' is not an RSA private key in PEM form. "
        "Hint: set HUB_BADGE_KEY_FILE to a file made by `openssl genrsa 2048`, or unset it to use a generated key."
    )

    def __init__(self, path: str):
        super().__init__(path=path)
        self.path = path


def issuer_key(data_dir: Path, configured: str | None = None) -> RSAKey:
    """The key badges are signed with: HUB_BADGE_KEY_FILE's, else the data directory's (made when missing)."""
    path = Path(configured) if configured else data_dir / KEY_FILE
    if not configured and not path.exists():
        _create_key(path)
    try:
        key = RSAKey.import_key(path.read_bytes())
    except (OSError, ValueError) as e:
        raise BadgeKeyUnreadable(str(path)) from e
    if not key.is_private:
        raise BadgeKeyUnreadable(str(path))
    return key


def key_id(key: RSAKey) -> str:
    """The key's id in JWS headers and the JWKS: its RFC 7638 thumbprint."""
    return key.thumbprint()


def jwks(key: RSAKey) -> dict[str, object]:
    """The public JWKS document: the verifying half of the key, never the private parts."""
    public = RSAKey.import_key(key.as_dict(private=False))
    document = public.as_dict(private=False)
    document.update({"kid": key_id(key), "use": "sig", "alg": "RS256"})
    return {"keys": [document]}


def public_keyset(key: RSAKey) -> KeySet:
    """The JWKS as a joserfc KeySet (what a verifier holding only the JWKS has)."""
    return KeySet.import_key_set(jwks(key))  # type: ignore[arg-type]


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = RSAKey.generate_key(KEY_BITS, private=True).as_pem(private=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".badge_key.")  # mode 600
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process made it first: use theirs
    finally:
        os.unlink(tmp)
