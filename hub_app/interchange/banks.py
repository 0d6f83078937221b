"""Append imported items to a course's exam.yml: the existing text stays byte for byte, nothing is written
unless every item is good and the whole catalog still loads.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from hub_app.catalog import ContentError, load_catalog
from hub_app.catalog.catalog import Catalog
from hub_app.interchange.drafts import DraftSet, numeral, to_items
from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Items, Lines, Message, Number
from hub_app.kernel.problems import ContentProblem


class ImportRejected(HubError):
    """The file has problems; every one is listed and nothing was written."""

    msgid = "Nothing was imported: {count} problem(s). Fix them and import again.\n{lines}"

    def __init__(self, problems: list[ContentProblem]):
        self.problems = sorted(problems)
        super().__init__(count=Number(len(self.problems)), lines=Lines(self.problems))


class NoSuchBank(HubError):
    msgid = "No course '{course_id}' with an exam bank. Courses with one: {known}."

    def __init__(self, course_id: str, known: list[str]):
        super().__init__(course_id=course_id, known=Items(known))
        self.course_id = course_id


def _bank(catalog: Catalog, course_id: str) -> Path:
    course = catalog.courses.get(course_id)
    if course is None or course.exam is None or course.exam_source is None:
        raise NoSuchBank(course_id, sorted(c.id for c in catalog.courses.values() if c.exam))
    return course.folder / "exam.yml"


def import_items(root: Path, course_id: str, found: DraftSet) -> list[dict[str, Any]]:
    """Append the drafts to the course's bank and return the items written; ImportRejected lists every problem."""
    catalog = load_catalog(root)
    path = _bank(catalog, course_id)
    course = catalog.courses[course_id]
    assert course.exam is not None and course.exam_source is not None
    domains = {b.domain: b.title.en for b in course.exam.blueprint}
    taken = {it.id: course.exam_source.line_of(("items", i, "id")) for i, it in enumerate(course.exam.items)}
    shown = f"courses/{course_id}/exam.yml"
    items = to_items(found, domains, taken, shown)
    if found.problems:
        raise ImportRejected(found.problems)
    if not items:
        raise ImportRejected([ContentProblem.of(found.name, 1, "", Message("the file holds no questions"))])
    text = path.read_bytes().decode("utf-8")
    new_text = appended(text, items, Path(found.name).name)
    _check(root, course_id, new_text)
    _write(path, new_text)
    return items


def appended(text: str, items: list[dict[str, Any]], source: str) -> str:
    """`text` with `items` added at the end of its `items:` list, in the bank's own layout."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert isinstance(node, yaml.MappingNode)  # the catalog loaded this bank a moment ago
    seq = next(v for k, v in node.value if k.value == "items")
    if seq.flow_style or not seq.value:
        raise ImportRejected(
            [
                ContentProblem.of(
                    "exam.yml",
                    seq.start_mark.line + 1,
                    "items",
                    Message("is written in flow style [...]; write it as a block list to import into it"),
                )
            ]
        )
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    first = seq.value[0].start_mark
    indent = lines[first.line].index("-", 0, first.column + 1) if "-" in lines[first.line] else 0
    end = seq.value[-1].end_mark
    cut = end.line + (1 if end.column else 0)
    while cut > first.line + 1 and (not lines[cut - 1].strip() or lines[cut - 1].lstrip().startswith("#")):
        cut -= 1  # blank lines and comments after the last item belong to what follows it
    head = "".join(lines[:cut])
    if head and not head.endswith(("\n", "\r")):
        head += newline
    comment = f"{' ' * indent}# --- imported from {source} ---\n"
    block = comment + "\n\n".join(_render(it, indent) for it in items)
    return head + newline + block.replace("\n", newline) + newline + "".join(lines[cut:])


def _q(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return numeral(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _render(item: dict[str, Any], indent: int) -> str:
    pad, inner = " " * indent, " " * (indent + 2)
    out = [f"{pad}- id: {item['id']}"]
    for key, value in list(item.items())[1:]:
        if isinstance(value, dict):
            out.append(f"{inner}{key}:")
            out += [f"{inner}  {lang}: {_q(text)}" for lang, text in value.items()]
        elif key == "options":
            out.append(f"{inner}options:")
            for option in value:
                out.append(f"{inner}  - text: {{en: {_q(option['text']['en'])}}}")
                if option.get("correct"):
                    out.append(f"{inner}    correct: true")
        elif isinstance(value, list):
            out.append(f"{inner}{key}: [{', '.join(_q(v) for v in value)}]")
        else:
            plain = key in ("domain", "type")  # slugs, written bare like the rest of the bank
            out.append(f"{inner}{key}: {value if plain else _q(value)}")
    return "\n".join(out)


def _check(root: Path, course_id: str, new_text: str) -> None:
    """Load the whole catalog with the new bank in a scratch copy: a problem there stops the import."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        shutil.copy2(root / "program.yml", copy / "program.yml")
        shutil.copytree(root / "courses", copy / "courses")
        (copy / "courses" / course_id / "exam.yml").write_text(new_text, encoding="utf-8", newline="")
        try:
            load_catalog(copy)
        except ContentError as e:
            raise ImportRejected(e.problems) from e


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, so a crash leaves the old bank or the new one, never half of it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".exam.yml.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(tmp, path.stat().st_mode)
    os.replace(tmp, path)
