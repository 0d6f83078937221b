"""Every benchmark still runs: `make bench-smoke`'s scripts at a tiny scale, each in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHES = ("site_build", "durable_write", "store", "app_pages", "app_load", "postgres_contention")


@pytest.mark.slow
@pytest.mark.parametrize("bench", BENCHES)
def test_benchmark_runs_at_smoke_scale_and_prints_its_reference(bench: str) -> None:
    env = {**os.environ, "HUB_BENCH_SMOKE": "1", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / f"{bench}.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    reference = {
        "site_build": "plain mkdocs (same pages as .md)",
        "durable_write": "sqlite3 WAL+FULL",
        "store": "SQLite",
        "app_pages": "empty p50",
        "app_load": "empty page (reference)",
        "postgres_contention": "advisory lock, 1 thread (reference)",
    }[bench]
    assert reference in result.stdout
