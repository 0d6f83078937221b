"""The exam page: start, answer (drafts kept on reload), submit, result; refusals with the next time."""

from __future__ import annotations

from app_driver import app_as, texts
from seed import key_answers

from hub_app.certification.records import certificates_of
from hub_app.learning import exams
from hub_app.learning.records import ATTEMPTS


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _answer(at, attempt, item_id, answer, exam):
    key = f"ans-{attempt.id}-{item_id}"
    kind = exam.item(item_id).type
    if kind == "multiple":
        for i in range(len(exam.item(item_id).options)):
            at.checkbox(key=f"{key}-{i}").set_value(i in answer)
    elif kind in ("short_text", "numeric"):
        at.text_input(key=key).input(str(answer))
    else:
        at.radio(key=key).set_value(answer)


def _start(hub, user, course_id="qs-fundamentals"):
    at = app_as(user, "exam", course=course_id)
    assert at.title[0].value == hub.catalog.course(course_id).title.en
    at = _button(at, "Start exam").click().run()
    return at, exams.open_attempt(hub.store, user.id, course_id)


def test_exam_start_answer_submit_shows_the_result_certificate_and_points(hub):
    at, attempt = _start(hub, hub.dora)
    assert at.caption[0].value == "Submit by Nov 27, 2026, 10:40\u202fAM (Asia/Singapore)."
    exam = hub.catalog.course("qs-fundamentals").exam
    for item_id, answer in key_answers(hub.catalog, attempt).items():
        _answer(at, attempt, item_id, answer, exam)
    at = _button(at.run(), "Submit answers").click().run()
    assert not at.exception
    code = certificates_of(hub.store, hub.dora.id)[0].verification_code
    assert [s.value for s in at.success] == [
        "Passed: you scored 100 % (pass mark 70 %).",
        f"New certificate: Quillstack Certified Associate, valid until Nov 27, 2028. Verification code {code}.",
    ]
    assert [i.value for i in at.info] == [
        "+400 points: First pass of a course exam, Certification earned, Perfect score bonus"
    ]


def test_a_failed_exam_shows_topics_lessons_to_study_and_the_next_attempt(hub):
    at, attempt = _start(hub, hub.dora)
    at = _button(at, "Submit answers").click().run()
    at = _button(at, "Submit anyway").click().run()
    assert [e.value for e in at.error] == ["Not passed: you scored 0 % (pass mark 70 %)."]
    assert [p.proto.text for p in at.get("progress")] == [
        "The Quillstack platform — 0 %",
        "Building flows — 0 %",
        "Insight analytics — 0 %",
        "Security, regions and plans — 0 %",
    ]
    assert (
        "- [A tour of the Quillstack platform](https://partners.example.com/courses/qs-fundamentals/01-platform-tour/)"
        in texts(at).splitlines()
    )
    assert [i.value for i in at.info] == [
        "Take some time to study before retaking Quillstack Product Fundamentals. "
        "Next attempt from Nov 28, 2026, 10:00\u202fAM (Asia/Singapore)."
    ]


def test_answers_are_saved_as_drafts_and_come_back_after_a_reload(hub):
    at, attempt = _start(hub, hub.dora)
    first = attempt.items[0].item_id
    answer = key_answers(hub.catalog, attempt)[first]
    _answer(at, attempt, first, answer, hub.catalog.course("qs-fundamentals").exam)
    at.run()
    saved = hub.store.get(ATTEMPTS, attempt.id).answers
    # Text and number fields save what was typed; choices save option positions.
    assert list(saved[first]) == list(answer) if isinstance(answer, tuple) else str(saved[first]) == str(answer)
    reloaded = app_as(hub.dora, "exam", course="qs-fundamentals")  # a new browser session: nothing in memory
    assert "Start exam" not in [b.label for b in reloaded.button]
    assert "1 of 20 questions answered." in [c.value for c in reloaded.caption]


def test_exam_items_reach_the_page_without_keys_or_explanations(hub):
    at, attempt = _start(hub, hub.dora)
    page = texts(at) + "".join(str(r.options) for r in at.radio)
    exam = hub.catalog.course("qs-fundamentals").exam
    for drawn in attempt.items:
        assert exam.item(drawn.item_id).explanation.en not in page


def test_cool_down_refusal_says_when_the_next_attempt_is_allowed(hub):
    at = app_as(hub.chen, "exam", course="qs-fundamentals")
    assert [w.value for w in at.warning] == [
        "Take some time to study before retaking Quillstack Product Fundamentals. "
        "Next attempt from Nov 28, 2026, 7:05\u202fAM (Asia/Singapore)."
    ]
    assert _button(at, "Start exam").disabled


def test_one_exam_at_a_time(hub):
    _start(hub, hub.dora, "qs-fundamentals")
    at = app_as(hub.dora, "exam", course="qs-implementation")
    assert [i.value for i in at.info] == [
        "You have an exam in progress: Quillstack Product Fundamentals. Finish it before you start another."
    ]


def test_unknown_course_in_the_link_says_what_to_do(hub):
    at = app_as(hub.dora, "exam", course="no-such-course")
    assert [e.value for e in at.error] == [
        "The course no-such-course has no exam. Pick a course with an exam from the catalog."
    ]


def test_renew_on_home_goes_through_the_exams_intro(hub):
    at = app_as(hub.ana)
    at = _button(at, "Renew").click().run()
    assert not at.exception
    assert at.title[0].value == "Quillstack Product Fundamentals"
    assert exams.open_attempt(hub.store, hub.ana.id, "qs-fundamentals") is None  # nothing started yet
    assert _button(at, "Start exam")


def test_submitting_with_unanswered_items_asks_first(hub):
    at, attempt = _start(hub, hub.dora)
    at = _button(at, "Submit answers").click().run()
    total = len(attempt.items)
    assert [w.value for w in at.warning] == [
        f"{total} question(s) have no answer yet; they would score nothing. Submit anyway?"
    ]
    assert exams.open_attempt(hub.store, hub.dora.id, "qs-fundamentals") is not None  # not submitted
    at = _button(at, "Submit anyway").click().run()
    assert exams.open_attempt(hub.store, hub.dora.id, "qs-fundamentals") is None


def test_the_exam_list_says_where_each_course_stands(hub):
    at = app_as(hub.ben, "exam")
    captions = [c.value for c in at.caption]
    assert "Ready to start." in captions
    assert any(c.startswith("You are certified in Quillstack Product Fundamentals until ") for c in captions)
