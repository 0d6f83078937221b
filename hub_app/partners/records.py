"""Partners' records: companies, the people who sign in and the roles they hold, and web sessions.

Every datetime is timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub_app.store.base import Index, Kind, Store
from hub_app.store.codecs import MAYBE_WHEN, SET, TUPLE, WHEN, Codec

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
    website: str = ""  # the profile a partner admin completes while onboarding
    description: str = ""
    listed: bool = False  # opted in to the public partner locator


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
    failed_sign_ins: int = 0  # no longer counted here (see SignInThrottle); kept so stored records still load
    locked_until: datetime | None = None
    one_time_until: datetime | None = None  # set while the password is a one-time one: it signs in until then
    must_change_password: bool = False  # signed in with a one-time password: choose one before anything else

    def has_role(self, role: str) -> bool:
        """True when the user holds `role`."""
        return role in self.roles


@dataclass(frozen=True)
class WebSession:
    """One signed-in browser: the SHA-256 of its token (never the token), whose it is and until when."""

    digest: str
    user_id: str
    expires: datetime


@dataclass(frozen=True)
class SignInThrottle:
    """Failed sign-ins for one email written (whether or not an account uses it) from one source, or from
    any source (``source`` "*"): how many, the last one, and until when the next try waits."""

    key: str  # SHA-256 of "email|source": the store never keeps an unknown email someone typed
    email_digest: str  # SHA-256 of the email alone, to clear every source's count at a reset
    failures: int
    last_failure: datetime
    locked_until: datetime | None = None


@dataclass(frozen=True)
class LanguageChoice:
    """The interface language a person chose last, remembered for their next visit on any device."""

    user_id: str
    lang: str


COMPANIES: Kind[Company] = Kind(
    "company", "companies", Codec(Company, {"joined": WHEN, "industries": TUPLE}), order=("name",), fold_order=True
)
USERS: Kind[User] = Kind(
    "user",
    "users",
    Codec(User, {"created": WHEN, "locked_until": MAYBE_WHEN, "one_time_until": MAYBE_WHEN, "roles": SET}),
    indexes=(Index("email", ("email",), unique=True, fold_case=True), Index("company", ("company_id",))),
)
WEB_SESSIONS: Kind[WebSession] = Kind(
    "web session",
    "web_sessions",
    Codec(WebSession, {"expires": WHEN}),
    key=("digest",),
    indexes=(Index("user", ("user_id",)),),
)
SIGN_IN_THROTTLES: Kind[SignInThrottle] = Kind(
    "sign-in throttle",
    "sign_in_throttles",
    Codec(SignInThrottle, {"last_failure": WHEN, "locked_until": MAYBE_WHEN}),
    key=("key",),
    indexes=(Index("email", ("email_digest",)),),
)
LANGUAGES: Kind[LanguageChoice] = Kind("language choice", "languages", Codec(LanguageChoice, {}), key=("user_id",))


@dataclass(frozen=True)
class Application:
    """A company's application to join the program, sent without signing in; ``status`` is its stage."""

    id: str
    reference: str  # what the applicant quotes: "APP-7K3Q9D2M"
    token_digest: str  # SHA-256 of the status link's token (never the token)
    company: str
    website: str
    domain: str  # the registered domain of the website, lower-cased
    country: str
    region: str
    type: str  # a program.yml partner_types id
    industries: tuple[str, ...]
    size: str
    contact_name: str
    contact_email: str
    terms_version: str
    status: str
    submitted: datetime
    company_id: str | None = None  # the partner company approval created
    conduct_version: str = ""  # the code of conduct's version accepted with the terms


@dataclass(frozen=True)
class Acceptance:
    """A partner admin accepted a version of a legal text (the partner agreement) for their company."""

    id: str
    company_id: str
    document: str  # a content/legal/ id: "partner-agreement"
    version: str
    user_id: str
    at: datetime


@dataclass(frozen=True)
class ApplicationAnswer:
    """The applicant's answer to one screening criterion, and the evidence they offer for it."""

    application_id: str
    criterion: str
    answer: str
    evidence: str


@dataclass(frozen=True)
class ApplicationScore:
    """A reviewer's 0–5 score of one screening criterion, with their note (the last one counts)."""

    application_id: str
    criterion: str
    score: int
    note: str
    by: str
    at: datetime


@dataclass(frozen=True)
class ApplicationEvent:
    """One step of an application's history: who moved it to which status, when, and why (codes, not prose)."""

    id: str
    application_id: str
    status: str
    by: str  # a user id, or "applicant"
    at: datetime
    reason: str | None = None
    note: str = ""


APPLICATIONS: Kind[Application] = Kind(
    "application",
    "applications",
    Codec(Application, {"submitted": WHEN, "industries": TUPLE}),
    indexes=(
        Index("reference", ("reference",), unique=True),
        Index("token", ("token_digest",)),  # random 24-byte tokens: unique by construction
        Index("domain", ("domain",)),
    ),
    order=("submitted",),
)
APPLICATION_ANSWERS: Kind[ApplicationAnswer] = Kind(
    "application answer",
    "application_answers",
    Codec(ApplicationAnswer, {}),
    key=("application_id", "criterion"),
    indexes=(Index("application", ("application_id",)),),
)
APPLICATION_SCORES: Kind[ApplicationScore] = Kind(
    "application score",
    "application_scores",
    Codec(ApplicationScore, {"at": WHEN}),
    key=("application_id", "criterion"),
    indexes=(Index("application", ("application_id",)),),
)
APPLICATION_EVENTS: Kind[ApplicationEvent] = Kind(
    "application event",
    "application_events",
    Codec(ApplicationEvent, {"at": WHEN}),
    indexes=(Index("application", ("application_id",)),),
    order=("at",),
)
ACCEPTANCES: Kind[Acceptance] = Kind(
    "acceptance",
    "acceptances",
    Codec(Acceptance, {"at": WHEN}),
    indexes=(Index("company", ("company_id",)),),
    order=("at",),
)
KINDS: tuple[Kind[Any], ...] = (
    COMPANIES,
    USERS,
    WEB_SESSIONS,
    SIGN_IN_THROTTLES,
    LANGUAGES,
    APPLICATIONS,
    APPLICATION_ANSWERS,
    APPLICATION_SCORES,
    APPLICATION_EVENTS,
    ACCEPTANCES,
)


def user_by_email(store: Store, email: str) -> User | None:
    """The account with this email (case and surrounding spaces ignored), or None."""
    return store.find(USERS, "email", email.strip())


def users_of_company(store: Store, company_id: str) -> list[User]:
    """The company's people."""
    return store.select(USERS, "company", company_id)
