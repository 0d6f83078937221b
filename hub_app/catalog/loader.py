"""Load program.yml and courses/ into typed objects, reporting every problem at once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ValidationError

from hub_app.catalog import checks
from hub_app.catalog.catalog import Catalog, Course, Lesson
from hub_app.catalog.models import CourseFile, Exam, Program, Text
from hub_app.catalog.source import YamlSource, read_text, read_yaml
from hub_app.kernel.problems import ContentError, ContentProblem

M = TypeVar("M", bound=BaseModel)

_PYDANTIC_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown key (check its spelling; see courses/README.md)",
}


def _validate(model: type[M], source: YamlSource, problems: list[ContentProblem]) -> M | None:
    """Validate a parsed file against its model; each schema error becomes a problem."""
    try:
        return model.model_validate(source.data if source.data is not None else {})
    except ValidationError as e:
        for err in e.errors():
            loc = _clean_loc(err["loc"])
            problems.append(source.problem(loc, _message(err)))
        return None


def _clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # Discriminated unions put the tag (e.g. 'single') into the path; the author never wrote it.
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if i and isinstance(loc[i - 1], int) and part in ("single", "multiple", "true_false", "short_text", "numeric"):
            continue
        out.append(part)
    return tuple(out)


def _message(err: Any) -> str:
    if err["type"] in _PYDANTIC_MESSAGES:
        return _PYDANTIC_MESSAGES[err["type"]]
    msg = str(err["msg"])
    if err["type"] == "union_tag_invalid":
        return "unknown item type (use single, multiple, true_false, short_text or numeric)"
    if err["type"] == "union_tag_not_found":
        return "item has no type (use single, multiple, true_false, short_text or numeric)"
    if not isinstance(err.get("input"), dict | list):
        msg += f" (got {err.get('input')!r})"
    return msg[0].lower() + msg[1:]


def load_program(root: Path, problems: list[ContentProblem]) -> tuple[Program | None, YamlSource | None]:
    """Read and validate program.yml."""
    source = read_yaml(root / "program.yml", "program.yml")
    if isinstance(source, ContentProblem):
        problems.append(source)
        return None, None
    problems.extend(source.problems)
    program = _validate(Program, source, problems)
    if program is not None:
        try:
            ZoneInfo(program.program.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(source.problem(("program", "timezone"), f"unknown time zone '{program.program.timezone}'"))
        problems.extend(checks.program_problems(program, source))
    return program, source


def _lesson(
    course_dir: Path, shown: str, slug: str, index: int, problems: list[ContentProblem], source: YamlSource
) -> Lesson | None:
    path = course_dir / "lessons" / f"{slug}.md"
    if not path.is_file():
        problems.append(source.problem(("lessons", index), f"lesson file {shown}/lessons/{slug}.md is missing"))
        return None
    zh_path = path.with_suffix(".zh.md")
    titles = {
        lang: _title(p, f"{shown}/lessons/{p.name}", problems)
        for lang, p in (("en", path), ("zh", zh_path))
        if p.is_file()
    }
    return Lesson(
        slug, Text(en=titles["en"] or slug, zh=titles.get("zh")), path, zh_path if zh_path.is_file() else None
    )


def _title(path: Path, shown: str, problems: list[ContentProblem]) -> str | None:
    text = read_text(path, shown)
    if isinstance(text, ContentProblem):
        problems.append(text)
        return None
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def load_course(course_dir: Path, root: Path, problems: list[ContentProblem]) -> Course | None:
    """Read one course folder: course.yml, its lessons and exam.yml."""
    shown = course_dir.relative_to(root).as_posix()
    source = read_yaml(course_dir / "course.yml", f"{shown}/course.yml")
    if isinstance(source, ContentProblem):
        problems.append(source)
        return None
    problems.extend(source.problems)
    meta = _validate(CourseFile, source, problems)
    if meta is None:
        _check_exam_alone(course_dir, shown, problems)  # a bad course.yml hides none of its exam's problems
        return None
    if meta.id != course_dir.name:
        problems.append(source.problem(("id",), f"id '{meta.id}' differs from its folder name '{course_dir.name}'"))
    lessons = [_lesson(course_dir, shown, slug, i, problems, source) for i, slug in enumerate(meta.lessons)]
    for slug, n in Counter(meta.lessons).items():
        if n > 1:
            problems.append(source.problem(("lessons",), f"lesson '{slug}' is listed {n} times"))
    exam, exam_source = None, None
    if (course_dir / "exam.yml").exists() or meta.certification is not None:
        exam_file = read_yaml(course_dir / "exam.yml", f"{shown}/exam.yml")
        if isinstance(exam_file, ContentProblem):
            problems.append(exam_file)
        else:
            exam_source = exam_file
            problems.extend(exam_file.problems)
            exam = _validate(Exam, exam_file, problems)
            if exam is not None:
                problems.extend(checks.exam_problems(exam, exam_file, set(meta.lessons)))
            else:  # a type error in one item hides no other item's problems
                problems.extend(checks.salvaged_bank_problems(exam_file.data, exam_file, set(meta.lessons)))
            if exam is not None and exam.practice and meta.certification is not None:
                message = "a practice exam cannot certify; remove practice: true or the course's certification"
                problems.append(exam_file.problem(("practice",), message))
    return Course(meta, [le for le in lessons if le], exam, source, exam_source, course_dir)


def _check_exam_alone(course_dir: Path, shown: str, problems: list[ContentProblem]) -> None:
    if not (course_dir / "exam.yml").is_file():
        return
    exam_file = read_yaml(course_dir / "exam.yml", f"{shown}/exam.yml")
    if isinstance(exam_file, ContentProblem):
        problems.append(exam_file)
        return
    problems.extend(exam_file.problems)
    _validate(Exam, exam_file, problems)
    problems.extend(checks.salvaged_bank_problems(exam_file.data, exam_file, None))


def load_catalog(root: Path | str = ".") -> Catalog:
    """Load program.yml and every course under courses/; raise ContentError listing all problems."""
    root = Path(root)
    problems: list[ContentProblem] = []
    program, program_source = load_program(root, problems)
    courses: list[Course] = []
    unreadable: set[str] = set()  # folders whose course.yml failed: no follow-on "unknown course" noise
    courses_dir = root / "courses"
    for course_dir in sorted(p for p in courses_dir.iterdir() if p.is_dir()) if courses_dir.is_dir() else []:
        course = load_course(course_dir, root, problems)
        if course is not None:
            courses.append(course)
        else:
            unreadable.add(course_dir.name)
    if program is not None and program_source is not None:
        problems.extend(checks.catalog_problems(program, program_source, courses, unreadable))
    if problems:
        raise ContentError(problems)
    assert program is not None
    return Catalog(program, {c.id: c for c in courses}, root)
