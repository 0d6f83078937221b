"""Playwright on Debian's Chromium (never `playwright install`), and the built site served on loopback."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site, served by a static file server on a free loopback port."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HubServer:
    """A real `streamlit run` of the hub app on loopback, over a freshly seeded demo world."""

    def __init__(self, url: str, data_dir: Path, log: Path):
        self.url, self.data_dir, self.log = url, data_dir, log

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else "(no log)"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, site_url: str, repo_root: Path) -> Iterator[HubServer]:
    """Seeds the demo world, adds a fresh partner user by CLI, starts the app, waits for its health check."""
    import os
    import subprocess
    import sys

    from hub_app.cli.serve import wait_healthy

    data = tmp_path_factory.mktemp("hubdata")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "HUB_DATA_DIR": str(data),
        "HUB_ROOT": str(repo_root),
        "HUB_SITE_URL": site_url,
        "HUB_APP_URL": url,
        "HUB_NEW_PASSWORD": "lin-wei-password-1",
    }
    cli = [sys.executable, "-m", "hub_app.cli"]
    subprocess.run([*cli, "seed-demo", "--data", str(data)], cwd=repo_root, env=env, check=True, capture_output=True)
    subprocess.run(
        [
            *cli,
            "users",
            "add",
            "--email",
            "lin.wei@harbourline.example",
            "--name",
            "Lin Wei",
            "--company",
            "Harbourline Systems",
            "--job-role",
            "delivery",
            "--data",
            str(data),
        ],
        cwd=repo_root,
        env=env,
        check=True,
        capture_output=True,
    )
    log = data / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
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
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = HubServer(url, data, log)
    try:
        assert wait_healthy(url, process, timeout=90), f"the hub app did not start:\n{server.log_text()}"
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A failing browser test shows the app server's log beside its own output."""
    outcome = yield
    report = outcome.get_result()
    server = item.funcargs.get("hub") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(server, HubServer):
        report.sections.append(("hub app server log", server.log_text()[-20000:]))
