"""Translations of the hub's own strings (gettext .po catalogs read with Babel) and locale formatting."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = {"en": "English", "zh": "简体中文"}
_BABEL_LOCALE = {"en": "en_US", "zh": "zh_Hans_CN"}


def catalog_files(lang: str) -> list[Path]:
    """The .po files of `lang`: `locales/<lang>/*.po`, one per room that words things (hub.po is the shared one)."""
    return sorted((LOCALES_DIR / lang).glob("*.po"))


def read_catalog_file(path: Path, lang: str) -> dict[str, str]:
    """The translated, non-fuzzy entries of one .po file."""
    with path.open("rb") as f:
        po = read_po(f, locale=_BABEL_LOCALE.get(lang, lang))
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


@cache
def _catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalog_files(lang):
        merged.update(read_catalog_file(path, lang))
    return merged


def t(msgid: str, lang: str = "en", **values: object) -> str:
    """`msgid` in `lang` (English is the msgid itself), with {placeholders} filled from `values`."""
    text = _catalog(lang).get(msgid, msgid) if lang != "en" else msgid
    return text.format(**values) if values else text


def fmt_date(value: date | datetime, lang: str = "en") -> str:
    """A date as people of `lang` write it (Nov 28, 2026 / 2026年11月28日)."""
    return format_date(value, format="medium", locale=_BABEL_LOCALE.get(lang, "en_US"))


def fmt_datetime(value: datetime, lang: str = "en") -> str:
    """A date and time as people of `lang` write it."""
    return format_datetime(value, format="medium", locale=_BABEL_LOCALE.get(lang, "en_US"))


def fmt_number(value: float, lang: str = "en") -> str:
    """A number with the locale's grouping (1,234,567)."""
    return format_decimal(value, locale=_BABEL_LOCALE.get(lang, "en_US"))


_LIST_SEPARATOR = {"zh": "、"}


def fmt_list(items: list[str], lang: str = "en") -> str:
    """Items joined as `lang` lists them: "a, b, c" / "a、b、c"."""
    return _LIST_SEPARATOR.get(lang, ", ").join(items)
