"""Checking a badge someone pasted or uploaded: valid, expired, revoked, superseded or tampered.

A VC-JWT (``.jwt``, or the JSON ``EnvelopedVerifiableCredential`` that wraps one) is checked by its RS256
signature against the hub's JWKS; a plain JSON credential (``.json``, unsigned) is compared with the
credential the hub issues for that certificate — the hub is its issuer, so any difference is tampering.
Then the status list (revoked), the dates (expired) and renewals (superseded: a newer certificate renews
this one; the old badge stays genuine but the holder has a newer one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from joserfc import jwt
from joserfc.errors import JoseError

from hub_app.catalog import Catalog
from hub_app.certification.badge_keys import public_keyset
from hub_app.certification.badges import Issuer, certificate_id_of, credential
from hub_app.certification.certificates import lapses_at
from hub_app.certification.records import CERTIFICATES, Certificate, certificates_of
from hub_app.kernel.errors import HubError
from hub_app.store.base import Store

Verdict = Literal["valid", "expired", "revoked", "superseded", "tampered"]
MAX_BYTES = 64 * 1024  # a badge is a few kilobytes; anything far larger is not one
ACCEPTED_SUFFIXES = ("json", "jwt", "txt")
_ENVELOPE = "data:application/vc+jwt,"


class CredentialTooLarge(HubError):
    """An uploaded or pasted badge larger than any badge is."""

    msgid = (
        "The file '{name}' is {size} KB; a badge is at most {limit} KB. Upload the .json or .jwt file you downloaded."
    )

    def __init__(self, name: str, size: int):
        super().__init__(name=name, size=size // 1024, limit=MAX_BYTES // 1024)
        self.name, self.size = name, size


class CredentialUnreadable(HubError):
    """Text that is neither a VC-JWT nor a JSON credential."""

    msgid = (
        "'{name}' is not a badge: expected a VC-JWT (three parts separated by dots) or a JSON credential. "
        "Paste or upload the .jwt or .json file from the certificates page."
    )

    def __init__(self, name: str):
        super().__init__(name=name)
        self.name = name


@dataclass(frozen=True)
class BadgeCheck:
    """What checking a badge found: the verdict and, when it is ours, the certificate and the credential."""

    verdict: Verdict
    certificate: Certificate | None = None
    document: dict[str, Any] | None = None


def read_upload(name: str, data: bytes) -> str:
    """The text of an uploaded badge, refused when too large or not text."""
    if len(data) > MAX_BYTES:
        raise CredentialTooLarge(name, len(data))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CredentialUnreadable(name) from e


def check_badge(
    store: Store, catalog: Catalog, issuer: Issuer, text: str, now: datetime, name: str = "pasted text"
) -> BadgeCheck:
    """The verdict on a badge: its proof first, then revocation, expiry and renewal."""
    if len(text.encode()) > MAX_BYTES:
        raise CredentialTooLarge(name, len(text.encode()))
    token, document = _parse(text.strip(), name)
    if token is not None:
        document = _verified(issuer, token)
        if document is None:
            return BadgeCheck("tampered")
    assert document is not None
    certificate = _certificate_of(store, document)
    if certificate is None:
        return BadgeCheck("tampered", document=document)
    if token is None and not _same(document, credential(store, catalog, issuer, certificate)):
        return BadgeCheck("tampered", certificate, document)
    return BadgeCheck(_status(store, certificate, document, now), certificate, document)


def _parse(text: str, name: str) -> tuple[str | None, dict[str, Any] | None]:
    if text.startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as e:
            raise CredentialUnreadable(name) from e
        if not isinstance(document, dict):
            raise CredentialUnreadable(name)
        wrapped = str(document.get("id", ""))
        if document.get("type") == "EnvelopedVerifiableCredential" and wrapped.startswith(_ENVELOPE):
            return wrapped.removeprefix(_ENVELOPE), None
        return None, document
    if text.count(".") == 2 and " " not in text:
        return text, None
    raise CredentialUnreadable(name)


def _verified(issuer: Issuer, token: str) -> dict[str, Any] | None:
    # Signature only: dates and status are judged below, so an expired badge says "expired", not "tampered".
    try:
        decoded = jwt.decode(token, public_keyset(issuer.key), algorithms=["RS256"])
    except (JoseError, ValueError):
        return None
    document = decoded.claims.get("vc")
    return document if isinstance(document, dict) else None


def _certificate_of(store: Store, document: dict[str, Any]) -> Certificate | None:
    certificate_id = certificate_id_of(str(document.get("id", "")))
    return store.get(CERTIFICATES, certificate_id) if certificate_id else None


def _same(given: dict[str, Any], issued: dict[str, Any]) -> bool:
    # validUntil may have moved earlier since the download (a new major version asks to recertify): the
    # store's date is the one judged, so it is not a difference the holder made.
    def without_end(document: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in document.items() if k != "validUntil"}

    return without_end(given) == without_end(issued)


def _status(store: Store, certificate: Certificate, document: dict[str, Any], now: datetime) -> Verdict:
    if certificate.revoked_at is not None:
        return "revoked"
    ends = min(lapses_at(certificate), _parsed(document.get("validUntil")) or lapses_at(certificate))
    if now >= ends:
        return "expired"
    if any(c.renews == certificate.id and c.revoked_at is None for c in certificates_of(store, certificate.user_id)):
        return "superseded"
    return "valid"


def _parsed(value: object) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
