"""Leaderboards: windows in the program's time zone, competition ranking, privacy, company averages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hub_cast import T0, certify, company, give_points, person, real_catalog, staff
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub_app.kernel.calendar import window_bounds
from hub_app.kernel.ids import new_id
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import COMPANIES
from hub_app.recognition import leaderboards
from hub_app.recognition import records as recognition_records
from hub_app.recognition.leaderboards import UnknownWindow
from hub_app.recognition.records import LEDGER, LedgerEntry
from hub_app.store.memory import MemoryStore
from hub_app.store.tinydb.backend import TinyDBStore

PROGRAM = real_catalog().program


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def _board(actor, store, window="month", **kw):
    return leaderboards.people_board(actor, store, PROGRAM, window, T0, **kw)


def test_tied_users_share_rank_and_next_rank_skips(store):
    acme = company(store, "Acme")
    ana, bob, cat, dan = (person(store, acme, n) for n in ("Ana", "Bob", "Cat", "Dan"))
    for user, pts in ((ana, 300), (bob, 200), (cat, 200), (dan, 100)):
        give_points(store, user, pts)
    board = _board(ana, store)
    assert [(r.rank, r.points) for r in board.rows] == [(1, 300), (2, 200), (2, 200), (4, 100)]


def test_opted_out_user_is_anonymous_but_keeps_rank(store):
    acme = company(store, "Acme")
    ana, shy = person(store, acme, "Ana"), person(store, acme, "Shy", opt_out=True)
    give_points(store, shy, 500)
    give_points(store, ana, 100)
    board = _board(ana, store)
    rows = [(r.rank, r.name, r.points, r.id) for r in board.rows]
    assert rows == [(1, None, 500, None), (2, "Ana", 100, ana.id)]


def test_opted_out_user_sees_own_name_on_own_row(store):
    shy = person(store, company(store, "Acme"), "Shy", opt_out=True)
    give_points(store, shy, 50)
    assert _board(shy, store).you.name == "Shy"


def test_opted_out_company_is_anonymous_on_both_boards_but_keeps_rank(store):
    hidden = company(store, "Hidden", opt_out=True)
    acme = company(store, "Acme")
    give_points(store, person(store, hidden, "Hal"), 900)
    ana = person(store, acme, "Ana")
    give_points(store, ana, 100)
    companies = leaderboards.company_board(ana, store, PROGRAM, "month", T0)
    assert [(r.rank, r.name, r.points) for r in companies.rows] == [(1, None, 900), (2, "Acme", 100)]
    hidden = _board(ana, store).rows[0]
    assert (hidden.name, hidden.company, hidden.company_hidden) == ("Hal", None, False)


def test_an_opted_out_companys_people_are_not_narrowed_down_by_filters(store):
    hidden = company(store, "Hidden", opt_out=True)
    acme = company(store, "Acme")
    hal = person(store, hidden, "Hal")
    give_points(store, hal, 900)
    ana = person(store, acme, "Ana")
    type_of_hidden = store.get(COMPANIES, hidden.id).type
    board = leaderboards.people_board(ana, store, PROGRAM, "month", T0, partner_type=type_of_hidden)
    assert "Hal" not in [r.name for r in board.rows]
    own = leaderboards.people_board(hal, store, PROGRAM, "month", T0, partner_type=type_of_hidden)
    assert own.rows[0].name == "Hal"  # the company's own people still find themselves


def test_callers_own_row_and_rank_come_back_outside_the_top_n(store):
    acme = company(store, "Acme")
    people = [person(store, acme, f"P{i}") for i in range(5)]
    for i, user in enumerate(people):
        give_points(store, user, 100 - i)
    board = _board(people[4], store, top_n=2)
    assert len(board.rows) == 2
    assert (board.you.rank, board.you.points, board.you.you) == (5, 96, True)


def test_caller_without_points_is_ranked_after_everyone_with_points(store):
    acme = company(store, "Acme")
    give_points(store, person(store, acme, "Ana"), 10)
    newcomer = person(store, acme, "New")
    assert (_board(newcomer, store).you.rank, _board(newcomer, store).you.points) == (2, 0)


def test_inactive_users_are_left_off_the_board(store):
    acme = company(store, "Acme")
    ana, gone = person(store, acme, "Ana"), person(store, acme, "Gone", active=False)
    give_points(store, gone, 999)
    give_points(store, ana, 1)
    assert [r.name for r in _board(ana, store).rows] == ["Ana"]


def test_month_window_follows_the_program_time_zone(store):
    ana = person(store, company(store, "Acme"), "Ana")
    give_points(store, ana, 7, datetime(2026, 2, 28, 17, 0, tzinfo=UTC))  # 1 March 01:00 in Singapore
    give_points(store, ana, 3, datetime(2026, 2, 28, 15, 59, tzinfo=UTC))  # 28 February 23:59 in Singapore
    assert _board(ana, store, "month").you.points == 7
    assert _board(ana, store, "quarter").you.points == 10


@pytest.mark.parametrize(("window", "expected"), [("month", 1), ("quarter", 7), ("year", 39), ("all", 63)])
def test_each_window_is_the_calendar_period_containing_now(store, window, expected):
    ana = person(store, company(store, "Acme"), "Ana")
    for pts, at in (
        (1, T0),
        (2, datetime(2026, 1, 5, tzinfo=UTC)),
        (4, datetime(2025, 12, 31, 17, tzinfo=UTC)),  # 1 January 2026 01:00 in Singapore
        (8, datetime(2025, 12, 31, 15, tzinfo=UTC)),  # 31 December 2025 23:00 in Singapore
        (16, datetime(2024, 6, 1, tzinfo=UTC)),
        (32, datetime(2026, 7, 1, tzinfo=UTC)),
    ):
        give_points(store, ana, pts, at)
    assert _board(ana, store, window).you.points == expected


def test_filters_by_partner_type_and_region(store):
    si = company(store, "Si Co", type="si", region="apac")
    var = company(store, "Var Co", type="var", region="emea")
    ana, bob = person(store, si, "Ana"), person(store, var, "Bob")
    give_points(store, ana, 10)
    give_points(store, bob, 20)
    assert [r.name for r in _board(ana, store, partner_type="var").rows] == ["Bob"]
    assert [r.name for r in _board(ana, store, region="apac").rows] == ["Ana"]
    assert _board(ana, store, partner_type="var").you is None  # Ana is not on the VAR board


def test_company_rows_show_total_and_average_per_certified_member(store):
    acme = company(store, "Acme")
    ana, bob, cat = person(store, acme, "Ana"), person(store, acme, "Bob"), person(store, acme, "Cat")
    certify(store, ana, "qs-fundamentals")
    certify(store, bob, "qs-sales-pro", issued=T0 - timedelta(days=800))  # expired: Bob is not certified
    for user in (ana, bob, cat):
        give_points(store, user, 100)
    row = leaderboards.company_board(cat, store, PROGRAM, "month", T0).rows[0]
    assert (row.points, row.certified_members, row.average, row.you) == (300, 1, 300.0, True)


def test_board_catches_up_with_entries_appended_since_the_last_call(store):
    ana = person(store, company(store, "Acme"), "Ana")
    give_points(store, ana, 5)
    assert _board(ana, store).you.points == 5
    give_points(store, ana, 6)
    assert _board(ana, store).you.points == 11


def test_reversal_lowers_the_total_in_the_window_it_is_made(store):
    ana = person(store, company(store, "Acme"), "Ana")
    entry = give_points(store, ana, 50, T0 - timedelta(days=40))
    store.append(LEDGER, LedgerEntry(new_id(), ana.id, ana.company_id, "reversal", -50, T0, "rev", reverses=entry.id))
    assert (_board(ana, store, "month").you.points, _board(ana, store, "all").you.points) == (-50, 0)


def test_unknown_window_is_refused_with_the_known_ones(store):
    ana = person(store, company(store, "Acme"), "Ana")
    with pytest.raises(UnknownWindow) as e:
        _board(ana, store, "week")
    assert str(e.value) == "Unknown leaderboard window 'week'. Use one of: month, quarter, year, all."


def test_deactivated_user_cannot_see_leaderboards(store):
    gone = person(store, company(store, "Acme"), "Gone", active=False)
    with pytest.raises(NotAllowed) as e:
        _board(gone, store)
    assert str(e.value) == (
        "You (gone@acme.io) are not allowed to see leaderboards. "
        "Ask your channel manager or a program admin if you need this."
    )


def test_points_history_gives_points_per_month_in_the_program_time_zone(store):
    acme = company(store, "Acme")
    ana = person(store, acme, "Ana")
    give_points(store, ana, 7, datetime(2026, 2, 28, 17, 0, tzinfo=UTC))
    give_points(store, ana, 3, datetime(2026, 1, 10, tzinfo=UTC))
    history = leaderboards.points_history(ana, store, PROGRAM, user_id=ana.id, months=3, now=T0)
    assert history == [("2026-01", 3), ("2026-02", 0), ("2026-03", 7)]
    by_company = leaderboards.points_history(ana, store, PROGRAM, company_id=acme.id, months=1, now=T0)
    assert by_company == [("2026-03", 7)]


def test_partner_user_cannot_chart_another_persons_points(store):
    acme = company(store, "Acme")
    ana, bob = person(store, acme, "Ana"), person(store, acme, "Bob")
    with pytest.raises(NotAllowed):
        leaderboards.points_history(ana, store, PROGRAM, user_id=bob.id, now=T0)


def test_channel_manager_charts_only_their_own_partners(store):
    cm, other = staff(store, "Cm", "channel_manager"), staff(store, "Other", "channel_manager")
    acme = company(store, "Acme", manager=cm)
    assert leaderboards.points_history(cm, store, PROGRAM, company_id=acme.id, months=1, now=T0) == [("2026-03", 0)]
    with pytest.raises(NotAllowed):
        leaderboards.points_history(other, store, PROGRAM, company_id=acme.id, now=T0)


def test_the_ledger_cursor_returns_what_was_appended_since_in_append_order(store):
    ana = person(store, company(store, "Acme"), "Ana")
    first = give_points(store, ana, 1, T0)
    after_first = store.after(LEDGER).cursor
    second = give_points(store, ana, 2, T0 - timedelta(days=9))  # appended later, dated earlier
    assert store.count(LEDGER) == 2
    assert store.after(LEDGER).entries == [first, second]
    assert store.after(LEDGER, after_first).entries == [second]
    assert store.after(LEDGER, store.after(LEDGER).cursor).entries == []


# --- property: totals are the ledger summed over the window ----------------------------------------

ZONES = ["Asia/Singapore", "America/New_York", "Europe/London", "Pacific/Chatham"]
# Instants around month ends, where a UTC date and a local date disagree.
instants = st.builds(
    lambda month, day_offset, minutes: (
        datetime(2025, month, 1, tzinfo=UTC) + timedelta(days=day_offset, minutes=minutes)
    ),
    st.integers(1, 12),
    st.integers(-2, 1),
    st.integers(0, 24 * 60 - 1),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(ZONES),
    entries=st.lists(st.tuples(st.integers(0, 3), st.integers(-50, 200), instants), max_size=40),
    window=st.sampled_from(["month", "quarter", "year", "all"]),
    now=instants,
)
def test_leaderboard_totals_equal_the_ledger_summed_over_the_window(zone, entries, window, now):
    program = PROGRAM.model_copy(update={"program": PROGRAM.program.model_copy(update={"timezone": zone})})
    store = MemoryStore()
    firm = company(store, "Acme")
    people = [person(store, firm, f"P{i}") for i in range(4)]
    for who, pts, at in entries:
        give_points(store, people[who], pts, at)
        leaderboards.people_board(people[0], store, program, window, now)  # caught up entry by entry
    since, until = (None, None) if window == "all" else window_bounds(window, now, zone)
    ledger = recognition_records.ledger(store, since, until)
    board = leaderboards.people_board(people[0], store, program, window, now)
    shown = {r.id: r.points for r in board.rows}
    for user in people:
        expected = sum(e.points for e in ledger if e.user_id == user.id)
        assert shown.get(user.id, 0) == expected
    companies = leaderboards.company_board(people[0], store, program, window, now)
    assert sum(r.points for r in companies.rows) == sum(e.points for e in ledger)


# Any offset and fractions of a second: entries in UTC take the text fast path, the others are parsed.
offsets = st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))])
any_instants = st.builds(
    lambda at, micro, zone: (at + timedelta(microseconds=micro)).astimezone(zone),
    instants,
    st.sampled_from([0, 1, 999_999]),
    offsets,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    zone=st.sampled_from(ZONES),
    entries=st.lists(st.tuples(st.integers(0, 2), st.integers(-50, 200), any_instants), max_size=30),
    window=st.sampled_from(["month", "quarter", "year"]),
    now=instants,
)
def test_tinydb_totals_equal_the_ledger_summed_over_the_window_whatever_the_offsets(
    tmp_path_factory, zone, entries, window, now
):
    program = PROGRAM.model_copy(update={"program": PROGRAM.program.model_copy(update={"timezone": zone})})
    store = TinyDBStore(tmp_path_factory.mktemp("hub") / "hub.json")
    try:
        firm = company(store, "Acme")
        people = [person(store, firm, f"P{i}") for i in range(3)]
        for who, pts, at in entries:
            give_points(store, people[who], pts, at)
        since, until = window_bounds(window, now, zone)
        ledger = recognition_records.ledger(store, since, until)
        shown = {r.id: r.points for r in leaderboards.people_board(people[0], store, program, window, now).rows}
        for user in people:
            assert shown.get(user.id, 0) == sum(e.points for e in ledger if e.user_id == user.id)
    finally:
        store.close()
