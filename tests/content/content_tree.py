"""Tiny, valid content trees that each test breaks in one way."""

from __future__ import annotations

from pathlib import Path

import yaml

PROGRAM = {
    "program": {
        "name": {"en": "Test Program"},
        "vendor": "Acme",
        "timezone": "UTC",
        "currency": "USD",
        "app_url": "http://127.0.0.1:8501",
        "site_url": "http://127.0.0.1:8000",
    },
    "products": [{"id": "flow", "name": {"en": "Flow"}, "summary": {"en": "Automation."}}],
    "job_roles": [{"id": "sales", "name": {"en": "Sales"}}],
    "partner_types": [
        {
            "id": "si",
            "name": {"en": "SI"},
            "summary": {"en": "Integrators."},
            "screening": [{"id": "tech", "name": {"en": "Tech"}, "weight": 100, "guide": {"en": "Engineers."}}],
        }
    ],
    "tiers": [
        {
            "id": "registered",
            "name": {"en": "Registered"},
            "requirements": {},
            "benefits": {"discount_pct": 10, "lead_priority": "none"},
        },
        {
            "id": "gold",
            "name": {"en": "Gold"},
            "requirements": {"certifications": [{"courses": ["basics"], "people": 2}], "revenue_12m": 1000},
            "benefits": {"discount_pct": 30, "lead_priority": "high"},
        },
    ],
    "tier_review": {"period_months": 3, "demotion_grace_days": 90},
    "points": {"rules": [{"id": "course_first_pass", "name": {"en": "First pass"}, "points": 100}]},
    "leaderboards": {"windows": ["month", "all"]},
    "deals": {
        "protection_days": {"registered": 45, "gold": 90},
        "extension_days": 30,
        "name_match_threshold": 90,
        "too_many_matches": 5,
        "free_mail_domains": ["gmail.com"],
        "legal_suffixes": ["inc"],
        "reasons": [{"id": "duplicate", "name": {"en": "Duplicate registration"}}],
    },
}

COURSE = {
    "id": "basics",
    "version": "1.0.0",
    "title": {"en": "Basics", "zh": "基础"},
    "summary": {"en": "The basics."},
    "product": "flow",
    "level": "foundation",
    "duration_minutes": 30,
    "audience": {"partner_types": ["si"], "roles": ["sales"]},
    "prerequisites": [],
    "lessons": ["01-intro"],
    "certification": {"name": {"en": "Certified Basics"}, "pass_mark": 70, "validity_months": 12},
}


def _item(n: int, domain: str = "core") -> dict:
    return {
        "id": f"q{n}",
        "domain": domain,
        "type": "single",
        "prompt": {"en": f"Question {n}?"},
        "options": [{"text": {"en": "Right"}, "correct": True}, {"text": {"en": "Wrong"}}],
        "explanation": {"en": "Because."},
    }


EXAM = {
    "time_limit_minutes": 20,
    "attempts": {"max_attempts": 3, "window_days": 30, "cooldown_hours": 24},
    "blueprint": [{"domain": "core", "title": {"en": "Core"}, "lessons": ["01-intro"], "draw": 2}],
    "items": [_item(1), _item(2), _item(3)],
}


class Tree:
    """A content tree on disk: write YAML (or raw text) into it, then load it."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, data: object) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        return path

    def course(self, course: dict | None = None, exam: dict | None = None, lessons: tuple[str, ...] = ("01-intro",)):
        course = course or COURSE
        self.write(f"courses/{course['id']}/course.yml", course)
        self.write(f"courses/{course['id']}/exam.yml", exam or EXAM)
        for slug in lessons:
            self.write(f"courses/{course['id']}/lessons/{slug}.md", f"# Lesson {slug}\n\nText.\n")


def make_tree(root: Path) -> Tree:
    """A valid program.yml and one course under `root`."""
    t = Tree(root)
    t.write("program.yml", PROGRAM)
    t.course()
    return t
