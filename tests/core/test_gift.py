"""Reading GIFT and Aiken quizzes into exam items, and writing banks back as GIFT: pure text, no files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub_app.catalog import load_catalog
from hub_app.interchange import aiken, gift
from hub_app.interchange.drafts import DraftSet, item_id, to_items

CORPUS = Path(__file__).parent / "gift"
ROOT = Path(__file__).resolve().parents[2]
DOMAINS = {"platform": "The Quillstack platform", "flows": "Building flows", "insight": "Insight analytics"}


def _one(text: str, domain: str | None = "flows") -> dict:
    found = gift.read_gift(text, "quiz.gift", domain)
    items = to_items(found, DOMAINS, {}, "exam.yml")
    assert found.problems == [], [str(p) for p in found.problems]
    (item,) = items
    return item


def _messages(text: str, domain: str | None = "flows", reader=gift.read_gift) -> list[str]:
    found: DraftSet = reader(text, "quiz.gift", domain)
    to_items(found, DOMAINS, {"flows-taken": 12}, "courses/basics/exam.yml")
    return [str(p) for p in sorted(found.problems)]


def test_single_choice_keeps_option_order_and_marks_the_right_one():
    item = _one("::Relay::How does Flow reach SAP behind a firewall? {=The Relay agent ~A VPN ~Port forwarding}")
    assert item["type"] == "single"
    assert item["options"] == [
        {"text": {"en": "The Relay agent"}, "correct": True},
        {"text": {"en": "A VPN"}},
        {"text": {"en": "Port forwarding"}},
    ]


def test_weighted_choice_becomes_multiple_with_every_positive_weight_correct():
    item = _one("Which are in the Platform? {~%50%Workspaces ~%50%SSO ~%-50%Flow Engine ~%-50%Dashboards}")
    assert item["type"] == "multiple"
    assert [o.get("correct", False) for o in item["options"]] == [True, True, False, False]


@pytest.mark.parametrize("key, answer", [("T", True), ("TRUE", True), ("F", False), ("FALSE", False), ("false", False)])
def test_true_false_reads_every_spelling(key, answer):
    item = _one(f"Flow runs on-premises. {{{key}}}")
    assert (item["type"], item["answer"]) == ("true_false", answer)


def test_short_answer_keeps_every_accepted_answer_with_its_spaces():
    item = _one("Which step waits for a person? {=Approval =Approval step =Human approval}")
    assert item["type"] == "short_text"
    assert item["answers"] == ["Approval", "Approval step", "Human approval"]


@pytest.mark.parametrize(
    "key, answer, tolerance",
    [("#3.14:0.01", 3.14, 0.01), ("#600", 600, 0), ("#1..5", 3, 2), ("#=13:0", 13, 0), ("#-2.5:0.5", -2.5, 0.5)],
)
def test_numeric_reads_tolerance_and_turns_a_range_into_midpoint_and_tolerance(key, answer, tolerance):
    item = _one(f"How many? {{{key}}}")
    assert (item["type"], item["answer"], item["tolerance"]) == ("numeric", answer, tolerance)


def test_general_feedback_becomes_the_explanation():
    item = _one("Flow runs on-premises. {F#No.#Right.####Quillstack is SaaS only.}")
    assert item["explanation"] == {"en": "Quillstack is SaaS only."}


def test_feedback_of_the_right_answer_explains_when_there_is_no_general_feedback():
    item = _one("Flow runs on-premises. {F#There is no such edition.#Right: SaaS only.}")
    assert item["explanation"] == {"en": "Right: SaaS only."}


def test_a_question_without_feedback_is_explained_by_its_answer_key():
    assert _one("Which step waits? {=Approval =Approval step}")["explanation"] == {
        "en": "Accepted answers: Approval; Approval step."
    }
    assert _one("Retries last how many hours? {#23..25}")["explanation"] == {"en": "The answer is 24 (± 1)."}


def test_escaped_characters_are_text_not_syntax():
    item = _one(r"::Esc::Which sign starts feedback \{in GIFT\}\: {=\# ~\= ~\~ ~a\\b}")
    assert item["prompt"] == {"en": "Which sign starts feedback {in GIFT}:"}
    assert [o["text"]["en"] for o in item["options"]] == ["#", "=", "~", "a\\b"]


def test_comments_are_dropped_and_categories_set_the_domain():
    text = (
        "// a comment\n$CATEGORY: $course$/top/flows\n\n// another\nQ one? {T}\n\n$CATEGORY: "
        "Insight analytics\n\nQ two? {F}\n"
    )
    found = gift.read_gift(text, "quiz.gift")
    items = to_items(found, DOMAINS, {}, "exam.yml")
    assert [(i["domain"], i["prompt"]["en"]) for i in items] == [("flows", "Q one?"), ("insight", "Q two?")]


def test_a_question_right_under_its_category_line_is_read():
    found = gift.read_gift("$CATEGORY: insight\n::Retention::Months kept? {#13}\n", "quiz.gift")
    assert [(d.line, d.domain, d.title) for d in found.drafts] == [(2, "insight", "Retention")]


def test_html_is_reduced_to_text_and_markdown_is_kept():
    item = _one("[html]<p>Is <b>Insight</b> &amp; Flow one bill?</p>{T}")
    assert item["prompt"] == {"en": "Is Insight & Flow one bill?"}
    assert _one("[markdown]Is **Insight** billed apart? {T}")["prompt"] == {"en": "Is **Insight** billed apart?"}


def test_text_around_the_answer_block_becomes_a_blank():
    item = _one("Insight requires Flow {=Business ~Team} or higher.")
    assert item["prompt"] == {"en": "Insight requires Flow _____ or higher."}


def test_ids_come_from_the_title_or_the_first_words_with_the_domain_in_front():
    assert _one("::Retry policy::Retries? {T}")["id"] == "flows-retry-policy"
    assert _one("::flows-07::Retries? {T}")["id"] == "flows-07"
    assert (
        _one("How long are failed runs retried, at most? {#24}")["id"]
        == "flows-how-long-are-failed-runs-retried-at-most"
    )


def test_item_ids_are_stable_slugs_of_the_bank():
    found = gift.read_gift("::Zhōngwén 标题::题目？ {T}", "q.gift", "flows")
    assert item_id(found.drafts[0], "flows") == "flows-zhongwen"


BAD = [
    (
        "Flow runs on-premises.\n",
        "quiz.gift:1: description (a text without an answer block { }) is not supported: the bank holds only questions",
    ),
    ("Describe a flow. {}", "quiz.gift:1: essay questions (an empty answer block {}) are not supported"),
    (
        "Match them. {=Flow -> runs =Insight -> reads}",
        "quiz.gift:1: matching questions (=item -> match) are not supported",
    ),
    ("Pick. {~a ~b}", "quiz.gift:1: no answer is right: mark one with = (or give right answers a weight like ~%50%)"),
    (
        "Pick. {=a ~%50%b ~c}",
        "quiz.gift:1: partial credit beside a full answer is not supported: mark one answer = and "
        "the others ~, or give every right answer a weight like ~%50%",
    ),
    ("Pick. {~%40%a ~%40%b ~c}", "quiz.gift:1: the weights of the right answers add up to 80%, not 100%"),
    ("Pick. {~only}", "quiz.gift:1: a choice question needs at least two answers"),
    (
        "Name it. {=Approval =%50%Approve}",
        "quiz.gift:1: partial credit (%50%) on a short answer is not supported: the hub accepts an "
        "answer fully or not at all",
    ),
    ("How many? {#five}", "quiz.gift:1: 'five' is not a number, a number:tolerance or a range low..high"),
    ("How many? {#5..1}", "quiz.gift:1: the range 5..1 runs backwards: write the lower bound first"),
    (
        "How many? {#=5:0 =%50%6:0}",
        "quiz.gift:1: a numeric question with several answers is not supported: keep one answer "
        "and a tolerance (#3.14:0.01) or a range (#1..5)",
    ),
    ("How many?\n{#5", "quiz.gift:2: the answer block is not closed: add }"),
    ("::Open title\nWhat? {T}", "quiz.gift:1: the title is not closed: write ::Title:: before the question"),
    (
        "Is <b>this</b> bold? {T}",
        "quiz.gift:1: HTML tag <b> in a [markdown] text: mark the text [html] to have its tags "
        "removed, or write it without tags",
    ),
    (
        "::Taken::Again? {T}",
        "quiz.gift:1: id 'flows-taken' is already used (courses/basics/exam.yml line 12): give the "
        "question another title",
    ),
    (
        "::Twice::One? {T}\n\n::Twice::Two? {F}",
        "quiz.gift:3: id 'flows-twice' is already used (line 1): give the question another title",
    ),
]


@pytest.mark.parametrize("text, message", BAD)
def test_bad_gift_is_reported_with_file_line_and_message(text, message):
    assert _messages(text) == [message]


def test_a_question_outside_the_blueprint_names_the_known_domains():
    assert _messages("$CATEGORY: $course$/top/Default for QS\n\nQ? {T}\n\nR? {T}", domain=None) == [
        "quiz.gift:3: 'Default for QS' is not a domain of the blueprint (flows, insight, "
        "platform): rename the category or pass --domain",
        "quiz.gift:5: 'Default for QS' is not a domain of the blueprint (flows, insight, "
        "platform): rename the category or pass --domain",
    ]
    assert _messages("Q? {T}", domain=None) == [
        "quiz.gift:1: the question has no domain: put a $CATEGORY: line above it or pass --domain "
        "(flows, insight, platform)"
    ]


def test_every_problem_of_a_file_is_reported_at_once():
    text = "Pick. {~a ~b}\n\nDescribe. {}\n\nFine? {T}\n\nHow many? {#x}\n"
    assert [m.split(":")[1] for m in _messages(text)] == ["1", "3", "7"]


BAD_AIKEN = [
    ("Which region?\nA. Frankfurt\nB. Virginia\n", "quiz.gift:1: the question has no ANSWER: line"),
    (
        "Which region?\nA. Frankfurt\nB. Virginia\nANSWER: C\n",
        "quiz.gift:4: ANSWER: C names no option (use one of A, B)",
    ),
    ("Which region?\nA. Frankfurt\nANSWER: A\n", "quiz.gift:1: a question needs at least two options (A. text)"),
    (
        "Which region?\nA. Frankfurt\nC. Virginia\nANSWER: A\n",
        "quiz.gift:1: options are lettered A, C; letter them A, B",
    ),
    ("ANSWER: A\n", "quiz.gift:1: ANSWER: without a question above it"),
    (
        "Which region?\nA. Frankfurt\nB. Virginia\nSydney\nANSWER: A\n",
        "quiz.gift:4: expected an option (A. text) or ANSWER: X here",
    ),
]


@pytest.mark.parametrize("text, message", BAD_AIKEN)
def test_bad_aiken_is_reported_with_file_line_and_message(text, message):
    assert _messages(text, reader=aiken.read_aiken) == [message]


def test_aiken_questions_become_single_choice_items():
    found = aiken.read_aiken((CORPUS / "security.aiken").read_text(encoding="utf-8"), "security.aiken", "flows")
    items = to_items(found, DOMAINS, {}, "exam.yml")
    assert found.problems == []
    assert [(i["type"], [o.get("correct", False) for o in i["options"]]) for i in items] == [
        ("single", [True, False, False, False]),
        ("single", [True, False, False]),
    ]
    assert items[1]["prompt"]["en"].endswith("SCIM.\nWhich Flow plan do you quote?")


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.gift")))
def test_corpus_files_read_cleanly_and_read_back_the_same_after_export(name):
    found = gift.read_gift((CORPUS / name).read_text(encoding="utf-8"), name)
    items = to_items(found, DOMAINS, {}, "exam.yml")
    assert found.problems == []
    exam = _exam_of(items)
    again = gift.read_gift(gift.write_gift(exam, "Corpus"), "again.gift")
    assert to_items(again, DOMAINS, {}, "exam.yml") == items


def _exam_of(items: list[dict]):
    from hub_app.catalog.models import Exam

    domains = list(dict.fromkeys(i["domain"] for i in items))
    return Exam.model_validate(
        {
            "time_limit_minutes": 10,
            "attempts": {"max_attempts": 1, "window_days": 1},
            "blueprint": [{"domain": d, "title": {"en": DOMAINS[d]}, "draw": 1} for d in domains],
            "items": [{**i, "domain": i["domain"]} for i in items],
        }
    )


@pytest.mark.parametrize("course_id", ["qs-fundamentals", "qs-implementation", "qs-integration", "qs-sales-pro"])
def test_every_real_bank_round_trips_through_gift(course_id):
    course = load_catalog(ROOT).courses[course_id]
    assert course.exam is not None
    domains = {b.domain: b.title.en for b in course.exam.blueprint}
    found = gift.read_gift(gift.write_gift(course.exam, course.meta.title.en), f"{course_id}.gift")
    items = to_items(found, domains, {}, "exam.yml")
    assert found.problems == []
    expected = [it.model_dump(exclude_defaults=False) for it in course.exam.items]
    # GIFT groups questions by category (domain): compare item by item, in the bank's id order.
    items, expected = sorted(items, key=lambda i: i["id"]), sorted(expected, key=lambda i: i["id"])
    for item, want in zip(items, expected, strict=True):
        assert item["id"] == want["id"] and item["type"] == want["type"] and item["domain"] == want["domain"]
        assert item["prompt"]["en"] == want["prompt"]["en"]
        assert item["explanation"]["en"] == want["explanation"]["en"]
        for key in ("answer", "answers", "tolerance"):
            assert item.get(key, want.get(key)) == want.get(key)
        if "options" in want:
            assert [(o["text"]["en"], o.get("correct", False)) for o in item["options"]] == [
                (o["text"]["en"], o["correct"]) for o in want["options"]
            ]


_TEXT = st.text(alphabet=st.sampled_from(list("abcXYZ 09.,?'\"~=#{}:\\é漢-")), min_size=1, max_size=30).filter(
    str.strip
)


@given(prompt=_TEXT, answers=st.lists(_TEXT, min_size=1, max_size=4))
def test_escaped_short_answers_read_back_exactly_whatever_characters_they_hold(prompt, answers):
    block = " ".join(f"={gift.escape(a)}" for a in answers)
    item = _one(f"::q::{gift.escape(prompt)} {{{block}}}")
    assert item["type"] == "short_text"
    assert item["prompt"]["en"] == " ".join(prompt.split())
    assert item["answers"] == [" ".join(a.split()) for a in answers]
