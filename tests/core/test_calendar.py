"""The program calendar: windows, month and quarter labels and review dates in the program's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from hub_app.kernel import calendar

BERLIN = ZoneInfo("Europe/Berlin")


def test_window_bounds_are_calendar_periods_in_the_time_zone():
    start, end = calendar.window_bounds("quarter", datetime(2026, 5, 20, tzinfo=UTC), "Asia/Singapore")
    assert (start, end) == (datetime(2026, 3, 31, 16, tzinfo=UTC), datetime(2026, 6, 30, 16, tzinfo=UTC))


@pytest.mark.parametrize(
    ("window", "at", "bounds"),
    [
        # Berlin is UTC+1 in winter and UTC+2 in summer (from the last Sunday of March).
        (
            "month",
            datetime(2026, 3, 15, tzinfo=UTC),
            (datetime(2026, 2, 28, 23, tzinfo=UTC), datetime(2026, 3, 31, 22, tzinfo=UTC)),
        ),
        (
            "month",
            datetime(2026, 10, 15, tzinfo=UTC),
            (datetime(2026, 9, 30, 22, tzinfo=UTC), datetime(2026, 10, 31, 23, tzinfo=UTC)),
        ),
        (
            "quarter",
            datetime(2026, 2, 1, tzinfo=UTC),
            (datetime(2025, 12, 31, 23, tzinfo=UTC), datetime(2026, 3, 31, 22, tzinfo=UTC)),
        ),
        (
            "year",
            datetime(2026, 7, 1, tzinfo=UTC),
            (datetime(2025, 12, 31, 23, tzinfo=UTC), datetime(2026, 12, 31, 23, tzinfo=UTC)),
        ),
    ],
)
def test_a_window_ends_where_the_next_starts_across_daylight_saving(window, at, bounds):
    assert calendar.window_bounds(window, at, "Europe/Berlin") == bounds


def test_new_years_eve_in_utc_is_already_next_year_in_singapore():
    at = datetime(2026, 12, 31, 17, tzinfo=UTC)  # 01:00 on 1 January 2027 in Singapore
    start, end = calendar.window_bounds("year", at, "Asia/Singapore")
    assert (start, end) == (datetime(2026, 12, 31, 16, tzinfo=UTC), datetime(2027, 12, 31, 16, tzinfo=UTC))
    assert calendar.quarter_label(at.astimezone(ZoneInfo("Asia/Singapore"))) == "2027-Q1"
    assert calendar.quarter_label(at) == "2026-Q4"


@pytest.mark.parametrize(
    ("local", "label", "start"),
    [
        (datetime(2026, 1, 1, tzinfo=BERLIN), "2026-Q1", datetime(2026, 1, 1, tzinfo=BERLIN)),
        (datetime(2026, 3, 31, 23, 59, tzinfo=BERLIN), "2026-Q1", datetime(2026, 1, 1, tzinfo=BERLIN)),
        (datetime(2026, 8, 15, 12, tzinfo=BERLIN), "2026-Q3", datetime(2026, 7, 1, tzinfo=BERLIN)),
        (datetime(2026, 12, 31, 23, tzinfo=BERLIN), "2026-Q4", datetime(2026, 10, 1, tzinfo=BERLIN)),
    ],
)
def test_quarters_are_labelled_the_way_kpi_periods_are_written(local, label, start):
    assert calendar.quarter_label(local) == label
    assert calendar.quarter_start(local) == start
    assert calendar.QUARTER_LABEL.match(label)


def test_month_numbers_count_across_year_ends():
    december, january = datetime(2025, 12, 31, tzinfo=BERLIN), datetime(2026, 1, 1, tzinfo=BERLIN)
    assert calendar.month_of(january) - calendar.month_of(december) == 1
    assert calendar.month_label(calendar.month_of(december)) == "2025-12"
    assert calendar.month_label(calendar.month_of(january)) == "2026-01"
    assert calendar.month_start(calendar.month_of(january), BERLIN) == january


def test_period_keys_name_the_month_quarter_year_and_all_time_of_a_moment():
    month = calendar.month_of(datetime(2026, 5, 20, tzinfo=BERLIN))
    assert calendar.period_keys(datetime(2026, 5, 20, tzinfo=BERLIN)) == (
        ("month", month),
        ("quarter", month // 3),
        ("year", 2026),
        ("all", 0),
    )


@pytest.mark.parametrize(
    ("at", "months"), [(datetime(2026, 4, 1, tzinfo=UTC), 1), (datetime(2026, 6, 30, tzinfo=UTC), 3)]
)
def test_months_into_quarter_count_the_current_month(at, months):
    assert calendar.months_into_quarter(at, "UTC") == months


def test_months_into_quarter_follow_the_program_zone():
    # 30 June 20:00 UTC is already 1 July in Singapore: the first month of Q3 there.
    assert calendar.months_into_quarter(datetime(2026, 6, 30, 20, tzinfo=UTC), "Asia/Singapore") == 1


@pytest.mark.parametrize(
    ("at", "period_months", "review"),
    [
        (datetime(2026, 5, 20, tzinfo=UTC), 3, datetime(2026, 6, 30, 16, tzinfo=UTC)),
        (datetime(2026, 11, 20, tzinfo=UTC), 3, datetime(2026, 12, 31, 16, tzinfo=UTC)),
        (datetime(2026, 5, 20, tzinfo=UTC), 6, datetime(2026, 6, 30, 16, tzinfo=UTC)),
        (datetime(2026, 8, 20, tzinfo=UTC), 12, datetime(2026, 12, 31, 16, tzinfo=UTC)),
        (datetime(2026, 6, 30, 16, tzinfo=UTC), 3, datetime(2026, 9, 30, 16, tzinfo=UTC)),  # on the day itself
    ],
)
def test_the_next_review_starts_the_next_period_at_local_midnight(at, period_months, review):
    assert calendar.next_review(at, "Asia/Singapore", period_months) == review
