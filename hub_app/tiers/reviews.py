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
from hub_app.certification.certificates import ReasonRequired
from hub_app.kernel.calendar import window_bounds
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.partners.permissions import administers_team, manages, require, sees_company
from hub_app.partners.records import Company, User
from hub_app.store.base import HubStore
from hub_app.tiers.evaluation import Evaluation, Facts, below_since, evaluate_facts, load_facts
from hub_app.tiers.records import TierProposal


class UnknownProposal(HubError):
    def __init__(self, proposal_id: str):
        super().__init__(f"No tier proposal '{proposal_id}'. Pick one from the pending proposals.")
        self.proposal_id = proposal_id


class ProposalDecided(HubError):
    def __init__(self, proposal: TierProposal):
        super().__init__(
            f"This proposal was already {proposal.status} on {proposal.decided_at:%Y-%m-%d}. Nothing to do."
        )
        self.proposal = proposal


class ProposalOutdated(HubError):
    def __init__(self, proposal: TierProposal, company: Company):
        super().__init__(
            f"This proposal moves {company.name} from {proposal.from_tier}, but it is now {company.tier}. "
            "Reject it; the next evaluation proposes afresh."
        )
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


def _pending_of(store: HubStore, company_id: str) -> TierProposal | None:
    return next((p for p in store.proposals("pending") if p.company_id == company_id), None)


def _decided_of(store: HubStore, company_id: str) -> list[TierProposal]:
    return [p for p in store.proposals() if p.company_id == company_id and p.status != "pending"]


def review(actor: User, store: HubStore, catalog: Catalog, company_id: str, now: datetime) -> Outcome:
    """Evaluate a company and, when its tier should change, propose it (channel manager or program admin)."""
    facts = load_facts(store, company_id)
    require(manages(actor, facts.company), actor, f"review the tier of {facts.company.name}")
    return _review(store, catalog, facts, now)


def _review(store: HubStore, catalog: Catalog, facts: Facts, now: datetime) -> Outcome:
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
        store.add_proposal(proposal)
    return Outcome(evaluation, proposed=proposal, below_since=since)


def _proposal(
    catalog: Catalog, ev: Evaluation, decided: list[TierProposal], since: datetime | None, now: datetime
) -> TierProposal | None:
    program = catalog.program
    change = program.tier_rank(ev.qualifies_for) - program.tier_rank(ev.current_tier)
    if change > 0 and not _rejected_this_period(catalog, decided, ev, now):
        reason = f"Meets every requirement of {_name(catalog, ev.qualifies_for)} (evaluated {now:%Y-%m-%d})."
        return _new(ev, "promote", reason, now)
    grace = timedelta(days=program.tier_review.demotion_grace_days)
    if change < 0 and since is not None and now - since >= grace:
        reason = (
            f"Below {_name(catalog, ev.current_tier)} since {since:%Y-%m-%d} "
            f"({(now - since).days} days; the grace period is {grace.days} days)."
        )
        return _new(ev, "demote", reason, now)
    return None


def _rejected_this_period(catalog: Catalog, decided: list[TierProposal], ev: Evaluation, now: datetime) -> bool:
    # A rejected promotion is not proposed again before the next review period.
    since, _ = window_bounds("quarter", now, catalog.program.program.timezone)
    return any(
        p.status == "rejected" and p.to_tier == ev.qualifies_for and p.decided_at and p.decided_at >= since
        for p in decided
    )


def _new(ev: Evaluation, kind: str, reason: str, now: datetime) -> TierProposal:
    return TierProposal(new_id(), ev.company_id, ev.current_tier, ev.qualifies_for, kind, reason, now)  # type: ignore[arg-type]


def _name(catalog: Catalog, tier_id: str) -> str:
    return catalog.program.tier(tier_id).name.en


def evaluate_all(actor: User, store: HubStore, catalog: Catalog, now: datetime) -> Summary:
    """Evaluate every active company the actor may see; propose changes for those the actor manages."""
    outcomes = []
    for company in store.companies():
        if not company.active or not administers_team(actor, company):
            continue
        facts = load_facts(store, company.id)
        if manages(actor, company):
            outcomes.append(_review(store, catalog, facts, now))
        else:
            outcomes.append(Outcome(evaluate_facts(catalog, facts, now), pending=_pending_of(store, company.id)))
    return Summary(tuple(outcomes))


def _decidable(actor: User, store: HubStore, proposal_id: str) -> tuple[TierProposal, Company]:
    proposal = store.proposal(proposal_id)
    if proposal is None:
        raise UnknownProposal(proposal_id)
    company = store.company(proposal.company_id)
    require(manages(actor, company), actor, "decide this tier proposal")
    assert company is not None
    if proposal.status != "pending":
        raise ProposalDecided(proposal)
    return proposal, company


def approve(actor: User, store: HubStore, proposal_id: str, now: datetime) -> TierProposal:
    """Approve a proposal: the company moves to the proposed tier (its channel manager or a program admin)."""
    with store.transaction():
        proposal, company = _decidable(actor, store, proposal_id)
        if company.tier != proposal.from_tier:
            raise ProposalOutdated(proposal, company)
        decided = replace(proposal, status="approved", decided_by=actor.id, decided_at=now)
        store.update_proposal(decided)
        store.update_company(replace(company, tier=proposal.to_tier))
    return decided


def reject(actor: User, store: HubStore, proposal_id: str, now: datetime, note: str = "") -> TierProposal:
    """Reject a proposal: the company keeps its tier; a note says why (the partner reads it in its history)."""
    with store.transaction():
        proposal, _ = _decidable(actor, store, proposal_id)
        if not note.strip():
            raise ReasonRequired("reject a tier proposal")
        reason = f"{proposal.reason} Rejected: {note.strip()}"
        decided = replace(proposal, status="rejected", decided_by=actor.id, decided_at=now, reason=reason)
        store.update_proposal(decided)
    return decided


def pending(actor: User, store: HubStore) -> list[TierProposal]:
    """Pending proposals for the companies the actor manages, oldest first."""
    return [p for p in store.proposals("pending") if manages(actor, store.company(p.company_id))]


def history(actor: User, store: HubStore, company_id: str) -> list[TierProposal]:
    """The company's decided proposals, oldest first: who decided, when and why."""
    company = store.company(company_id)
    require(sees_company(actor, company), actor, f"see the tier history of company '{company_id}'")
    return _decided_of(store, company_id)
