"""The catalog reports every content problem at once, as path:line: key: message."""

from __future__ import annotations

import copy

import pytest
from content_tree import COURSE, EXAM, PROGRAM, Tree, _item

from hub_app.catalog import ContentError, load_catalog


def problems(tree: Tree) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_catalog(tree.root)
    return [str(p) for p in exc.value.problems]


def test_valid_tree_loads_into_typed_objects(tree):
    catalog = load_catalog(tree.root)
    course = catalog.course("basics")
    assert course.certification.pass_mark == 70
    assert [le.title.en for le in course.lessons] == ["Lesson 01-intro"]
    assert course.exam.items_to_draw == 2
    assert catalog.program.tier("gold").requirements.revenue_12m == 1000


def test_yaml_syntax_error_names_the_line(tree):
    tree.write("courses/basics/course.yml", "id: basics\ntitle: {en: Basics\nversion: 1.0.0\n")
    [problem] = problems(tree)
    assert problem.startswith("courses/basics/course.yml:3: (file): YAML syntax error:")


def test_missing_field_names_the_key(tree):
    course = {k: v for k, v in COURSE.items() if k != "duration_minutes"}
    tree.course(course)
    assert problems(tree) == ["courses/basics/course.yml:1: duration_minutes: required field is missing"]


def test_wrong_type_says_what_was_given(tree):
    course = {**COURSE, "duration_minutes": "an hour"}
    tree.course(course)
    assert problems(tree) == [
        "courses/basics/course.yml:10: duration_minutes: input should be a valid integer (got 'an hour')"
    ]


def test_unknown_key_is_an_error_not_a_no_op(tree):
    tree.course({**COURSE, "duraton": 30})
    assert problems(tree) == [
        "courses/basics/course.yml:24: duraton: unknown key (check its spelling; see courses/README.md)"
    ]


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (
            "partner_types",
            ["si", "reseller"],
            "courses/basics/course.yml:14: audience.partner_types[1]: unknown partner type 'reseller' "
            "(program.yml has si)",
        ),
        (
            "roles",
            ["sales", "ceo"],
            "courses/basics/course.yml:16: audience.roles[1]: unknown role 'ceo' (program.yml has sales)",
        ),
    ],
)
def test_unknown_partner_type_or_role(tree, key, value, expected):
    tree.course({**COURSE, "audience": {**COURSE["audience"], key: value}})
    assert problems(tree) == [expected]


def test_duplicate_item_ids(tree):
    exam = {**EXAM, "items": [_item(1), _item(2), _item(1)]}
    tree.course(exam=exam)
    assert problems(tree) == ["courses/basics/exam.yml:40: items[2].id: duplicate item id 'q1'"]


def test_duplicate_course_ids(tree):
    tree.course({**COURSE, "id": "basics"})
    tree.write("courses/copy/course.yml", {**COURSE})
    tree.write("courses/copy/exam.yml", EXAM)
    tree.write("courses/copy/lessons/01-intro.md", "# Intro\n")
    assert problems(tree) == [
        "courses/basics/course.yml:1: id: duplicate course id 'basics'",
        "courses/copy/course.yml:1: id: id 'basics' differs from its folder name 'copy'",
    ]


def test_item_with_no_correct_option(tree):
    item = _item(2)
    item["options"] = [{"text": {"en": "A"}}, {"text": {"en": "B"}}]
    tree.course(exam={**EXAM, "items": [_item(1), item, _item(3)]})
    assert problems(tree) == [
        "courses/basics/exam.yml:32: items[1].options: no correct option (mark one with correct: true)"
    ]


def test_blueprint_asking_for_more_items_than_the_bank_has(tree):
    exam = copy.deepcopy(EXAM)
    exam["blueprint"][0]["draw"] = 5
    tree.course(exam=exam)
    assert problems(tree) == [
        "courses/basics/exam.yml:12: blueprint[0].draw: asks for 5 items from domain 'core' but the bank holds 3"
    ]


def test_missing_lesson_file(tree):
    tree.course({**COURSE, "lessons": ["01-intro", "02-next"]})
    assert problems(tree) == [
        "courses/basics/course.yml:19: lessons[1]: lesson file courses/basics/lessons/02-next.md is missing"
    ]


def test_prerequisite_cycle(tree):
    tree.course({**COURSE, "prerequisites": ["advanced"]})
    tree.course({**COURSE, "id": "advanced", "prerequisites": ["basics"]})
    assert problems(tree) == [
        "courses/advanced/course.yml:16: prerequisites: prerequisite cycle: advanced -> basics -> advanced"
    ]


def test_unknown_certification_in_tier_requirement(tree):
    program = copy.deepcopy(PROGRAM)
    program["tiers"][1]["requirements"]["certifications"][0]["courses"] = ["basics", "sales-101"]
    tree.write("program.yml", program)
    assert problems(tree) == [
        "program.yml:47: tiers[1].requirements.certifications[0].courses[1]: unknown certification 'sales-101' "
        "(courses that certify: basics)"
    ]


def test_all_problems_are_reported_at_once(tree):
    tree.course({**COURSE, "lessons": ["01-intro", "02-next"], "product": "rocket"})
    exam = copy.deepcopy(EXAM)
    exam["blueprint"][0]["draw"] = 9
    tree.course({**COURSE, "lessons": ["01-intro", "02-next"], "product": "rocket"}, exam=exam)
    found = problems(tree)
    assert len(found) == 3
    assert [p.split(": ")[1] for p in found] == ["product", "lessons[1]", "blueprint[0].draw"]


def test_check_command_prints_problems_and_exits_non_zero(tree):
    from typer.testing import CliRunner

    from hub_app.cli.main import app

    tree.course({**COURSE, "product": "rocket"})
    result = CliRunner().invoke(app, ["check", "--root", str(tree.root)])
    assert result.exit_code == 1
    assert "courses/basics/course.yml:8: product: unknown product 'rocket' (program.yml has flow)" in result.output


# --- files that would crash or hang a naive reader ------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("id: basics\x00\n", "courses/basics/course.yml:1: (file): character '\\x00' is not allowed in YAML"),
        (
            "id: basics\nversion: 1.0.0\x07\n",
            "courses/basics/course.yml:2: (file): character '\\x07' is not allowed in YAML",
        ),
    ],
    ids=["nul", "control"],
)
def test_nul_and_control_bytes_are_a_problem_not_a_crash(tree, text, expected):
    tree.write("courses/basics/course.yml", text)
    assert problems(tree) == [expected]


def test_a_lesson_that_is_not_utf8_is_named(tree):
    (tree.root / "courses/basics/lessons/01-intro.md").write_bytes(b"# Intro\n\ncaf\xe9\n")
    assert problems(tree) == [
        "courses/basics/lessons/01-intro.md:3: (file): not UTF-8 text (byte 12: invalid continuation byte)"
    ]


def test_a_symlink_loop_is_a_problem_not_a_crash(tree):
    exam = tree.root / "courses/basics/exam.yml"
    exam.unlink()
    exam.symlink_to(exam)
    assert problems(tree) == ["courses/basics/exam.yml:1: (file): cannot be read: a symbolic link that loops"]


def test_exam_yml_as_a_folder_is_named(tree):
    exam = tree.root / "courses/basics/exam.yml"
    exam.unlink()
    exam.mkdir()
    assert problems(tree) == ["courses/basics/exam.yml:1: (file): is a folder, not a file"]


def test_thousands_of_levels_of_nesting_are_refused(tree):
    tree.write("courses/basics/course.yml", "id: " + "[" * 3000 + "]" * 3000 + "\n")
    assert problems(tree) == ["courses/basics/course.yml:1: (file): YAML syntax error: nested more than 50 levels deep"]


def test_a_yaml_alias_bomb_is_refused_at_once(tree):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 10)]
    tree.write("courses/basics/course.yml", "\n".join(lines) + "\n")
    assert problems(tree) == [
        "courses/basics/course.yml:2: (file): YAML syntax error: aliases (*name) are not allowed in content files"
    ]


def test_a_duplicate_key_is_refused_with_both_lines(tree):
    tree.write(
        "courses/basics/course.yml", "id: basics\n" + tree.root.joinpath("courses/basics/course.yml").read_text()
    )
    assert problems(tree) == [
        "courses/basics/course.yml:2: id: duplicate key (first given on line 1); give each key once"
    ]


# --- values a lax validator would coerce or let through ---------------------------------------------


def test_a_quoted_pass_mark_is_not_a_number(tree):
    tree.course({**COURSE, "certification": {**COURSE["certification"], "pass_mark": "70"}})
    assert problems(tree) == [
        "courses/basics/course.yml:22: certification.pass_mark: input should be a valid integer (got '70')"
    ]


def test_draw_true_is_not_a_count(tree):
    exam = copy.deepcopy(EXAM)
    exam["blueprint"][0]["draw"] = True
    tree.course(exam=exam)
    assert problems(tree) == [
        "courses/basics/exam.yml:12: blueprint[0].draw: input should be a valid integer (got True)"
    ]


def test_correct_yes_is_not_a_boolean(tree):
    exam = copy.deepcopy(EXAM)
    exam["items"][0]["options"][0]["correct"] = "yes"
    tree.course(exam=exam)
    assert "items[0].options[0].correct: input should be a valid boolean (got 'yes')" in problems(tree)[0]


def test_a_version_with_leading_zeros_is_not_semver(tree):
    tree.course({**COURSE, "version": "01.02.003"})
    [problem] = problems(tree)
    assert problem.startswith("courses/basics/course.yml:2: version: string should match pattern")


def _numeric(**fields) -> dict:
    item = {"id": "q9", "domain": "core", "type": "numeric", "prompt": {"en": "How many?"}, "answer": 4}
    item = {**item, "explanation": {"en": "Four."}, **fields}
    exam = copy.deepcopy(EXAM)
    exam["items"].append(item)
    return exam


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({}, "items[3].tolerance: required field is missing"),
        ({"answer": float("nan"), "tolerance": 0}, "items[3].answer: input should be a finite number (got nan)"),
        ({"tolerance": float("inf")}, "items[3].tolerance: input should be a finite number (got inf)"),
    ],
    ids=["no-tolerance", "nan-answer", "inf-tolerance"],
)
def test_a_numeric_item_needs_a_finite_answer_and_tolerance(tree, fields, expected):
    tree.course(exam=_numeric(**fields))
    [problem] = problems(tree)
    assert problem.split(": ", 1)[1] == expected


def test_a_negative_points_rule_is_refused(tree):
    program = copy.deepcopy(PROGRAM)
    program["points"]["rules"][0]["points"] = -100
    tree.write("program.yml", program)
    [problem] = problems(tree)
    assert problem.endswith("points.rules[0].points: input should be greater than or equal to 0 (got -100)")


def test_a_practice_exam_on_a_certifying_course_is_refused(tree):
    tree.course(exam={**EXAM, "practice": True})
    [problem] = problems(tree)
    assert problem.endswith(
        "practice: a practice exam cannot certify; remove practice: true or the course's certification"
    )
