"""Leaderboards at 500,000 ledger entries and 10,000 users: p95 of a top-50 board per window.

Run: .venv/bin/python bench/bench_leaderboards.py  (the ledger is loaded straight into the memory
store's tables: its append_ledger checks idempotency keys by a scan, too slow to load 500,000 entries).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hub_app import leaderboards  # noqa: E402
from hub_app.catalog import load_catalog  # noqa: E402
from hub_app.records import Company, LedgerEntry, User  # noqa: E402
from hub_app.store.memory import MemoryStore  # noqa: E402

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def build(users: int = 10_000, companies: int = 500, entries: int = 500_000) -> tuple[MemoryStore, list[User]]:
    rng = random.Random(7)
    store = MemoryStore()
    for c in range(companies):
        store.add_company(Company(f"c{c}", f"Company {c}", rng.choice(["si", "var", "isv"]),
                                  rng.choice(["apac", "emea", "amer"]), "SG", (), "registered", None, NOW))
    people = []
    for u in range(users):
        user = User(f"u{u}", f"u{u}@x.io", f"User {u}", f"c{u % companies}", frozenset({"partner_user"}),
                    None, "-", NOW, leaderboard_opt_out=u % 17 == 0)
        store.add_user(user)
        people.append(user)
    for i in range(entries):
        user = people[rng.randrange(users)]
        at = NOW - timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
        entry = LedgerEntry(f"e{i}", user.id, user.company_id, "deal_won", rng.choice([25, 100, 250, 500]), at, f"k{i}")
        store._t.ledger[entry.id] = entry
        store._t.ledger_seq.append(entry)
    return store, people


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def main() -> None:
    program = load_catalog(Path(__file__).resolve().parents[1]).program
    store, people = build()
    start = time.perf_counter()
    leaderboards.people_board(people[0], store, program, "all", NOW)
    print(f"first call (buckets built from 500,000 entries): {1000 * (time.perf_counter() - start):.0f} ms")
    for board in (leaderboards.people_board, leaderboards.company_board):
        for window in ("month", "quarter", "year", "all"):
            times = []
            for i in range(60):
                t = time.perf_counter()
                board(people[i * 37], store, program, window, NOW)
                times.append(1000 * (time.perf_counter() - t))
            print(f"{board.__name__:14} {window:8} p50 {statistics.median(times):6.1f} ms  p95 {p95(times):6.1f} ms")


if __name__ == "__main__":
    main()
