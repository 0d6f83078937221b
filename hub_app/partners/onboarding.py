"""Onboarding: a new partner's checklist (program.yml ``partner_types[].onboarding``) and its progress.

The steps: accept the partner agreement (the current version of content/legal/partner-agreement: a newer
version asks again), complete the company profile, a first person certified in the type's entry course,
a first deal registered. Certificates and deals live on higher floors, so their facts come in as `Facts`
(gathered by ``hub_app.ui.views.onboarding``); the rules and the writes (acceptance, profile) are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hub_app.catalog.models import Program
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Message
from hub_app.partners import companies
from hub_app.partners.applications import ApplicationInvalid, registered_domain
from hub_app.partners.permissions import administers_team, is_partner_admin, require
from hub_app.partners.records import ACCEPTANCES, COMPANIES, Acceptance, Company, User
from hub_app.store.base import Store

AGREEMENT = "partner-agreement"
STEP_WORDS = {
    "agreement": "Accept the partner agreement",
    "profile": "Complete your company profile",
    "first-certification": "Get your first person certified",
    "first-deal": "Register your first deal",
}
MIN_DESCRIPTION = 40


class AgreementVersionOutdated(HubError):
    msgid = "Version {version} of the partner agreement is not the current one ({current}). Read it and accept it."

    def __init__(self, version: str, current: str):
        super().__init__(version=version, current=current)
        self.version, self.current = version, current


@dataclass(frozen=True)
class Facts:
    """What the checklist reads beyond the company: its first entry-course certificate and first deal."""

    first_certified: datetime | None = None
    first_deal: datetime | None = None


@dataclass(frozen=True)
class Step:
    """One checklist step: its id (program.yml), whether it is done and since when."""

    id: str
    done: bool
    at: datetime | None = None


@dataclass(frozen=True)
class Checklist:
    """A company's onboarding: the steps in program.yml's order and the agreement's versions."""

    company: Company
    steps: tuple[Step, ...]
    agreement_version: str
    accepted: Acceptance | None
    entry_course: str | None
    first_certified: datetime | None

    @property
    def done(self) -> int:
        """How many steps are done."""
        return sum(step.done for step in self.steps)

    @property
    def complete(self) -> bool:
        """True when every step is done."""
        return self.done == len(self.steps)

    @property
    def agreement_outdated(self) -> bool:
        """True when an older version was accepted and the current one is not yet."""
        return self.accepted is not None and self.accepted.version != self.agreement_version

    @property
    def time_to_first_certification(self) -> timedelta | None:
        """From joining to the first certificate in the entry course (None until there is one)."""
        return self.first_certified - self.company.joined if self.first_certified else None


def acceptances(store: Store, company_id: str, document: str = AGREEMENT) -> list[Acceptance]:
    """The company's acceptances of a legal text, oldest first."""
    return [a for a in store.select(ACCEPTANCES, "company", company_id) if a.document == document]


def profile_complete(company: Company) -> bool:
    """True when the profile has a website, a description, a country and at least one industry."""
    return bool(company.website and len(company.description) >= MIN_DESCRIPTION and company.country)


def checklist(program: Program, company: Company, agreement_version: str, store: Store, facts: Facts) -> Checklist:
    """The company's onboarding checklist and progress, computed from the store and `facts`."""
    partner_type = program.partner_type(company.type)
    accepted = next(reversed(acceptances(store, company.id)), None)
    current = accepted is not None and accepted.version == agreement_version
    done = {
        "agreement": Step("agreement", current, accepted.at if current and accepted else None),
        "profile": Step("profile", profile_complete(company) and bool(company.industries)),
        "first-certification": Step("first-certification", facts.first_certified is not None, facts.first_certified),
        "first-deal": Step("first-deal", facts.first_deal is not None, facts.first_deal),
    }
    steps = tuple(done[s] for s in partner_type.onboarding.steps)
    entry = partner_type.onboarding.entry_course
    return Checklist(company, steps, agreement_version, accepted, entry, facts.first_certified)


def accept_agreement(
    actor: User, store: Store, company_id: str, version: str, current: str, now: datetime
) -> Acceptance:
    """The partner admin accepts the current partner agreement for their company (a stale page's older
    version is refused: `AgreementVersionOutdated`)."""
    company = companies.company(actor, store, company_id)
    require(
        is_partner_admin(actor) and actor.company_id == company.id,
        actor,
        "accept the partner agreement for {company}",
        company=company.name,
    )
    if version != current:
        raise AgreementVersionOutdated(version, current)
    acceptance = Acceptance(new_id(), company.id, AGREEMENT, version, actor.id, now)
    store.add(ACCEPTANCES, acceptance)
    return acceptance


def _profile_problems(website: str, description: str, industries: Sequence[str]) -> dict[str, Message]:
    problems: dict[str, Message] = {}
    if registered_domain(website) is None:
        problems["website"] = Message("'{value}' is not a website. Write it like acme.com.", value=website)
    if len(description.strip()) < MIN_DESCRIPTION:
        problems["description"] = Message(
            "Describe what your company does for customers in at least {count} characters.", count=MIN_DESCRIPTION
        )
    if not [i for i in industries if i.strip()]:
        problems["industries"] = Message("Pick at least one industry you serve.")
    return problems


def update_profile(
    actor: User,
    store: Store,
    company_id: str,
    *,
    website: str,
    description: str,
    industries: Sequence[str],
    listed: bool,
) -> Company:
    """Save the company profile and the locator opt-in (its partner admin, channel manager or a program admin);
    every problem at once (`ApplicationInvalid`), nothing written on bad input."""
    problems = _profile_problems(website, description, industries)
    if problems:
        raise ApplicationInvalid(problems)
    with store.transaction():  # read and write as one: a tier decided meanwhile is not undone
        found = companies.company(actor, store, company_id)
        require(administers_team(actor, found), actor, "edit the profile of {company}", company=found.name)
        updated = replace(
            found,
            website=website.strip(),
            description=description.strip(),
            industries=tuple(i.strip() for i in industries if i.strip()),
            listed=listed,
        )
        store.replace(COMPANIES, updated)
    return updated
