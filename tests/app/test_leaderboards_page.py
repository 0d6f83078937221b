"""The leaderboards page: people and company boards, windows, filters, ranks, anonymity, my row, charts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import seed
from app_driver import app_as, texts
from dateutil.relativedelta import relativedelta

from hub_app.kernel.i18n import t
from hub_app.partners import accounts
from hub_app.partners import companies as partners
from hub_app.partners.records import COMPANIES, USERS, user_by_email
from hub_app.recognition import points
from hub_app.recognition.leaderboards import people_board


def _board(at, which: int):
    return at.dataframe[which].value


def _names(frame, column: str = "Name") -> list[str]:
    return list(frame[column])


@pytest.fixture
def rival(hub):
    """Beta Resellers (VAR, EMEA) with ten people of 1,000 points each, managed by the same manager."""
    beta = partners.create_company(
        hub.manager,
        hub.store,
        hub.catalog.program,
        name="Beta Resellers",
        type="var",
        region="emea",
        country="DE",
        now=seed.NOW - relativedelta(years=1),
    )
    for i in range(10):
        person = accounts.create_user(
            hub.manager,
            hub.store,
            email=f"p{i}@beta.example",
            display_name=f"Beta {i:02d}",
            password=seed.PASSWORD,
            company_id=beta.id,
            roles=frozenset({"partner_user"}),
            job_role="sales",
            now=seed.NOW,
        )
        points.adjust(hub.manager, hub.store, person.id, 1000, "Launch campaign", seed.NOW - timedelta(days=1))
    return beta


def test_partner_sees_people_and_company_boards_with_own_rows_marked(hub):
    at = app_as(hub.ana, "leaderboards")
    assert not at.exception
    people, companies = _board(at, 0), _board(at, 1)
    assert list(people.columns) == ["Rank", "Name", "Points", "Company"]
    assert "Ana Lima (you)" in _names(people)
    assert list(companies.columns) == ["Rank", "Company", "Points", "Certified members", "Points per certified member"]
    assert "Acme Integrations (you)" in list(companies["Company"])
    assert "Your rank: 2 with 25 points." in texts(at)


def test_ties_share_a_rank_and_the_next_rank_is_skipped(hub):
    points.adjust(hub.manager, hub.store, hub.chen.id, 25, "Webinar host", seed.NOW)
    points.adjust(hub.manager, hub.store, hub.dora.id, 10, "Survey", seed.NOW)
    people = _board(app_as(hub.ana, "leaderboards"), 0)
    ranks = dict(zip(people["Name"], people["Rank"], strict=True))
    assert ranks == {"Ben Okafor": "1", "Ana Lima (you)": "2", "Chen Wei": "2", "Dora Schmidt": "4"}


def test_company_row_shows_total_and_points_per_certified_member(hub):
    companies = _board(app_as(hub.ana, "leaderboards"), 1)
    row = companies.iloc[0]
    total = int(row["Points"].replace(",", ""))
    assert row["Certified members"] == "2"
    assert row["Points per certified member"] == f"{round(total / 2, 1):g}"


def test_someone_who_opted_out_is_anonymous_to_others_but_sees_their_own_name(hub):
    hub.store.replace(USERS, replace(hub.store.get(USERS, hub.ben.id), leaderboard_opt_out=True))
    seen_by_ana = _names(_board(app_as(hub.ana, "leaderboards"), 0))
    assert "Ben Okafor" not in seen_by_ana and "Anonymous" in seen_by_ana
    seen_by_ben = _names(_board(app_as(hub.store.get(USERS, hub.ben.id), "leaderboards"), 0))
    assert "Ben Okafor (you)" in seen_by_ben and "Anonymous" not in seen_by_ben


def test_an_opted_out_company_is_anonymous_to_other_companies(hub, rival):
    hub.store.replace(COMPANIES, replace(hub.store.get(COMPANIES, hub.acme.id), leaderboard_opt_out=True))
    beta_person = user_by_email(hub.store, "p0@beta.example")
    companies = _board(app_as(beta_person, "leaderboards"), 1)
    assert "Acme Integrations" not in list(companies["Company"]) and "Anonymous" in list(companies["Company"])
    people = _board(app_as(beta_person, "leaderboards"), 0)
    assert "Acme Integrations" not in list(people["Company"]) and "Anonymous" not in list(people["Company"])


def test_my_row_is_shown_below_the_top_rows_when_i_am_outside_them(hub, rival):
    at = app_as(hub.ana, "leaderboards")
    people = _board(at, 0)
    assert len(people) == 12  # the top 10, a gap, and me
    assert list(people.iloc[10]) == ["⋯"] * 4
    assert list(people.iloc[11]) == ["12", "Ana Lima (you)", "25", "Acme Integrations"]


def test_more_rows_take_me_into_the_table(hub, rival):
    at = app_as(hub.ana, "leaderboards")
    at.selectbox(key="lb_rows").set_value(25).run()
    people = _board(at, 0)
    assert "⋯" not in list(people["Rank"]) and "Ana Lima (you)" in _names(people)


def test_partner_type_and_region_filters(hub, rival):
    at = app_as(hub.ana, "leaderboards")
    at.selectbox(key="lb_type").set_value("var").run()
    people = _board(at, 0)
    assert set(people["Company"]) == {"Beta Resellers"}  # Acme is an SI: neither it nor I am listed
    assert "Your rank" not in texts(at)
    at.selectbox(key="lb_type").set_value("")
    at.selectbox(key="lb_region").set_value("apac").run()
    assert set(_board(at, 0)["Company"]) == {"Acme Integrations"}


def test_windows_count_only_their_period(hub):
    points.adjust(hub.manager, hub.store, hub.dora.id, 40, "Last year's summit", seed.NOW - relativedelta(years=1))
    at = app_as(hub.ana, "leaderboards")
    assert "Dora Schmidt" not in _names(_board(at, 0))
    at.segmented_control(key="lb_window").set_value("all").run()
    assert "Dora Schmidt" in _names(_board(at, 0))
    at.segmented_control(key="lb_window").set_value("month").run()
    assert "Dora Schmidt" not in _names(_board(at, 0))


def test_two_charts_of_points_per_month(hub):
    at = app_as(hub.ana, "leaderboards")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2


def test_opt_out_toggle_hides_me_from_others(hub):
    at = app_as(hub.ana, "leaderboards")
    at.toggle(key="lb_opt_out").set_value(True).run()
    assert not at.exception
    assert hub.store.get(USERS, hub.ana.id).leaderboard_opt_out is True
    assert "Others see you as “Anonymous”; you still see your own name and rank." in texts(at)
    board = people_board(hub.ben, hub.store, hub.catalog.program, "quarter", seed.NOW)
    assert "Ana Lima" not in [r.name for r in board.rows]


def test_vendor_staff_see_the_boards_without_a_row_of_their_own(hub):
    at = app_as(hub.manager, "leaderboards")
    assert not at.exception
    assert not any("(you)" in n for n in _names(_board(at, 0)))
    assert not at.get("vega_lite_chart") and not at.toggle


def test_page_in_chinese(hub):
    at = app_as(hub.ana, "leaderboards", lang="zh")
    assert not at.exception
    assert at.title[0].value == t("Leaderboards", "zh") != "Leaderboards"
    assert t("{name} (you)", "zh", name="Ana Lima") in list(_board(at, 0)[t("Name", "zh")])
