"""`partnerhub serve`: build the site, seed a demo world on first start, and serve site and app on loopback.

The site is served by a threaded static server in this process; the app is `streamlit run` in a child
process. Both get the same settings (HUB_DATA_DIR, HUB_ROOT, HUB_SITE_URL, HUB_APP_URL), so the site's
exam links point at the app and the app's links at the site. SIGINT or SIGTERM stops both.
"""

from __future__ import annotations

import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from hub_app.kernel.errors import HubError

HOST = "127.0.0.1"
APP_SCRIPT = Path(__file__).resolve().parents[1] / "app.py"


class PortInUse(HubError):
    msgid = "Port {port} on {host} is already in use. Stop whatever uses it, or pass {option} <port>."

    def __init__(self, port: int, option: str):
        super().__init__(port=port, host=HOST, option=option)
        self.port, self.option = port, option


class SiteBuildFailed(HubError):
    msgid = "mkdocs build --strict failed; fix what it reports and run again:\n{output}"

    def __init__(self, output: str):
        super().__init__(output=output.strip())
        self.output = output


class AppDidNotStart(HubError):
    msgid = "The hub app did not answer on {url} (streamlit's output follows):\n{log}"

    def __init__(self, url: str, log: str):
        super().__init__(url=url, log=log.strip())
        self.url, self.log = url, log


@dataclass(frozen=True)
class Settings:
    """Where everything is, and the ports to serve on."""

    root: Path
    data_dir: Path
    site_dir: Path
    site_port: int
    app_port: int

    @property
    def site_url(self) -> str:
        return f"http://{HOST}:{self.site_port}"

    @property
    def app_url(self) -> str:
        return f"http://{HOST}:{self.app_port}"

    def env(self) -> dict[str, str]:
        """The environment the site build and the app run with."""
        return {
            **os.environ,
            "HUB_DATA_DIR": str(self.data_dir),
            "HUB_ROOT": str(self.root),
            "HUB_SITE_URL": self.site_url,
            "HUB_APP_URL": self.app_url,
            "NO_MKDOCS_2_WARNING": "1",
        }


def check_port(port: int, option: str) -> None:
    """PortInUse unless `port` can be bound on the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers do: a closed connection lingering in TIME_WAIT does not make the port busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as e:
            raise PortInUse(port, option) from e


def build_site(settings: Settings) -> None:
    """`mkdocs build --strict` of the project into the site folder; SiteBuildFailed with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(settings.site_dir)],
        cwd=settings.root,
        env=settings.env(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SiteBuildFailed(result.stdout + result.stderr)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # one line per request would drown the sign-in instructions


class StaticSite:
    """The built site on HOST:port, served from threads of this process."""

    def __init__(self, site_dir: Path, port: int):
        handler = functools.partial(_QuietHandler, directory=str(site_dir))
        self.server = ThreadingHTTPServer((HOST, port), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="site", daemon=True)

    def start(self) -> StaticSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_app(settings: Settings, log_path: Path) -> subprocess.Popen[bytes]:
    """The hub app (`streamlit run hub_app/app.py`, warmed up first: `hub_app.ui.web.launch`) on
    HOST:app_port, its output in `log_path`."""
    command = [
        sys.executable,
        "-m",
        "hub_app.ui.web.launch",
        "--server.headless",
        "true",
        "--server.address",
        HOST,
        "--server.port",
        str(settings.app_port),
        "--browser.gatherUsageStats",
        "false",
    ]
    log = log_path.open("wb")
    # Its own process group: a Ctrl-C reaches serve, which then stops the app in order.
    return subprocess.Popen(
        command, cwd=settings.root, env=settings.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 90) -> bool:
    """True once GET {url}/_stcore/health answers ok; False when the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200 and answer.read().strip() == b"ok":
                    return True
        except OSError:
            pass
        time.sleep(0.25)
    return False


def stop_app(process: subprocess.Popen[bytes], grace: float = 10) -> None:
    """Ask the app to stop (SIGTERM), and kill it if it has not within `grace` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for_stop(process: subprocess.Popen[bytes] | None) -> int:
    """Block until SIGINT or SIGTERM (0), or until the app process dies on its own (1)."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):
        if process is not None and process.poll() is not None:
            return 1
    return 0
