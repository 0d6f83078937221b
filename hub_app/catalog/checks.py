"""Rules a schema cannot state: unique ids, references that resolve, banks that can fill a blueprint."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from hub_app.catalog.models import BlueprintEntry, Exam, Item, MultipleItem, Program, SingleItem
from hub_app.catalog.source import Loc, YamlSource
from hub_app.kernel.problems import ContentProblem

if TYPE_CHECKING:
    from hub_app.catalog.catalog import Course

T = TypeVar("T")


def _duplicates(ids: Iterable[str], loc_of: Iterable[Loc], source: YamlSource, what: str) -> list[ContentProblem]:
    seen: Counter[str] = Counter()
    out = []
    for item_id, loc in zip(ids, loc_of, strict=True):
        seen[item_id] += 1
        if seen[item_id] == 2:
            out.append(source.problem(loc, f"duplicate {what} id '{item_id}'"))
    return out


def program_problems(program: Program, source: YamlSource) -> list[ContentProblem]:
    """Unique ids and screening weights that add up to 100."""
    out: list[ContentProblem] = []
    for key in ("products", "job_roles", "partner_types", "tiers"):
        records = getattr(program, key)
        out += _duplicates(
            [r.id for r in records],
            [(key, i, "id") for i in range(len(records))],
            source,
            key.rstrip("s").replace("_", " "),
        )
    for i, pt in enumerate(program.partner_types):
        total = sum(c.weight for c in pt.screening)
        if total != 100:
            out.append(
                source.problem(
                    ("partner_types", i, "screening"), f"screening weights of '{pt.id}' add up to {total}, not 100"
                )
            )
    out += _credit_problems(program, source)
    out += _duplicates(
        [r.id for r in program.points.rules],
        [("points", "rules", i, "id") for i in range(len(program.points.rules))],
        source,
        "points rule",
    )
    return out


def _credit_problems(program: Program, source: YamlSource) -> list[ContentProblem]:
    """tier_credit names existing partner types; marketplace requirements have someone to apply to."""
    known = {p.id for p in program.partner_types}
    credit = program.tier_credit
    named: list[tuple[Loc, str]] = [
        (("tier_credit", kind, "partner_types", i), pt)
        for kind in ("implemented_revenue", "influenced_revenue")
        for i, pt in enumerate(getattr(credit, kind).partner_types)
    ]
    named += [
        (("tier_credit", "marketplace_partner_types", i), pt) for i, pt in enumerate(credit.marketplace_partner_types)
    ]
    out = [
        source.problem(loc, f"unknown partner type '{pt}' (program.yml has {', '.join(sorted(known))})")
        for loc, pt in named
        if pt not in known
    ]
    if not credit.marketplace_partner_types:
        for t, tier in enumerate(program.tiers):
            if tier.requirements.marketplace is not None:
                message = "no partner type may use it: list them in tier_credit.marketplace_partner_types"
                out.append(source.problem(("tiers", t, "requirements", "marketplace"), message))
    return out


def exam_problems(exam: Exam, source: YamlSource, lesson_slugs: set[str]) -> list[ContentProblem]:
    """Correct options, domains in the blueprint, banks large enough for what the blueprint draws."""
    return bank_problems(list(enumerate(exam.items)), list(enumerate(exam.blueprint)), source, lesson_slugs)


def salvaged_bank_problems(data: object, source: YamlSource, lesson_slugs: set[str] | None) -> list[ContentProblem]:
    """The checks `exam_problems` makes, on the items and blueprint entries of an exam.yml that failed its
    schema: each entry that validates on its own is checked, so one type error hides nothing else."""
    if not isinstance(data, dict):
        return []
    items = _each_valid(data.get("items"), TypeAdapter(Item).validate_python)
    blueprint = _each_valid(data.get("blueprint"), BlueprintEntry.model_validate)
    complete_items = isinstance(data.get("items"), list) and len(items) == len(data["items"])
    complete_blueprint = isinstance(data.get("blueprint"), list) and len(blueprint) == len(data["blueprint"])
    return bank_problems(
        items,
        blueprint if complete_blueprint else None,
        source,
        lesson_slugs,
        whole_bank=complete_items,
    )


def _each_valid(entries: object, validate: Callable[[object], T]) -> list[tuple[int, T]]:
    if not isinstance(entries, list):
        return []
    valid = []
    for i, entry in enumerate(entries):
        try:
            valid.append((i, validate(entry)))
        except ValidationError:
            continue  # its schema problems are reported already
    return valid


def bank_problems(
    items: list[tuple[int, Any]],
    blueprint: list[tuple[int, BlueprintEntry]] | None,
    source: YamlSource,
    lesson_slugs: set[str] | None,
    whole_bank: bool = True,
) -> list[ContentProblem]:
    """Item and blueprint checks by each entry's own index (`blueprint` None: it is incomplete, so domain
    checks wait; `whole_bank` False: some items failed their schema, so bank sizes wait too)."""
    out = _duplicates([it.id for _, it in items], [("items", i, "id") for i, _ in items], source, "item")
    for i, item in items:
        if isinstance(item, SingleItem | MultipleItem):
            out += _option_problems(item, i, source)
    if blueprint is None:
        return out
    out += _duplicates(
        [b.domain for _, b in blueprint], [("blueprint", i, "domain") for i, _ in blueprint], source, "blueprint domain"
    )
    domains = {b.domain for _, b in blueprint}
    for i, item in items:
        if item.domain not in domains:
            out.append(
                source.problem(
                    ("items", i, "domain"),
                    f"domain '{item.domain}' is not in the blueprint ({', '.join(sorted(domains))})",
                )
            )
    bank = Counter(it.domain for _, it in items)
    for i, entry in blueprint:
        if whole_bank and entry.draw > bank[entry.domain]:
            out.append(
                source.problem(
                    ("blueprint", i, "draw"),
                    f"asks for {entry.draw} items from domain '{entry.domain}' but the bank holds {bank[entry.domain]}",
                )
            )
        for j, slug in enumerate(entry.lessons):
            if lesson_slugs is not None and slug not in lesson_slugs:
                loc = ("blueprint", i, "lessons", j)
                out.append(source.problem(loc, f"unknown lesson '{slug}' (not in course.yml)"))
    return out


def _option_problems(item: SingleItem | MultipleItem, index: int, source: YamlSource) -> list[ContentProblem]:
    correct = sum(o.correct for o in item.options)
    loc = ("items", index, "options")
    if correct == 0:
        return [source.problem(loc, "no correct option (mark one with correct: true)")]
    if item.type == "single" and correct > 1:
        return [
            source.problem(
                loc,
                f"{correct} options are marked correct; a single-choice item takes exactly one "
                "(use type: multiple for more)",
            )
        ]
    return []


def catalog_problems(
    program: Program, source: YamlSource, courses: list[Course], unreadable: AbstractSet[str] = frozenset()
) -> list[ContentProblem]:
    """References between courses and program.yml resolve; prerequisites have no cycle.

    References to `unreadable` courses (already reported) are not reported again."""
    out: list[ContentProblem] = []
    out += (
        _duplicates([c.id for c in courses], [("id",)] * len(courses), courses[0].source, "course")
        if len({c.id for c in courses}) != len(courses)
        else []
    )
    for course in courses:
        out += _reference_problems(program, course, {c.id for c in courses} | unreadable)
    out += _cycle_problems(courses)
    out += _tier_problems(program, source, {c.id: c for c in courses}, unreadable)
    return out


def _reference_problems(program: Program, course: Course, course_ids: set[str]) -> list[ContentProblem]:
    meta, src = course.meta, course.source
    known = {
        "product": {p.id for p in program.products},
        "partner_types": {p.id for p in program.partner_types},
        "roles": {r.id for r in program.job_roles},
    }
    out = []
    if meta.product not in known["product"]:
        out.append(
            src.problem(
                ("product",),
                f"unknown product '{meta.product}' (program.yml has {', '.join(sorted(known['product']))})",
            )
        )
    for key, values in (("partner_types", meta.audience.partner_types), ("roles", meta.audience.roles)):
        for i, value in enumerate(values):
            if value not in known[key]:
                what = "partner type" if key == "partner_types" else "role"
                out.append(
                    src.problem(
                        ("audience", key, i),
                        f"unknown {what} '{value}' (program.yml has {', '.join(sorted(known[key]))})",
                    )
                )
    for i, prereq in enumerate(meta.prerequisites):
        if prereq not in course_ids:
            out.append(src.problem(("prerequisites", i), f"unknown course '{prereq}'"))
    return out + _practice_problems(course, course_ids)


def _practice_problems(course: Course, course_ids: set[str]) -> list[ContentProblem]:
    meta, src = course.meta, course.source
    if meta.practice_for is None:
        return []
    if meta.practice_for not in course_ids:
        return [src.problem(("practice_for",), f"unknown course '{meta.practice_for}'")]
    if course.exam is not None and not course.exam.practice:
        return [src.problem(("practice_for",), "a practice course's exam.yml needs practice: true")]
    return []


def _cycle_problems(courses: list[Course]) -> list[ContentProblem]:
    graph = {c.id: list(c.meta.prerequisites) for c in courses}
    by_id = {c.id: c for c in courses}
    reported: set[frozenset[str]] = set()
    out = []

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            cycle = path[path.index(node) :] + [node]
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                src = by_id[cycle[0]].source
                out.append(src.problem(("prerequisites",), f"prerequisite cycle: {' -> '.join(cycle)}"))
            return
        for nxt in graph.get(node, []):
            visit(nxt, [*path, node])

    for course_id in sorted(graph):
        visit(course_id, [])
    return out


def _tier_problems(
    program: Program, source: YamlSource, courses: dict[str, Course], unreadable: AbstractSet[str]
) -> list[ContentProblem]:
    out = []
    certifying = sorted(cid for cid, c in courses.items() if c.certification is not None)
    types = {p.id for p in program.partner_types}
    for t, tier in enumerate(program.tiers):
        for r, req in enumerate(tier.requirements.certifications):
            for k, pt in enumerate(req.partner_types):
                if pt not in types:
                    loc = ("tiers", t, "requirements", "certifications", r, "partner_types", k)
                    out.append(
                        source.problem(loc, f"unknown partner type '{pt}' (program.yml has {', '.join(sorted(types))})")
                    )
            for k, course_id in enumerate(req.courses):
                if course_id not in certifying and course_id not in unreadable:
                    out.append(
                        source.problem(
                            ("tiers", t, "requirements", "certifications", r, "courses", k),
                            f"unknown certification '{course_id}' (courses that certify: "
                            f"{', '.join(certifying) or 'none'})",
                        )
                    )
    return out
