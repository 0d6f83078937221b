"""Recruitment: a company applies without signing in, a channel manager scores it, approval makes the partner.

The pipeline: submitted → in_review → info_requested (the applicant answers through the status link,
back to in_review) → approved or declined. Every step is an `ApplicationEvent` naming who took it.
The questionnaire is the partner type's screening criteria in program.yml: one answer and one evidence
field per criterion; the reviewer scores each 0–5, the weighted total is compared to the type's
``pass_threshold`` (a share of the best score).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from hub_app.catalog.models import PartnerType, Program
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Message
from hub_app.partners import accounts, companies
from hub_app.partners.permissions import is_program_admin, require
from hub_app.partners.records import (
    APPLICATION_ANSWERS,
    APPLICATION_EVENTS,
    APPLICATION_SCORES,
    APPLICATIONS,
    CHANNEL_MANAGER,
    COMPANIES,
    PARTNER_ADMIN,
    USERS,
    Application,
    ApplicationAnswer,
    ApplicationEvent,
    ApplicationScore,
    Company,
    User,
    user_by_email,
)
from hub_app.store.base import Store

SUBMITTED, IN_REVIEW, INFO_REQUESTED, APPROVED, DECLINED = (
    "submitted",
    "in_review",
    "info_requested",
    "approved",
    "declined",
)
OPEN = frozenset({SUBMITTED, IN_REVIEW, INFO_REQUESTED})
SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")
DECLINE_REASONS = ("below-threshold", "duplicate", "out-of-scope", "incomplete", "other")
APPLICANT = "applicant"
MAX_SCORE = 5
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "edu", "ac", "ne", "or"})
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class ApplicationInvalid(HubError):
    msgid = "The application has {count} problems; each is shown next to its field."

    def __init__(self, problems: Mapping[str, Message]):
        super().__init__(count=len(problems))
        self.problems = dict(problems)


class UnknownApplication(HubError):
    msgid = "No application '{reference}'. Use the link from your confirmation, or the reference number."

    def __init__(self, reference: str):
        super().__init__(reference=reference)
        self.reference = reference


class UnknownStatusLink(HubError):
    msgid = "This status link is not known. Use the link from your confirmation, or quote your reference number."


class ApplicationNotOpen(HubError):
    msgid = "Application {reference} is {status}; it cannot go to {wanted} from there."

    def __init__(self, reference: str, status: str, wanted: str):
        super().__init__(reference=reference, status=status, wanted=wanted)
        self.reference, self.status, self.wanted = reference, status, wanted


class InvalidScore(HubError):
    msgid = "Score '{criterion}' from 0 to 5 (got {score}); the criteria of this type are {known}."

    def __init__(self, criterion: str, score: int, known: list[str]):
        super().__init__(criterion=criterion, score=score, known=", ".join(known))
        self.criterion, self.score = criterion, score


class ScreeningIncomplete(HubError):
    msgid = "Score every criterion before approving; {missing} still have no score."

    def __init__(self, missing: list[str]):
        super().__init__(missing=", ".join(missing))
        self.missing = missing


class BelowThreshold(HubError):
    msgid = "The weighted score is {percent}%, below the {threshold}% this partner type needs. Decline it instead."

    def __init__(self, percent: Decimal, threshold: int):
        super().__init__(percent=str(percent), threshold=threshold)
        self.percent, self.threshold = percent, threshold


class UnknownDeclineReason(HubError):
    msgid = "Unknown decline reason '{reason}'. Use one of: {known}."

    def __init__(self, reason: str):
        super().__init__(reason=reason, known=", ".join(DECLINE_REASONS))
        self.reason = reason


@dataclass(frozen=True)
class Submitted:
    """A stored application and the status token for its link (shown once; only its digest is kept)."""

    application: Application
    token: str


@dataclass(frozen=True)
class Approval:
    """What approval made: the company, its admin account and the one-time password to hand over."""

    company: Company
    admin: User
    temporary_password: str


def registered_domain(value: str) -> str | None:
    """The registered domain of a website or email address ("https://www.Acme.co.uk/x" → "acme.co.uk")."""
    text = value.strip().lower()
    text = text.rsplit("@", 1)[-1]
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    host = re.split(r"[/?#:]", text, maxsplit=1)[0].rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _partner_type(program: Program, type_id: str) -> PartnerType | None:
    return next((t for t in program.partner_types if t.id == type_id), None)


def _text(form: Mapping[str, object], field: str) -> str:
    value = form.get(field)
    return value.strip() if isinstance(value, str) else ""


def _problems(store: Store, program: Program, form: Mapping[str, object], terms_version: str) -> dict[str, Message]:
    problems: dict[str, Message] = {}
    required = {
        "company": Message("Give the company's name."),
        "country": Message("Give the country."),
        "region": Message("Give the region."),
        "contact_name": Message("Give the contact person's name."),
    }
    problems.update((field, problem) for field, problem in required.items() if not _text(form, field))
    recruitment = program.recruitment
    if "region" not in problems and recruitment is not None and recruitment.region(_text(form, "region")) is None:
        problems["region"] = Message("Pick the region you work in.")
    website = _text(form, "website")
    domain = registered_domain(website)
    if domain is None:
        problems["website"] = Message("'{value}' is not a website. Write it like acme.com.", value=website)
    email = _text(form, "contact_email")
    if not accounts.EMAIL.match(email):
        problems["contact_email"] = Message(
            "'{email}' is not an email address. Write it like name@company.com.", email=email
        )
    partner_type = _partner_type(program, _text(form, "type"))
    if partner_type is None:
        problems["type"] = Message("Pick the kind of partner you are.")
    if _text(form, "size") not in SIZES:
        problems["size"] = Message("Pick the company's size.")
    industries = form.get("industries", ())
    if not isinstance(industries, list | tuple) or not [i for i in industries if isinstance(i, str) and i.strip()]:
        problems["industries"] = Message("Pick at least one industry you serve.")
    if form.get("terms_version") != terms_version or form.get("consent") is not True:
        problems["consent"] = Message("Accept the program terms (version {version}) to apply.", version=terms_version)
    if partner_type is not None:
        answers = form.get("answers")
        given = answers if isinstance(answers, Mapping) else {}
        for criterion in partner_type.screening:
            answer = given.get(criterion.id)
            if not (isinstance(answer, Mapping) and isinstance(answer.get("answer"), str) and answer["answer"].strip()):
                problems[f"answers.{criterion.id}"] = Message("Answer this question; a few sentences are enough.")
    if domain is not None and "website" not in problems:
        duplicate = _duplicate(store, domain)
        if duplicate is not None:
            problems["website"] = duplicate
    return problems


def _duplicate(store: Store, domain: str) -> Message | None:
    for application in store.select(APPLICATIONS, "domain", domain):
        if application.status == APPROVED:
            return Message("{domain} is already a partner. Ask your partner admin for an account.", domain=domain)
        if application.status in OPEN:
            return Message(
                "{domain} has already applied ({reference}); follow that application's status link.",
                domain=domain,
                reference=application.reference,
            )
    for user in store.select(USERS):
        if user.company_id is not None and registered_domain(user.email) == domain:
            return Message("{domain} is already a partner. Ask your partner admin for an account.", domain=domain)
    return None


def submit(
    store: Store,
    program: Program,
    form: Mapping[str, object],
    *,
    terms_version: str,
    now: datetime,
    conduct_version: str = "",
) -> Submitted:
    """Store a public application; every problem at once (`ApplicationInvalid`, field → message) and nothing
    written when the form is not right, or the company already applied or is a partner. The consent covers
    the program terms of `terms_version` and the code of conduct of `conduct_version`; both are kept."""
    with store.transaction():
        problems = _problems(store, program, form, terms_version)
        if problems:
            raise ApplicationInvalid(problems)
        partner_type = _partner_type(program, _text(form, "type"))
        assert partner_type is not None
        token = secrets.token_urlsafe(24)
        reference = "APP-" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))
        industries = form.get("industries", ())
        assert isinstance(industries, list | tuple)
        application = Application(
            id=new_id(),
            reference=reference,
            token_digest=_digest(token),
            company=_text(form, "company"),
            website=_text(form, "website"),
            domain=registered_domain(_text(form, "website")) or "",
            country=_text(form, "country"),
            region=_region_id(program, _text(form, "region")),
            type=partner_type.id,
            industries=tuple(i.strip() for i in industries if isinstance(i, str) and i.strip()),
            size=_text(form, "size"),
            contact_name=_text(form, "contact_name"),
            contact_email=_text(form, "contact_email").casefold(),
            terms_version=terms_version,
            conduct_version=conduct_version,
            status=SUBMITTED,
            submitted=now,
        )
        store.add(APPLICATIONS, application)
        answers = form.get("answers")
        assert isinstance(answers, Mapping)
        for criterion in partner_type.screening:
            given = answers[criterion.id]
            evidence = given.get("evidence", "")
            store.add(
                APPLICATION_ANSWERS,
                ApplicationAnswer(
                    application.id,
                    criterion.id,
                    given["answer"].strip(),
                    evidence.strip() if isinstance(evidence, str) else "",
                ),
            )
        _event(store, application, SUBMITTED, APPLICANT, now)
    return Submitted(application, token)


def _event(store: Store, application: Application, status: str, by: str, now: datetime, **why: str | None) -> None:
    store.add(APPLICATION_EVENTS, ApplicationEvent(new_id(), application.id, status, by, now, **why))  # type: ignore[arg-type]


def by_token(store: Store, token: str) -> Application:
    """The application this status link opens (`UnknownApplication` for a wrong or old link)."""
    found = store.select(APPLICATIONS, "token", _digest(token.strip()))
    if not found:
        raise UnknownStatusLink()
    return found[0]


def history(store: Store, application_id: str) -> list[ApplicationEvent]:
    """The application's steps, oldest first."""
    return store.select(APPLICATION_EVENTS, "application", application_id)


def answers(store: Store, application_id: str) -> dict[str, ApplicationAnswer]:
    """The applicant's answers by criterion id."""
    return {a.criterion: a for a in store.select(APPLICATION_ANSWERS, "application", application_id)}


def scores(store: Store, application_id: str) -> dict[str, ApplicationScore]:
    """The reviewer's scores by criterion id."""
    return {s.criterion: s for s in store.select(APPLICATION_SCORES, "application", application_id)}


def _reviewer(actor: User) -> None:
    require(is_program_admin(actor) or (actor.active and actor.has_role(CHANNEL_MANAGER)), actor, "review applications")


def _region_id(program: Program, text: str) -> str:
    """The region as the store keeps it: program.yml's id (a code), however the form wrote it."""
    found = program.recruitment.region(text) if program.recruitment is not None else None
    return found.id if found is not None else text


def region_manager(store: Store, program: Program, region: str) -> User | None:
    """The active channel manager program.yml's region rule names for `region`, or None (no rule, no such
    manager)."""
    rule = program.recruitment.region(region) if program.recruitment is not None else None
    manager = user_by_email(store, rule.channel_manager) if rule is not None else None
    return manager if manager is not None and manager.active and manager.has_role(CHANNEL_MANAGER) else None


def reviews(actor: User, store: Store, program: Program, application: Application) -> bool:
    """True when the actor may review this application: a program admin, or the channel manager the region
    rule names (any channel manager when the rule names nobody who can, so no application is stranded)."""
    if is_program_admin(actor):
        return True
    if not (actor.active and actor.has_role(CHANNEL_MANAGER)):
        return False
    routed = region_manager(store, program, application.region)
    return routed is None or routed.id == actor.id


def _require_reviews(actor: User, store: Store, program: Program, application: Application) -> None:
    require(
        reviews(actor, store, program, application),
        actor,
        "review application {reference}",
        reference=application.reference,
    )


def reviewable(actor: User, store: Store, program: Program, application_id: str) -> Application:
    """The application, when the actor may review it (`UnknownApplication`, `NotAllowed`)."""
    _reviewer(actor)
    application = store.get(APPLICATIONS, application_id)
    if application is None:
        raise UnknownApplication(application_id)
    _require_reviews(actor, store, program, application)
    return application


def _open(
    actor: User, store: Store, program: Program, application_id: str, wanted: str, allowed: frozenset[str]
) -> Application:
    application = reviewable(actor, store, program, application_id)
    if application.status not in allowed:
        raise ApplicationNotOpen(application.reference, application.status, wanted)
    return application


def _move(
    store: Store, application: Application, status: str, by: str, now: datetime, **why: str | None
) -> Application:
    moved = replace(application, status=status)
    store.replace(APPLICATIONS, moved)
    _event(store, moved, status, by, now, **why)
    return moved


def queue(actor: User, store: Store, program: Program) -> list[Application]:
    """Every application the actor reviews (see `reviews`), oldest first."""
    _reviewer(actor)
    return [a for a in store.select(APPLICATIONS) if reviews(actor, store, program, a)]


def pending(actor: User, store: Store, program: Program) -> list[Application]:
    """Open applications the actor reviews, oldest first."""
    return [a for a in queue(actor, store, program) if a.status in OPEN]


def start_review(actor: User, store: Store, program: Program, application_id: str, now: datetime) -> Application:
    """Take a submitted application into review."""
    _reviewer(actor)
    with store.transaction():
        application = _open(actor, store, program, application_id, IN_REVIEW, frozenset({SUBMITTED}))
        return _move(store, application, IN_REVIEW, actor.id, now)


def score(
    actor: User,
    store: Store,
    program: Program,
    application_id: str,
    criterion: str,
    value: int,
    note: str,
    now: datetime,
) -> ApplicationScore:
    """Score one criterion 0–5 with a note; a second score of the same criterion replaces the first."""
    _reviewer(actor)
    with store.transaction():
        application = _open(actor, store, program, application_id, "scoring", frozenset({IN_REVIEW, INFO_REQUESTED}))
        partner_type = _partner_type(program, application.type)
        known = [c.id for c in partner_type.screening] if partner_type else []
        if criterion not in known or isinstance(value, bool) or not 0 <= value <= MAX_SCORE:
            raise InvalidScore(criterion, value, known)
        record = ApplicationScore(application.id, criterion, value, note.strip(), actor.id, now)
        if store.get(APPLICATION_SCORES, (application.id, criterion)) is None:
            store.add(APPLICATION_SCORES, record)
        else:
            store.replace(APPLICATION_SCORES, record)
        return record


def weighted_percent(store: Store, program: Program, application: Application) -> Decimal | None:
    """The weighted score as a share of the best (0–100, one decimal), or None until every criterion is scored."""
    partner_type = _partner_type(program, application.type)
    given = scores(store, application.id)
    if partner_type is None or any(c.id not in given for c in partner_type.screening):
        return None
    earned = Decimal(sum(given[c.id].score * c.weight for c in partner_type.screening))
    best = Decimal(sum(MAX_SCORE * c.weight for c in partner_type.screening))
    return (earned * 100 / best).quantize(Decimal("0.1"))


def request_info(
    actor: User, store: Store, program: Program, application_id: str, question: str, now: datetime
) -> Application:
    """Ask the applicant for more; they answer through their status link."""
    _reviewer(actor)
    if not question.strip():
        raise ApplicationInvalid({"question": Message("Write what you need to know from the applicant.")})
    with store.transaction():
        application = _open(actor, store, program, application_id, INFO_REQUESTED, frozenset({IN_REVIEW}))
        return _move(store, application, INFO_REQUESTED, actor.id, now, note=question.strip())


def answer_info(store: Store, token: str, reply: str, now: datetime) -> Application:
    """The applicant's answer to a request for more information; the application goes back into review."""
    with store.transaction():
        application = by_token(store, token)
        if not reply.strip():
            raise ApplicationInvalid({"reply": Message("Write your answer to the reviewer's question.")})
        if application.status != INFO_REQUESTED:
            raise ApplicationNotOpen(application.reference, application.status, IN_REVIEW)
        return _move(store, application, IN_REVIEW, APPLICANT, now, note=reply.strip())


def decline(
    actor: User, store: Store, program: Program, application_id: str, reason: str, note: str, now: datetime
) -> Application:
    """Decline with a reason code (DECLINE_REASONS) and a note."""
    _reviewer(actor)
    if reason not in DECLINE_REASONS:
        raise UnknownDeclineReason(reason)
    with store.transaction():
        application = _open(actor, store, program, application_id, DECLINED, OPEN)
        return _move(store, application, DECLINED, actor.id, now, reason=reason, note=note.strip())


def approve(
    actor: User,
    store: Store,
    program: Program,
    application_id: str,
    now: datetime,
    channel_manager_id: str | None = None,
) -> Approval:
    """Approve a scored application that passes: the company at the entry tier, its admin with a one-time
    password, and its channel manager: the one the reviewer names, else the region rule's (program.yml
    ``recruitment.regions``), else the approving channel manager (a program admin's approval then leaves it
    unassigned until one is named)."""
    _reviewer(actor)
    with store.transaction():
        application = _open(actor, store, program, application_id, APPROVED, frozenset({IN_REVIEW}))
        partner_type = _partner_type(program, application.type)
        assert partner_type is not None
        given = scores(store, application.id)
        missing = [c.id for c in partner_type.screening if c.id not in given]
        if missing:
            raise ScreeningIncomplete(missing)
        percent = weighted_percent(store, program, application)
        assert percent is not None
        if percent < partner_type.pass_threshold:
            raise BelowThreshold(percent, partner_type.pass_threshold)
        company = companies.create_company(
            actor,
            store,
            program,
            name=application.company,
            type=application.type,
            region=application.region,
            country=application.country,
            industries=application.industries,
            now=now,
        )
        manager_id = _manager_for(actor, store, program, application, channel_manager_id)
        password = accounts.new_one_time_password()
        admin = accounts.create_user(
            actor,
            store,
            email=application.contact_email,
            display_name=application.contact_name,
            password=password,
            company_id=company.id,
            roles=frozenset({PARTNER_ADMIN}),
            job_role=None,
            now=now,
            one_time_ttl=accounts.ONE_TIME_PASSWORD_TTL,
        )
        if company.channel_manager_id != manager_id:  # after the admin: the approver adds them, then hands over
            company = replace(company, channel_manager_id=manager_id)
            store.replace(COMPANIES, company)
        approved = replace(application, company_id=company.id)
        _move(store, approved, APPROVED, actor.id, now)
    return Approval(company, admin, password)


def _manager_for(
    actor: User, store: Store, program: Program, application: Application, named: str | None
) -> str | None:
    if named is not None:
        manager = store.get(USERS, named)
        if manager is None or not manager.active or not manager.has_role(CHANNEL_MANAGER):
            raise companies.NotAChannelManager(named)
        return manager.id
    routed = region_manager(store, program, application.region)
    if routed is not None:
        return routed.id
    return None if is_program_admin(actor) else actor.id
