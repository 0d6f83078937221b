"""Many people at once against a real `streamlit run`: time to content and server CPU per page view.

N = 1, 5, 10, 20 people (each a browser context in one headless Chromium) visit at the same time:
open the sign-in page → sign in (home) → leaderboards → switch the window → courses → certificates; then
a channel manager opens the console and approves a proposal. Each step is timed from the click (or the
navigation) to the moment the server says the page's script run has finished — Streamlit's
`script_finished` message on the page's websocket, read from the frames — and the page's heading is on
screen. The server's CPU time (its own utime + stime from /proc) is read before and after every step of
the crowd, and divided by the page views of that step.

The reference is an empty page (one `st.title`), served by a second `streamlit run` in the same run and
opened by the same crowd the same way; the ratio column is each page's CPU per view over the empty page's.

Worlds: the demo world and the program-scale world (1,000 companies, 10,000 people, ~500,000 ledger
entries), seeded once into data/bench-<scale> by bench/app_pages.py's seeding and copied per run. The app's
clock is the real one. Run: make bench, or .venv/bin/python bench/app_load.py [--scale demo|program]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from app_pages import world  # noqa: E402
from smoke import scaled  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from hub_app.demo.seed import DEMO_PASSWORD  # noqa: E402

CROWDS = scaled((1, 5, 10, 20), (1,))
SCALES = scaled(("demo", "program"), ("demo",))
MANAGER = "cm.apac@quillstack.example"
SIGN_IN = "Sign in"
HELLO = re.compile(r"^Hello, ")  # home's heading: the sign-in's second run (the page switch) has finished
EMPTY_PAGE = 'import streamlit as st\n\nst.title("Empty page")\n'
TICK = os.sysconf("SC_CLK_TCK")
console = Console(width=130)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run <script>` (None: the hub, as `partnerhub serve` starts it) on a free loopback port,
    with its own CPU counters."""

    def __init__(self, script: Path | None, data: Path | None, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "HUB_ROOT": str(ROOT)}
        if data is not None:
            env["HUB_DATA_DIR"] = str(data)
        # The hub as `partnerhub serve` starts it (warmed up, then `streamlit run`); other scripts plainly.
        run = ["hub_app.ui.web.launch"] if script is None else ["streamlit", "run", str(script)]
        command = [sys.executable, "-m", *run, "--server.headless", "true"]
        command += ["--server.address", "127.0.0.1", "--server.port", str(self.port)]
        command += ["--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)

    def cpu(self) -> float:
        """CPU seconds the server process has used (user + system)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def wait_healthy(self) -> None:
        import urllib.request

        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{self.url} did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Person:
    """One browser tab; knows when the server last finished a script run for it."""

    def __init__(self, page: Page):
        self.page, self.finished = page, asyncio.Event()
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:  # noqa: ANN001 - playwright's WebSocket
        def frame(payload: bytes | str) -> None:
            if isinstance(payload, bytes):
                msg = ForwardMsg.FromString(payload)
                if msg.WhichOneof("type") == "script_finished":
                    self.finished.set()

        ws.on("framereceived", frame)

    async def step(self, action: Callable[[], Awaitable[object]], heading: str | re.Pattern[str] | None) -> float:
        """Seconds from ``action`` until the script run it caused has finished and ``heading`` shows."""
        self.finished.clear()
        started = time.perf_counter()
        await action()
        await asyncio.wait_for(self.finished.wait(), 60)
        if heading == SIGN_IN:  # the sign-in page's heading is the program's name
            await self.page.get_by_role("textbox", name="Email").wait_for(timeout=60_000)
        elif heading:
            await self.page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        return time.perf_counter() - started


@dataclass
class Figures:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))  # per view, per crowd run


async def crowd_step(server: Server, people: list[Person], name: str, figures: Figures, make) -> None:  # noqa: ANN001
    """Everyone does one step at once; times per person, server CPU per view."""
    before = server.cpu()
    times = await asyncio.gather(*(person.step(*make(person)) for person in people))
    figures.times[name] += times
    figures.cpu[name].append((server.cpu() - before) / len(people))


def link(person: Person, label: str) -> Callable[[], Awaitable[object]]:
    return lambda: person.page.get_by_test_id("stSidebarNav").get_by_role("link", name=label).click()


async def visit_hub(browser: Browser, server: Server, emails: list[str], figures: Figures) -> None:
    contexts = [await browser.new_context(viewport={"width": 1280, "height": 900}) for _ in emails]
    people = [Person(await c.new_page()) for c in contexts]
    by_page = dict(zip((p.page for p in people), emails, strict=True))

    async def sign_in(person: Person) -> None:
        await person.page.get_by_role("textbox", name="Email").fill(by_page[person.page])
        await person.page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
        await person.page.get_by_role("button", name="Sign in", exact=True).click()

    steps = [
        ("sign-in page", lambda p: (lambda: p.page.goto(server.url), "Sign in")),
        ("sign in → home", lambda p: (lambda: sign_in(p), HELLO)),
        ("leaderboards", lambda p: (link(p, "Leaderboards"), "Leaderboards")),
        ("switch window", lambda p: (lambda: p.page.get_by_role("radio", name="All time", exact=True).click(), None)),
        ("courses", lambda p: (link(p, "Courses"), "Courses")),
        ("certificates", lambda p: (link(p, "Certificates"), "Certificates")),
    ]
    for name, make in steps:
        await crowd_step(server, people, name, figures, make)
    for c in contexts:
        await c.close()


async def visit_console(browser: Browser, server: Server, figures: Figures) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    person = Person(await context.new_page())
    await person.step(lambda: person.page.goto(server.url), "Sign in")
    await person.page.get_by_role("textbox", name="Email").fill(MANAGER)
    await person.page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    await person.step(lambda: person.page.get_by_role("button", name="Sign in", exact=True).click(), None)
    await person.page.get_by_role("button", name="Sign out").wait_for(timeout=60_000)
    await crowd_step(
        server,
        [person],
        "console (channel manager)",
        figures,
        lambda p: (lambda: p.page.goto(f"{server.url}/console"), "Channel manager console"),
    )
    approve = person.page.get_by_role("button", name="Approve")
    if await approve.count():
        await crowd_step(
            server, [person], "approve a proposal", figures, lambda p: (lambda: approve.first.click(), None)
        )
    await context.close()


async def visit_empty(browser: Browser, server: Server, n: int, figures: Figures) -> None:
    contexts = [await browser.new_context() for _ in range(n)]
    people = [Person(await c.new_page()) for c in contexts]
    await crowd_step(server, people, "empty page", figures, lambda p: (lambda: p.page.goto(server.url), "Empty page"))
    await crowd_step(server, people, "empty page, rerun", figures, lambda p: (lambda: p.page.reload(), "Empty page"))
    for c in contexts:
        await c.close()


def partner_emails(data: Path, n: int) -> list[str]:
    from hub_app.partners.records import USERS
    from hub_app.store import open_store, tinydb_url

    store = open_store(tinydb_url(data))
    try:
        users = [u for u in store.select(USERS) if u.active and u.company_id and u.password_hash]
    finally:
        store.close()  # type: ignore[attr-defined]
    showcase = [u.email for u in users if u.email.endswith("@harbourline.example")]
    rest = sorted(u.email for u in users if u.email not in showcase)
    return (showcase + rest)[:n]


async def run_scale(scale: str, tmp: Path) -> tuple[list[tuple[int, Figures]], float, float]:
    source = world(scale)
    data = tmp / f"data-{scale}"
    shutil.copytree(source, data)
    empty_script = tmp / "empty.py"
    empty_script.write_text(EMPTY_PAGE)
    emails = partner_emails(data, max(CROWDS))
    hub, empty = Server(None, data, tmp / "hub.log"), Server(empty_script, None, tmp / "e.log")
    results = []
    try:
        hub.wait_healthy()
        empty.wait_healthy()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            # The first request after the server starts: what the first visitor after a restart waits.
            await visit_empty(browser, empty, 1, Figures())
            ctx = await browser.new_context()
            person = Person(await ctx.new_page())
            first_hub = await person.step(lambda: person.page.goto(hub.url), "Sign in")
            await ctx.close()
            ctx = await browser.new_context()
            person = Person(await ctx.new_page())
            first_empty = await person.step(lambda: person.page.goto(empty.url), "Empty page")
            await ctx.close()
            for n in CROWDS:
                figures = Figures()
                await visit_empty(browser, empty, n, figures)
                await visit_hub(browser, hub, emails[:n], figures)
                await visit_console(browser, hub, figures)
                results.append((n, figures))
                console.print(f"{scale}: {n} at once done")
            await browser.close()
    finally:
        hub.stop()
        empty.stop()
    return results, first_hub, first_empty


def ms(samples: list[float], q: str) -> float:
    if len(samples) < 2 or q == "p50":
        return 1000 * statistics.median(samples)
    return 1000 * statistics.quantiles(samples, n=20, method="inclusive")[-1]


def report(scale: str, results: list[tuple[int, Figures]], first_hub: float, first_empty: float) -> None:
    table = Table(
        "people at once",
        "step",
        "p50 to content",
        "p95 to content",
        "server CPU / view",
        "empty page CPU / view",
        "ratio",
        title=f"Partner Hub app under load, {scale} world (aims: CPU/view ≤ 50 ms and ≤ 10× empty; p95 ≤ 1 s at 10)",
    )
    for n, figures in results:
        empty_cpu = statistics.mean(figures.cpu["empty page, rerun"])
        for step, times in figures.times.items():
            if step.startswith("empty page"):
                continue
            cpu = statistics.mean(figures.cpu[step])
            table.add_row(
                str(n),
                step,
                f"{ms(times, 'p50'):,.0f} ms",
                f"{ms(times, 'p95'):,.0f} ms",
                f"{1000 * cpu:,.1f} ms",
                f"{1000 * empty_cpu:,.1f} ms",
                f"{cpu / empty_cpu:,.1f}×" if empty_cpu else "—",
            )
        times = figures.times["empty page, rerun"]
        table.add_row(
            str(n),
            "empty page (reference)",
            f"{ms(times, 'p50'):,.0f} ms",
            f"{ms(times, 'p95'):,.0f} ms",
            f"{1000 * empty_cpu:,.1f} ms",
            "",
            "1.0×",
            end_section=True,
        )
    console.print(table)
    console.print(f"first request after start: hub {first_hub:.2f} s, empty page {first_empty:.2f} s (aim ≤ 3 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("demo", "program"), action="append")
    scales = parser.parse_args().scale or list(SCALES)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hub-load-") as tmp:
        for scale in scales:
            report(scale, *asyncio.run(run_scale(scale, Path(tmp))))
    print(f"whole benchmark: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
