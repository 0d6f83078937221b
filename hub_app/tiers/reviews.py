"""Tier reviews: evaluations turn into proposals a channel manager approves or rejects.

A promotion is proposed as soon as a company qualifies. A demotion is proposed only once the company
has been below its tier for `tier_review.demotion_grace_days` (counted from when it fell below, or from
the last decision about its tier). A company has at most one pending proposal. Decided proposals are
the tier history: who decided, when, and why.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hub_app.catalog import Catalog
from hub_app.catalog.models import Program
from hub_app.certification.certificates import ReasonRequired
from hub_app.kernel.calendar import window_bounds
from hub_app.kernel.errors import HubError
from hub_app.kernel.events import TIER_AT_RISK, TIER_CHANGED, TIER_PROPOSED, DomainEvent, event
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Day, Message, Number, Term, Tier
from hub_app.notifications.records import record
from hub_app.partners.permissions import administers_team, manages, require, sees_company
from hub_app.partners.records import COMPANIES, PARTNER_ADMIN, USERS, Company, User
from hub_app.store.base import Store
from hub_app.tiers.evaluation import Evaluation, Facts, below_since, evaluate_facts, load_facts
from hub_app.tiers.records import PROPOSALS, TierProposal, proposals


class UnknownProposal(HubError):
    msgid = "No tier proposal '{proposal_id}'. Pick one from the pending proposals."

    def __init__(self, proposal_id: str):
        super().__init__(proposal_id=proposal_id)
        self.proposal_id = proposal_id


class ProposalDecided(HubError):
    msgid = "This proposal was already {status} on {day}. Nothing to do."

    def __init__(self, proposal: TierProposal):
        assert proposal.decided_at is not None
        super().__init__(status=Term(proposal.status), day=Day(proposal.decided_at))
        self.proposal = proposal


class ProposalOutdated(HubError):
    msgid = (
        "This proposal moves {company} from {from_tier}, but it is now {tier}. "
        "Reject it; the next evaluation proposes afresh."
    )

    def __init__(self, proposal: TierProposal, company: Company):
        super().__init__(company=company.name, from_tier=Tier(proposal.from_tier), tier=Tier(company.tier))
        self.proposal, self.company = proposal, company


@dataclass(frozen=True)
class Outcome:
    """One company's evaluation, the proposal made now (if any) and the one already pending (if any)."""

    evaluation: Evaluation
    proposed: TierProposal | None = None
    pending: TierProposal | None = None
    below_since: datetime | None = None


@dataclass(frozen=True)
class Summary:
    """What `evaluate_all` found and did."""

    outcomes: tuple[Outcome, ...]

    @property
    def proposals_made(self) -> int:
        return sum(1 for o in self.outcomes if o.proposed is not None)

    @property
    def at_risk(self) -> int:
        return sum(1 for o in self.outcomes if o.evaluation.at_risk_on is not None)


def _pending_of(store: Store, company_id: str) -> TierProposal | None:
    return next((p for p in proposals(store, "pending") if p.company_id == company_id), None)


def _decided_of(store: Store, company_id: str) -> list[TierProposal]:
    return [p for p in proposals(store) if p.company_id == company_id and p.status != "pending"]


def review(actor: User, store: Store, catalog: Catalog, company_id: str, now: datetime) -> Outcome:
    """Evaluate a company and, when its tier should change, propose it (channel manager or program admin)."""
    facts = load_facts(store, company_id)
    require(manages(actor, facts.company), actor, "review the tier of {company}", company=facts.company.name)
    return _review(store, catalog, facts, now)


def _review(store: Store, catalog: Catalog, facts: Facts, now: datetime) -> Outcome:
    with store.transaction():  # one pending proposal per company: check and write together
        outcome = _reviewed(store, catalog, facts, now)
        if outcome.evaluation.at_risk_on is not None:
            record(store, _at_risk_event(store, outcome.evaluation, now))
    return outcome


def _reviewed(store: Store, catalog: Catalog, facts: Facts, now: datetime) -> Outcome:
    program = catalog.program
    evaluation = evaluate_facts(catalog, facts, now)
    decided = _decided_of(store, facts.company.id)
    start = max([facts.company.joined, *(p.decided_at for p in decided if p.decided_at)])
    since = below_since(program, facts, start, now)
    pending = _pending_of(store, facts.company.id)
    if pending is not None:
        return Outcome(evaluation, pending=pending, below_since=since)
    proposal = _proposal(catalog, evaluation, decided, since, now)
    if proposal is not None:
        store.add(PROPOSALS, proposal)
        record(store, _proposal_event(store, TIER_PROPOSED, proposal, now))
    return Outcome(evaluation, proposed=proposal, below_since=since)


def admins_of(store: Store, company_id: str) -> tuple[str, ...]:
    """The ids of the company's active partner admins: whom tier news is for."""
    people = store.select(USERS, "company", company_id)
    return tuple(u.id for u in people if u.active and u.has_role(PARTNER_ADMIN))


def _proposal_event(store: Store, type: str, proposal: TierProposal, now: datetime) -> DomainEvent:
    facts = {
        "proposal_id": proposal.id,
        "company_id": proposal.company_id,
        "from_tier": proposal.from_tier,
        "to_tier": proposal.to_tier,
        "kind": proposal.kind,
        "status": proposal.status,
    }
    return event(type, now, (proposal.company_id, proposal.id), facts, admins_of(store, proposal.company_id))


def _at_risk_event(store: Store, ev: Evaluation, now: datetime) -> DomainEvent:
    assert ev.at_risk_on is not None
    facts = {
        "company_id": ev.company_id,
        "tier": ev.current_tier,
        "on": ev.at_risk_on.isoformat(),
        "course_id": ev.at_risk_course or "",
        "holder": ev.at_risk_holder or "",
        "next_review": ev.next_review.isoformat(),
    }
    # Once per company, lapse and course: a review run every day does not repeat the warning.
    key = f"{TIER_AT_RISK}:{ev.company_id}:{ev.at_risk_on.isoformat()}:{ev.at_risk_course}"
    return event(TIER_AT_RISK, now, (ev.company_id,), facts, admins_of(store, ev.company_id), key=key)


def _proposal(
    catalog: Catalog, ev: Evaluation, decided: list[TierProposal], since: datetime | None, now: datetime
) -> TierProposal | None:
    program = catalog.program
    change = program.tier_rank(ev.qualifies_for) - program.tier_rank(ev.current_tier)
    if change > 0 and not _rejected_this_period(catalog, decided, ev, now):
        return TierProposal(new_id(), ev.company_id, ev.current_tier, ev.qualifies_for, "promote", now)
    grace = timedelta(days=program.tier_review.demotion_grace_days)
    if change < 0 and since is not None and now - since >= grace:
        demotion = TierProposal(new_id(), ev.company_id, ev.current_tier, ev.qualifies_for, "demote", now)
        return replace(demotion, below_since=since, grace_days=grace.days)
    return None


def reason(proposal: TierProposal, program: Program) -> Message:
    """Why the proposal was made, as a message to word in the reader's language (English: `str()`)."""
    if proposal.kind == "promote" or proposal.below_since is None:
        tier = Tier(proposal.to_tier, program.tier(proposal.to_tier).name.en)
        return Message("Meets every requirement of {tier} (evaluated {day}).", tier=tier, day=Day(proposal.created))
    return Message(
        "Below {tier} since {since} ({days} days; the grace period is {grace} days).",
        tier=Tier(proposal.from_tier, program.tier(proposal.from_tier).name.en),
        since=Day(proposal.below_since),
        days=Number((proposal.created - proposal.below_since).days),
        grace=Number(proposal.grace_days or 0),
    )


def rejection(proposal: TierProposal) -> Message | None:
    """The decider's note on a rejected proposal, as a message (None unless rejected)."""
    if proposal.status != "rejected":
        return None
    return Message("Rejected: {note}", note=proposal.note)


def _rejected_this_period(catalog: Catalog, decided: list[TierProposal], ev: Evaluation, now: datetime) -> bool:
    # A rejected promotion is not proposed again before the next review period.
    since, _ = window_bounds("quarter", now, catalog.program.program.timezone)
    return any(
        p.status == "rejected" and p.to_tier == ev.qualifies_for and p.decided_at and p.decided_at >= since
        for p in decided
    )


def evaluate_all(actor: User, store: Store, catalog: Catalog, now: datetime) -> Summary:
    """Evaluate every active company the actor may see; propose changes for those the actor manages."""
    outcomes = []
    for company in store.select(COMPANIES):
        if not company.active or not administers_team(actor, company):
            continue
        facts = load_facts(store, company.id)
        if manages(actor, company):
            outcomes.append(_review(store, catalog, facts, now))
        else:
            outcomes.append(Outcome(evaluate_facts(catalog, facts, now), pending=_pending_of(store, company.id)))
    return Summary(tuple(outcomes))


def _decidable(actor: User, store: Store, proposal_id: str) -> tuple[TierProposal, Company]:
    proposal = store.get(PROPOSALS, proposal_id)
    if proposal is None:
        raise UnknownProposal(proposal_id)
    company = store.get(COMPANIES, proposal.company_id)
    require(manages(actor, company), actor, "decide this tier proposal")
    assert company is not None
    if proposal.status != "pending":
        raise ProposalDecided(proposal)
    return proposal, company


def approve(actor: User, store: Store, proposal_id: str, now: datetime) -> TierProposal:
    """Approve a proposal: the company moves to the proposed tier (its channel manager or a program admin)."""
    with store.transaction():
        proposal, company = _decidable(actor, store, proposal_id)
        if company.tier != proposal.from_tier:
            raise ProposalOutdated(proposal, company)
        decided = replace(proposal, status="approved", decided_by=actor.id, decided_at=now)
        store.replace(PROPOSALS, decided)
        store.replace(COMPANIES, replace(company, tier=proposal.to_tier))
        record(store, _proposal_event(store, TIER_CHANGED, decided, now))
    return decided


def reject(actor: User, store: Store, proposal_id: str, now: datetime, note: str = "") -> TierProposal:
    """Reject a proposal: the company keeps its tier; a note says why (the partner reads it in its history)."""
    with store.transaction():
        proposal, _ = _decidable(actor, store, proposal_id)
        if not note.strip():
            raise ReasonRequired(Message("reject a tier proposal"))
        decided = replace(proposal, status="rejected", decided_by=actor.id, decided_at=now, note=note.strip())
        store.replace(PROPOSALS, decided)
    return decided


def pending(actor: User, store: Store) -> list[TierProposal]:
    """Pending proposals for the companies the actor manages, oldest first."""
    return [p for p in proposals(store, "pending") if manages(actor, store.get(COMPANIES, p.company_id))]


def history(actor: User, store: Store, company_id: str) -> list[TierProposal]:
    """The company's decided proposals, oldest first: who decided, when and why."""
    company = store.get(COMPANIES, company_id)
    require(
        sees_company(actor, company), actor, "see the tier history of company '{company_id}'", company_id=company_id
    )
    return _decided_of(store, company_id)


def grace_deadline(store: Store, catalog: Catalog, company_id: str, now: datetime) -> datetime | None:
    """When a company below its tier runs out of grace (a demotion is proposed then), or None when it is not below."""
    facts = load_facts(store, company_id)
    decided = _decided_of(store, company_id)
    start = max([facts.company.joined, *(p.decided_at for p in decided if p.decided_at)])
    since = below_since(catalog.program, facts, start, now)
    return None if since is None else since + timedelta(days=catalog.program.tier_review.demotion_grace_days)
