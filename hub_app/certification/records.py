"""Certification's records: certificates held by people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub_app.store.base import Index, Kind, Store
from hub_app.store.codecs import MAYBE_WHEN, WHEN, Codec


@dataclass(frozen=True)
class Certificate:
    """A certification held by a user; a renewal is a new certificate (`renews` names the old one)."""

    id: str
    verification_code: str  # XXXX-XXXX-XXXX, unguessable
    user_id: str
    company_id: str | None
    course_id: str
    course_version: str
    issued: datetime
    expires: datetime
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    recertify_by: datetime | None = None
    renews: str | None = None

    @property
    def course_major(self) -> int:
        """The semver major of the course version the certificate was earned on."""
        return int(self.course_version.split(".")[0])


CERTIFICATES: Kind[Certificate] = Kind(
    "certificate",
    "certificates",
    Codec(Certificate, {"issued": WHEN, "expires": WHEN, "revoked_at": MAYBE_WHEN, "recertify_by": MAYBE_WHEN}),
    indexes=(
        Index("code", ("verification_code",), unique=True),
        Index("user", ("user_id",)),
        Index("company", ("company_id",)),
    ),
    order=("issued",),
)


@dataclass(frozen=True)
class BadgeSlot:
    """A certificate's place in the badge status list: bit ``index`` is set once it is revoked."""

    certificate_id: str
    index: int


BADGE_SLOTS: Kind[BadgeSlot] = Kind(
    "badge status slot",
    "badge_slots",
    Codec(BadgeSlot, {}),
    indexes=(Index("index", ("index",), unique=True),),
    key=("certificate_id",),
    order=("index",),
)
KINDS: tuple[Kind[Any], ...] = (CERTIFICATES, BADGE_SLOTS)


def certificate_by_code(store: Store, code: str) -> Certificate | None:
    """The certificate with this verification code, or None."""
    return store.find(CERTIFICATES, "code", code)


def certificates_of(store: Store, user_id: str) -> list[Certificate]:
    """The person's certificates, oldest first."""
    return store.select(CERTIFICATES, "user", user_id)


def certificates_of_company(store: Store, company_id: str) -> list[Certificate]:
    """Certificates held by the company's people, oldest first."""
    return store.select(CERTIFICATES, "company", company_id)
