"""xAPI: graded attempts sent through the outbox to a real local HTTP LRS that checks the statements."""

from __future__ import annotations

import base64
import json
import re
import threading
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from core_builders import T0, answers_scoring

from hub_app.cli.notify import lrs_sinks
from hub_app.interchange.xapi import Lrs, XapiSink, duration, exam_activity
from hub_app.learning import exams
from hub_app.learning.submission import submit
from hub_app.notifications.dispatch import Dispatcher
from hub_app.notifications.records import DELIVERIES, OUTBOX

SITE, APP = "https://partners.example.com", "https://hub.example.com"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
IRI = re.compile(r"^https?://\S+$")


class FakeLrs:
    """An LRS on a free port: checks the version header, credentials and each statement's required fields."""

    def __init__(self, user: str = "hub", password: str = "s3cret"):
        self.statements: list[dict] = []
        self.refusals: list[str] = []
        self.fail_next = 0
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                problem = lrs.problem(self.path, self.headers, expected, body)
                if lrs.fail_next:
                    lrs.fail_next -= 1
                    problem = problem or "unavailable"
                    self.send_response(503)
                elif problem:
                    lrs.refusals.append(problem)
                    self.send_response(400)
                else:
                    batch = json.loads(body)
                    known = {s["id"] for s in lrs.statements}
                    if any(s["id"] in known for s in batch):
                        self.send_response(409)
                    else:
                        lrs.statements.extend(batch)
                        self.send_response(200)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def problem(self, path, headers, expected, body) -> str:
        if path != "/xapi/statements":
            return f"path {path}"
        if not headers.get("X-Experience-API-Version", "").startswith("1.0"):
            return "no X-Experience-API-Version"
        if headers.get("Authorization") != expected:
            return "bad credentials"
        for statement in json.loads(body):
            for field in ("id", "actor", "verb", "object", "timestamp"):
                if field not in statement:
                    return f"no {field}"
            uuid.UUID(statement["id"])
            actor = statement["actor"]
            if not ("mbox" in actor or {"homePage", "name"} <= set(actor.get("account", {}))):
                return "actor without an identifier"
            if not IRI.match(statement["verb"]["id"]) or not IRI.match(statement["object"]["id"]):
                return "verb or object id is no IRI"
            if not ISO.match(statement["timestamp"]):
                return f"timestamp {statement['timestamp']}"
        return ""

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def lrs():
    fake = FakeLrs()
    yield fake
    fake.close()


def _sit(world, right: int, user=None):
    user = user or world.ana
    attempt = exams.start_attempt(user, world.catalog, world.store, "cert-101", T0)
    answers = answers_scoring(world.catalog, attempt, right)
    return submit(user, attempt.id, answers, world.catalog, world.store, T0 + timedelta(minutes=12, seconds=30))


def _dispatcher(world, lrs):
    sink = XapiSink(world.catalog, Lrs(lrs.url, "hub", "s3cret"), SITE, APP)
    return Dispatcher(world.store, [sink], [60])


def test_a_pass_reaches_the_lrs_as_attempted_then_passed_with_score_and_duration(world, lrs):
    _sit(world, 3)
    report = _dispatcher(world, lrs).run_once(T0 + timedelta(minutes=13))
    assert (report.sent, lrs.refusals) == (1, [])
    attempted, passed = lrs.statements
    assert attempted["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attempted"
    assert attempted["timestamp"] == "2026-03-02T09:00:00Z"
    assert passed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert passed["timestamp"] == "2026-03-02T09:12:30Z"
    assert passed["result"] == {
        "score": {"scaled": 1.0, "raw": 3.0, "min": 0, "max": 3.0},
        "success": True,
        "completion": True,
        "duration": "PT12M30S",
    }
    assert passed["object"]["id"] == f"{SITE}/xapi/activities/courses/cert-101/1.0.0/exam"
    assert passed["actor"]["account"] == {"homePage": APP, "name": world.ana.id}
    assert "mbox" not in passed["actor"]  # the LRS never learns the person's email


def test_a_fail_is_sent_as_failed(world, lrs):
    _sit(world, 1)
    _dispatcher(world, lrs).run_once(T0 + timedelta(minutes=13))
    assert [s["verb"]["id"].rsplit("/", 1)[1] for s in lrs.statements] == ["attempted", "failed"]
    assert lrs.statements[1]["result"]["success"] is False
    assert lrs.statements[1]["result"]["score"] == {"scaled": 0.3333, "raw": 1.0, "min": 0, "max": 3.0}


def test_an_lrs_that_is_down_is_retried_and_the_statements_arrive_once(world, lrs):
    _sit(world, 3)
    runner = _dispatcher(world, lrs)
    lrs.fail_next = 1
    assert runner.run_once(T0 + timedelta(minutes=13)).failed == 1
    assert runner.run_once(T0 + timedelta(minutes=13, seconds=30)).waiting == 1
    assert runner.run_once(T0 + timedelta(minutes=15)).sent == 1
    assert len(lrs.statements) == 2
    codes = [a.code for a in world.store.select(DELIVERIES)]
    assert codes == [503, 200]


def test_a_resent_statement_is_recognised_by_its_id(world, lrs):
    _sit(world, 3)
    _dispatcher(world, lrs).run_once(T0 + timedelta(minutes=13))
    world.store.remove(DELIVERIES, world.store.select(DELIVERIES)[0].id)  # as after a crash before recording
    assert _dispatcher(world, lrs).run_once(T0 + timedelta(minutes=14)).sent == 1
    assert len(lrs.statements) == 2  # the LRS answered 409: the same ids


def test_activity_ids_are_stable_per_course_and_version():
    assert exam_activity(SITE, "cert-101", "1.0.0") == exam_activity(SITE + "/", "cert-101", "1.0.0")
    assert exam_activity(SITE, "cert-101", "1.0.0") != exam_activity(SITE, "cert-101", "2.0.0")


@pytest.mark.parametrize(("seconds", "iso"), [(0, "PT0S"), (59.6, "PT1M"), (750, "PT12M30S"), (3723, "PT1H2M3S")])
def test_durations_are_iso_8601(seconds, iso):
    assert duration(seconds) == iso


def test_the_lrs_sink_is_there_only_when_hub_lrs_url_is_set(catalog):
    assert lrs_sinks(catalog, {}) == []
    (sink,) = lrs_sinks(catalog, {"HUB_LRS_URL": "https://lrs.example.com/xapi", "HUB_LRS_USER": "u"})
    assert (sink.lrs.url, sink.lrs.user, sink.lrs.password) == ("https://lrs.example.com/xapi", "u", "")


def test_only_graded_attempts_become_statements(world, lrs):
    _sit(world, 3)
    sink = XapiSink(world.catalog, Lrs(lrs.url), SITE, APP)
    targeted = {e.type: sink.targets(world.store, e) for e in world.store.after(OUTBOX).entries}
    assert targeted == {"certificate.issued": [], "exam.submitted": ["lrs"]}
