"""Certificates: issuing on a pass, renewal, status, recertification on a new major version, revocation,
and public verification by code.

A certificate lapses at `expires`, or at `recertify_by` when a new major version of its course asks
holders to recertify first. A renewal is a new certificate whose validity runs on from the old expiry.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from hub_app.catalog import Catalog, Course
from hub_app.catalog.models import Program
from hub_app.certification import records as certification_records
from hub_app.certification.records import CERTIFICATES, Certificate, certificate_by_code
from hub_app.kernel.errors import HubError
from hub_app.kernel.events import CERTIFICATE_ISSUED, CERTIFICATE_REVOKED, DomainEvent, event
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Day, Message
from hub_app.notifications.records import record
from hub_app.partners.permissions import manages, require, require_user_visible
from hub_app.partners.records import COMPANIES, USERS, User
from hub_app.store.base import Store

Status = Literal["active", "expiring", "expired", "revoked", "superseded"]
RECERTIFY_DAYS = 90
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32: no 0/1/8/9 to confuse with O/I/B/g


class UnknownCertificate(HubError):
    msgid = "No certificate has the code '{code}'. Check the code on the certificate (like ABCD-EFGH-JK23)."

    def __init__(self, code: str):
        super().__init__(code=code)
        self.code = code


class ReasonRequired(HubError):
    msgid = "Give a reason to {action}; it is kept in the record."

    def __init__(self, action: Message):
        super().__init__(action=action)
        self.action = action


class AlreadyRevoked(HubError):
    msgid = "This certificate was already revoked on {day}: {reason}. Nothing to do."

    def __init__(self, certificate: Certificate):
        assert certificate.revoked_at is not None
        super().__init__(day=Day(certificate.revoked_at), reason=certificate.revoke_reason)
        self.certificate = certificate


@dataclass(frozen=True)
class Verification:
    """What anyone may learn from a verification code: no email, no company, no score."""

    holder: str
    certification: str
    status: Status
    issued: date
    expires: date
    revoked_on: date | None = None
    superseded_by: str | None = None  # the verification code of the renewal that replaced it


def superseded_by(store: Store, certificate: Certificate) -> Certificate | None:
    """The unrevoked renewal that replaced this certificate, if any (it counts no more on its own)."""
    renewals = certification_records.certificates_of(store, certificate.user_id)
    return next((c for c in renewals if c.renews == certificate.id and c.revoked_at is None), None)


def status_in_store(store: Store, certificate: Certificate, program: Program, now: datetime) -> Status:
    """`status`, and "superseded" for an unrevoked certificate a renewal has replaced."""
    if certificate.revoked_at is None and superseded_by(store, certificate) is not None:
        return "superseded"
    return status(certificate, program, now)


def new_verification_code() -> str:
    """Twelve random base32 characters (60 bits) from `secrets`, grouped XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    """A typed code in canonical form: upper case, spaces and dashes ignored, regrouped."""
    raw = re.sub(r"[\s-]", "", code).upper()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def lapses_at(certificate: Certificate) -> datetime:
    """When the certificate stops counting: its expiry, or its recertify-by date when earlier."""
    if certificate.recertify_by is not None:
        return min(certificate.expires, certificate.recertify_by)
    return certificate.expires


def counts_until(certificate: Certificate) -> datetime | None:
    """Until when the certificate is active or expiring (see `status`); None once it is revoked."""
    return None if certificate.revoked_at is not None else lapses_at(certificate)


def status(certificate: Certificate, program: Program, now: datetime) -> Status:
    """active, expiring (within the program's renewal window), expired or revoked."""
    if certificate.revoked_at is not None:
        return "revoked"
    end = lapses_at(certificate)
    if now >= end:
        return "expired"
    if now >= end - timedelta(days=program.tier_review.renewal_window_days):
        return "expiring"
    return "active"


def current(certificates: list[Certificate], course_id: str) -> Certificate | None:
    """The holder's latest unrevoked certificate for the course (renewals supersede), if any."""
    mine = [c for c in certificates if c.course_id == course_id and c.revoked_at is None]
    return max(mine, key=lambda c: c.expires, default=None)


@dataclass(frozen=True)
class Issued:
    """The certificate a pass produced, and the one it renews (None for a first certificate)."""

    certificate: Certificate
    renewed: Certificate | None


def certify(store: Store, catalog: Catalog, user: User, course: Course, now: datetime) -> Issued | None:
    """Issue (or renew) the course's certificate after a pass; None when the holder needs none yet."""
    assert course.certification is not None
    held = current(certification_records.certificates_of(store, user.id), course.id)
    held_status = status(held, catalog.program, now) if held else "expired"
    still_valid = held is not None and held_status in ("active", "expiring")
    new_major = held is not None and held.course_major < course.major_version
    if still_valid and held_status == "active" and not new_major:
        return None  # already certified and not yet in the renewal window: nothing to renew
    start = held.expires if still_valid and held else now
    certificate = Certificate(
        id=new_id(),
        verification_code=new_verification_code(),
        user_id=user.id,
        company_id=user.company_id,
        course_id=course.id,
        course_version=course.version,
        issued=now,
        expires=start + relativedelta(months=course.certification.validity_months),
        renews=held.id if still_valid and held else None,
    )
    with store.transaction():  # the certificate and its event together, or neither
        store.add(CERTIFICATES, certificate)
        record(store, _issued_event(certificate, now))
    return Issued(certificate, held if still_valid else None)


def certificate_facts(certificate: Certificate) -> dict[str, str]:
    """What an event about the certificate says of it (ids, code and dates; no score, no email)."""
    return {
        "certificate_id": certificate.id,
        "course_id": certificate.course_id,
        "course_version": certificate.course_version,
        "verification_code": certificate.verification_code,
        "issued": certificate.issued.isoformat(),
        "expires": lapses_at(certificate).isoformat(),
        "company_id": certificate.company_id or "",
    }


def _issued_event(certificate: Certificate, now: datetime) -> DomainEvent:
    facts = {**certificate_facts(certificate), "renews": certificate.renews or ""}
    return event(CERTIFICATE_ISSUED, now, (certificate.id, certificate.user_id), facts, (certificate.user_id,))


def certificates_of(actor: User, store: Store, user_id: str) -> list[Certificate]:
    """A person's certificates, for them, their partner admin, their manager or a program admin."""
    holder = store.get(USERS, user_id)
    require(holder is not None, actor, "see certificates of user '{user_id}'", user_id=user_id)
    assert holder is not None
    require_user_visible(actor, holder, store)
    return certification_records.certificates_of(store, user_id)


def revoke(actor: User, store: Store, certificate_id: str, reason: str, now: datetime) -> Certificate:
    """Revoke a certificate: its company's channel manager or a program admin, with a reason."""
    with store.transaction():  # read and write as one: two revocations, or a recertify date, do not collide
        certificate = store.get(CERTIFICATES, certificate_id)
        if certificate is None:
            raise UnknownCertificate(certificate_id)
        company = store.get(COMPANIES, certificate.company_id) if certificate.company_id else None
        require(manages(actor, company), actor, "revoke this certificate")
        if not reason.strip():
            raise ReasonRequired(Message("revoke a certificate"))
        if certificate.revoked_at is not None:
            raise AlreadyRevoked(certificate)
        revoked = replace(certificate, revoked_at=now, revoke_reason=reason.strip())
        store.replace(CERTIFICATES, revoked)
        facts = {**certificate_facts(revoked), "reason": revoked.revoke_reason or ""}
        subjects = (revoked.id, revoked.user_id)
        record(store, event(CERTIFICATE_REVOKED, now, subjects, facts, (revoked.user_id,)))
    return revoked


def verify(store: Store, catalog: Catalog, code: str, now: datetime, lang: str = "en") -> Verification:
    """Public: the holder's display name, certification name, status and dates for a code."""
    certificate = certificate_by_code(store, normalise_code(code))
    holder = store.get(USERS, certificate.user_id) if certificate else None
    if certificate is None or holder is None:
        raise UnknownCertificate(code.strip())
    zone = ZoneInfo(catalog.program.program.timezone)
    course = catalog.courses.get(certificate.course_id)
    name = course.certification.name.get(lang) if course and course.certification else certificate.course_id
    renewal = superseded_by(store, certificate) if certificate.revoked_at is None else None
    return Verification(
        holder=holder.display_name,
        certification=name,
        status=status_in_store(store, certificate, catalog.program, now),
        issued=certificate.issued.astimezone(zone).date(),
        expires=lapses_at(certificate).astimezone(zone).date(),
        revoked_on=certificate.revoked_at.astimezone(zone).date() if certificate.revoked_at else None,
        superseded_by=renewal.verification_code if renewal else None,
    )


def flag_recertification(catalog: Catalog, store: Store, now: datetime) -> list[Certificate]:
    """System job: holders of a certificate older than its course's major version must recertify in 90 days."""
    flagged = []
    with store.transaction():
        for certificate in store.select(CERTIFICATES):
            course = catalog.courses.get(certificate.course_id)
            if course is None or certificate.recertify_by is not None or certificate.revoked_at is not None:
                continue
            if certificate.course_major < course.major_version and now < certificate.expires:
                updated = replace(certificate, recertify_by=now + timedelta(days=RECERTIFY_DAYS))
                store.replace(CERTIFICATES, updated)
                flagged.append(updated)
    return flagged
