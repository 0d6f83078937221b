"""Two app replicas (`streamlit run` on two ports) on one PostgreSQL store: a sign-in made on replica A is
honoured on replica B, because the session lives in the store and both sign cookies with one key; an exam
passed on B shows on both replicas' leaderboards; and a replica killed (-9) in the middle of a submit loses
nothing acknowledged and leaves no half-made result."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import _free_port
from playwright.sync_api import Page, expect
from test_app_browser import MEI, PASSWORD, _answer, _plain, idle, my_points, sign_in, take_exam

from hub_app.catalog import load_catalog
from hub_app.certification.records import CERTIFICATES
from hub_app.cli.serve import wait_healthy
from hub_app.learning.records import ATTEMPTS
from hub_app.partners.records import USERS
from hub_app.recognition.records import LEDGER
from hub_app.store.postgres import PostgresStore

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


NEWCOMER, NEWCOMER_PASSWORD = "ana.costa@harbourline.example", "ana-costa-password-1"


class Replicas(list):
    """The replicas' URLs, with their processes and the database they share."""

    processes: list[subprocess.Popen]
    database: str


@pytest.fixture
def replicas(postgres_database: str, repo_root: Path, tmp_path: Path) -> Iterator[Replicas]:
    """The demo world seeded into a fresh database (and a newcomer with no certificate), and two replicas
    on it; their URLs."""
    env = {
        **os.environ,
        "HUB_STORE": postgres_database,
        "HUB_ROOT": str(repo_root),
        "HUB_DATA_DIR": str(tmp_path / "unused-data"),
        "HUB_SECRET_KEY": "replica-shared-secret",
        "STREAMLIT_SERVER_COOKIE_SECRET": "replica-shared-cookie-secret",
        "HUB_SITE_URL": "http://127.0.0.1:1",
    }
    cli = [sys.executable, "-m", "hub_app.cli"]
    subprocess.run([*cli, "migrate"], cwd=repo_root, env=env, check=True, capture_output=True)
    subprocess.run([*cli, "seed-demo"], cwd=repo_root, env=env, check=True, capture_output=True)
    newcomer = ["users", "add", "--email", NEWCOMER, "--name", "Ana Costa", "--company", "Harbourline Systems"]
    subprocess.run(
        [*cli, *newcomer, "--job-role", "delivery"],
        cwd=repo_root,
        env={**env, "HUB_NEW_PASSWORD": NEWCOMER_PASSWORD},
        check=True,
        capture_output=True,
    )
    processes, urls, logs = [], [], []
    try:
        for name in ("a", "b"):
            port = _free_port()
            url = f"http://127.0.0.1:{port}"
            log = tmp_path / f"replica-{name}.log"
            with log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "streamlit",
                            "run",
                            "hub_app/app.py",
                            "--server.headless",
                            "true",
                            "--server.address",
                            "127.0.0.1",
                            "--server.port",
                            str(port),
                            "--browser.gatherUsageStats",
                            "false",
                            "--server.fileWatcherType",
                            "none",
                        ],
                        cwd=repo_root,
                        env={**env, "HUB_APP_URL": url},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            urls.append(url)
            logs.append(log)
        for process, url, log in zip(processes, urls, logs, strict=True):
            assert wait_healthy(url, process, timeout=120), f"replica {url} did not start:\n{log.read_text()}"
        found = Replicas(urls)
        found.processes, found.database = processes, postgres_database
        yield found
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        assert not (tmp_path / "unused-data" / "secret_key").exists()


def test_a_sign_in_on_replica_a_is_honoured_on_replica_b(page: Page, replicas):
    a, b = replicas
    sign_in(page, a, MEI, PASSWORD)

    page.goto(f"{b}/")

    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name=re.compile("Mei"))).to_be_visible()


def test_an_exam_passed_on_replica_b_shows_on_both_leaderboards(page: Page, replicas, repo_root):
    a, b = replicas
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in(page, a, MEI, PASSWORD)
    before = my_points(page, a)

    take_exam(page, b, "qs-sales-pro", right=True, repo_root=repo_root)  # the session begun on A
    expect(page.get_by_text(re.compile(r"^Passed: you scored 100"))).to_be_visible()
    awarded = page.get_by_text(re.compile(r"^\+[\d,]+ points"))
    points = int(re.match(r"\+([\d,]+)", awarded.inner_text()).group(1).replace(",", ""))

    assert my_points(page, b) == before + points
    assert my_points(page, a) == before + points


def test_a_replica_killed_in_the_middle_of_a_submit_loses_nothing_acknowledged(page: Page, replicas, repo_root):
    a, b = replicas
    page.set_viewport_size({"width": 1280, "height": 1000})
    sign_in(page, a, MEI, PASSWORD)
    take_exam(page, a, "qs-sales-pro", right=True, repo_root=repo_root)
    expect(page.get_by_text(re.compile(r"^Passed: you scored 100"))).to_be_visible()  # acknowledged
    acknowledged = my_points(page, a)

    newcomer = page.context.browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(newcomer, a, NEWCOMER, NEWCOMER_PASSWORD)
    exam = load_catalog(repo_root).course("qs-fundamentals").exam
    newcomer.goto(f"{a}/exam?course=qs-fundamentals")
    newcomer.get_by_role("button", name="Start exam").click()
    idle(newcomer)
    boxes = newcomer.locator('[data-testid="stLayoutWrapper"]:not(:has([data-testid="stLayoutWrapper"]))')
    shown = [_plain(text) for text in boxes.filter(has=newcomer.locator("p > strong")).all_inner_texts()]
    for item in [next(it for it in exam.items if _plain(it.prompt.en) in text) for text in shown]:
        _answer(newcomer, item, True)
    newcomer.get_by_role("button", name="Submit answers").click()
    replicas.processes[0].kill()  # SIGKILL while the submit is on its way or under way
    replicas.processes[0].wait(timeout=15)

    store = PostgresStore(replicas.database)
    try:
        user = store.find(USERS, "email", NEWCOMER)
        attempts = store.select(ATTEMPTS, "user", user.id)
        certificates = store.select(CERTIFICATES, "user", user.id)
        entries = store.select(LEDGER, "user", user.id)
    finally:
        store.close()
    assert len(attempts) == 1
    if attempts[0].submitted_at is None:  # the kill came first: nothing of the result was written
        assert certificates == [] and entries == []
    else:  # the submit committed: all of it is there
        assert attempts[0].passed and len(certificates) == 1 and entries

    # Replica B answers, with everything that was acknowledged before the kill.
    assert my_points(page, b) == acknowledged
