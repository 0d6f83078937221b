"""The demo world: deterministic per seed, every partner type, tiers worth looking at, working sign-ins."""

from __future__ import annotations

import functools
import random
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
from hub_cast import real_catalog

from hub_app.certification import certificates as certification
from hub_app.certification.records import CERTIFICATES
from hub_app.demo import history as demo_history
from hub_app.demo import seed as demo
from hub_app.demo import world as demo_world
from hub_app.demo.world import ADMIN_EMAIL
from hub_app.partners import accounts
from hub_app.partners.records import COMPANIES, USERS, user_by_email, users_of_company
from hub_app.store.memory import MemoryStore
from hub_app.tiers import reviews as tier_reviews
from hub_app.tiers.records import proposals

NOW = datetime(2026, 11, 28, 10, 22, tzinfo=UTC)


@functools.cache
def seeded(seed: int = 1) -> tuple[MemoryStore, float]:
    store = MemoryStore()
    started = time.perf_counter()
    demo.seed_demo(store, real_catalog(), NOW, seed=seed)
    return store, time.perf_counter() - started


def test_same_seed_and_now_give_the_same_world():
    first, _ = seeded(1)
    again = MemoryStore()
    demo.seed_demo(again, real_catalog(), NOW, seed=1)
    assert demo.fingerprint(again) == demo.fingerprint(first)


def test_another_seed_gives_another_world():
    assert demo.fingerprint(seeded(2)[0]) != demo.fingerprint(seeded(1)[0])


def test_demo_scale_seeds_in_seconds():
    assert seeded(1)[1] < 20


def test_world_has_every_partner_type_region_and_a_crowd():
    store, _ = seeded()
    companies = store.select(COMPANIES)
    assert {c.type for c in companies} == {t.id for t in real_catalog().program.partner_types}
    assert {c.region for c in companies} == {"apac", "china", "emea", "amer"}
    assert 35 <= len(companies) <= 45
    assert 250 <= len(store.select(USERS)) <= 350
    assert all(any(u.has_role("partner_admin") for u in users_of_company(store, c.id)) for c in companies)


def test_tiers_proposals_and_certificates_are_interesting():
    store, _ = seeded()
    program = real_catalog().program
    assert len({c.tier for c in store.select(COMPANIES)}) >= 3
    statuses = Counter(certification.status(c, program, NOW) for c in store.select(CERTIFICATES))
    assert statuses["expiring"] >= 1 and statuses["revoked"] == 1 and statuses["active"] > 200
    kinds = Counter((p.kind, p.status) for p in proposals(store))
    assert kinds[("promote", "approved")] >= 5 and kinds[("promote", "pending")] >= 1


def test_showcase_company_is_at_risk_and_one_company_is_in_its_grace_period():
    store, _ = seeded()
    admin = user_by_email(store, ADMIN_EMAIL)
    outcomes = tier_reviews.evaluate_all(admin, store, real_catalog(), NOW).outcomes
    at_risk = {o.evaluation.company_name: o.evaluation.at_risk_reason for o in outcomes if o.evaluation.at_risk_on}
    assert at_risk["Harbourline Systems"].startswith("Mei Tan's Quillstack Certified Sales Professional expires on")
    in_grace = [o for o in outcomes if o.below_since is not None and o.pending is None]
    assert in_grace, "one company should be below its tier, still inside the grace period"


def test_history_only_sits_exams_the_attempt_policy_allows():
    # Every planned sitting ran: none was refused by the attempt policy.
    store, catalog = MemoryStore(), real_catalog()
    rng = random.Random(5)
    world = demo_world.plan_world(rng, catalog, NOW, "-")
    demo._write_people(store, world, lambda *_: None)
    history = demo_history.play(store, catalog, world, rng)
    assert history.skipped == 0


@pytest.mark.parametrize("email", [s.email for s in demo.SIGN_INS])
def test_documented_sign_ins_work_with_the_demo_password(email):
    store, _ = seeded()
    user = accounts.sign_in(store, email, demo.DEMO_PASSWORD, NOW)
    assert user.email == email


def test_seeding_a_non_empty_store_is_refused():
    store, _ = seeded()
    with pytest.raises(demo.StoreNotEmpty) as refused:
        demo.seed_demo(store, real_catalog(), NOW, where="The data directory data")
    assert str(refused.value) == (
        f"The data directory data already holds a Partner Hub database ({store.count(USERS)} users); the demo world "
        "is seeded only into an empty one. Use another --data directory, or pass --force to replace it."
    )
