"""The demo world: `partnerhub seed-demo` fills an empty store with a believable partner program.

Two scales: `demo` (~40 companies, ~300 people, 18 months played through the real domain functions)
and `program` (1,000 companies, 10,000 people, ~100,000 attempts, ~500,000 ledger entries, written as
consistent records in bulk). Both are deterministic: the same seed and the same `now` give the same
world; `now` is the only clock they read. Everyone signs in with `DEMO_PASSWORD`.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from hub_app.catalog import Catalog
from hub_app.certification.records import CERTIFICATES, certificates_of
from hub_app.demo import awards as demo_awards
from hub_app.demo import community as demo_community
from hub_app.demo import history as demo_history
from hub_app.demo import joining as demo_joining
from hub_app.demo import selling as demo_selling
from hub_app.demo.world import ADMIN_EMAIL, World, plan_world
from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Number
from hub_app.learning.records import attempts_of
from hub_app.partners import accounts
from hub_app.partners.records import COMPANIES, USERS
from hub_app.recognition.records import LEDGER, ledger_of
from hub_app.store.base import Store
from hub_app.tiers import records as tier_records
from hub_app.tiers.records import PROPOSALS, kpis_of

Scale = Literal["demo", "program"]
Progress = Callable[[str, int, int], None]  # stage, done, total
DEMO_PASSWORD = "quillstack-demo"


@dataclass(frozen=True)
class SignIn:
    """A documented demo account."""

    who: str
    email: str


SIGN_INS = (
    SignIn("Partner user (Mei Tan, Harbourline Systems, Gold)", "mei.tan@harbourline.example"),
    SignIn("Partner admin (James Koh, Harbourline Systems)", "james.koh@harbourline.example"),
    SignIn("Channel manager, APAC (Priya Raman)", "cm.apac@quillstack.example"),
    SignIn("Channel manager, Greater China (周琳)", "cm.china@quillstack.example"),
    SignIn("Program admin (Alex Morgan)", ADMIN_EMAIL),
)


class StoreNotEmpty(HubError):
    msgid = (
        "{where} already holds a Partner Hub database ({users} users); the demo world is seeded only into "
        "an empty one. Use another --data directory, or pass --force to replace it."
    )

    def __init__(self, where: str, users: int):
        super().__init__(where=where, users=Number(users))
        self.where, self.users = where, users


@dataclass(frozen=True)
class Summary:
    """What a seeding wrote."""

    companies: int
    users: int
    attempts: int
    certificates: int
    ledger_entries: int
    proposals: int


def seed_demo(
    store: Store,
    catalog: Catalog,
    now: datetime,
    *,
    seed: int = 1,
    scale: Scale = "demo",
    where: str = "The store",
    on_progress: Progress | None = None,
    blob_dir: Path | None = None,
) -> Summary:
    """Seed the demo world into an empty store as of `now`; StoreNotEmpty when it holds anyone."""
    existing = len(store.select(USERS))
    if existing:
        raise StoreNotEmpty(where, existing)
    rng = random.Random(seed)
    password_hash = accounts.hash_password(DEMO_PASSWORD)  # once: argon2 per person would take minutes
    report = on_progress or (lambda stage, done, total: None)
    world = plan_world(rng, catalog, now, password_hash)
    _write_people(store, world, report)
    demo_history.play(store, catalog, world, rng, lambda done, total: report("18 months of history", done, total))
    demo_community.play(store, catalog, world)
    demo_selling.play(store, catalog, world, rng, blob_dir or Path(tempfile.mkdtemp(prefix="hub-demo-blobs-")))
    demo_joining.play(store, catalog, world, rng)
    demo_awards.play(store, catalog, world, rng)
    if scale == "program":  # the demo world (and its sign-ins), grown to the program's size around it
        from hub_app.demo import bulk as demo_bulk

        demo_bulk.seed_program(store, catalog, now, rng, password_hash, report)
    return summarise(store)


def _write_people(store: Store, world: World, report: Progress) -> None:
    with store.transaction():
        for user in (world.admin, *world.managers.values()):
            store.add(USERS, user)
        for i, plan in enumerate(world.plans, start=1):
            store.add(COMPANIES, plan.company)
            for person in plan.people:
                store.add(USERS, person.user)
            report("Companies and people", i, len(world.plans))


def summarise(store: Store) -> Summary:
    """Counts of what the store holds."""
    users = store.select(USERS)
    attempts = sum(len(attempts_of(store, u.id)) for u in users)
    return Summary(
        store.count(COMPANIES),
        len(users),
        attempts,
        store.count(CERTIFICATES),
        store.count(LEDGER),
        store.count(PROPOSALS),
    )


def fingerprint(store: Store) -> str:
    """A digest of the world that ignores what is random by design (record ids and verification codes)."""
    users = {u.id: u.email for u in store.select(USERS)}
    companies = {c.id: c.name for c in store.select(COMPANIES)}
    lines = [
        f"company {c.name} {c.type} {c.region} {c.country} {c.tier} {c.joined:%Y-%m-%d}"
        for c in store.select(COMPANIES)
    ]
    for uid, email in sorted(users.items(), key=lambda kv: kv[1]):
        user = store.get(USERS, uid)
        assert user is not None
        lines.append(f"user {email} {user.display_name} {sorted(user.roles)} {user.job_role}")
        lines += [
            f"  attempt {a.course_id} {a.started_at:%Y-%m-%d %H:%M} {a.score_pct} {a.passed}"
            for a in attempts_of(store, uid)
        ]
        lines += [
            f"  cert {c.course_id} {c.issued:%Y-%m-%d %H:%M} {c.expires:%Y-%m-%d} {c.revoked_at} {bool(c.renews)}"
            for c in certificates_of(store, uid)
        ]
        lines += [f"  points {e.rule} {e.points} {e.at:%Y-%m-%d %H:%M} {e.reason}" for e in ledger_of(store, uid)]
    for cid, name in sorted(companies.items(), key=lambda kv: kv[1]):
        lines += [f"kpi {name} {k.period} {k.revenue_12m} {k.customers} {k.csat}" for k in kpis_of(store, cid)]
    lines += [
        f"proposal {companies.get(p.company_id)} {p.kind} {p.to_tier} {p.status} {p.created:%Y-%m-%d}"
        for p in tier_records.proposals(store)
    ]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
