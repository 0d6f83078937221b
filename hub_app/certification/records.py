"""Certification's records: certificates held by people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
