"""Dates, times, numbers and durations as the reader's language writes them, in the reader's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time, get_datetime_format

from hub_app.kernel.i18n import fmt_date, fmt_number

_LOCALE = {"en": "en_US", "zh": "zh_Hans_CN"}


def zone(name: str | None, fallback: str) -> ZoneInfo:
    """The named time zone, or the fallback (the program's) when it is missing or unknown."""
    try:
        return ZoneInfo(name or fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(fallback)


def day(value: datetime | date, lang: str, tz: ZoneInfo) -> str:
    """A date: Nov 28, 2026 / 2026年11月28日."""
    return fmt_date(value.astimezone(tz) if isinstance(value, datetime) else value, lang)


def moment(value: datetime, lang: str, tz: ZoneInfo) -> str:
    """A date and time to the minute, with the zone: Nov 28, 2026, 5:00 PM (Asia/Singapore)."""
    local = value.astimezone(tz)
    locale = _LOCALE.get(lang, "en_US")
    text = str(get_datetime_format("medium", locale=locale)).format(
        format_time(local, "short", locale=locale), format_date(local, "medium", locale=locale)
    )
    return f"{text} ({tz.key})"


def clock(value: datetime, lang: str, tz: ZoneInfo) -> str:
    """A time of day with the zone: 5:00 PM (Asia/Singapore)."""
    return f"{format_time(value.astimezone(tz), 'short', locale=_LOCALE.get(lang, 'en_US'))} ({tz.key})"


def number(value: float, lang: str) -> str:
    """A number with the locale's grouping."""
    return fmt_number(value, lang)


def percent(value: float, lang: str) -> str:
    """A score such as 83.3 %."""
    return f"{fmt_number(round(value, 1), lang)} %"
