"""The durable store under kill -9 and under threads plus a second process writing at once."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from hub_app.store.tinydb.durable import open_database

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys
from tinydb.operations import increment
from hub_app.store.tinydb.durable import open_database

db = open_database(sys.argv[1], compact_min_bytes=16_384)
events, totals = db.table("events"), db.table("totals")
for n in range(10**9):
    with db.transaction():  # two tables, one journal record
        doc_id = events.insert({"round": int(sys.argv[2]), "n": n, "pad": "x" * 100})
        totals.update(increment("events"), doc_ids=[1])
    print(doc_id, n, flush=True)  # only after the write returned: acknowledged
"""

RACER = """
import json, sys
from hub_app.store.tinydb.durable import open_database

db = open_database(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
ids = []
for i in range(int(sys.argv[2])):
    ids.append(db.table("docs").insert({"writer": "process", "i": i}))
    with db.transaction():
        counter = db.table("counter").get(doc_id=1)
        db.table("counter").update({"n": counter["n"] + 1}, doc_ids=[1])
print(json.dumps(ids), flush=True)
"""


def python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, text=True, **kwargs)


def acknowledged(out: str) -> dict[int, int]:
    """doc id -> n for every complete line the writer printed (a cut-off last line was never seen)."""
    lines = [line.split() for line in out.splitlines(keepends=True) if line.endswith("\n")]
    return {int(doc_id): int(n) for doc_id, n in lines}


@pytest.mark.slow
def test_every_acknowledged_write_survives_kill_9_and_the_file_always_loads(tmp_path):
    path = str(tmp_path / "hub.json")
    with open_database(path) as db:
        db.table("totals").insert({"events": 0})
    rng, seen = random.Random(20240611), {}
    for round_ in range(20):
        child = python(WRITER, path, str(round_), stdout=subprocess.PIPE)
        time.sleep(rng.uniform(0.15, 0.6))  # start-up takes ~0.15 s: some kills land during opening
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        acked = {doc_id: (round_, n) for doc_id, n in acknowledged(out).items()}
        assert not acked.keys() & seen.keys(), "a document id was handed out twice"
        seen.update(acked)
        with open_database(path) as db:
            stored = {d.doc_id: (d["round"], d["n"]) for d in db.table("events").all()}
            assert seen.items() <= stored.items(), f"round {round_}: acknowledged writes lost"
            assert db.table("totals").get(doc_id=1)["events"] == len(stored)
    assert len(seen) > 100  # the kills did land among writes


def thread_writer(db, name: str, n: int, ids: list) -> None:
    for i in range(n):
        ids.append(db.table("docs").insert({"writer": name, "i": i}))
        with db.transaction():
            counter = db.table("counter").get(doc_id=1)
            db.table("counter").update({"n": counter["n"] + 1}, doc_ids=[1])


@pytest.mark.slow
def test_threads_and_a_second_process_writing_at_once_lose_nothing(tmp_path):
    path, n = str(tmp_path / "hub.json"), 150
    shared = open_database(path, compact_min_bytes=8_192)
    shared.table("counter").insert({"n": 0})
    racer = python(RACER, path, str(n), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert racer.stdout.readline() == "ready\n"
    own = [open_database(path, compact_min_bytes=8_192) for _ in range(4)]
    ids: dict[str, list[int]] = {f"thread-{k}": [] for k in range(8)}
    threads = [
        threading.Thread(target=thread_writer, args=(shared if k < 4 else own[k - 4], name, n, ids[name]))
        for k, name in enumerate(ids)
    ]
    racer.stdin.write("go\n")
    racer.stdin.flush()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out, _ = racer.communicate(timeout=60)
    assert racer.returncode == 0
    ids["process"] = json.loads(out)
    all_ids = [doc_id for writer_ids in ids.values() for doc_id in writer_ids]
    assert len(set(all_ids)) == len(all_ids) == 9 * n
    with open_database(path) as db:
        docs = {d.doc_id: (d["writer"], d["i"]) for d in db.table("docs").all()}
        assert sorted(docs.values()) == sorted((w, i) for w in ids for i in range(n))
        assert {doc_id: docs[doc_id][0] for doc_id in all_ids} == {i: w for w in ids for i in ids[w]}
        assert db.table("counter").get(doc_id=1) == {"n": 9 * n}
    for db in [shared, *own]:
        db.close()
