"""xAPI: exam attempts as statements (attempted, then passed or failed), sent through the outbox to an LRS.

Each graded attempt (the ``exam.submitted`` event) gives two statements: *attempted* at the start and
*passed* or *failed* at submission, with the score (scaled 0..1, raw credits of max) and the time taken
(ISO 8601 duration). Activity ids are stable per course and version:
``<site>/xapi/activities/courses/<course>/<version>/exam`` (its parent, the course, without ``/exam``), so
an LRS can compare attempts across versions. The person is an xAPI account on the hub (their user id under
the app's URL), never their email. Statement ids are derived from the event (UUID 5), so a resend after a
crash is the same statement and an LRS answers 409 or 204 instead of keeping it twice.

The hub does not record lesson completion (lessons are pages of the static site, read without the app), so
there are no *completed* statements for lessons.

``HUB_LRS_URL`` is the LRS endpoint (statements are POSTed to ``<url>/statements``), with
``HUB_LRS_USER`` and ``HUB_LRS_PASSWORD`` for HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub_app.catalog import Catalog
from hub_app.kernel.events import EXAM_SUBMITTED, DomainEvent
from hub_app.notifications.dispatch import Result
from hub_app.partners.records import USERS
from hub_app.store.base import Store

XAPI_VERSION = "1.0.3"
VERBS = {
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
COURSE = "http://adlnet.gov/expapi/activities/course"
_NAMESPACE = uuid.UUID("8f0c8a5e-5b8e-4d0a-9a39-2c4f6a1d7e21")  # Partner Hub's: statement ids are uuid5 in it


@dataclass(frozen=True)
class Lrs:
    """Where statements go: the endpoint and its Basic credentials (HUB_LRS_URL, _USER, _PASSWORD)."""

    url: str
    user: str = ""
    password: str = ""
    timeout: float = 10


def course_activity(site_url: str, course_id: str, version: str) -> str:
    """The course's activity id at one version."""
    return f"{site_url.rstrip('/')}/xapi/activities/courses/{course_id}/{version}"


def exam_activity(site_url: str, course_id: str, version: str) -> str:
    """The course exam's activity id at one version."""
    return f"{course_activity(site_url, course_id, version)}/exam"


def duration(seconds: float) -> str:
    """An ISO 8601 duration: PT1H2M3S, PT12M30S, PT0S."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + (f"{secs}S" if secs else "")
    return f"PT{parts or '0S'}"


def statements(catalog: Catalog, store: Store, event: DomainEvent, site_url: str, app_url: str) -> list[dict[str, Any]]:
    """The xAPI statements of an ``exam.submitted`` event: attempted, then passed or failed."""
    facts = event.payload
    user = store.get(USERS, event.subject_ids[1])
    course = catalog.courses.get(facts["course_id"])
    title = course.title if course else None
    name = {"en-US": title.en, "zh-CN": title.get("zh")} if title else {"en-US": facts["course_id"]}
    actor = {
        "objectType": "Agent",
        "name": user.display_name if user else event.subject_ids[1],
        "account": {"homePage": app_url.rstrip("/"), "name": event.subject_ids[1]},
    }
    exam = {
        "objectType": "Activity",
        "id": exam_activity(site_url, facts["course_id"], facts["course_version"]),
        "definition": {"type": ASSESSMENT, "name": name},
    }
    parent = {"id": course_activity(site_url, facts["course_id"], facts["course_version"]), "objectType": "Activity"}
    context = {
        "registration": str(uuid.UUID(hex=facts["attempt_id"])),
        "platform": "Partner Hub",
        "contextActivities": {"parent": [parent | {"definition": {"type": COURSE, "name": name}}]},
    }
    started, submitted = datetime.fromisoformat(facts["started_at"]), datetime.fromisoformat(facts["submitted_at"])
    passed = facts["passed"] == "true"
    raw, most = float(facts["score_raw"]), float(facts["score_max"])
    scaled = raw / most if most else float(facts["score_pct"]) / 100  # score_pct is rounded for display
    result = {
        "score": {"scaled": round(scaled, 4), "raw": raw, "min": 0, "max": most},
        "success": passed,
        "completion": True,
        "duration": duration((submitted - started).total_seconds()),
    }
    base = {"actor": actor, "object": exam, "context": context, "version": XAPI_VERSION}
    outcome = "passed" if passed else "failed"
    return [
        {"id": _statement_id(event, "attempted"), **base, "verb": _verb("attempted"), "timestamp": _iso(started)},
        {
            "id": _statement_id(event, outcome),
            **base,
            "verb": _verb(outcome),
            "result": result,
            "timestamp": _iso(submitted),
        },
    ]


class XapiSink:
    """Sends exam statements to an LRS (sink name ``lrs``); a 2xx or 409 (already stored) counts as sent."""

    prefix = "lrs"

    def __init__(self, catalog: Catalog, lrs: Lrs, site_url: str, app_url: str):
        self.catalog, self.lrs, self.site_url, self.app_url = catalog, lrs, site_url, app_url

    def targets(self, store: Store, event: DomainEvent) -> list[str]:
        """One LRS target for each graded attempt."""
        return ["lrs"] if event.type == EXAM_SUBMITTED else []

    def deliver(self, store: Store, event: DomainEvent, target: str) -> Result:
        """POST the event's statements to <LRS>/statements."""
        body = json.dumps(statements(self.catalog, store, event, self.site_url, self.app_url)).encode()
        headers = {"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION}
        if self.lrs.user:
            credentials = base64.b64encode(f"{self.lrs.user}:{self.lrs.password}".encode()).decode()
            headers["Authorization"] = f"Basic {credentials}"
        url = f"{self.lrs.url.rstrip('/')}/statements"
        request = urllib.request.Request(url, body, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.lrs.timeout) as response:  # noqa: S310 (http(s))
                return Result("sent", response.status)
        except urllib.error.HTTPError as e:
            if e.code == 409:  # the same statement ids were stored by an earlier try
                return Result("sent", 409)
            return Result("failed", e.code, f"HTTP {e.code}")
        except (urllib.error.URLError, OSError) as e:
            return Result("failed", None, str(getattr(e, "reason", e)))


def _verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _statement_id(event: DomainEvent, verb: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{event.id}:{verb}"))


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
