"""The commissions and funds pages, per role: a partner sees its own statement and funds (in English and
Chinese), raises a dispute and requests funds; the channel manager answers and pre-approves; a program admin
approves a closed quarter; another company's statement or funds opened by URL are refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import seed
from app_driver import app_as, texts

from hub_app.deals import registration
from hub_app.deals.records import COMMISSIONS, DISPUTES, STATEMENTS
from hub_app.deals.registration import DealForm
from hub_app.funds import allocation, requests
from hub_app.funds.records import REQUESTS
from hub_app.funds.requests import RequestForm
from hub_app.partners import accounts
from hub_app.partners import companies as partners
from hub_app.partners.records import COMPANIES


def _gold(hub):
    hub.store.replace(COMPANIES, replace(hub.store.get(COMPANIES, hub.acme.id), tier="gold"))


def _won(hub, closed=date(2026, 11, 20)):
    program = hub.catalog.program
    form = DealForm(
        "Initech Inc",
        "initech.co.uk",
        "GB",
        "peter@initech.co.uk",
        ("flow",),
        50,
        "20000",
        "USD",
        date(2026, 12, 1),
        "qualified",
        date(2026, 11, 2),
        "Demo done.",
    )
    deal = registration.register(hub.ana, hub.store, program, form, seed.NOW)
    registration.submit(hub.ana, hub.store, program, deal.id, seed.NOW)
    registration.approve(hub.manager, hub.store, program, deal.id, seed.NOW)
    return registration.close(hub.ana, hub.store, program, deal.id, True, closed, "20000", seed.NOW)


def _globex_user(hub):
    globex = partners.create_company(
        hub.admin, hub.store, hub.catalog.program, name="Globex", type="var", region="emea", country="DE", now=seed.NOW
    )
    return accounts.create_user(
        hub.admin,
        hub.store,
        email="gil@globex.example",
        display_name="Gil Globex",
        password=seed.PASSWORD,
        company_id=globex.id,
        roles=frozenset({"partner_user", "partner_admin"}),
        job_role=None,
        now=seed.NOW,
    )


def _funded(hub):
    _gold(hub)
    allocation.allocate(hub.admin, hub.store, hub.catalog.program, "2026-Q4", seed.NOW)


def _request(hub):
    form = RequestForm("webinar", "Automation webinar", date(2026, 12, 3), date(2026, 12, 4), "40", "2000", "50")
    return requests.request(hub.ben, hub.store, hub.catalog.program, form, seed.NOW)


# --- commissions ------------------------------------------------------------------------------------
def test_partner_sees_the_line_of_a_won_deal_on_its_open_statement(hub):
    _gold(hub)
    _won(hub)
    at = app_as(hub.ana, "commissions")
    assert not at.exception
    assert "Statement 2026-Q4 · Acme Integrations" in [s.value for s in at.subheader]
    [metric] = at.metric
    assert (metric.label, metric.value) == ("Total (USD)", "600.00")
    table = at.dataframe[0].value
    assert list(table["Customer"]) == ["Initech Inc"]
    assert list(table["Commission"]) == ["600.00 USD"]
    assert [i.value for i in at.info] == [
        "Open: lines can still be added or disputed until a program admin approves it."
    ]


def test_partner_sees_its_statement_in_chinese(hub):
    _gold(hub)
    _won(hub)
    at = app_as(hub.ana, "commissions", lang="zh")
    assert not at.exception
    assert at.title[0].value == "佣金"
    table = at.dataframe[0].value
    assert list(table["商机类型"]) == ["转售"] and list(table["级别"]) == ["金牌"]


def test_partner_raises_a_dispute_and_an_empty_one_is_refused(hub):
    _gold(hub)
    _won(hub)
    at = app_as(hub.ana, "commissions")
    at.button(key="FormSubmitter:dispute_form-Send to my channel manager").click().run()
    assert [e.value for e in at.error] == ["Write what is wrong with this line: it cannot be empty."]
    assert hub.store.select(DISPUTES) == []
    at.text_area(key="dispute_note").input("The customer took 60 seats.")
    at.button(key="FormSubmitter:dispute_form-Send to my channel manager").click().run()
    assert [s.value for s in at.success] == ["Sent. Your channel manager answers before the statement is approved."]
    assert [d.note for d in hub.store.select(DISPUTES)] == ["The customer took 60 seats."]


def test_channel_manager_answers_a_dispute_and_reverses_the_line(hub):
    _gold(hub)
    _won(hub)
    [line] = hub.store.select(COMMISSIONS)
    from hub_app.deals import commissions

    raised = commissions.dispute(hub.ana, hub.store, line.id, "Wrong amount.", seed.NOW)
    at = app_as(hub.manager, "commissions")
    assert not at.exception
    at.text_area(key=f"answer_text_{raised.id}").input("Agreed: reversed.")
    at.checkbox(key=f"answer_reverse_{raised.id}").check()
    at.button(key=f"FormSubmitter:answer_{raised.id}-Answer").click().run()
    assert [s.value for s in at.success] == ["Answered."]
    assert at.metric[0].value == "0.00"


def test_another_companys_statement_opened_by_url_is_refused(hub):
    _gold(hub)
    _won(hub)
    gil = _globex_user(hub)
    at = app_as(gil, "commissions", company=hub.acme.id)
    assert [e.value for e in at.error] == [
        f"You (gil@globex.example) are not allowed to see the commission statements of company '{hub.acme.id}'. "
        "Ask your channel manager or a program admin if you need this."
    ]
    assert "Initech" not in texts(at)


def test_program_admin_approves_a_closed_quarter_and_the_manager_may_not(hub):
    _gold(hub)
    _won(hub, closed=date(2026, 9, 20))
    at = app_as(hub.manager, "commissions")
    assert not [b for b in at.button if b.label == "Approve this statement"]
    at = app_as(hub.admin, "commissions")
    at.selectbox(key="commissions_period").select("2026-Q3").run()
    at.button(key="statement_approve").click().run()
    assert [s.value for s in at.success] == [
        "Statement approved: it is final now.",
        "Approved on Nov 27, 2026: this statement is final.",
    ]
    assert [s.totals for s in hub.store.select(STATEMENTS)] == [("USD 600.00",)]


# --- funds -------------------------------------------------------------------------------------------
def test_partner_admin_sees_the_balance_and_requests_funds(hub):
    _funded(hub)
    at = app_as(hub.ben, "funds")
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [("Available", "2,500.00 USD")]
    assert at.caption[0].value == (
        "= 2,500.00 USD allocated − 0.00 USD paid − 0.00 USD approved, not paid yet − 0.00 USD pending − "
        "0.00 USD expired"
    )
    at.text_input(key="mdf_title").input("Automation webinar")
    at.date_input(key="mdf_starts").set_value(date(2026, 12, 3))
    at.date_input(key="mdf_ends").set_value(date(2026, 12, 4))
    at.text_input(key="mdf_leads").input("40")
    at.text_input(key="mdf_cost").input("2000")
    at.button(key="FormSubmitter:mdf_request-Request funds").click().run()
    assert [s.value for s in at.success] == [
        "Requested. Your channel manager pre-approves it and names the proof your claim needs."
    ]
    assert at.metric[0].value == "1,500.00 USD"
    assert "1,000.00 USD pending" in at.caption[0].value


def test_a_bad_request_is_refused_with_every_problem_and_nothing_written(hub):
    _funded(hub)
    at = app_as(hub.ben, "funds", lang="zh")
    at.text_input(key="mdf_cost").input("abc")
    at.text_input(key="mdf_share").input("90")
    at.button(key="FormSubmitter:mdf_request-申请资金").click().run()
    assert [e.value for e in at.error] == [
        "MDF 申请无法提交：请用标题描述活动、请填写活动的开始和结束日期、预期线索数“”不是整数、"
        "费用“abc”不是大于 0 的金额、厂商承担比例最多为 50 %（其余由您承担）"
    ]
    assert hub.store.select(REQUESTS) == []


def test_partner_user_sees_the_balance_but_no_request_form(hub):
    _funded(hub)
    at = app_as(hub.ana, "funds")
    assert not at.exception
    assert "Your partner admin requests and claims market development funds." in texts(at)
    assert not [b for b in at.button if b.label == "Request funds"]


def test_channel_manager_pre_approves_naming_the_proof(hub):
    _funded(hub)
    made = _request(hub)
    at = app_as(hub.manager, "funds")
    assert not at.exception
    at.multiselect(key="pre_proofs").select("invoice").select("attendees")
    at.text_input(key="pre_amount").input("800")
    at.button(key=f"FormSubmitter:preapprove_{made.id}-Pre-approve").click().run()
    assert [s.value for s in at.success] == ["Pre-approved."]
    done = hub.store.get(REQUESTS, made.id)
    assert (done.status, str(done.preapproved_amount), done.proofs_required) == (
        "preapproved",
        "800.00",
        ("invoice", "attendees"),
    )


def test_an_unassigned_manager_sees_no_partner_and_other_companies_funds_are_refused(hub):
    _funded(hub)
    other = accounts.create_user(
        hub.admin,
        hub.store,
        email="cm2@quillstack.io",
        display_name="Other CM",
        password=seed.PASSWORD,
        company_id=None,
        roles=frozenset({"channel_manager"}),
        job_role=None,
        now=seed.NOW,
    )
    at = app_as(other, "funds")
    assert [i.value for i in at.info] == ["No partner companies are assigned to you yet."]
    at = app_as(other, "funds", company=hub.acme.id)
    assert [e.value for e in at.error] == [
        f"You (cm2@quillstack.io) are not allowed to see the market development funds of company '{hub.acme.id}'. "
        "Ask your channel manager or a program admin if you need this."
    ]


def test_paid_claims_show_their_reference(hub):
    _funded(hub)
    made = _request(hub)
    program = hub.catalog.program
    requests.preapprove(hub.manager, hub.store, program, made.id, "1000", ("invoice",), "", seed.NOW)
    claimed = replace(hub.store.get(REQUESTS, made.id), status="claimed", claimed_amount=made.amount)
    hub.store.replace(REQUESTS, claimed)
    requests.decide_claim(hub.manager, hub.store, program, made.id, "1000", "", seed.NOW + timedelta(days=1))
    requests.pay(hub.manager, hub.store, made.id, "PAY-0042", seed.NOW + timedelta(days=2))
    at = app_as(hub.ben, "funds")
    assert list(at.dataframe[1].value["Status"]) == ["paid"]
    assert "PAY-0042" in texts(at)
    assert "1,000.00 USD paid" in at.caption[0].value
