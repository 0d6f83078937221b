"""Two app replicas (`streamlit run` on two ports) on one PostgreSQL store: a sign-in made on replica A is
honoured on replica B, because the session lives in the store and both sign cookies with one key."""

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
from test_app_browser import MEI, PASSWORD, sign_in

from hub_app.cli.serve import wait_healthy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def replicas(postgres_database: str, repo_root: Path, tmp_path: Path) -> Iterator[list[str]]:
    """The demo world seeded into a fresh database, and two replicas on it; their URLs."""
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
        yield urls
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
