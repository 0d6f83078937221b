"""Every string the hub shows through t() has a Simplified Chinese translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from hub_app.kernel.i18n import _catalog, fmt_date, t

HUB_APP = Path(__file__).resolve().parents[2] / "hub_app"


def _msgids() -> set[str]:
    found = extract_from_dir(str(HUB_APP), method_map=[("**.py", "python")], keywords={"t": None})
    return {msgid for _file, _line, msgid, _comments, _context in found if isinstance(msgid, str)}


def test_every_ui_string_has_a_chinese_translation():
    msgids = _msgids()
    assert len(msgids) > 20
    missing = sorted(m for m in msgids if m not in _catalog("zh"))
    assert missing == [], f"add these to hub_app/locales/zh.po: {missing}"


def test_placeholders_survive_translation():
    assert t("{minutes} minutes", "zh", minutes=45) == "45 分钟"
    assert t("{minutes} minutes", "en", minutes=45) == "45 minutes"


def test_dates_are_formatted_for_the_locale():
    from datetime import date

    assert fmt_date(date(2026, 11, 28), "en") == "Nov 28, 2026"
    assert fmt_date(date(2026, 11, 28), "zh") == "2026年11月28日"
