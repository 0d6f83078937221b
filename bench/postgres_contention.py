"""Write transactions under contention on PostgreSQL: the advisory lock Partner Hub takes, beside
SERIALIZABLE with retries, on the same throwaway server in the same run.

The workload is the domain's check-then-write: THREADS threads each run TXNS transactions that count a
person's ledger entries (as an attempt cap does) and append one if under the cap, over PEOPLE people.
The SERIALIZABLE variants retry on serialization failures; "no revision row" also leaves out the
per-kind version row every write updates (a hot row that makes concurrent SERIALIZABLE writers collide).

    .venv/bin/python bench/postgres_contention.py
"""

from __future__ import annotations

import random
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from psycopg import errors, sql

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from postgres_server import start_server, stop_server  # noqa: E402
from smoke import scaled  # noqa: E402

from hub_app.kernel.ids import new_id  # noqa: E402
from hub_app.recognition.records import LEDGER, LedgerEntry  # noqa: E402
from hub_app.store import migrate  # noqa: E402
from hub_app.store.postgres.backend import PostgresStore  # noqa: E402
from hub_app.store.postgres.schema import KindTable  # noqa: E402

THREADS, TXNS, PEOPLE, CAP = scaled((8, 150, 50, 1_000_000), (2, 10, 5, 1_000_000))
T0 = datetime(2026, 1, 1, tzinfo=UTC)


class Serializable(PostgresStore):
    """SERIALIZABLE instead of the advisory lock (log positions then no longer follow commit order)."""

    def _begin(self, conn: Any) -> None:
        conn.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")


class SerializableNoRevisionRow(Serializable):
    @staticmethod
    def _bumped(table: KindTable, statement: sql.Composable) -> sql.Composed:
        return sql.SQL("WITH bump AS (SELECT %s::text) ") + statement  # type: ignore[return-value]


def run(store: PostgresStore, threads: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    retries = [0]
    lock = threading.Lock()

    def work(n: int) -> None:
        rng = random.Random(n)
        for i in range(TXNS):
            person = f"u{rng.randrange(PEOPLE)}"
            start = time.perf_counter()
            while True:
                try:
                    with store.transaction():
                        if store.count(LEDGER, "user", person) < CAP:
                            entry = LedgerEntry(new_id(), person, "c1", "course_first_pass", 1, T0, f"{n}:{i}")
                            store.append(LEDGER, entry)
                    break
                except (errors.SerializationFailure, errors.DeadlockDetected):
                    with lock:
                        retries[0] += 1
            with lock:
                latencies.append(time.perf_counter() - start)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    assert store.count(LEDGER) == threads * TXNS
    return latencies, retries[0]


def main() -> None:
    server = start_server()
    try:
        print(f"{THREADS} threads x {TXNS} check-then-append transactions over {PEOPLE} people")
        print(f"{'variant':<36} {'txn/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'retries':>8}")
        for name, cls, threads in [
            ("advisory lock, 1 thread (reference)", PostgresStore, 1),
            ("advisory lock (Partner Hub)", PostgresStore, THREADS),
            ("SERIALIZABLE + retries", Serializable, THREADS),
            ("SERIALIZABLE + retries, no rev row", SerializableNoRevisionRow, THREADS),
        ]:
            url = server.create_database()
            migrate(url, [LEDGER])
            store = cls(url, max_connections=THREADS)
            start = time.perf_counter()
            latencies, retries = run(store, threads)
            elapsed = time.perf_counter() - start
            store.close()
            q = statistics.quantiles(latencies, n=20)
            print(f"{name:<36} {len(latencies) / elapsed:>7.0f} {q[9] * 1e3:>7.2f} {q[18] * 1e3:>7.2f} {retries:>8}")
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
