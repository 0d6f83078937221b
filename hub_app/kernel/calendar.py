"""The program's calendar: month, quarter and year windows in the program's time zone, month numbers
and labels ("2026-03"), quarter labels ("2026-Q3") and the dates of tier reviews.

A window starts at local midnight on the 1st of its first month and ends where the next one starts;
bounds are returned in UTC, so a daylight-saving change inside a window moves its end, not its length
in calendar days. Boards, tallies, caps, KPI periods, reviews and the demo all count in these windows.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

Window = Literal["month", "quarter", "year"]
Key = tuple[str, int]  # ("month", months since year 0) / ("quarter", ...) / ("year", y) / ("all", 0)
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}
QUARTER_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")
UTC = ZoneInfo("UTC")


def window_bounds(window: str, at: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The calendar month, quarter or year around `at` in the program's time zone, as UTC bounds."""
    local = at.astimezone(ZoneInfo(timezone))
    first_month = {"month": local.month, "quarter": 3 * ((local.month - 1) // 3) + 1, "year": 1}[window]
    start = local.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start + relativedelta(months=MONTHS_IN[window])
    # Re-attach the zone so a DST change inside the window is honoured at its end.
    return start.astimezone(UTC), end.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def month_of(local: datetime) -> int:
    """The month holding a local time, counted from year 0 (so months subtract and compare)."""
    return local.year * 12 + local.month - 1


def month_start(month: int, zone: ZoneInfo) -> datetime:
    """Local midnight on the 1st of a counted month, in `zone`."""
    return datetime(month // 12, month % 12 + 1, 1, tzinfo=zone)


def month_label(month: int) -> str:
    """A counted month as people write it: '2026-03'."""
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def window_key(window: str, month: int) -> Key:
    """The key of the month, quarter, year or all-time window holding ``month``."""
    return (window, 0 if window == "all" else month // MONTHS_IN[window])


def period_keys(local: datetime) -> tuple[Key, ...]:
    """The window keys a local time falls in, one per window."""
    month = month_of(local)
    return tuple(window_key(window, month) for window in ("month", "quarter", "year", "all"))


def quarter_start(local: datetime) -> datetime:
    """Midnight on the first day of the quarter holding `local`, in `local`'s own zone."""
    first_month = 3 * ((local.month - 1) // 3) + 1
    return local.replace(month=first_month, day=1, hour=0, minute=0, second=0, microsecond=0)


def quarter_label(local: datetime) -> str:
    """The quarter holding a local time, as KPI periods are written: '2026-Q3'."""
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


def months_into_quarter(at: datetime, timezone: str) -> int:
    """1, 2 or 3: the calendar months of the current quarter so far, in the program's time zone."""
    return (at.astimezone(ZoneInfo(timezone)).month - 1) % 3 + 1


def next_review(at: datetime, timezone: str, period_months: int) -> datetime:
    """The start of the review period after the one holding `at` (periods of `period_months`, from January)."""
    zone = ZoneInfo(timezone)
    local = at.astimezone(zone)
    months = (local.month - 1) // period_months * period_months + period_months
    return datetime(local.year + months // 12, months % 12 + 1, 1, tzinfo=zone).astimezone(UTC)
