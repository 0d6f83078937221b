"""Every string the hub shows through t(), every error and every domain message has a Simplified Chinese
translation with the same placeholders."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from string import Formatter

from babel.messages.extract import extract_from_dir

import hub_app
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import _catalog, catalog_files, fmt_date, fmt_list, read_catalog_file, t

HUB_APP = Path(__file__).resolve().parents[2] / "hub_app"
# t(msgid, ...) on pages; Message(msgid, ...) in the domain; require(allowed, actor, msgid, ...) names an action.
KEYWORDS = {"t": None, "Message": None, "require": (3,)}


def _msgids() -> set[str]:
    found = extract_from_dir(str(HUB_APP), method_map=[("**.py", "python")], keywords=KEYWORDS)
    return {msgid for _file, _line, msgid, _comments, _context in found if isinstance(msgid, str)}


def _error_classes() -> list[type[HubError]]:
    """Every HubError subclass of hub_app: each module imported (but those that run on import: pages, mains)."""
    for module in pkgutil.walk_packages(hub_app.__path__, "hub_app."):
        runs = module.name.startswith("hub_app.ui.pages") or module.name.endswith(("hub_app.app", "__main__"))
        if not runs:
            importlib.import_module(module.name)
    found, todo = [], [HubError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def test_every_ui_string_has_a_chinese_translation():
    msgids = _msgids()
    assert len(msgids) > 20
    missing = sorted(m for m in msgids if m not in _catalog("zh"))
    assert missing == [], f"add these to hub_app/kernel/locales/zh/<room>.po: {missing}"


def test_every_error_has_a_chinese_translation_with_the_same_placeholders():
    classes = _error_classes()
    assert len(classes) > 45
    missing = sorted(f"{c.__module__}.{c.__name__}" for c in classes if c.msgid not in _catalog("zh"))
    assert missing == [], f"add the msgid of these errors to hub_app/kernel/locales/zh/<room>.po: {missing}"


def test_every_declared_kind_and_unique_index_is_named_in_chinese():
    # DuplicateRecord / RecordNotFound word the kind ("user", "user with email") through its zh term.
    names = set()
    for module in pkgutil.walk_packages(hub_app.__path__, "hub_app."):
        if module.name.endswith(".records"):
            for kind in importlib.import_module(module.name).KINDS:
                names.add(kind.name)
                names.update(f"{kind.name} with {index.name}" for index in kind.indexes if index.unique)
    assert len(names) > 10
    missing = sorted(name for name in names if name not in _catalog("zh"))
    assert missing == [], f"add these kind names to hub_app/kernel/locales/zh/<room>.po: {missing}"


def test_each_msgid_is_translated_in_one_catalog_file_only():
    # One catalog file per room keeps parallel work from colliding; a msgid worded in two would let the
    # file order decide which wording a reader sees.
    files = catalog_files("zh")
    assert [f.name for f in files if f.name == "hub.po"] == ["hub.po"]
    seen: dict[str, str] = {}
    twice = []
    for path in files:
        for msgid in read_catalog_file(path, "zh"):
            if msgid in seen:
                twice.append(f"{msgid!r} in {seen[msgid]} and {path.name}")
            seen[msgid] = path.name
    assert twice == []


def test_every_translation_keeps_the_placeholders_of_its_msgid():
    differ = sorted(m for m, zh in _catalog("zh").items() if _placeholders(m) != _placeholders(zh))
    assert differ == [], f"these translations have other placeholders than their msgid: {differ}"


def test_placeholders_survive_translation():
    assert t("{minutes} minutes", "zh", minutes=45) == "45 分钟"
    assert t("{minutes} minutes", "en", minutes=45) == "45 minutes"


def test_dates_are_formatted_for_the_locale():
    from datetime import date

    assert fmt_date(date(2026, 11, 28), "en") == "Nov 28, 2026"
    assert fmt_date(date(2026, 11, 28), "zh") == "2026年11月28日"


def test_lists_are_joined_as_the_language_joins_them():
    assert fmt_list(["Sales", "Technical"], "en") == "Sales, Technical"
    assert fmt_list(["销售", "技术"], "zh") == "销售、技术"
