"""Site build benchmark: 1,000 generated lessons through the hook vs the same pages as plain Markdown.

Prints seconds per 100 pages for both builds, measured in the same run, and the hook's overhead as a
ratio (aim: <= 1.2x). Run with `make bench`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from smoke import scaled  # noqa: E402

from hub_app.catalog import load_catalog  # noqa: E402
from hub_app.publishing.courses import course_pages, courses_nav  # noqa: E402

COURSES, LESSONS_PER_COURSE = scaled((50, 20), (2, 3))
PARAGRAPH = (
    "Quillstack Flow runs every step of a flow on the Flow Engine. A failed step retries up to five times "
    "with exponential back-off before it takes the flow's error path, so an approval or an SAP posting is "
    "never lost. Secrets stay in the Vault, and each environment promotes versioned flows to the next. "
)


def _lesson(course: int, lesson: int) -> str:
    body = "\n\n".join(f"## Part {p}\n\n{PARAGRAPH * 3}" for p in range(1, 4))
    return f"# Lesson {lesson} of course {course}\n\n{body}\n\n| Plan | Runs |\n|---|---|\n| Team | 50,000 |\n"


def _exam() -> dict:
    items = [
        {
            "id": f"q{i}",
            "domain": "core",
            "type": "true_false",
            "prompt": {"en": f"Statement {i}."},
            "answer": True,
            "explanation": {"en": "Because."},
        }
        for i in range(5)
    ]
    return {
        "time_limit_minutes": 20,
        "attempts": {"max_attempts": 3, "window_days": 30},
        "blueprint": [{"domain": "core", "title": {"en": "Core"}, "draw": 3}],
        "items": items,
    }


def make_project(dest: Path) -> None:
    """A project with the real config and program, and 50 synthetic courses of 20 lessons each."""
    shutil.copytree(ROOT / "content", dest / "content")
    shutil.copytree(ROOT / "overrides", dest / "overrides")  # mkdocs.yml's theme.custom_dir
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        config.replace("  - hub_app/publishing/hooks.py", f"  - {ROOT}/hub_app/publishing/hooks.py"), encoding="utf-8"
    )
    program = yaml.safe_load((ROOT / "program.yml").read_text(encoding="utf-8"))
    for tier in program["tiers"]:
        tier["requirements"].pop("certifications", None)
    (dest / "program.yml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    for c in range(COURSES):
        folder = dest / "courses" / f"course-{c:03d}"
        (folder / "lessons").mkdir(parents=True)
        slugs = [f"{n:02d}-lesson" for n in range(LESSONS_PER_COURSE)]
        course = {
            "id": folder.name,
            "version": "1.0.0",
            "title": {"en": f"Course {c}"},
            "summary": {"en": "A synthetic course."},
            "product": "flow",
            "level": "foundation",
            "duration_minutes": 60,
            "audience": {"partner_types": ["si"], "roles": ["sales"]},
            "lessons": slugs,
            "certification": {"name": {"en": f"Cert {c}"}, "pass_mark": 70, "validity_months": 12},
        }
        (folder / "course.yml").write_text(yaml.safe_dump(course), encoding="utf-8")
        (folder / "exam.yml").write_text(yaml.safe_dump(_exam()), encoding="utf-8")
        for n, slug in enumerate(slugs):
            (folder / "lessons" / f"{slug}.md").write_text(_lesson(c, n), encoding="utf-8")


def make_plain(project: Path, dest: Path) -> int:
    """The same pages written as ordinary Markdown files, built without the hook."""
    shutil.copytree(project / "content", dest / "content")
    catalog = load_catalog(project)
    pages = course_pages(catalog, catalog.program.program.app_url)
    for path, markdown in pages.items():
        target = dest / "content" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(f"hooks:\n  - {ROOT}/hub_app/publishing/hooks.py\n", "")
    # The theme's overrides draw the hub's calls to action and banners from what the hook supplies: the plain
    # build is the theme as shipped.
    config = "\n".join(line for line in config.splitlines() if not line.strip().startswith("custom_dir:")) + "\n"
    nav = yaml.safe_dump([courses_nav(catalog)], allow_unicode=True, sort_keys=False)
    config = config.replace(
        '  # "Courses" is appended', "\n".join("  " + line for line in nav.splitlines()) + '\n  # "Courses" is appended'
    )
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return len(pages)


def build(project: Path, runs: int = 1) -> float:
    """Best wall time of `runs` strict builds of `project`."""
    best = float("inf")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(project / "site")],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )
        best = min(best, time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"build of {project} failed:\n{result.stderr[-3000:]}")
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hooked, plain = Path(tmp) / "hooked", Path(tmp) / "plain"
        make_project(hooked)
        pages = make_plain(hooked, plain)
        print(f"site build: {COURSES * LESSONS_PER_COURSE} lessons ({pages} generated pages, en + zh)")
        t_hook, t_plain = build(hooked), build(plain)
        per = pages / 100
        print(f"{'build':<34}{'s total':>10}{'s / 100 pages':>16}")
        print(f"{'hook (generated from courses/)':<34}{t_hook:>10.2f}{t_hook / per:>16.3f}")
        print(f"{'plain mkdocs (same pages as .md)':<34}{t_plain:>10.2f}{t_plain / per:>16.3f}")
        print(f"hook overhead: {t_hook / t_plain:.2f}x (aim <= 1.2x)")


if __name__ == "__main__":
    main()
