"""The floors of DESIGN.md, read from every import statement in hub_app (function-level ones too).

Floors, bottom up: kernel → store, catalog → partners, publishing, notifications → certification →
recognition, tiers → learning, deals, funds, community → interchange, ui, demo → cli. A room imports
rooms of lower floors only: rooms on the same floor stay independent of each other (none needs
another today, and DESIGN draws no arrow between them), nothing imports a floor above its own.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

HUB = Path(__file__).resolve().parent.parent / "hub_app"

FLOORS = (
    ("kernel",),
    ("store", "catalog"),
    ("partners", "publishing", "notifications"),
    ("certification",),
    ("recognition", "tiers"),
    ("learning", "deals", "funds", "community"),
    ("interchange", "ui", "demo"),
    ("cli",),
    ("app",),  # the Streamlit router: the entry point, above every room
)
FLOOR = {room: level for level, rooms in enumerate(FLOORS) for room in rooms}
# Imports between rooms of one floor, each one way only (so no cycle): notifications addresses people in
# their language, which partners' records hold; funds allocate a share of last quarter's won deal revenue
# at the tier a partner held then (deals' commissions know that tier).
BESIDE = {("notifications", "partners"), ("funds", "deals")}


@dataclass(frozen=True)
class Import:
    importer: Path  # relative to hub_app/
    module: str  # dotted, absolute
    line: int

    @property
    def room(self) -> str:
        """The room of the imported module: the package under hub_app, or "" for hub_app itself."""
        parts = self.module.split(".")
        return parts[1] if len(parts) > 1 else ""

    def __str__(self) -> str:
        return f"hub_app/{self.importer}:{self.line} imports {self.module} ({_file_of(self.module)})"


def _room_of(path: Path) -> str:
    return path.parts[0] if len(path.parts) > 1 else path.stem


def _module_name(path: Path) -> str:
    parts = ("hub_app", *path.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _file_of(module: str) -> str:
    """The file that defines a dotted module (or the package it names), relative to the repository."""
    parts = module.split(".")
    if parts[0] != "hub_app":
        return module
    base = HUB.parent.joinpath(*parts)
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return str(candidate.relative_to(HUB.parent))
    return str(base.relative_to(HUB.parent))


def _is_module(module: str) -> bool:
    base = HUB.parent.joinpath(*module.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _imports_of(path: Path) -> list[Import]:
    relative = path.relative_to(HUB)
    name = _module_name(relative)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [Import(relative, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                base = node.module or ""
            # `from hub_app import store` imports the module hub_app.store, not the package hub_app.
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                module = submodule if _is_module(submodule) else base
                found.append(Import(relative, module, node.lineno))
    return found


ALL = [i for path in sorted(HUB.rglob("*.py")) for i in _imports_of(path)]
OURS = [i for i in ALL if i.module == "hub_app" or i.module.startswith("hub_app.")]


def _streamlit(i: Import) -> bool:
    return i.module == "streamlit" or i.module.startswith("streamlit.")


def test_the_reader_sees_function_level_and_relative_imports():
    # The guard is only as good as its reader: a lazy import inside a function counts too.
    lazy = [i for i in OURS if str(i.importer) == "ui/web/context.py" and i.module == "hub_app.store"]
    assert lazy, "ui/web/context.py imports hub_app.store inside a function"


def test_kernel_imports_nothing_of_hub_app():
    wrong = [str(i) for i in OURS if _room_of(i.importer) == "kernel" and i.room != "kernel"]
    assert wrong == []


def test_store_imports_only_the_kernel():
    wrong = [str(i) for i in OURS if _room_of(i.importer) == "store" and i.room not in ("store", "kernel")]
    assert wrong == []


def test_contexts_never_import_ui_cli_or_demo():
    contexts = {room for room, level in FLOOR.items() if 0 < level < FLOOR["ui"]}
    wrong = [str(i) for i in OURS if _room_of(i.importer) in contexts and i.room in ("ui", "cli", "demo", "app")]
    assert wrong == []


def test_every_module_lives_in_a_room_of_the_design():
    rooms = {_room_of(p.relative_to(HUB)) for p in HUB.rglob("*.py")}
    assert sorted(rooms - set(FLOOR) - {"__init__"}) == []


def test_hub_app_has_no_top_level_module_but_the_router_and_the_package():
    top = sorted(p.name for p in HUB.glob("*.py"))
    assert top == ["__init__.py", "app.py"]


def test_nothing_imports_a_floor_above_its_own_or_beside_it():
    wrong = []
    for i in OURS:
        mine, theirs = _room_of(i.importer), i.room
        if mine == theirs or theirs == "":
            continue
        if FLOOR[theirs] > FLOOR[mine]:
            wrong.append(f"{i}: {theirs} is above {mine}")
        elif FLOOR[theirs] == FLOOR[mine] and (mine, theirs) not in BESIDE:
            wrong.append(f"{i}: {theirs} and {mine} share a floor")
    assert wrong == []


def test_only_ui_and_the_router_import_streamlit():
    wrong = [str(i) for i in ALL if _streamlit(i) and _room_of(i.importer) not in ("ui", "app")]
    assert wrong == []


@pytest.mark.parametrize("folder", ["ui/views", "ui/words"])
def test_page_models_and_words_do_not_import_streamlit(folder):
    wrong = [str(i) for i in ALL if _streamlit(i) and str(i.importer).startswith(folder + "/")]
    assert wrong == []


def test_a_failure_names_the_importer_and_the_imported_file():
    # What a reader of a failing test sees: both files, so the fix starts without a search.
    example = Import(Path("tiers/reviews.py"), "hub_app.recognition.points", 20)
    assert str(example) == (
        "hub_app/tiers/reviews.py:20 imports hub_app.recognition.points (hub_app/recognition/points.py)"
    )
