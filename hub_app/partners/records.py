"""Partners' records: companies and the people who sign in, and the roles they hold.

Every datetime is timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

PARTNER_USER = "partner_user"
PARTNER_ADMIN = "partner_admin"
CHANNEL_MANAGER = "channel_manager"
PROGRAM_ADMIN = "program_admin"
ROLES = frozenset({PARTNER_USER, PARTNER_ADMIN, CHANNEL_MANAGER, PROGRAM_ADMIN})


@dataclass(frozen=True)
class Company:
    """A partner company."""

    id: str
    name: str
    type: str  # a program.yml partner_types id
    region: str
    country: str
    industries: tuple[str, ...]
    tier: str  # a program.yml tiers id
    channel_manager_id: str | None
    joined: datetime
    leaderboard_opt_out: bool = False
    active: bool = True


@dataclass(frozen=True)
class User:
    """A person who signs in: a partner's employee (company_id set) or vendor staff (company_id None)."""

    id: str
    email: str  # stored lower-cased; unique
    display_name: str
    company_id: str | None
    roles: frozenset[str]
    job_role: str | None
    password_hash: str
    created: datetime
    leaderboard_opt_out: bool = False
    active: bool = True
    failed_sign_ins: int = 0
    locked_until: datetime | None = None

    def has_role(self, role: str) -> bool:
        """True when the user holds `role`."""
        return role in self.roles
