"""Tiers: qualification from named certified people and KPIs, gaps, forecasts, proposals and reviews."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hub_cast import T0, certify, company, person, real_catalog, staff

from hub_app.certification.certificates import ReasonRequired
from hub_app.certification.records import CERTIFICATES, certificates_of
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import COMPANIES, USERS
from hub_app.store.memory import MemoryStore
from hub_app.tiers import evaluation as tiers
from hub_app.tiers import kpis
from hub_app.tiers import reviews as tier_reviews
from hub_app.tiers.records import PROPOSALS, proposals
from hub_app.tiers.reviews import ProposalDecided, ProposalOutdated

CATALOG = real_catalog()
LAPSE = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)  # before the next review (1 April in Singapore)
ISSUED_BEFORE_LAPSE = datetime(2024, 3, 20, 9, 0, tzinfo=UTC)  # valid 24 months: lapses at LAPSE


class Cast:
    def __init__(self) -> None:
        self.store = MemoryStore()
        self.cm = staff(self.store, "Cm", "channel_manager")
        self.other_cm = staff(self.store, "Other", "channel_manager")
        self.admin = staff(self.store, "Admin", "program_admin")
        self.acme = company(self.store, "Acme", manager=self.cm)
        self.globex = company(self.store, "Globex", manager=self.other_cm)
        self.ana = person(self.store, self.acme, "Ana")
        self.bob = person(self.store, self.acme, "Bob")
        self.boss = person(self.store, self.acme, "Boss", admin=True)

    def kpi(self, firm=None, revenue=50000, customers=3, csat=None, period="2026-Q1", at=T0):
        kpis.record_kpis(
            self.admin,
            self.store,
            (firm or self.acme).id,
            period=period,
            revenue_12m=revenue,
            customers=customers,
            csat=csat,
            now=at,
        )

    def silver_ready(self, sales_pro_issued=T0 - timedelta(days=30)):
        """Acme meets Silver: two Associates, one Sales Professional (Ana's), 50,000 USD, 3 customers."""
        certify(self.store, self.ana, "qs-fundamentals", T0 - timedelta(days=30))
        certify(self.store, self.bob, "qs-fundamentals", T0 - timedelta(days=30))
        certify(self.store, self.ana, "qs-sales-pro", sales_pro_issued)
        self.kpi()

    def set_tier(self, tier):
        self.acme = replace(self.store.get(COMPANIES, self.acme.id), tier=tier)
        self.store.replace(COMPANIES, self.acme)

    def evaluate(self, now=T0):
        return tiers.evaluate(self.cm, self.store, CATALOG, self.acme.id, now)

    def review(self, now=T0, actor=None):
        return tier_reviews.review(actor or self.cm, self.store, CATALOG, self.acme.id, now)


@pytest.fixture
def cast() -> Cast:
    return Cast()


# --- qualification ---------------------------------------------------------------------------------


def test_company_qualifies_for_the_highest_tier_whose_every_requirement_is_met(cast):
    cast.silver_ready()
    assert cast.evaluate().qualifies_for == "silver"


def test_one_unmet_requirement_keeps_a_company_out_of_a_tier(cast):
    cast.silver_ready()
    cast.kpi(customers=2)
    assert cast.evaluate().qualifies_for == "registered"


def test_a_person_counts_once_per_requirement(cast):
    certify(cast.store, cast.ana, "qs-implementation")
    certify(cast.store, cast.ana, "qs-integration")
    facts = tiers.load_facts(cast.store, cast.acme.id)
    standing = tiers.standing_at(facts, CATALOG.program, T0)
    requirement = next(
        r for r in CATALOG.program.tier("gold").requirements.certifications if "qs-integration" in r.courses
    )
    assert tiers.people_for(requirement, standing) == 1


def test_expired_revoked_and_departed_holders_do_not_count(cast):
    cast.silver_ready()
    certify(cast.store, cast.ana, "qs-fundamentals", T0 - timedelta(days=800))  # expired long ago: ignored
    bob_cert = next(c for c in certificates_of(cast.store, cast.bob.id))
    cast.store.replace(CERTIFICATES, replace(bob_cert, revoked_at=T0 - timedelta(days=1), revoke_reason="cheating"))
    assert cast.evaluate().qualifies_for == "registered"


def test_deactivated_member_no_longer_counts(cast):
    cast.silver_ready()
    cast.store.replace(USERS, replace(cast.bob, active=False))
    assert cast.evaluate().qualifies_for == "registered"


def test_gap_to_the_next_tier_is_told_in_sentences(cast):
    cast.silver_ready()
    cast.kpi(revenue=210000, customers=10, csat=3.9)
    assert cast.evaluate().gaps == (
        "2 more Quillstack Certified Associates",
        "1 more Quillstack Certified Sales Professional",
        "2 more Quillstack Certified Implementation Specialists or Quillstack Certified Integration Developers",
        "40,000 USD more revenue (trailing 12 months)",
        "CSAT 4.2 or higher (now 3.9)",
    )


def test_gap_from_nothing_lists_every_requirement_of_the_next_tier(cast):
    assert cast.evaluate().gaps == (
        "2 more Quillstack Certified Associates",
        "1 more Quillstack Certified Sales Professional",
        "50,000 USD more revenue (trailing 12 months)",
        "3 more customers",
    )


def test_gap_without_a_recorded_csat_says_none_recorded(cast):
    cast.silver_ready()
    assert cast.evaluate().gaps[-1] == "CSAT 4.2 or higher (none recorded)"


def test_partner_user_cannot_see_the_tier_evaluation(cast):
    with pytest.raises(NotAllowed):
        tiers.evaluate(cast.ana, cast.store, CATALOG, cast.acme.id, T0)
    assert tiers.evaluate(cast.boss, cast.store, CATALOG, cast.acme.id, T0).company_name == "Acme"


# --- forecast --------------------------------------------------------------------------------------


def test_tier_is_at_risk_when_a_certificate_it_relies_on_expires_before_the_next_review(cast):
    cast.silver_ready(sales_pro_issued=ISSUED_BEFORE_LAPSE)
    cast.set_tier("silver")
    evaluation = cast.evaluate()
    assert evaluation.next_review == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert (evaluation.at_risk, evaluation.at_risk_on) == ("at risk on 2026-03-20", date(2026, 3, 20))
    assert evaluation.at_risk_reason == "Ana's Quillstack Certified Sales Professional expires on 2026-03-20"


def test_no_risk_when_another_certified_person_covers_the_expiry(cast):
    cast.silver_ready(sales_pro_issued=ISSUED_BEFORE_LAPSE)
    certify(cast.store, cast.bob, "qs-sales-pro")
    cast.set_tier("silver")
    assert cast.evaluate().at_risk_on is None


def test_renewal_before_expiry_removes_the_risk(cast):
    cast.silver_ready(sales_pro_issued=ISSUED_BEFORE_LAPSE)
    certify(cast.store, cast.ana, "qs-sales-pro", issued=T0)
    cast.set_tier("silver")
    assert cast.evaluate().at_risk_on is None


def test_expiry_after_the_next_review_is_not_a_risk_yet(cast):
    cast.silver_ready(sales_pro_issued=datetime(2024, 4, 2, tzinfo=UTC))
    cast.set_tier("silver")
    assert cast.evaluate().at_risk_on is None


# --- proposals -------------------------------------------------------------------------------------


def test_promotion_is_proposed_at_once(cast):
    cast.silver_ready()
    outcome = cast.review()
    proposal = outcome.proposed
    assert (proposal.kind, proposal.from_tier, proposal.to_tier, proposal.status) == (
        "promote",
        "registered",
        "silver",
        "pending",
    )
    assert (
        str(tier_reviews.reason(proposal, CATALOG.program))
        == "Meets every requirement of Silver (evaluated 2026-03-02)."
    )


def test_no_duplicate_pending_proposals(cast):
    cast.silver_ready()
    first = cast.review().proposed
    again = cast.review(T0 + timedelta(days=1))
    assert again.proposed is None and again.pending == first
    assert proposals(cast.store, "pending") == [first]


def test_demotion_waits_for_grace_period(cast):
    cast.silver_ready(sales_pro_issued=ISSUED_BEFORE_LAPSE)
    cast.set_tier("silver")
    waiting = cast.review(LAPSE + timedelta(days=89))
    assert waiting.proposed is None and waiting.below_since == LAPSE
    due = cast.review(LAPSE + timedelta(days=90)).proposed
    assert (due.kind, due.from_tier, due.to_tier) == ("demote", "silver", "registered")
    assert (due.below_since, due.grace_days, due.created) == (LAPSE, 90, LAPSE + timedelta(days=90))
    assert str(tier_reviews.reason(due, CATALOG.program)) == (
        "Below Silver since 2026-03-20 (90 days; the grace period is 90 days)."
    )


def test_regaining_the_tier_within_the_grace_period_cancels_the_demotion(cast):
    cast.silver_ready(sales_pro_issued=ISSUED_BEFORE_LAPSE)
    cast.set_tier("silver")
    certify(cast.store, cast.bob, "qs-sales-pro", issued=LAPSE + timedelta(days=30))
    assert cast.review(LAPSE + timedelta(days=120)).proposed is None


def test_approval_changes_the_tier_and_keeps_history(cast):
    cast.silver_ready()
    proposal = cast.review().proposed
    decided = tier_reviews.approve(cast.cm, cast.store, proposal.id, T0 + timedelta(hours=2))
    assert cast.store.get(COMPANIES, cast.acme.id).tier == "silver"
    history = tier_reviews.history(cast.ana, cast.store, cast.acme.id)
    assert history == [decided]
    assert (decided.status, decided.decided_by, decided.decided_at) == ("approved", cast.cm.id, T0 + timedelta(hours=2))


def test_rejection_keeps_the_tier_and_the_reason(cast):
    cast.silver_ready()
    proposal = cast.review().proposed
    decided = tier_reviews.reject(cast.admin, cast.store, proposal.id, T0, note="Waiting for the Q1 audit.")
    assert cast.store.get(COMPANIES, cast.acme.id).tier == "registered"
    assert decided.note == "Waiting for the Q1 audit."
    assert f"{tier_reviews.reason(decided, CATALOG.program)} {tier_reviews.rejection(decided)}" == (
        "Meets every requirement of Silver (evaluated 2026-03-02). Rejected: Waiting for the Q1 audit."
    )
    assert cast.review(T0 + timedelta(days=1)).proposed is None  # not proposed again this quarter
    assert cast.review(datetime(2026, 4, 2, tzinfo=UTC)).proposed.to_tier == "silver"


def test_rejected_demotion_restarts_the_grace_period(cast):
    cast.silver_ready(sales_pro_issued=ISSUED_BEFORE_LAPSE)
    cast.set_tier("silver")
    first = cast.review(LAPSE + timedelta(days=90)).proposed
    tier_reviews.reject(cast.cm, cast.store, first.id, LAPSE + timedelta(days=90), note="Give them a quarter.")
    assert cast.review(LAPSE + timedelta(days=179)).proposed is None
    assert cast.review(LAPSE + timedelta(days=180)).proposed.kind == "demote"


def test_channel_manager_cannot_decide_for_other_partners(cast):
    cast.silver_ready()
    proposal = cast.review().proposed
    with pytest.raises(NotAllowed) as e:
        tier_reviews.approve(cast.other_cm, cast.store, proposal.id, T0)
    assert str(e.value) == (
        "You (other@vendor.io) are not allowed to decide this tier proposal. "
        "Ask your channel manager or a program admin if you need this."
    )
    assert cast.store.get(COMPANIES, cast.acme.id).tier == "registered"


def test_partner_admin_cannot_approve_own_promotion(cast):
    cast.silver_ready()
    proposal = cast.review().proposed
    with pytest.raises(NotAllowed):
        tier_reviews.approve(cast.boss, cast.store, proposal.id, T0)


def test_a_decided_proposal_cannot_be_decided_again(cast):
    cast.silver_ready()
    proposal = cast.review().proposed
    tier_reviews.approve(cast.cm, cast.store, proposal.id, T0)
    with pytest.raises(ProposalDecided) as e:
        tier_reviews.reject(cast.cm, cast.store, proposal.id, T0)
    assert str(e.value) == "This proposal was already approved on 2026-03-02. Nothing to do."


def test_an_outdated_proposal_is_refused(cast):
    cast.silver_ready()
    proposal = cast.review().proposed
    cast.set_tier("gold")
    with pytest.raises(ProposalOutdated) as e:
        tier_reviews.approve(cast.cm, cast.store, proposal.id, T0)
    assert str(e.value) == (
        "This proposal moves Acme from registered, but it is now gold. Reject it; the next evaluation proposes afresh."
    )


def test_evaluate_all_covers_only_the_companies_the_actor_may_see(cast):
    cast.silver_ready()
    mine = tier_reviews.evaluate_all(cast.cm, cast.store, CATALOG, T0)
    assert [o.evaluation.company_name for o in mine.outcomes] == ["Acme"]
    assert mine.proposals_made == 1
    everyone = tier_reviews.evaluate_all(cast.admin, cast.store, CATALOG, T0)
    assert [o.evaluation.company_name for o in everyone.outcomes] == ["Acme", "Globex"]
    assert everyone.proposals_made == 0 and everyone.outcomes[0].pending is not None


def test_partner_admin_evaluates_own_company_without_making_proposals(cast):
    cast.silver_ready()
    summary = tier_reviews.evaluate_all(cast.boss, cast.store, CATALOG, T0)
    assert [o.evaluation.qualifies_for for o in summary.outcomes] == ["silver"]
    assert summary.proposals_made == 0 and proposals(cast.store) == []


def test_a_rejection_needs_a_note_the_partner_can_read(cast):
    cast.silver_ready()
    proposal = cast.review().proposed
    with pytest.raises(ReasonRequired) as e:
        tier_reviews.reject(cast.cm, cast.store, proposal.id, T0, note="  ")
    assert str(e.value) == "Give a reason to reject a tier proposal; it is kept in the record."
    assert cast.store.get(PROPOSALS, proposal.id).status == "pending"
