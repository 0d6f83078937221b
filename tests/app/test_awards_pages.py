"""Awards in the app: the winner's home, the leaderboards page's winners, the console's period close (a
program admin previews, then closes, once) and deals tab; denials for everyone else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import seed
from app_driver import app_as, texts

from hub_app.deals import registration, results
from hub_app.deals.registration import DealForm
from hub_app.recognition import awards
from hub_app.recognition.records import AWARDS
from hub_app.ui.words.markup import shown

PERIOD = "2026-Q3"  # the last quarter that has ended at seed.NOW (Nov 27, 2026)


def _table(at, column: str):
    """The first table on the page with this column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _won(hub, amount="42000", closed=date(2026, 8, 14)):
    program = hub.catalog.program
    form = DealForm(
        customer="Northwind Logistics",
        website="northwind.example",
        country="SG",
        contact_email="buyer@northwind.example",
        products=("flow",),
        seats=40,
        amount=amount,
        currency="USD",
        expected_close=closed,
        stage="proposal",
        meeting_date=closed - timedelta(days=30),
        notes="Pilot agreed.",
    )
    start = seed.NOW - timedelta(days=120)
    deal = registration.register(hub.ana, hub.store, program, form, start)
    registration.submit(hub.ana, hub.store, program, deal.id, start)
    registration.approve(hub.manager, hub.store, program, deal.id, start)
    return registration.close(hub.ana, hub.store, program, deal.id, True, closed, amount, start)


@pytest.fixture
def closed(hub):
    _won(hub)
    program = hub.catalog.program
    facts = results.period_facts(hub.store, program, PERIOD)
    return awards.close_period(hub.admin, hub.store, program, PERIOD, facts, seed.NOW - timedelta(days=50))


def test_the_winners_home_shows_the_award_and_its_reward(hub, closed):
    at = app_as(hub.ana, "home")
    shown = texts(at)
    assert "My awards" in shown
    assert ":material/emoji_events: **Sales champion of the quarter** · 2026-Q3" in shown
    assert "Won by you with 42,000 USD. Reward: 500 points, a badge." in shown


def test_the_winners_home_in_chinese(hub, closed):
    shown = texts(app_as(hub.ana, "home", lang="zh"))
    assert "我的奖项" in shown and "**季度销售冠军** · 2026-Q3" in shown
    assert "由您以 42,000 USD 获得。奖励：500 积分、一枚徽章。" in shown


def test_a_colleague_sees_the_companys_awards_but_not_the_persons(hub, closed):
    shown = texts(app_as(hub.dora, "home"))
    assert "**Best partner of the quarter** · 2026-Q3" in shown
    assert "Sales champion of the quarter" not in shown


def test_before_any_quarter_is_closed_there_is_no_awards_section(hub):
    assert "My awards" not in texts(app_as(hub.ana, "home"))


def test_the_leaderboards_page_lists_the_last_closed_quarters_winners(hub, closed):
    at = app_as(hub.chen, "leaderboards")
    assert "Winners of 2026-Q3" in [s.value for s in at.subheader]
    table = _table(at, "Award")
    first = table.iloc[0].to_dict()
    assert first == {
        "Award": "Sales champion of the quarter",
        "Place": "1",
        "Winner": "Ana Lima · Acme Integrations",
        "Score": "42,000 USD",
        "Reward": "500 points, a badge",
    }


def test_an_opted_out_winner_is_not_named_to_others_but_sees_their_own(hub, closed):
    from dataclasses import replace

    from hub_app.partners.records import USERS

    hub.store.replace(USERS, replace(hub.store.get(USERS, hub.ana.id), leaderboard_opt_out=True))
    others = _table(app_as(hub.chen, "leaderboards"), "Award")
    assert others.iloc[0]["Winner"] == "Anonymous"
    own = _table(app_as(hub.ana, "leaderboards"), "Award")
    assert own.iloc[0]["Winner"] == "★ Ana Lima · Acme Integrations"


def test_a_program_admin_previews_then_closes_a_quarter_once(hub):
    _won(hub)
    at = app_as(hub.admin, "console")
    at.button(key="awards_preview").click().run()
    assert "A preview: nothing is recorded until you close the quarter." in [i.value for i in at.info]
    assert hub.store.count(AWARDS) == 0
    table = _table(at, "Place")
    assert table.iloc[0][["Award", "Place", "Winner"]].tolist() == [
        "Sales champion of the quarter",
        "1",
        "Ana Lima · Acme Integrations",
    ]
    at.button(key="awards_close").click().run()
    assert [s.value for s in at.success] == [f"{PERIOD} is closed: 5 award(s) recorded."]
    count = hub.store.count(AWARDS)
    at.button(key="awards_close").click().run()
    assert f"{PERIOD} was already closed: nothing changed." in [i.value for i in at.info]
    assert hub.store.count(AWARDS) == count == 5


def test_a_channel_manager_cannot_preview_or_close_a_quarter(hub):
    at = app_as(hub.manager, "console")
    at.button(key="awards_preview").click().run()
    assert [shown(e.value) for e in at.error] == [
        "You (cm@quillstack.io) are not allowed to close the period 2026-Q3. "
        "Ask your channel manager or a program admin if you need this."
    ]
    at.button(key="awards_close").click().run()
    assert hub.store.count(AWARDS) == 0


def test_the_period_close_refusal_is_in_chinese(hub):
    at = app_as(hub.manager, "console", lang="zh")
    at.button(key="awards_preview").click().run()
    assert len(at.error) == 1 and "无权结算 2026-Q3" in shown(at.error[0].value)


def test_the_console_deals_tab_counts_states_and_lists_protection_ending_and_expired(hub):
    program = hub.catalog.program
    deal = _won(hub)
    form = DealForm(customer="Soon Ltd", website="soon.example", country="SG", contact_email="a@soon.example")
    start = seed.NOW - timedelta(days=40)
    ending = registration.register(hub.ana, hub.store, program, form, start)
    full = DealForm(**{**form.__dict__, "products": ("flow",), "expected_close": date(2027, 1, 1)})
    full = DealForm(**{**full.__dict__, "meeting_date": date(2026, 10, 1), "notes": "Met."})
    registration.revise(hub.ana, hub.store, program, ending.id, full, start)
    registration.submit(hub.ana, hub.store, program, ending.id, start)
    registration.approve(hub.manager, hub.store, program, ending.id, start)  # silver: 90 days
    at = app_as(hub.manager, "console")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["To decide"] == "0" and metrics["Won"] == "1" and metrics["Approved and protected"] == "1"
    assert "Protection ending in the next 14 days" in [s.value for s in at.subheader]
    assert "No protection ends in the next 14 days." in [i.value for i in at.info]
    assert deal.status == "won"


def test_the_console_deals_tab_shows_what_expired_in_the_last_30_days(hub):
    program = hub.catalog.program
    form = DealForm(
        customer="Gone Ltd",
        website="gone.example",
        country="SG",
        contact_email="a@gone.example",
        products=("flow",),
        expected_close=date(2026, 9, 1),
        meeting_date=date(2026, 5, 1),
        notes="Met.",
    )
    start = seed.NOW - timedelta(days=100)
    deal = registration.register(hub.ana, hub.store, program, form, start)
    registration.submit(hub.ana, hub.store, program, deal.id, start)
    registration.approve(hub.manager, hub.store, program, deal.id, start)
    registration.expire_deals(hub.store, seed.NOW - timedelta(days=5), hub.admin)
    at = app_as(hub.manager, "console")
    expired = _table(at, "Expired on")
    assert expired.iloc[0][["Partner", "Customer", "Status"]].tolist() == ["Acme Integrations", "Gone Ltd", "expired"]
    assert expired.iloc[0]["Expired on"] == "Nov 22, 2026"
