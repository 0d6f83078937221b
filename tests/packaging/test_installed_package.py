"""A non-editable `pip install .` in a fresh venv serves a content tree somewhere else (HUB_ROOT or the
working directory), never the content beside the source it was built from."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# AppTest ships with streamlit itself: the installed app is run by the installed package, from the content folder.
PROBE = textwrap.dedent(
    """
    import pathlib, sys
    import hub_app
    from streamlit.testing.v1 import AppTest
    app = pathlib.Path(hub_app.__file__).parent / "app.py"
    assert "site-packages" in str(app), app
    at = AppTest.from_file(str(app), default_timeout=60).run()
    print("TITLE:", at.title[0].value if at.title else "", "ERROR:", at.error[0].value if at.error else "")
    """
)


@pytest.mark.slow
def test_a_non_editable_install_serves_a_content_tree_elsewhere(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    build = tmp_path / "src"  # a clean copy: no .venv, no site/, no data/
    shutil.copytree(
        REPO, build, ignore=shutil.ignore_patterns(".venv", "site", "data", "artifacts", ".git", "*.egg-info")
    )
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(build)], check=True, timeout=300)
    content = tmp_path / "elsewhere"
    content.mkdir()
    for part in ("program.yml", "courses", "content"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, content / part)
    program = content / "program.yml"
    program.write_text(
        program.read_text(encoding="utf-8").replace("en: Quillstack Partner Program", "en: Elsewhere Partner Program"),
        encoding="utf-8",
    )
    shutil.rmtree(build)  # the installed package must not need its source tree
    env = {**os.environ, "HUB_DATA_DIR": str(tmp_path / "data"), "HUB_STORE": "memory:"}
    env.pop("HUB_ROOT", None)
    check = subprocess.run(
        [str(venv / "bin" / "partnerhub"), "check"], cwd=content, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    served = subprocess.run(
        [str(python), "-c", PROBE], cwd=content, env=env, capture_output=True, text=True, timeout=180
    )
    assert "TITLE: Elsewhere Partner Program" in served.stdout, served.stdout + served.stderr
    nowhere = subprocess.run(
        [str(python), "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180
    )
    shown = nowhere.stdout.replace("\\", "")  # the page escapes Markdown in the path
    assert f"ERROR: '{tmp_path.resolve()}' holds no program.yml" in shown, nowhere.stdout + nowhere.stderr
