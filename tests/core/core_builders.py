"""Builders for the core tests: a tiny catalog in tmp_path and answer keys."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from hub_app.catalog import Catalog, load_catalog
from hub_app.learning import grading

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def _text(en: str) -> dict:
    return {"en": en}


def _item(item_id: str, domain: str, kind: str, **fields) -> dict:
    return {
        "id": item_id,
        "domain": domain,
        "type": kind,
        "prompt": _text(f"Question {item_id}?"),
        "explanation": _text(f"Because {item_id}."),
        **fields,
    }


def _options(*correct: bool) -> list[dict]:
    return [{"text": _text(f"option {i}"), **({"correct": True} if ok else {})} for i, ok in enumerate(correct)]


BANK = [
    _item("a1", "alpha", "single", options=_options(True, False, False)),
    _item("a2", "alpha", "multiple", options=_options(True, True, False, False)),
    _item("a3", "alpha", "true_false", answer=False),
    _item("b1", "beta", "short_text", answers=["Approval step", "承認"]),
    _item("b2", "beta", "numeric", answer=30, tolerance=0.5),
]


def exam_data(**overrides) -> dict:
    """An exam.yml drawing 2 alpha and 1 beta item from a bank of 5."""
    data = {
        "time_limit_minutes": 30,
        "attempts": {"max_attempts": 3, "window_days": 30, "cooldown_hours": 24},
        "blueprint": [
            {"domain": "alpha", "title": _text("Alpha"), "lessons": ["01-alpha"], "draw": 2},
            {"domain": "beta", "title": _text("Beta"), "lessons": ["02-beta"], "draw": 1},
        ],
        "items": BANK,
    }
    return {**data, **overrides}


def write_course(root: Path, course_id: str, *, version: str = "1.0.0", certifies: bool = True, **exam) -> None:
    """Write a course folder with two lessons and an exam into root/courses."""
    folder = root / "courses" / course_id
    (folder / "lessons").mkdir(parents=True, exist_ok=True)
    for slug in ("01-alpha", "02-beta"):
        (folder / "lessons" / f"{slug}.md").write_text(f"# {slug}\n\nText.\n", encoding="utf-8")
    course = {
        "id": course_id,
        "version": version,
        "title": _text(course_id),
        "summary": _text("A test course."),
        "product": "platform",
        "level": "foundation",
        "duration_minutes": 30,
        "audience": {"partner_types": ["si"], "roles": ["sales"]},
        "lessons": ["01-alpha", "02-beta"],
    }
    if certifies:
        course["certification"] = {"name": _text(f"Certified {course_id}"), "pass_mark": 70, "validity_months": 12}
    (folder / "course.yml").write_text(yaml.safe_dump(course, allow_unicode=True), encoding="utf-8")
    (folder / "exam.yml").write_text(yaml.safe_dump(exam_data(**exam), allow_unicode=True), encoding="utf-8")


def build_catalog(root: Path) -> Catalog:
    """The repository's program.yml plus a certifying course and a practice course."""
    root.mkdir(parents=True, exist_ok=True)
    program = yaml.safe_load((ROOT / "program.yml").read_text(encoding="utf-8"))
    for tier in program["tiers"]:  # the real courses are not in this tiny tree
        for requirement in tier["requirements"].get("certifications", []):
            requirement["courses"] = ["cert-101"]
    (root / "program.yml").write_text(yaml.safe_dump(program, allow_unicode=True), encoding="utf-8")
    write_course(root, "cert-101")
    write_course(root, "practice-101", certifies=False, practice=True, multiple_choice_scoring="partial")
    return load_catalog(root)


def right_answers(catalog: Catalog, attempt) -> dict:
    """The key of every drawn item, in the attempt's displayed positions."""
    exam = catalog.course(attempt.course_id).exam
    return {d.item_id: grading.correct_answer(exam.item(d.item_id), d) for d in attempt.items}


def answers_scoring(catalog: Catalog, attempt, right: int) -> dict:
    """Right answers for the first `right` items, nothing for the rest."""
    key = right_answers(catalog, attempt)
    return {d.item_id: key[d.item_id] for d in attempt.items[:right]}
