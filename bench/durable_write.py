"""Cost of one durable insert as the database grows: Partner Hub's journal store beside plain TinyDB
(JSONStorage) and sqlite3 (WAL, synchronous=FULL), measured in the same run on the same disk.

Each store is filled, the disk is synced, then single inserts are timed; "fsync floor" is a bare
200-byte append + fdatasync, the least any durable write can cost on this disk.

    .venv/bin/python bench/durable_write.py
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from tinydb import TinyDB

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from smoke import scaled  # noqa: E402

from hub_app.store.tinydb.durable import open_database  # noqa: E402

SIZES = scaled((1_000, 10_000, 100_000), (100, 1_000))
REPEAT = scaled(40, 5)
Insert = Callable[[dict], object]


def ledger_entry(n: int) -> dict:
    return {
        "user": f"u{n % 10_000}",
        "partner": f"p{n % 1_000}",
        "points": 10,
        "reason": "exam passed",
        "at": "2025-06-11T10:00:00Z",
        "key": f"award-{n}",
    }


def durable(folder: Path, size: int, stack: ExitStack) -> Insert:
    db = stack.enter_context(open_database(folder / "durable.json"))
    db.table("ledger").insert_multiple(ledger_entry(n) for n in range(size))
    return db.table("ledger").insert


def plain_tinydb(folder: Path, size: int, stack: ExitStack) -> Insert:
    db = stack.enter_context(TinyDB(folder / "plain.json"))
    db.table("ledger").insert_multiple(ledger_entry(n) for n in range(size))
    return db.table("ledger").insert


def sqlite(folder: Path, size: int, stack: ExitStack) -> Insert:
    con = sqlite3.connect(folder / "bench.sqlite", isolation_level=None)
    stack.callback(con.close)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)")
    con.execute("BEGIN")
    con.executemany("INSERT INTO ledger (doc) VALUES (?)", ((str(ledger_entry(n)),) for n in range(size)))
    con.execute("COMMIT")
    return lambda doc: con.execute("INSERT INTO ledger (doc) VALUES (?)", (str(doc),))  # autocommit


def fsync_floor(folder: Path, size: int, stack: ExitStack) -> Insert:
    fd = os.open(folder / "floor.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    stack.callback(os.close, fd)
    return lambda doc: (os.write(fd, b"y" * 200), os.fdatasync(fd))


STORES = {"durable": durable, "TinyDB JSON": plain_tinydb, "sqlite3 WAL+FULL": sqlite, "fsync floor": fsync_floor}


def measure(setup: Callable[[Path, int, ExitStack], Insert], size: int) -> list[float]:
    """Milliseconds of single inserts into a store holding ``size`` documents."""
    repeat = 5 if setup is plain_tinydb and size >= 100_000 else REPEAT  # ~0.4 s each
    with tempfile.TemporaryDirectory(dir=".") as folder, ExitStack() as stack:
        insert = setup(Path(folder), size, stack)
        os.sync()  # the fill's writeback must not land on the timed inserts
        for k in range(3):
            insert(ledger_entry(size - k - 1))
        times = []
        for k in range(repeat):
            start = time.perf_counter()
            insert(ledger_entry(size + k))
            times.append((time.perf_counter() - start) * 1000)
    return sorted(times)


def compaction_ms(size: int) -> float:
    """Milliseconds to fold the journal into a new snapshot of ``size`` documents."""
    with tempfile.TemporaryDirectory(dir=".") as folder, open_database(Path(folder) / "d.json") as db:
        db.table("ledger").insert_multiple(ledger_entry(n) for n in range(size))
        start = time.perf_counter()
        db.compact()
        return (time.perf_counter() - start) * 1000


def main() -> None:
    print(f"one insert, median ms of {REPEAT} (p90 in brackets); every store fsyncs before returning\n")
    header = f"{'docs':>8} | " + " | ".join(f"{name:>17}" for name in STORES)
    header += " | TinyDB/durable | durable/sqlite | durable/floor"
    print(header)
    print("|".join("-" * len(cell) for cell in header.split("|")))
    medians: dict[str, list[float]] = {name: [] for name in STORES}
    for size in SIZES:
        cells = []
        for name, setup in STORES.items():
            times = measure(setup, size)
            medians[name].append(statistics.median(times))
            cells.append(f"{medians[name][-1]:7.3f} [{times[int(0.9 * (len(times) - 1))]:7.3f}]")
        m = {name: values[-1] for name, values in medians.items()}
        durable_ms = m["durable"]
        ratios = (m["TinyDB JSON"] / durable_ms, durable_ms / m["sqlite3 WAL+FULL"], durable_ms / m["fsync floor"])
        print(f"{size:>8} | " + " | ".join(cells) + " | {:13.1f}x | {:13.1f}x | {:12.1f}x".format(*ratios))
    growth = " | ".join(f"{m[-1] / m[0]:16.1f}x" for m in medians.values())
    print(f"{'100k/1k':>8} | {growth} |")
    size, took = SIZES[-1], compaction_ms(SIZES[-1])
    print(
        f"\ncompaction at {size:,} docs: {took:.0f} ms; it runs when the journal outgrows the snapshot,"
        f" i.e. after ~{size:,} inserts: ~{took / size:.4f} ms amortised per insert"
    )


if __name__ == "__main__":
    main()
