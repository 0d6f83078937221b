"""Every command that opens the store, on a read-only data directory: its message and exit 1, no traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hub_app.cli import main as cli


@pytest.fixture
def read_only_data(tmp_path: Path):
    """A data directory on a small tmpfs remounted read-only (root writes through permissions)."""
    mount = tmp_path / "ro"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (mount / "data").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "data"
    finally:
        subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.parametrize(
    "command",
    [
        ["users", "list"],
        ["users", "reset-password", "ana@acme.example"],
        ["export", "OUT"],
        ["expire-deals"],
        ["evaluate-tiers"],
        ["backup", "OUT/hub.json"],
        ["import", "kpis", "KPIS"],
        ["dispatch"],
        ["webhooks", "list"],
    ],
)
def test_a_command_on_a_read_only_data_dir_says_so(read_only_data, tmp_path, monkeypatch, command):
    monkeypatch.delenv("HUB_STORE", raising=False)
    kpis = tmp_path / "kpis.csv"
    kpis.write_text("company_id,period,revenue_12m,customers,csat\n", encoding="utf-8")
    args = [a.replace("OUT", str(tmp_path / "out")).replace("KPIS", str(kpis)) for a in command]
    result = CliRunner().invoke(cli.app, [*args, "--data", str(read_only_data)])
    assert result.exit_code == 1, result.output
    assert result.output == f"HUB_DATA_DIR '{read_only_data}' is not writable. Hint: create it or set HUB_DATA_DIR.\n"
