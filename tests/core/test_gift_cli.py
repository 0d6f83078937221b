"""`partnerhub import gift|aiken` and `export gift` on a copy of the real content in tmp_path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hub_app.catalog import load_catalog
from hub_app.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "gift"
BANK = "courses/qs-fundamentals/exam.yml"
# Where the first imported item lands: after the bank, its blank line and the "imported from" comment.
FIRST_IMPORTED_LINE = len((ROOT / BANK).read_text(encoding="utf-8").splitlines()) + 3
BANK_ITEMS = sum(1 for line in (ROOT / BANK).read_text(encoding="utf-8").splitlines() if line.startswith("  - id: "))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copy2(ROOT / "program.yml", tmp_path / "program.yml")
    shutil.copytree(ROOT / "courses", tmp_path / "courses")
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(cli.app, list(args))


def test_import_gift_appends_after_the_bank_leaving_its_text_byte_identical(root):
    before = (root / BANK).read_bytes()
    result = _run(
        "import", "gift", str(CORPUS / "flow-basics.gift"), "--course", "qs-fundamentals", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Imported 7 questions from {CORPUS / 'flow-basics.gift'} into {BANK}: ")
    after = (root / BANK).read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].startswith(
        b"\n  # --- imported from flow-basics.gift ---\n  - id: platform-relay-agent\n"
    )
    exam = load_catalog(root).courses["qs-fundamentals"].exam
    assert exam is not None
    relay = exam.item("platform-relay-agent")
    assert relay.type == "single" and relay.explanation.en.startswith("The Relay agent runs inside")
    assert exam.item("flows-retry-window").model_dump()["answer"] == 24


def test_import_gift_uses_blueprint_titles_as_categories_and_keeps_comments_of_the_bank(root):
    text = (root / BANK).read_text(encoding="utf-8")
    result = _run(
        "import", "gift", str(CORPUS / "insight-moodle-export.gift"), "--course", "qs-fundamentals", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    after = (root / BANK).read_text(encoding="utf-8")
    assert after.startswith(text) and "# --- platform ----" in after
    exam = load_catalog(root).courses["qs-fundamentals"].exam
    assert exam is not None
    assert {exam.item(i).domain for i in ("insight-advanced-edition", "insight-plan-rule")} == {"insight"}
    assert exam.item("insight-advanced-edition").prompt.en == (
        "Which capabilities does Insight Advanced add on top of Insight Standard?"
    )


def test_import_gift_twice_refuses_every_id_and_writes_nothing(root):
    gift_file = CORPUS / "flow-basics.gift"
    assert _run("import", "gift", str(gift_file), "--course", "qs-fundamentals", "--root", str(root)).exit_code == 0
    once = (root / BANK).read_bytes()
    result = _run("import", "gift", str(gift_file), "--course", "qs-fundamentals", "--root", str(root))
    assert result.exit_code == 1
    assert (
        f"{gift_file}:6: id 'platform-relay-agent' is already used ({BANK} line {FIRST_IMPORTED_LINE}): "
        "give the question another title" in result.output
    )
    assert "Nothing was imported: 7 problem(s). Fix them and import again." in result.output
    assert (root / BANK).read_bytes() == once


def test_import_gift_with_one_bad_question_imports_none_and_lists_every_problem(root, tmp_path):
    quiz = tmp_path / "quiz.gift"
    quiz.write_text(
        "::Fine::Flow is SaaS only. {T}\n\n::Essay::Describe the Relay. {}\n\n::Match::Pair. {=a -> b =c -> d}\n",
        encoding="utf-8",
    )
    before = (root / BANK).read_bytes()
    result = _run("import", "gift", str(quiz), "--course", "qs-fundamentals", "--domain", "flows", "--root", str(root))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{quiz}:3: essay questions (an empty answer block {{}}) are not supported",
        f"{quiz}:5: matching questions (=item -> match) are not supported",
        "Nothing was imported: 2 problem(s). Fix them and import again.",
    ]
    assert (root / BANK).read_bytes() == before


def test_import_gift_without_a_domain_names_the_blueprint_domains(root, tmp_path):
    quiz = tmp_path / "quiz.gift"
    quiz.write_text("Flow is SaaS only. {T}\n", encoding="utf-8")
    result = _run("import", "gift", str(quiz), "--course", "qs-fundamentals", "--root", str(root))
    assert result.exit_code == 1
    assert (
        f"{quiz}:1: the question has no domain: put a $CATEGORY: line above it or pass --domain "
        "(flows, insight, platform, security)"
    ) in result.output


def test_import_into_an_unknown_course_names_the_courses_with_a_bank(root):
    result = _run("import", "gift", str(CORPUS / "flow-basics.gift"), "--course", "nope", "--root", str(root))
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert said.startswith("No course 'nope' with an exam bank. Courses with one: qs-delivery-lab, ")
    assert "qs-fundamentals, qs-fundamentals-practice, qs-implementation," in said and said.endswith(
        "qs-sales-pro-practice."
    )


def test_import_aiken_appends_single_choice_items_to_the_domain_given(root):
    result = _run(
        "import",
        "aiken",
        str(CORPUS / "security.aiken"),
        "--course",
        "qs-fundamentals",
        "--domain",
        "security",
        "--root",
        str(root),
    )
    assert result.exit_code == 0, result.output
    assert "security-which-quillstack-region-keeps-european-customers" in result.output
    exam = load_catalog(root).courses["qs-fundamentals"].exam
    assert exam is not None
    item = exam.item("security-which-quillstack-region-keeps-european-customers")
    assert item.explanation.en == "Correct answer: Frankfurt."


def test_import_keeps_crlf_line_ends_of_the_bank(root):
    bank = root / BANK
    bank.write_bytes(bank.read_bytes().replace(b"\n", b"\r\n"))
    before = bank.read_bytes()
    result = _run(
        "import", "gift", str(CORPUS / "flow-basics.gift"), "--course", "qs-fundamentals", "--root", str(root)
    )
    assert result.exit_code == 0, result.output
    after = bank.read_bytes()
    assert after.startswith(before) and b"\n" not in after[len(before) :].replace(b"\r\n", b"")


def test_export_gift_writes_the_whole_bank_and_importing_it_back_is_refused_as_duplicates(root, tmp_path):
    out = tmp_path / "fundamentals.gift"
    result = _run("export", "gift", str(out), "--course", "qs-fundamentals", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {BANK_ITEMS} questions of qs-fundamentals to {out}.\n"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("// Quillstack Product Fundamentals: exam bank exported by Partner Hub.")
    assert "::platform-01:: [markdown]" in text
    refused = _run("import", "gift", str(out), "--course", "qs-fundamentals", "--root", str(root))
    assert f"Nothing was imported: {BANK_ITEMS} problem(s)." in refused.output


def test_export_without_a_format_still_writes_csv(root, tmp_path, monkeypatch):
    from hub_app.store.memory import MemoryStore

    monkeypatch.setattr(cli, "open_data", lambda data_dir: MemoryStore())
    result = _run("export", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'out'}" in result.output and ".csv: 0 rows" in result.output


def test_import_of_a_file_that_is_not_utf8_says_so_and_writes_nothing(root, tmp_path):
    quiz = tmp_path / "latin1.gift"
    quiz.write_bytes("Flow is SaaS. {T}\n\nQuillstack läuft nur als SaaS. {T}\n".encode("latin-1"))
    before = (root / BANK).read_bytes()
    result = _run("import", "gift", str(quiz), "--course", "qs-fundamentals", "--domain", "flows", "--root", str(root))
    assert result.exit_code == 1
    assert (
        result.output
        == f"{quiz}:3: not UTF-8 text (invalid continuation byte); save the file as UTF-8 and import again\n"
    )
    assert (root / BANK).read_bytes() == before


def test_import_of_a_file_with_only_comments_reports_that_it_holds_no_questions(root, tmp_path):
    quiz = tmp_path / "empty.gift"
    quiz.write_text("// nothing here yet\n", encoding="utf-8")
    result = _run("import", "gift", str(quiz), "--course", "qs-fundamentals", "--domain", "flows", "--root", str(root))
    assert result.exit_code == 1
    assert f"{quiz}:1: the file holds no questions" in result.output


def test_the_catalog_loader_has_the_last_word_before_anything_is_written(root, monkeypatch):
    from hub_app.interchange import banks

    monkeypatch.setattr(banks, "_render", lambda item, indent: f"{' ' * indent}- id: {item['id']}")
    before = (root / BANK).read_bytes()
    result = _run(
        "import", "gift", str(CORPUS / "flow-basics.gift"), "--course", "qs-fundamentals", "--root", str(root)
    )
    assert result.exit_code == 1
    assert (
        f"{BANK}:{FIRST_IMPORTED_LINE}: items[{BANK_ITEMS}]: "
        "item has no type (use single, multiple, true_false, short_text or numeric)" in result.output
    )
    assert (root / BANK).read_bytes() == before


def test_items_are_appended_inside_the_items_list_when_other_keys_follow_it():
    from hub_app.interchange.banks import appended

    text = "items:\n    - id: a\n      domain: x  # keep me\n# trailing note\nblueprint: []\n"
    out = appended(text, [{"id": "b", "version": 1, "domain": "x", "type": "true_false", "answer": True}], "q.gift")
    assert out == (
        "items:\n    - id: a\n      domain: x  # keep me\n"
        "\n    # --- imported from q.gift ---\n    - id: b\n      version: 1\n      domain: x\n      type: true_false\n"
        "      answer: true\n# trailing note\nblueprint: []\n"
    )
