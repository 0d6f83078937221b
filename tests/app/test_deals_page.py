"""The deals page: a partner registers with the pre-check shown, sees only its company's deals and their
history; the channel manager works the queue; a deal of another company opened by URL is refused."""

from __future__ import annotations

from datetime import date

import seed
from app_driver import app_as, texts

from hub_app.deals import registration
from hub_app.deals.records import DEALS
from hub_app.deals.registration import DealForm
from hub_app.partners import accounts
from hub_app.partners import companies as partners


def _form(**changes) -> DealForm:
    values = dict(
        customer="Initech Inc",
        website="https://www.initech.co.uk",
        country="GB",
        contact_email="peter@initech.co.uk",
        products=("flow",),
        seats=50,
        amount="12500",
        currency="USD",
        expected_close=date(2027, 2, 1),
        stage="qualified",
        meeting_date=date(2026, 11, 20),
        notes="Demo done; proposal next.",
    )
    values.update(changes)
    return DealForm(**values)


def _submitted(hub, user):
    deal = registration.register(user, hub.store, hub.catalog.program, _form(), seed.NOW)
    return registration.submit(user, hub.store, hub.catalog.program, deal.id, seed.NOW)


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
        roles=frozenset({"partner_user"}),
        job_role=None,
        now=seed.NOW,
    )


def test_partner_saves_a_draft_and_sees_the_overlap_without_the_partner_named(hub):
    gil = _globex_user(hub)
    _submitted(hub, gil)
    at = app_as(hub.ana, "deals")
    at.text_input(key="deal_customer").input("INITECH Corporation")
    at.text_input(key="deal_website").input("sales.initech.co.uk")
    submit = [b for b in at.button if b.label == "Save draft"][0]
    submit.click().run()
    assert not at.exception
    assert [s.value for s in at.success] == [
        "Draft saved. Check the notices below, then submit it from your registrations."
    ]
    assert [w.value for w in at.warning] == ["Possible overlap — a channel manager will decide."]
    assert "Globex" not in texts(at)


def test_partner_sees_only_its_company_deals_in_chinese(hub):
    gil = _globex_user(hub)
    _submitted(hub, gil)
    mine = _submitted(hub, hub.ana)
    at = app_as(hub.ana, "deals", lang="zh")
    assert not at.exception
    [table, history] = [d.value for d in at.dataframe]
    assert list(table["客户"]) == ["Initech Inc"]
    assert list(table["状态"]) == ["待审批"]
    assert list(history["事项"]) == ["已登记", "提交"]
    assert hub.store.get(DEALS, mine.id).status == "submitted"


def test_a_deal_of_another_company_opened_by_url_is_refused(hub):
    gil = _globex_user(hub)
    theirs = _submitted(hub, gil)
    at = app_as(hub.ana, "deals", deal=theirs.id)
    assert [e.value for e in at.error] == [
        "You (ana@acme.example) are not allowed to see this deal registration. "
        "Ask your channel manager or a program admin if you need this."
    ]
    assert "Demo done" not in texts(at)


def test_channel_manager_approves_from_the_queue(hub):
    deal = _submitted(hub, hub.ana)
    at = app_as(hub.manager, "deals")
    assert not at.exception
    assert list(at.dataframe[0].value["Partner"]) == ["Acme Integrations"]
    [approve] = [b for b in at.button if b.label == "Approve"]
    approve.click().run()
    assert [s.value for s in at.success] == ["Approved: protection starts."]
    assert hub.store.get(DEALS, deal.id).status == "approved"
