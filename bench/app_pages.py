"""One rerun of each hub app page at program scale, each beside an empty page's run measured the same way.

What is measured: a browser rerun. In the server every rerun executes the router, hub_app/app.py (the
signed-in user from the store, page config, sidebar, `st.navigation`), then the page script. So each page
is run with `AppTest.from_file("hub_app/app.py")`, the user injected into session state the way the
router keeps it, switched to the page with `at.switch_page`, and timed over `at.run()` — one whole
script run, router included, with the widgets' state kept as a browser keeps it between reruns (running
the page script alone would leave out the router's share, which every rerun pays). That time
also holds AppTest's own overhead (a script runner thread, a mock runtime, compiling the scripts, parsing
the deltas into an element tree); the reference, a one-line script `AppTest.from_file` runs the same way in
the same process, measures that overhead, and the ratio shows how far a page is above it.

The store is the default TinyDB backend, opened once per process through `context.store()` as the
server does (the first, cold run is a warm-up and is not timed); the clock is fixed at the seeded moment.
Page and reference runs alternate, so a busy machine slows both. p95 of 20 runs lies between the two
slowest: one full garbage collection (tens of ms once altair and the leaderboard aggregates are loaded)
is enough to move it, as it would move a server's rerun.

The world: what `partnerhub seed-demo --scale program` seeds (`demo.seed_demo`: 1,000 companies, 10,000
people, ~100,000 attempts, ~500,000 ledger entries, the demo sign-ins), seeded once into data/bench-program
in a child process, at a fixed moment instead of the clock's so that every seeding is the same world. It is
reused while `seeded-by.json` there names the same fingerprint of the seeding code: every .py file in
hub_app outside hub_app/ui (the demo, the domain it plays through, the store and its file format),
program.yml and courses/ (about a minute to reseed). Each run copies it into a temporary directory, so
the exam attempt it opens for the partner user never reaches the cache.

Run: make bench, or .venv/bin/python bench/app_pages.py
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from smoke import scaled  # noqa: E402

SCALE = scaled("program", "demo")
STAMP = "seeded-by.json"
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)  # the seeded moment, and the app's clock
SEED = 1
RUNS, WARM_UPS, TARGET_MS = scaled(20, 3), scaled(2, 1), 200.0
APP = ROOT / "hub_app" / "app.py"
COLUMNS = ("page", "role", "p50", "p95", "empty p50", "empty p95", "ratio (p50)")
EMPTY_PAGE = 'import streamlit as st; st.title("Empty page")\n'

console = Console(width=120)


# --- the program-scale world, seeded once ----------------------------------------------------------


def fingerprint() -> str:
    """A digest of everything that decides the seeded data: hub_app outside ui/, program.yml, courses/."""
    files = [p for p in (ROOT / "hub_app").rglob("*.py") if "ui" not in p.relative_to(ROOT / "hub_app").parts[:1]]
    files += [ROOT / "program.yml", *(p for p in (ROOT / "courses").rglob("*") if p.is_file())]
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _stamp(scale: str) -> dict[str, object]:
    return {"code": fingerprint(), "seed": SEED, "now": NOW.isoformat(), "scale": scale}


def world(scale: str = SCALE) -> Path:
    """data/bench-<scale>, seeded now unless its stamp names the same code, seed and moment."""
    cache = ROOT / "data" / scaled(f"bench-{scale}", f"bench-smoke-{scale}")
    wanted = _stamp(scale)
    stamp = cache / STAMP
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        console.print(f"Reusing the {scale}-scale world in {cache.relative_to(ROOT)} (seeded by code {wanted['code']})")
        return cache
    partial = cache.with_name(cache.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    console.print(f"Seeding a {scale}-scale world into {cache.relative_to(ROOT)} (code {wanted['code']})")
    started = time.perf_counter()
    # A child process: the seeding's garbage and frozen objects stay out of the measuring process.
    child = multiprocessing.get_context("spawn").Process(target=_seed, args=(partial, scale))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"Seeding failed (exit {child.exitcode}); see the traceback above.")
    (partial / STAMP).write_text(json.dumps(wanted, indent=1))
    shutil.rmtree(cache, ignore_errors=True)
    partial.rename(cache)
    console.print(f"Seeded in {time.perf_counter() - started:.0f} s")
    return cache


def _seed(into: Path, scale: str) -> None:
    from hub_app.catalog import load_catalog
    from hub_app.demo import seed as demo
    from hub_app.store import open_store, tinydb_url

    store = open_store(tinydb_url(into))
    try:
        with Progress(console=Console(width=120), transient=True) as progress:
            tasks: dict[str, object] = {}

            def report(stage: str, done: int, total: int) -> None:
                task = tasks.get(stage) or tasks.setdefault(stage, progress.add_task(stage, total=total))
                progress.update(task, completed=done, total=total)  # type: ignore[arg-type]

            summary = demo.seed_demo(store, load_catalog(ROOT), NOW, seed=SEED, scale=scale, on_progress=report)
    finally:
        store.close()  # type: ignore[attr-defined]
    Console(width=120).print(
        f"{summary.companies:,} companies, {summary.users:,} users, {summary.attempts:,} attempts, "
        f"{summary.certificates:,} certificates, {summary.ledger_entries:,} ledger entries"
    )


# --- the pages, each opened as someone who would open it -------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A page opened by someone with a role, with its query parameters."""

    page: str
    role: str
    email: str | None  # None: signed out
    query: dict[str, str]


def visits(store, catalog) -> list[Visit]:  # noqa: ANN001
    """The pages and who opens them; the partner user gets an open exam attempt first (exam?course=...)."""
    from hub_app.certification import certificates as certification
    from hub_app.demo import seed as demo
    from hub_app.partners.records import user_by_email

    partner_user, partner_admin, channel_manager = (s.email for s in demo.SIGN_INS[:3])
    mei = user_by_email(store, partner_user)
    course = _open_attempt(mei, store, catalog)
    code = certification.certificates_of(mei, store, mei.id)[0].verification_code
    return [
        Visit("home", "partner user", partner_user, {}),
        Visit("courses", "partner user", partner_user, {}),
        Visit("exam", "partner user, attempt open", partner_user, {"course": course}),
        Visit("certificates", "partner user", partner_user, {}),
        Visit("leaderboards", "partner user", partner_user, {}),
        Visit("account", "partner user", partner_user, {}),
        Visit("company", "partner admin", partner_admin, {}),
        Visit("console", "channel manager", channel_manager, {}),
        Visit("verify", "anonymous, ?code=", None, {"code": code}),
        Visit("signin", "anonymous", None, {}),
    ]


def _open_attempt(user, store, catalog) -> str:  # noqa: ANN001
    """The course of the user's open attempt, starting one in the first course that lets them."""
    from hub_app.learning import exams
    from hub_app.ui.views import overview

    live = overview.live_attempts(user, catalog, store, NOW)
    if live:
        return live[0][1].id
    for course in catalog.certifying_courses():
        if exams.start_refusal(user, catalog, store, course.id, NOW) is None:
            exams.start_attempt(user, catalog, store, course.id, NOW)
            return course.id
    raise SystemExit(f"{user.email} may start no exam at {NOW:%Y-%m-%d}; pick another partner user.")


# --- measuring --------------------------------------------------------------------------------------


def opened(visit: Visit, store):  # noqa: ANN001, ANN201
    """An AppTest of the router, signed in as the visit's person, on its page after one (cold) run."""
    from streamlit.testing.v1 import AppTest

    from hub_app.partners.records import user_by_email
    from hub_app.ui.web import context, session

    at = AppTest.from_file(str(APP), default_timeout=120)
    if visit.email is not None:  # a signed-in tab holds its person and a live session token, re-checked every run
        user_id = user_by_email(store, visit.email).id
        at.session_state[session.USER_KEY] = user_id
        at.session_state[session.TOKEN_KEY] = context.sessions().open(user_id, context.now())
    for name, value in visit.query.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(f"ui/pages/{visit.page}.py")
    return at


def empty_page(folder: Path):  # noqa: ANN201
    """An AppTest of the one-line reference script."""
    from streamlit.testing.v1 import AppTest

    script = folder / "empty_page.py"
    script.write_text(EMPTY_PAGE)
    return AppTest.from_file(str(script), default_timeout=120)


def timed_run(at) -> float:  # noqa: ANN001
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started


def check(at, visit: Visit) -> None:  # noqa: ANN001
    """Stop when the page did not render as its visitor would see it: a timing of an error page is no timing."""
    if at.exception:
        raise SystemExit(f"{visit.page} raised: {at.exception[0].message}\n{''.join(at.exception[0].stack_trace)}")
    if at.error:
        raise SystemExit(f"{visit.page} showed an error: {at.error[0].value}")


def measure(visit: Visit, store, folder: Path, advance: Callable[[], None]) -> tuple[list[float], list[float]]:  # noqa: ANN001
    """RUNS timed reruns of the page and of the empty page, alternating, after WARM_UPS of each."""
    page, empty = opened(visit, store), empty_page(folder)
    for _ in range(WARM_UPS):
        timed_run(page), timed_run(empty)
    check(page, visit)
    ours, reference = [], []
    for _ in range(RUNS):
        reference.append(timed_run(empty))
        ours.append(timed_run(page))
        advance()
    return ours, reference


def ms(samples: list[float], q: str) -> float:
    if q == "p50":
        return 1000 * statistics.median(samples)
    return 1000 * statistics.quantiles(samples, n=20)[-1]


# --- the run ----------------------------------------------------------------------------------------


def wire(data: Path):  # noqa: ANN201
    """Point the app at `data` with the clock at NOW, open the store once as the server does, return it."""
    from hub_app.store import open_store, tinydb_url
    from hub_app.ui.web import context, session

    os.environ.update(HUB_DATA_DIR=str(data), HUB_ROOT=str(ROOT), HUB_SECRET_KEY="bench")
    with console.status(f"Opening the store ({(data / 'hub.json').stat().st_size / 1e6:,.0f} MB)…"):
        started = time.perf_counter()
        store = open_store(tinydb_url(data))
        console.print(f"Opened the store in {time.perf_counter() - started:.1f} s")
    context.open_store = lambda path: store  # the app's context.store() caches this very store
    context.now = lambda: NOW
    session.cookie_value = lambda: None  # no browser: no cookie to restore a session from
    return store


def run_all(data: Path, folder: Path) -> list[tuple[Visit, list[float], list[float]]]:
    from hub_app.catalog import load_catalog

    store = wire(data)
    plan = visits(store, load_catalog(ROOT))
    results = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Measuring", total=len(plan) * RUNS)
        for visit in plan:
            progress.update(task, description=f"{visit.page} ({visit.role})")
            ours, reference = measure(visit, store, folder, lambda: progress.advance(task))
            results.append((visit, ours, reference))
            console.print(f"{visit.page}: p50 {ms(ours, 'p50'):,.0f} ms, p95 {ms(ours, 'p95'):,.0f} ms")
    store.close()
    return results


def report(results: list[tuple[Visit, list[float], list[float]]]) -> None:
    title = f"One rerun of each hub app page at program scale (AppTest, N={RUNS} after {WARM_UPS} warm-ups)"
    table = Table(*COLUMNS, f"target p95 ≤ {TARGET_MS:.0f} ms", title=title)
    for visit, ours, reference in results:
        p95 = ms(ours, "p95")
        table.add_row(
            visit.page,
            visit.role,
            f"{ms(ours, 'p50'):,.1f} ms",
            f"{p95:,.1f} ms",
            f"{ms(reference, 'p50'):,.1f} ms",
            f"{ms(reference, 'p95'):,.1f} ms",
            f"{ms(ours, 'p50') / ms(reference, 'p50'):,.1f}×",
            "✓" if p95 <= TARGET_MS else "✗",
        )
    console.print(table)


def load() -> str:
    return "load average {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count())


def _not_bare_mode_warning(record: logging.LogRecord) -> bool:
    return "missing ScriptRunContext" not in record.getMessage()


def main() -> None:
    started = time.perf_counter()
    # AppTest formats widget values outside the script thread; Streamlit warns about that on every run (a
    # filter: Streamlit resets its loggers' levels whenever a run patches the config).
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_not_bare_mode_warning)
    console.print(load())
    source = world()
    with tempfile.TemporaryDirectory(prefix="hub-bench-app-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(source, data, ignore=shutil.ignore_patterns(STAMP))
        results = run_all(data, Path(tmp))
    report(results)
    console.print(load())
    console.print(f"whole benchmark: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
