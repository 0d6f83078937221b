"""Open Badges 3.0: every certificate is also an OpenBadgeCredential, signed as a VC-JWT (RS256).

The credential has the VC Data Model 2.0 shape: the issuer's profile, the holder as ``credentialSubject``
with the certification as its ``achievement`` (criteria, the certification's image), ``validFrom`` /
``validUntil`` the certificate's dates, and a ``credentialStatus`` entry in the hub's Bitstring Status
List (bit set = revoked). The JWT follows the Open Badges 3.0 "JSON Web Token proof format": header
``{"alg": "RS256", "typ": "JWT", "kid"}``, the credential in the ``vc`` claim, with ``iss``, ``sub``,
``jti``, ``nbf`` and ``exp`` mirroring it. The same certificate always gives the same credential and JWT.

`badge_documents` is what the hub publishes beside its site: the JWKS, the issuer profile, the status list
(plain JSON and as a signed VC-JWT), each achievement and its image — path -> (content type, bytes).
"""

from __future__ import annotations

import base64
import gzip
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey

from hub_app.catalog import Catalog, Course
from hub_app.certification.badge_keys import jwks, key_id
from hub_app.certification.certificates import lapses_at
from hub_app.certification.records import BADGE_SLOTS, CERTIFICATES, BadgeSlot, Certificate
from hub_app.partners.records import USERS
from hub_app.store.base import Store

CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
STATUS_BITS = 131_072  # the Bitstring Status List minimum (16 KB): one list hides who among many is revoked
JSON_TYPE, JWT_TYPE = "application/json", "application/jwt"
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


@dataclass(frozen=True)
class Issuer:
    """Who signs badges and where their documents live (the site's /badges/, the app's verify page)."""

    key: RSAKey
    name: str  # the vendor
    site_url: str
    app_url: str

    def url(self, path: str) -> str:
        """An address under the site's /badges/."""
        return f"{self.site_url.rstrip('/')}/badges/{path}"

    @property
    def id(self) -> str:
        return self.url("issuer.json")

    @property
    def status_list(self) -> str:
        return self.url("status.json")

    def verify_url(self, code: str) -> str:
        return f"{self.app_url.rstrip('/')}/verify?code={code}"


def credential_id(certificate: Certificate) -> str:
    """The credential's id: the certificate's id as a UUID URN."""
    return f"urn:uuid:{uuid.UUID(hex=certificate.id)}"


def certificate_id_of(credential: str) -> str | None:
    """The certificate id back from a credential id, or None when it is not one of ours."""
    try:
        return uuid.UUID(credential.removeprefix("urn:uuid:")).hex if credential.startswith("urn:uuid:") else None
    except ValueError:
        return None


def slot_of(store: Store, certificate_id: str) -> int:
    """The certificate's index in the status list, given out once (the next free one) and kept."""
    with store.transaction():
        slot = store.get(BADGE_SLOTS, certificate_id)
        if slot is not None:
            return slot.index
        taken = store.select(BADGE_SLOTS)
        index = taken[-1].index + 1 if taken else 0
        store.add(BADGE_SLOTS, BadgeSlot(certificate_id, index))
        return index


def issuer_profile(issuer: Issuer) -> dict[str, Any]:
    """The issuer's Profile (embedded in each credential and published as issuer.json)."""
    return {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.site_url.rstrip("/") + "/"}


def achievement(issuer: Issuer, course: Course) -> dict[str, Any]:
    """The certification as an Achievement: criteria, image and the course version's major."""
    assert course.certification is not None
    cert = course.certification
    narrative = (
        f"Pass the {course.title.en} exam (course version {course.major_version}) with at least "
        f"{cert.pass_mark}%. The certificate is valid for {cert.validity_months} months."
    )
    return {
        "id": issuer.url(f"achievements/{course.id}-v{course.major_version}.json"),
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": cert.name.en,
        "description": course.meta.summary.en,
        "criteria": {"id": f"{issuer.site_url.rstrip('/')}/courses/{course.id}/", "narrative": narrative},
        "image": {"id": issuer.url(f"images/{course.id}.svg"), "type": "Image", "caption": cert.name.en},
        "creator": issuer_profile(issuer),
        "version": course.version,
    }


def credential(store: Store, catalog: Catalog, issuer: Issuer, certificate: Certificate) -> dict[str, Any]:
    """The certificate as an OpenBadgeCredential (VC Data Model 2.0), unsigned."""
    course = catalog.courses[certificate.course_id]
    holder = store.get(USERS, certificate.user_id)
    assert holder is not None and course.certification is not None
    index = slot_of(store, certificate.id)
    return {
        "@context": CONTEXTS,
        "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": course.certification.name.en,
        "issuer": issuer_profile(issuer),
        "validFrom": _iso(certificate.issued),
        "validUntil": _iso(lapses_at(certificate)),
        "credentialSubject": {
            "id": f"urn:uuid:{uuid.UUID(hex=holder.id)}",
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": holder.display_name}
            ],
            "achievement": achievement(issuer, course),
        },
        "credentialStatus": {
            "id": f"{issuer.status_list}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": issuer.status_list,
        },
    }


def signed(issuer: Issuer, document: dict[str, Any], subject: str) -> str:
    """A VC-JWT of ``document`` (RS256, the credential in the ``vc`` claim, registered claims mirrored)."""
    claims: dict[str, Any] = {"iss": issuer.id, "jti": document["id"], "sub": subject, "vc": document}
    claims["nbf"] = claims["iat"] = _unix(document["validFrom"])
    if "validUntil" in document:
        claims["exp"] = _unix(document["validUntil"])
    header = {"alg": "RS256", "typ": "JWT", "kid": key_id(issuer.key)}
    return jwt.encode(header, claims, issuer.key, algorithms=["RS256"])


def badge_jwt(store: Store, catalog: Catalog, issuer: Issuer, certificate: Certificate) -> str:
    """The certificate's badge as a compact VC-JWT."""
    document = credential(store, catalog, issuer, certificate)
    return signed(issuer, document, document["credentialSubject"]["id"])


def badge_json(store: Store, catalog: Catalog, issuer: Issuer, certificate: Certificate) -> bytes:
    """The certificate's badge as readable JSON (the credential the JWT carries)."""
    return json.dumps(credential(store, catalog, issuer, certificate), indent=2, ensure_ascii=False).encode()


def linkedin_url(catalog: Catalog, issuer: Issuer, certificate: Certificate, name: str) -> str:
    """LinkedIn's add-to-profile link: name, organisation, issue and expiry month, the verify URL and code."""
    ends = lapses_at(certificate)
    params: dict[str, str | int] = {"startTask": "CERTIFICATION_NAME", "name": name}
    organization = catalog.program.program.linkedin_organization_id
    if organization is not None:
        params["organizationId"] = organization
    else:
        params["organizationName"] = issuer.name
    params |= {
        "issueYear": certificate.issued.year,
        "issueMonth": certificate.issued.month,
        "expirationYear": ends.year,
        "expirationMonth": ends.month,
        "certUrl": issuer.verify_url(certificate.verification_code),
        "certId": certificate.verification_code,
    }
    return f"{LINKEDIN_ADD}?{urlencode(params)}"


def revoked_bits(store: Store) -> bytearray:
    """The status list's bits: bit ``index`` (left-most first) set for each revoked certificate's slot."""
    bits = bytearray(STATUS_BITS // 8)
    for slot in store.select(BADGE_SLOTS):
        certificate = store.get(CERTIFICATES, slot.certificate_id)
        if certificate is not None and certificate.revoked_at is not None:
            bits[slot.index // 8] |= 0x80 >> (slot.index % 8)
    return bits


def encode_list(bits: bytes | bytearray) -> str:
    """``encodedList``: GZIP, then base64url without padding, with the multibase prefix ``u``."""
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode_list(encoded: str) -> bytes:
    """The bits of an ``encodedList`` (what a verifier does)."""
    raw = encoded.removeprefix("u")
    return gzip.decompress(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def is_set(bits: bytes, index: int) -> bool:
    """Whether bit ``index`` (left-most first) is set."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list(store: Store, issuer: Issuer, now: datetime) -> dict[str, Any]:
    """The BitstringStatusListCredential of revocations, as of now."""
    return {
        "@context": CONTEXTS[:1],
        "id": issuer.status_list,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": f"{issuer.status_list}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(revoked_bits(store)),
        },
    }


def badge_documents(store: Store, catalog: Catalog, issuer: Issuer, now: datetime) -> dict[str, tuple[str, bytes]]:
    """What the hub publishes under /badges/: path -> (content type, bytes)."""
    documents = {
        "badges/jwks.json": _json(jwks(issuer.key), "application/jwk-set+json"),
        "badges/issuer.json": _json({"@context": CONTEXTS, **issuer_profile(issuer)}),
    }
    listing = status_list(store, issuer, now)
    documents["badges/status.json"] = _json(listing)
    documents["badges/status.jwt"] = (JWT_TYPE, signed(issuer, listing, listing["id"]).encode())
    for course in catalog.courses.values():
        if course.certification is None:
            continue
        document = {"@context": CONTEXTS, **achievement(issuer, course)}
        documents[f"badges/achievements/{course.id}-v{course.major_version}.json"] = _json(document)
        documents[f"badges/images/{course.id}.svg"] = ("image/svg+xml", badge_image(course.certification.name.en))
    return documents


def badge_image(name: str) -> bytes:
    """A plain round badge with the certification's name (the course has no picture of its own)."""
    words = name.split()
    half = (len(words) + 1) // 2
    lines = [" ".join(words[:half]), " ".join(words[half:])] if len(name) > 18 else [name]
    text = "".join(
        f'<text x="128" y="{132 + 22 * (i - (len(lines) - 1) / 2):.0f}" text-anchor="middle">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        '<circle cx="128" cy="128" r="120" fill="#1f4e79"/><circle cx="128" cy="128" r="104" fill="none" '
        'stroke="#f2c14e" stroke-width="6"/><g fill="#ffffff" font-family="sans-serif" font-size="18" '
        f'font-weight="bold">{text}</g></svg>'
    ).encode()


def _json(document: dict[str, Any], content_type: str = JSON_TYPE) -> tuple[str, bytes]:
    return content_type, json.dumps(document, indent=2, ensure_ascii=False).encode()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _unix(iso: str) -> int:
    return int(datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp())
