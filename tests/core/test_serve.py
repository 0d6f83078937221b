"""`partnerhub serve`: the site and the app answer on their ports, and Ctrl-C stops both cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from hub_app.cli import serve

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return answer.status, answer.read().decode(errors="replace")


def test_a_port_in_use_is_named_with_the_option_to_change_it():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        with pytest.raises(serve.PortInUse) as refused:
            serve.check_port(port, "--site-port")
    assert str(refused.value) == (
        f"Port {port} on 127.0.0.1 is already in use. Stop whatever uses it, or pass --site-port <port>."
    )


@pytest.mark.slow
def test_serve_answers_on_both_ports_and_stops_on_sigint(tmp_path):
    site_port, app_port = _free_port(), _free_port()
    command = [
        sys.executable,
        "-m",
        "hub_app.cli",
        "serve",
        "--site-port",
        str(site_port),
        "--app-port",
        str(app_port),
        "--data",
        str(tmp_path / "data"),
        "--site-dir",
        str(tmp_path / "site"),
    ]
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ})
    try:
        deadline = time.monotonic() + 240
        while "Press Ctrl-C to stop." not in (tmp_path / "serve.log").read_text():
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.5)
        status, home = _get(f"http://127.0.0.1:{site_port}/")
        assert status == 200 and "Quillstack" in home
        assert _get(f"http://127.0.0.1:{app_port}/_stcore/health") == (200, "ok")
        output = (tmp_path / "serve.log").read_text()
        assert "mei.tan@harbourline.example" in output and "quillstack-demo" in output
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    for port in (site_port, app_port):
        serve.check_port(port, "--port")  # both are free again: nothing was left running
