"""Program-scale synthetic data for bench/store.py, loaded into the TinyDB store and into plain SQLite.

Deterministic (one seeded generator): 1,000 companies, 10,000 users, 100,000 attempts drawn from the
real catalog's exams, a certificate for each first pass, and 500,000 ledger entries in all.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from smoke import scaled

from hub_app.catalog import Catalog
from hub_app.certification import records as certification_records
from hub_app.certification.records import Certificate
from hub_app.learning import exams, grading
from hub_app.learning import records as learning_records
from hub_app.learning.records import Attempt, DrawnItem
from hub_app.partners import records as partner_records
from hub_app.partners.records import Company, User
from hub_app.recognition import records as recognition_records
from hub_app.recognition.records import LedgerEntry

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
SPAN_MINUTES = 3 * 365 * 24 * 60
COMPANIES, USERS, ATTEMPTS, LEDGER = scaled((1_000, 10_000, 100_000, 500_000), (20, 200, 500, 2_000))
CHUNK = 10_000  # records per bulk transaction


@dataclass
class Data:
    companies: list[Company] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)
    ledger: list[LedgerEntry] = field(default_factory=list)

    def kinds(self) -> list[tuple[str, list]]:
        return [(name, getattr(self, name)) for name in ("companies", "users", "attempts", "certificates", "ledger")]


def generate(catalog: Catalog, seed: int = 7) -> Data:
    """The synthetic program, the same every run."""
    rng, program, data = random.Random(seed), catalog.program, Data()
    types, regions = [t.id for t in program.partner_types], ["apac", "emea", "amer", "gcr", "latam"]
    for c in range(COMPANIES):
        data.companies.append(
            Company(
                f"c{c:04d}",
                f"Partner {c:04d}",
                rng.choice(types),
                rng.choice(regions),
                "SG",
                ("finance",),
                program.tiers[0].id,
                None,
                NOW - timedelta(days=1200),
            )
        )
    for u in range(USERS):
        data.users.append(
            User(
                f"u{u:05d}",
                f"user{u}@partner{u % COMPANIES}.example",
                f"User {u}",
                f"c{u % COMPANIES:04d}",
                frozenset({"partner_user"}),
                "sales",
                "-",
                NOW - timedelta(days=1100),
                leaderboard_opt_out=u % 17 == 0,
            )
        )
    _attempts_and_certificates(catalog, rng, data)
    _ledger(rng, data)
    return data


def _draws(catalog: Catalog) -> dict[str, list[tuple[tuple[DrawnItem, ...], dict]]]:
    """Forty real draws per course, each with its correct answers (attempts reuse them)."""
    pools = {}
    for course_id in catalog.courses:
        _, exam = exams.course_exam(catalog, course_id)
        pool = []
        for seed in range(40):
            items = exams.draw(exam, set(), seed)
            pool.append((items, {d.item_id: grading.correct_answer(exam.item(d.item_id), d) for d in items}))
        pools[course_id] = pool
    return pools


def _attempts_and_certificates(catalog: Catalog, rng: random.Random, data: Data) -> None:
    pools, certified = _draws(catalog), set()
    for a in range(ATTEMPTS):
        user, course_id = data.users[rng.randrange(USERS)], rng.choice(list(pools))
        items, answers = rng.choice(pools[course_id])
        started = NOW - timedelta(minutes=rng.randrange(SPAN_MINUTES))
        passed = rng.random() < 0.7
        data.attempts.append(
            Attempt(
                f"a{a:06d}",
                user.id,
                course_id,
                "1.0.0",
                a,
                started,
                started + timedelta(hours=1),
                items,
                answers,
                started + timedelta(minutes=40),
                90.0 if passed else 50.0,
                passed,
                {"api": 100.0, "plans": 75.0},
            )
        )
        if passed and (user.id, course_id) not in certified:
            certified.add((user.id, course_id))
            code = "-".join("".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=4)) for _ in range(3))
            data.certificates.append(
                Certificate(
                    f"k{a:06d}",
                    code,
                    user.id,
                    user.company_id,
                    course_id,
                    "1.0.0",
                    started,
                    started + timedelta(days=730),
                )
            )


def _ledger(rng: random.Random, data: Data) -> None:
    for cert in data.certificates:
        for rule, points in (("course_first_pass", 100), ("certification_earned", 250)):
            key = f"{rule}:{cert.user_id}:{cert.course_id}"
            data.ledger.append(
                LedgerEntry(f"e{len(data.ledger):06d}", cert.user_id, cert.company_id, rule, points, cert.issued, key)
            )
    while len(data.ledger) < LEDGER:
        user, i = data.users[rng.randrange(USERS)], len(data.ledger)
        rule, points = rng.choice([("deal_won", 500), ("event_attended", 25)])
        at = NOW - timedelta(minutes=rng.randrange(SPAN_MINUTES))
        data.ledger.append(
            LedgerEntry(f"e{i:06d}", user.id, user.company_id, rule, points, at, f"{rule}:{user.id}:{i}")
        )


def chunks(records: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


# --- TinyDB -----------------------------------------------------------------------------------------


def load_store(store, data: Data, advance: Callable[[int], None]) -> None:  # noqa: ANN001
    """Every record through the store's own methods, CHUNK of them per transaction."""
    kinds = {
        "companies": partner_records.COMPANIES,
        "users": partner_records.USERS,
        "attempts": learning_records.ATTEMPTS,
        "certificates": certification_records.CERTIFICATES,
    }
    writers = {name: partial(store.add, kind) for name, kind in kinds.items()}
    writers["ledger"] = partial(store.append, recognition_records.LEDGER)
    for name, records in data.kinds():
        for chunk in chunks(records):
            with store.transaction():
                for record in chunk:
                    writers[name](record)
            advance(len(chunk))
    store.compact()  # what an operator's bulk import does: the next start parses one snapshot, no journal


# --- SQLite -----------------------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE companies (id TEXT PRIMARY KEY, name TEXT, type TEXT, region TEXT, country TEXT, industries TEXT,
    tier TEXT, channel_manager_id TEXT, joined TEXT, leaderboard_opt_out INT, active INT);
CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT UNIQUE, display_name TEXT, company_id TEXT, roles TEXT,
    job_role TEXT, password_hash TEXT, created TEXT, leaderboard_opt_out INT, active INT);
CREATE INDEX users_company ON users(company_id);
CREATE TABLE attempts (id TEXT PRIMARY KEY, user_id TEXT, course_id TEXT, course_version TEXT, seed INT,
    started_at TEXT, deadline TEXT, items TEXT, answers TEXT, submitted_at TEXT, score_pct REAL, passed INT,
    domain_scores TEXT);
CREATE INDEX attempts_user ON attempts(user_id, course_id);
CREATE TABLE certificates (id TEXT PRIMARY KEY, code TEXT UNIQUE, user_id TEXT, company_id TEXT, course_id TEXT,
    course_version TEXT, issued TEXT, expires TEXT, revoked_at TEXT);
CREATE INDEX certificates_user ON certificates(user_id);
CREATE INDEX certificates_company ON certificates(company_id);
CREATE TABLE ledger (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, user_id TEXT, company_id TEXT, rule TEXT, points INT,
    at TEXT, idempotency_key TEXT UNIQUE, reason TEXT);
CREATE INDEX ledger_user ON ledger(user_id);
CREATE INDEX ledger_at ON ledger(at);
"""


def open_sqlite(path: str) -> sqlite3.Connection:
    """WAL with synchronous=FULL: every commit is fsynced, the same durability as the journal."""
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    return db


def sqlite_rows(name: str, record) -> tuple:  # noqa: ANN001
    """One record as the row of its SQLite table."""
    r = record
    if name == "companies":
        return (
            r.id,
            r.name,
            r.type,
            r.region,
            r.country,
            json.dumps(r.industries),
            r.tier,
            r.channel_manager_id,
            r.joined.isoformat(),
            r.leaderboard_opt_out,
            r.active,
        )
    if name == "users":
        return (
            r.id,
            r.email,
            r.display_name,
            r.company_id,
            json.dumps(sorted(r.roles)),
            r.job_role,
            r.password_hash,
            r.created.isoformat(),
            r.leaderboard_opt_out,
            r.active,
        )
    if name == "attempts":
        items = json.dumps([[d.item_id, d.item_version, d.option_order] for d in r.items])
        return (
            r.id,
            r.user_id,
            r.course_id,
            r.course_version,
            r.seed,
            r.started_at.isoformat(),
            r.deadline.isoformat(),
            items,
            json.dumps(r.answers),
            r.submitted_at and r.submitted_at.isoformat(),
            r.score_pct,
            r.passed,
            json.dumps(r.domain_scores),
        )
    if name == "certificates":
        return (
            r.id,
            r.verification_code,
            r.user_id,
            r.company_id,
            r.course_id,
            r.course_version,
            r.issued.isoformat(),
            r.expires.isoformat(),
            None,
        )
    return (None, r.id, r.user_id, r.company_id, r.rule, r.points, r.at.isoformat(), r.idempotency_key, r.reason)


def load_sqlite(db: sqlite3.Connection, data: Data, advance: Callable[[int], None]) -> None:
    """The same records, CHUNK rows per transaction."""
    db.executescript(SCHEMA)
    for name, records in data.kinds():
        for chunk in chunks(records):
            rows = [sqlite_rows(name, r) for r in chunk]
            db.execute("BEGIN")
            db.executemany(f"INSERT INTO {name} VALUES ({','.join('?' * len(rows[0]))})", rows)
            db.execute("COMMIT")
            advance(len(chunk))
