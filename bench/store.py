"""The TinyDB store at program scale, each figure beside the same operation on SQLite in the same run.

1,000 companies, 10,000 users, 100,000 attempts, 500,000 ledger entries (bench/store_data.py), loaded
into the TinyDB store and into SQLite (WAL, synchronous=FULL, indexed). Run: make bench, or
.venv/bin/python bench/store.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from smoke import scaled  # noqa: E402
from store_data import NOW, Data, generate, load_sqlite, load_store, open_sqlite, sqlite_rows  # noqa: E402

from hub_app.catalog import Catalog, load_catalog  # noqa: E402
from hub_app.learning import exams, grading, submission  # noqa: E402
from hub_app.partners.records import PROGRAM_ADMIN, USERS, User  # noqa: E402
from hub_app.recognition import leaderboards  # noqa: E402
from hub_app.recognition import points as ledger  # noqa: E402
from hub_app.store.tinydb.backend import TinyDBStore  # noqa: E402
from hub_app.tiers import reviews as tier_reviews  # noqa: E402

COURSE = "qs-fundamentals"
SUBMITS, BOARD_CALLS, SQL_BOARD_CALLS, AFTER_WRITES = scaled((200, 40, 5, 40), (5, 3, 3, 3))
WINDOWS = ("month", "quarter", "year", "all")
ADMIN = User("bench-admin", "admin@vendor.example", "Admin", None, frozenset({PROGRAM_ADMIN}), None, "-", NOW)
Row = tuple[str, float, float, str, str]  # operation, tinydb, sqlite, unit, target


def ms(samples: list[float], q: str) -> float:
    if q == "p50":
        return 1000 * statistics.median(samples)
    return 1000 * statistics.quantiles(samples, n=20)[-1]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --- exam submit ------------------------------------------------------------------------------------


def submit_samples(store: TinyDBStore, catalog: Catalog) -> list[float]:
    """Grade + close the attempt + certificate + points, through hub_app.submission.submit."""
    _, exam = exams.course_exam(catalog, COURSE)
    takers = [
        User(
            f"bench{i}",
            f"bench{i}@partner0.example",
            f"Bench {i}",
            "c0000",
            frozenset({"partner_user"}),
            "sales",
            "-",
            NOW,
        )
        for i in range(SUBMITS)
    ]
    with store.transaction():
        for user in takers:
            store.add(USERS, user)
    samples = []
    for i, user in enumerate(takers):
        attempt = exams.start_attempt(user, catalog, store, COURSE, NOW, seed=i)
        answers = {d.item_id: grading.correct_answer(exam.item(d.item_id), d) for d in attempt.items}
        samples.append(
            timed(lambda u=user, a=attempt, ans=answers: submission.submit(u, a.id, ans, catalog, store, NOW))
        )
    return samples


def sqlite_submit_samples(db, data: Data) -> list[float]:  # noqa: ANN001
    """The same writes on SQLite in one transaction: attempt update, certificate, three ledger entries."""
    samples = []
    for i in range(SUBMITS):
        attempt = replace(data.attempts[i], id=f"bench-a{i}", user_id=f"bench{i}", submitted_at=None)
        db.execute("INSERT INTO attempts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", sqlite_rows("attempts", attempt))
        cert = replace(
            data.certificates[i], id=f"bench-k{i}", verification_code=f"BNCH-{i:04d}-XXXX", user_id=f"bench{i}"
        )
        samples.append(timed(lambda a=attempt, c=cert: _sqlite_submit(db, a, c)))
    return samples


def _sqlite_submit(db, attempt, cert) -> None:  # noqa: ANN001
    db.execute("BEGIN IMMEDIATE")
    db.execute("SELECT * FROM attempts WHERE id = ?", (attempt.id,)).fetchone()
    db.execute(
        "UPDATE attempts SET answers = ?, submitted_at = ?, score_pct = 100, passed = 1 WHERE id = ?",
        (json.dumps(attempt.answers), NOW.isoformat(), attempt.id),
    )
    db.execute("SELECT * FROM certificates WHERE user_id = ?", (cert.user_id,)).fetchall()
    db.execute("INSERT INTO certificates VALUES (?,?,?,?,?,?,?,?,?)", sqlite_rows("certificates", cert))
    for rule, points in (("course_first_pass", 100), ("certification_earned", 250), ("perfect_score", 50)):
        db.execute(
            "INSERT OR IGNORE INTO ledger (id, user_id, company_id, rule, points, at, idempotency_key, reason) "
            "VALUES (?,?,?,?,?,?,?,'')",
            (
                f"{cert.id}:{rule}",
                cert.user_id,
                "c0000",
                rule,
                points,
                NOW.isoformat(),
                f"{rule}:{cert.user_id}:{COURSE}",
            ),
        )
    db.execute("COMMIT")


# --- leaderboards -----------------------------------------------------------------------------------


def board_samples(store: TinyDBStore, catalog: Catalog, data: Data, board: Callable, window: str) -> list[float]:
    actors = [data.users[i * 241 % len(data.users)] for i in range(BOARD_CALLS)]
    return [timed(lambda a=a: board(a, store, catalog.program, window, NOW)) for a in actors]


def boards_after_writes(store: TinyDBStore, catalog: Catalog, data: Data) -> list[Row]:
    """The company board (all time) right after a write of each kind, beside the same board with no write
    between calls (steady), interleaved: pass an exam, a points adjustment, a new person."""
    program, board = catalog.program, leaderboards.company_board
    actor = data.users[0]
    passes = iter(range(10**6))

    def a_pass() -> None:
        i = next(passes)
        user = User(
            f"after{i}",
            f"after{i}@partner0.example",
            f"After {i}",
            "c0001",
            frozenset({"partner_user"}),
            "sales",
            "-",
            NOW,
        )
        store.add(USERS, user)
        _, exam = exams.course_exam(catalog, COURSE)
        attempt = exams.start_attempt(user, catalog, store, COURSE, NOW, seed=i)
        answers = {d.item_id: grading.correct_answer(exam.item(d.item_id), d) for d in attempt.items}
        submission.submit(user, attempt.id, answers, catalog, store, NOW)

    def an_award() -> None:
        ledger.adjust(ADMIN, store, data.users[next(passes) % len(data.users)].id, 5, "bench", NOW)

    def a_person() -> None:
        i = next(passes)
        store.add(
            USERS,
            User(
                f"new{i}",
                f"new{i}@partner0.example",
                f"New {i}",
                "c0002",
                frozenset({"partner_user"}),
                "sales",
                "-",
                NOW,
            ),
        )

    rows: list[Row] = []
    for label, write in (("a pass", a_pass), ("a points award", an_award), ("a new person", a_person)):
        after, steady = [], []
        for _ in range(AFTER_WRITES):
            write()
            after.append(timed(lambda: board(actor, store, program, "all", NOW)))
            steady.append(timed(lambda: board(actor, store, program, "all", NOW)))
        rows.append(
            (
                f"company board right after {label} p95 (vs steady)",
                ms(after, "p95"),
                ms(steady, "p95"),
                "ms",
                "≤ 2× steady",
            )
        )
    return rows


SQL_BOARD = (
    "SELECT {owner}, SUM(points) AS total FROM ledger WHERE at >= ? AND at < ? "
    "GROUP BY {owner} ORDER BY total DESC, {owner} LIMIT 50"
)


def sqlite_board_samples(db, catalog: Catalog, owner: str, window: str) -> list[float]:  # noqa: ANN001
    since, until = leaderboards._bounds(catalog.program, window, NOW)
    bounds = (since.isoformat() if since else "", until.isoformat() if until else "9999")
    sql = SQL_BOARD.format(owner=owner)
    return [timed(lambda: db.execute(sql, bounds).fetchall()) for _ in range(SQL_BOARD_CALLS)]


# --- tier evaluation --------------------------------------------------------------------------------

SQL_TIERS = """
SELECT u.company_id, c.course_id, COUNT(DISTINCT c.user_id) FROM certificates c JOIN users u ON u.id = c.user_id
WHERE u.active AND c.revoked_at IS NULL AND c.expires > ? GROUP BY u.company_id, c.course_id
"""


def tier_figures(store: TinyDBStore, catalog: Catalog, db) -> tuple[float, float]:  # noqa: ANN001
    ours = timed(lambda: tier_reviews.evaluate_all(ADMIN, store, catalog, NOW))
    theirs = timed(lambda: db.execute(SQL_TIERS, (NOW.isoformat(),)).fetchall())
    return ours, theirs


# --- cold start -------------------------------------------------------------------------------------

COLD_TINYDB = """
import json, sys, time
sys.path.insert(0, {root!r})
from hub_app.recognition import leaderboards  # noqa: E402
from hub_app.recognition import points as ledger  # noqa: E402
from hub_app.catalog import load_catalog
from hub_app.store.tinydb.backend import TinyDBStore
from hub_app.partners.records import USERS
from datetime import datetime
program = load_catalog({root!r}).program
start = time.perf_counter()
store = TinyDBStore({path!r})
leaderboards.people_board(store.get(USERS, "u00000"), store, program, "all", datetime.fromisoformat({now!r}))
seconds = time.perf_counter() - start
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps([seconds, int(peak.split()[1]) / 1024]))
"""
FIRST_SUBMIT = """
import json, sys, time
sys.path.insert(0, {root!r})
from datetime import datetime
from hub_app.catalog import load_catalog
from hub_app.learning import exams, grading, submission
from hub_app.partners.records import USERS, User
from hub_app.store import warm
from hub_app.store.tinydb.backend import TinyDBStore
from hub_app.ui.web.launch import declared_kinds
now = datetime.fromisoformat({now!r})
catalog = load_catalog({root!r})
store = TinyDBStore({path!r})
if {warm!r}:
    warm(store, declared_kinds())  # what the app's launcher does before the first visitor
user = User("first", "first@partner0.example", "First", "c0000", frozenset({{"partner_user"}}), "sales", "-", now)
store.add(USERS, user)
_, exam = exams.course_exam(catalog, {course!r})
attempt = exams.start_attempt(user, catalog, store, {course!r}, now, seed=1)
answers = {{d.item_id: grading.correct_answer(exam.item(d.item_id), d) for d in attempt.items}}
start = time.perf_counter()
submission.submit(user, attempt.id, answers, catalog, store, now)
print(json.dumps([time.perf_counter() - start, 0]))
"""
COLD_SQLITE = """
import json, sqlite3, time
start = time.perf_counter()
db = sqlite3.connect({path!r})
db.execute("SELECT user_id, SUM(points) AS t FROM ledger GROUP BY user_id ORDER BY t DESC LIMIT 50").fetchall()
seconds = time.perf_counter() - start
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps([seconds, int(peak.split()[1]) / 1024]))
"""


def first_submit(tmp: str, warmed: bool) -> float:
    """The first exam submit of a freshly opened store (a copy with its lock file: the submit writes)."""
    copy = os.path.join(tmp, "first.json")
    shutil.copy(os.path.join(tmp, "hub.json"), copy)
    shutil.copy(os.path.join(tmp, "hub.json.lock"), copy + ".lock")
    seconds, _ = cold_start(FIRST_SUBMIT, copy, warm=warmed)
    return seconds


def compaction_pauses(store: TinyDBStore) -> tuple[float, float, float, float]:
    """The longest a reader and a writer wait while the database is compacted: today's way (frozen view
    written outside the locks) and, in the same run, the old way (the snapshot written under the locks).

    A reader thread reads one record in a loop and a writer thread commits one small write every 20 ms;
    each keeps the longest single call it saw."""
    storage, key = store.db.storage, next(iter(store.db.storage.tables[USERS.table]))

    def longest_waits(compact: Callable[[], None]) -> tuple[float, float]:
        stop, waits = threading.Event(), {"read": 0.0, "write": 0.0}

        def reader() -> None:
            while not stop.is_set():
                waits["read"] = max(waits["read"], timed(lambda: store.db.table(USERS.table).get(doc_id=int(key))))

        def writer() -> None:
            while not stop.is_set():
                waits["write"] = max(waits["write"], timed(lambda: store.db.table("bench_pulse").insert({"t": 1})))
                time.sleep(0.02)

        threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
        for thread in threads:
            thread.start()
        time.sleep(0.2)
        waits.update(read=0.0, write=0.0)  # what the threads saw before compaction started is not counted
        compact()
        stop.set()
        for thread in threads:
            thread.join()
        return waits["read"], waits["write"]

    def under_the_locks() -> None:
        with storage.transaction():
            storage._write_snapshot(storage.path, storage.generation + 1)  # noqa: SLF001 - the old way, for reference

    new_read, new_write = longest_waits(store.compact)
    old_read, old_write = longest_waits(under_the_locks)
    return new_read, old_read, new_write, old_write


def cold_start(template: str, path: str, **more: object) -> tuple[float, float]:
    code = template.format(root=str(ROOT), path=path, now=NOW.isoformat(), course=COURSE, **more)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"the measuring child failed:\n{done.stderr}")
    seconds, rss_mb = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, rss_mb


# --- the run ----------------------------------------------------------------------------------------


def load_both(tmp: str, catalog: Catalog) -> tuple[TinyDBStore, object, Data]:
    console = Console()
    with console.status("Generating the synthetic program…"):
        data = generate(catalog)
    total = sum(len(records) for _, records in data.kinds())
    store, db = TinyDBStore(os.path.join(tmp, "hub.json")), open_sqlite(os.path.join(tmp, "hub.sqlite"))
    with Progress(console=console, transient=True) as progress:
        for name, load, target in (("TinyDB store", load_store, store), ("SQLite", load_sqlite, db)):
            task = progress.add_task(f"Loading {name}", total=total)
            started = time.perf_counter()
            load(target, data, lambda n, t=task: progress.advance(t, n))
            console.print(f"Loaded {total:,} records into {name} in {time.perf_counter() - started:.1f} s")
    return store, db, data


def measure(tmp: str, catalog: Catalog) -> list[Row]:
    store, db, data = load_both(tmp, catalog)
    rows: list[Row] = []
    ours, theirs = submit_samples(store, catalog), sqlite_submit_samples(db, data)
    target = f"p95 ≤ 2× SQLite ({2 * ms(theirs, 'p95'):.2f} ms)"
    rows += [
        ("exam submit p50", ms(ours, "p50"), ms(theirs, "p50"), "ms", ""),
        ("exam submit p95", ms(ours, "p95"), ms(theirs, "p95"), "ms", target),
    ]
    people = leaderboards.people_board
    people(data.users[0], store, catalog.program, "all", NOW)  # the first call builds the buckets
    for board, owner in ((people, "user_id"), (leaderboards.company_board, "company_id")):
        for window in WINDOWS:
            ours, theirs = (
                board_samples(store, catalog, data, board, window),
                sqlite_board_samples(db, catalog, owner, window),
            )
            label = f"{'people' if owner == 'user_id' else 'company'} top 50, {window} p95"
            rows.append((label, ms(ours, "p95"), ms(theirs, "p95"), "ms", "≤ 50 ms"))
    rows += boards_after_writes(store, catalog, data)  # the reference column: the steady board, same run
    ours_s, theirs_s = tier_figures(store, catalog, db)
    rows.append(("tier evaluation, 1,000 companies", 1000 * ours_s, 1000 * theirs_s, "ms", ""))
    new_read, old_read, new_write, old_write = compaction_pauses(store)
    rows += [  # the reference column is the old way here, not SQLite (which has no compaction)
        ("compaction: longest reader wait (vs under the locks)", 1000 * new_read, 1000 * old_read, "ms", "≤ 100 ms"),
        ("compaction: longest writer wait (vs under the locks)", 1000 * new_write, 1000 * old_write, "ms", "≤ 100 ms"),
    ]
    store.close()
    db.close()
    (ours_s, ours_rss), (theirs_s, theirs_rss) = (
        cold_start(COLD_TINYDB, os.path.join(tmp, "hub.json")),
        cold_start(COLD_SQLITE, os.path.join(tmp, "hub.sqlite")),
    )
    cold_first, warm_first = (first_submit(tmp, warmed) for warmed in (False, True))
    rows += [  # the reference column: the same first submit in a store not warmed at start-up
        ("first submit after open, warmed (vs not warmed)", 1000 * warm_first, 1000 * cold_first, "ms", "≤ 20 ms"),
        ("cold start: open + first board", ours_s, theirs_s, "s", "≤ 3 s"),
        ("RSS of that process", ours_rss, theirs_rss, "MB", "≤ 1,536 MB"),
    ]
    return rows


def report(rows: list[Row], sizes: dict[str, int]) -> None:
    table = Table(
        "operation",
        "TinyDB store",
        "SQLite",
        "ratio",
        "target",
        title=scaled(
            "Partner Hub store at program scale",
            "Partner Hub store at SMOKE scale (proves it runs; figures mean little)",
        ),
    )
    for label, ours, theirs, unit, target in rows:
        # A reference of 0 (at smoke scale a compaction can end before the writer's next 20 ms tick) has no ratio.
        ratio = f"{ours / theirs:.2f}×" if theirs else "—"
        table.add_row(label, f"{ours:,.2f} {unit}", f"{theirs:,.2f} {unit}", ratio, target)
    console = Console(width=120)
    console.print(table)
    console.print(", ".join(f"{name}: {size / 1e6:,.0f} MB" for name, size in sizes.items()))


def main() -> None:
    catalog = load_catalog(ROOT)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        rows = measure(tmp, catalog)
        sizes = {name: os.path.getsize(os.path.join(tmp, name)) for name in ("hub.json", "hub.sqlite")}
    report(rows, sizes)
    print(f"whole benchmark: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
