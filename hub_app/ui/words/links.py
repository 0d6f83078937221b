"""Addresses the app links to: lessons on the enablement site and the app's own public pages."""

from __future__ import annotations

from urllib.parse import quote


def lesson_url(site_url: str, course_id: str, slug: str, lang: str) -> str:
    """A lesson on the site: /courses/<id>/<slug>/ in English, /zh/courses/<id>/<slug>/ in Chinese."""
    prefix = "" if lang == "en" else f"/{lang}"
    return f"{site_url.rstrip('/')}{prefix}/courses/{course_id}/{slug}/"


def course_url(site_url: str, course_id: str, lang: str) -> str:
    """A course's overview page on the site."""
    prefix = "" if lang == "en" else f"/{lang}"
    return f"{site_url.rstrip('/')}{prefix}/courses/{course_id}/"


def verify_url(app_url: str, code: str) -> str:
    """The app's public verification page for a certificate code."""
    return f"{app_url.rstrip('/')}/verify?code={quote(code)}"
