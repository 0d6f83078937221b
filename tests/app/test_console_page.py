"""The channel manager console: my partners only, tier proposals, KPIs by form and CSV, points, certificate
revocation and users; and "not allowed" for partners who open it by URL."""

from __future__ import annotations

from datetime import timedelta

import pytest
import seed
from app_driver import app_as, texts

from hub_app.certification import certificates as certification
from hub_app.kernel.ids import new_id
from hub_app.partners import accounts
from hub_app.partners import companies as partners
from hub_app.partners.records import COMPANIES, USERS, user_by_email
from hub_app.recognition import points
from hub_app.recognition.records import ledger_of
from hub_app.tiers.records import PROPOSALS, TierProposal, kpis_of
from hub_app.ui.web import nav
from hub_app.ui.words.markup import shown


@pytest.fixture
def other(hub):
    """A second channel manager with a partner of her own: Zeta Consulting."""
    olivia = accounts.create_user(
        hub.admin,
        hub.store,
        email="olivia@quillstack.io",
        display_name="Olivia Manager",
        password=seed.PASSWORD,
        company_id=None,
        roles=frozenset({"channel_manager"}),
        job_role=None,
        now=seed.NOW,
    )
    return partners.create_company(
        olivia,
        hub.store,
        hub.catalog.program,
        name="Zeta Consulting",
        type="consultant",
        region="emea",
        country="FR",
        now=seed.NOW - timedelta(days=400),
    )


@pytest.fixture
def proposal(hub):
    made = TierProposal(new_id(), hub.acme.id, "silver", "gold", "promote", seed.NOW - timedelta(days=1))
    hub.store.add(PROPOSALS, made)
    return made


def _press(at, label: str, index: int = 0):
    return [b for b in at.button if b.label == label][index].click().run()


def _partners(at) -> list[str]:
    return list(at.dataframe[0].value["Partner"])


@pytest.mark.parametrize("who", ["ana", "ben"])
def test_partners_opening_the_console_by_url_are_told_no_and_see_no_data(hub, who):
    person = getattr(hub, who)
    at = app_as(person, "console")
    assert [e.value for e in at.error] == [
        f"You ({person.email}) are not allowed to open the channel manager console. "
        "Ask your channel manager or a program admin if you need this."
    ]
    assert not at.dataframe and not at.tabs and not at.text_input and not at.get("vega_lite_chart")
    assert [b.label for b in at.button if b.key != "hub_lang_flip"] == ["Sign out"]  # the chrome only
    assert "console" not in [s.url_path for s in nav.PAGES if s.allowed(person)]


def test_the_refusal_is_in_chinese_for_a_chinese_reader(hub):
    at = app_as(hub.ana, "console", lang="zh")
    assert [e.value for e in at.error] == [
        "您（ana@acme.example）无权打开渠道经理控制台。如有需要，请联系您的渠道经理或项目管理员。"
    ]
    assert not at.dataframe


def test_channel_manager_sees_only_their_partners_and_program_admin_sees_all(hub, other):
    assert _partners(app_as(hub.manager, "console")) == ["Acme Integrations"]
    assert _partners(app_as(hub.admin, "console")) == ["Acme Integrations", "Zeta Consulting"]


def test_partner_table_shows_tier_certified_people_points_and_risk(hub):
    at = app_as(hub.manager, "console")
    assert not at.exception
    row = at.dataframe[0].value.to_dict("records")[0]
    assert row == {
        "Partner": "Acme Integrations",
        "Tier": "Silver",
        "Qualifies for": "Silver",
        "At risk": "Dec 27, 2026",
        "Certified people": "2",
        "Points this quarter": row["Points this quarter"],
    }
    assert int(row["Points this quarter"].replace(",", "")) > 0
    assert [w.value for w in at.warning] == ["1 partner(s) may lose their tier before the next review."]
    assert len(at.get("vega_lite_chart")) == 1


def test_approving_a_proposal_moves_the_company(hub, proposal):
    at = app_as(hub.manager, "console")
    assert "**Acme Integrations** · Promotion: Silver → Gold" in texts(at)
    at = _press(at, "Approve")
    assert [s.value for s in at.success] == ["Proposal approved."]
    assert hub.store.get(COMPANIES, hub.acme.id).tier == "gold"
    assert hub.store.get(PROPOSALS, proposal.id).status == "approved"


def test_rejecting_needs_a_note(hub, proposal):
    at = _press(app_as(hub.manager, "console"), "Reject")
    assert [e.value for e in at.error] == [
        "Write a note saying why you reject this proposal; the partner sees it in their tier history."
    ]
    assert hub.store.get(PROPOSALS, proposal.id).status == "pending"
    at.text_input(key=f"note_{proposal.id}").input("Revenue figures unaudited")
    at = _press(at, "Reject")
    assert [s.value for s in at.success] == ["Proposal rejected."]
    decided = hub.store.get(PROPOSALS, proposal.id)
    assert decided.status == "rejected" and decided.note == "Revenue figures unaudited"
    assert hub.store.get(COMPANIES, hub.acme.id).tier == "silver"


def test_another_managers_partner_cannot_be_decided_here(hub, other, proposal):
    foreign = TierProposal(new_id(), other.id, "registered", "silver", "promote", seed.NOW)
    hub.store.add(PROPOSALS, foreign)
    assert "Zeta Consulting" not in texts(app_as(hub.manager, "console"))


def _kpi(at, period="", revenue="", customers="", csat=""):
    at.text_input(key="kpi_period").input(period)
    at.text_input(key="kpi_revenue").input(revenue)
    at.text_input(key="kpi_customers").input(customers)
    at.text_input(key="kpi_csat").input(csat)
    return _press(at, "Save KPIs")


def test_kpi_form_names_every_bad_field_and_writes_nothing(hub):
    before = kpis_of(hub.store, hub.acme.id)
    at = _kpi(app_as(hub.manager, "console"), period="Q4 2026", revenue="lots", customers="2.5", csat="7")
    assert [shown(e.value) for e in at.error] == [
        "Quarter: 'Q4 2026' is not a quarter; write it like 2026-Q3",
        "Revenue, last 12 months: 'lots' is not a number",
        "Customers: must be a whole number (got 2.5)",
        "CSAT (1–5, optional): must be between 1 and 5 (got 7)",
    ]
    assert kpis_of(hub.store, hub.acme.id) == before


def test_kpi_form_records_a_quarter(hub):
    at = _kpi(app_as(hub.manager, "console"), period="2026-q4", revenue="90000", customers="6", csat="")
    assert [s.value for s in at.success] == ["Saved the KPIs of Acme Integrations for 2026-Q4."]
    latest = kpis_of(hub.store, hub.acme.id)[-1]
    assert (latest.period, latest.revenue_12m, latest.customers, latest.csat) == ("2026-Q4", 90000.0, 6, None)


def _upload(at, text: str, name: str = "kpis.csv"):
    at.file_uploader(key="kpi_upload").set_value((name, text.encode(), "text/csv"))
    at.run()
    return next(b for b in at.button if b.label == "Import").click().run()


def test_csv_import_lists_every_bad_row_and_imports_nothing(hub, other):
    before = kpis_of(hub.store, hub.acme.id)
    csv = (
        "company_id,period,revenue_12m,customers,csat\n"
        f"{hub.acme.id},2026-Q4,90000,6,4.5\n"
        f"{hub.acme.id},2026-Q5,abc,6,4.5\n"
        f"{other.id},2026-Q4,1000,1,\n"
        "nope,2026-Q4,1,1,1\n"
    )
    at = _upload(app_as(hub.manager, "console"), csv)
    assert [e.value for e in at.error] == ["Nothing was imported: 4 problem(s) in kpis.csv. Fix them and import again."]
    problems = next(d.value for d in at.dataframe if "Line" in d.value.columns).to_dict("records")
    assert problems == [
        {"Line": 3, "Column": "period", "Problem": "'2026-Q5' is not a quarter; write it like 2026-Q3"},
        {"Line": 3, "Column": "revenue_12m", "Problem": "'abc' is not a number"},
        {"Line": 4, "Column": "company_id", "Problem": "Zeta Consulting is not one of your partners"},
        {"Line": 5, "Column": "company_id", "Problem": "no partner company 'nope'"},
    ]
    assert kpis_of(hub.store, hub.acme.id) == before


def test_csv_import_of_good_rows(hub):
    csv = (
        "company_id,period,revenue_12m,customers,csat\n"
        f"{hub.acme.id},2025-Q4,90000,6,4.5\n"
        f"{hub.acme.id},2026-Q4,95000,7,\n"
    )
    at = _upload(app_as(hub.manager, "console"), csv)
    assert [s.value for s in at.success] == ["Imported 2 row(s) from kpis.csv."]
    assert {k.period for k in kpis_of(hub.store, hub.acme.id)} >= {"2025-Q4", "2026-Q4"}


@pytest.mark.parametrize(
    "data, line, problem",
    [
        (b"\xff\xfe\x00bad", 1, "the file is UTF-16 text; save it as CSV (UTF-8) and import again"),
        (b"company_id,period\n\xe9", 2, "byte 18 is not UTF-8; save the file as CSV (UTF-8) and import again"),
        (
            b"company_id,period,revenue_12m,customers,csat\n" + b'x,2026-Q1,"' + b"9" * 200_000 + b'",1,1\n',
            2,
            "a field is longer than 131,072 characters",
        ),
    ],
    ids=["utf-16", "bad-utf-8", "field-over-the-limit"],
)
def test_a_file_that_is_not_utf8_csv_is_refused_by_its_line_without_a_traceback(hub, data, line, problem):
    at = app_as(hub.manager, "console")
    at.file_uploader(key="kpi_upload").set_value(("kpis.csv", data, "text/csv"))
    at.run()
    at = next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Nothing was imported: 1 problem(s) in kpis.csv. Fix them and import again."]
    problems = next(d.value for d in at.dataframe if "Line" in d.value.columns).to_dict("records")
    assert [(p["Line"], p["Problem"]) for p in problems] == [(line, problem)]


def hub_now():
    from seed import NOW

    return NOW


def _limits():
    from hub_app.ui.web import context

    return context.catalog().program.points.adjustments


def _pick(at, prefix: str, person):
    at.selectbox(key=f"{prefix}_person").set_value(person)
    return at.run()


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [
        (0, "Fix", "An adjustment of 0 points changes nothing. Enter a positive or negative number."),
        (50, "   ", "Give a reason for the adjustment; the partner sees it in their points history."),
    ],
)
def test_adjustment_needs_points_and_a_reason(hub, amount, reason, message):
    before = len(ledger_of(hub.store, hub.dora.id))
    at = _pick(app_as(hub.manager, "console"), "points", hub.store.get(USERS, hub.dora.id))
    at.number_input(key="adjust_points").set_value(amount)
    at.text_input(key="adjust_reason").input(reason)
    at = _press(at, "Adjust")
    assert [e.value for e in at.error] == [message]
    assert len(ledger_of(hub.store, hub.dora.id)) == before


def test_adjustment_and_its_reversal(hub):
    at = _pick(app_as(hub.manager, "console"), "points", hub.store.get(USERS, hub.dora.id))
    at.number_input(key="adjust_points").set_value(-30)
    at.text_input(key="adjust_reason").input("Duplicate event check-in")
    at = _press(at, "Adjust")
    assert [s.value for s in at.success] == ["-30 points for Dora Schmidt: Duplicate event check-in"]
    assert points.total(hub.manager, hub.store, hub.dora.id) == -30
    at = _press(at, "Reverse")
    assert [e.value for e in at.error] == ["Choose the entry to reverse. Nothing was changed."]
    at.selectbox(key="reverse_entry").set_value(ledger_of(hub.store, hub.dora.id)[-1])
    at = _press(at, "Reverse")
    assert [e.value for e in at.error] == [
        "Give a reason for the reversal; the partner sees it in their points history."
    ]
    at.text_input(key="reverse_reason").input("Check-in was genuine")
    at = _press(at, "Reverse")
    assert [s.value for s in at.success] == ["Reversed -30 · Manual adjustment · Nov 27, 2026."]
    assert points.total(hub.manager, hub.store, hub.dora.id) == 0
    assert "No entries to reverse." in texts(at)


def test_forms_start_empty_after_a_success(hub):
    points.adjust(hub.manager, hub.store, hub.dora.id, 10, "Survey", hub_now())
    at = _pick(app_as(hub.manager, "console"), "points", hub.store.get(USERS, hub.dora.id))
    at.number_input(key="adjust_points").set_value(30)
    at.text_input(key="adjust_reason").input("Webinar host")
    at = _press(at, "Adjust")
    assert [s.value for s in at.success] == ["+30 points for Dora Schmidt: Webinar host"]
    assert (at.number_input(key="adjust_points").value, at.text_input(key="adjust_reason").value) == (0, "")
    at.selectbox(key="reverse_entry").set_value(ledger_of(hub.store, hub.dora.id)[-1])
    at.text_input(key="reverse_reason").input("Not a webinar after all")
    at = _press(at, "Reverse")
    assert (at.selectbox(key="reverse_entry").value, at.text_input(key="reverse_reason").value) == (None, "")


def test_a_large_adjustment_is_confirmed_and_one_over_the_limit_refused(hub):
    at = _pick(app_as(hub.manager, "console"), "points", hub.store.get(USERS, hub.dora.id))
    at.number_input(key="adjust_points").set_value(1500)
    at.text_input(key="adjust_reason").input("Launch campaign")
    at = _press(at, "Adjust")
    assert [e.value for e in at.error] == [
        "+1,500 points is more than 1,000 either way: confirm the adjustment to make it."
    ]
    assert points.total(hub.manager, hub.store, hub.dora.id) == 0
    at.checkbox(key="adjust_confirm").check()
    at = _press(at, "Adjust")
    assert [s.value for s in at.success] == ["+1500 points for Dora Schmidt: Launch campaign"]
    assert points.total(hub.manager, hub.store, hub.dora.id) == 1500


def test_an_adjustment_over_the_program_limit_is_refused_by_the_domain(hub):
    with pytest.raises(points.AdjustmentTooLarge) as e:
        points.adjust(
            hub.manager, hub.store, hub.dora.id, 1_000_000, "typo", hub_now(), limits=_limits(), confirmed=True
        )
    assert str(e.value) == (
        "An adjustment is at most 5000 points either way (program.yml points.adjustments). Nothing was changed."
    )


def test_revoking_with_take_back_reverses_the_passes_points(hub):
    before = points.total(hub.manager, hub.store, hub.ben.id)
    at = _pick(app_as(hub.manager, "console"), "revoke", hub.store.get(USERS, hub.ben.id))
    at.text_input(key="revoke_reason").input("Exam taken by someone else")
    at.checkbox(key="revoke_take_back").check()
    at = _press(at, "Revoke")
    assert len(at.success) == 1 and at.success[0].value.endswith("points taken back.")
    assert points.total(hub.manager, hub.store, hub.ben.id) < before
    reversals = [e for e in ledger_of(hub.store, hub.ben.id) if e.reverses]
    assert reversals and {e.reason for e in reversals} == {"Exam taken by someone else"}


def test_revocation_needs_a_reason_and_then_revokes(hub):
    at = _pick(app_as(hub.manager, "console"), "revoke", hub.store.get(USERS, hub.ben.id))
    at = _press(at, "Revoke")
    assert [e.value for e in at.error] == ["Give a reason to revoke the certificate; it is kept in the record."]
    held = certification.certificates_of(hub.manager, hub.store, hub.ben.id)
    assert all(c.revoked_at is None for c in held)
    at.text_input(key="revoke_reason").input("Exam taken by someone else")
    at = _press(at, "Revoke")
    assert len(at.success) == 1 and at.success[0].value.startswith("Revoked Quillstack Certified")
    revoked = [c for c in certification.certificates_of(hub.manager, hub.store, hub.ben.id) if c.revoked_at]
    assert [c.revoke_reason for c in revoked] == ["Exam taken by someone else"]


def test_create_a_user_for_a_partner(hub):
    at = app_as(hub.manager, "console")
    at.text_input(key="console_invite_email").input("not-an-email")
    at.text_input(key="console_invite_name").input("Finn")
    at = _press(at, "Invite")
    assert [e.value for e in at.error] == ["“not-an-email” is not an email address. Write it like name@company.com."]
    at.text_input(key="console_invite_email").input("finn@acme.example")
    at.checkbox(key="console_invite_admin").check()
    at = _press(at, "Invite")
    assert at.success[0].value.startswith("Finn can now sign in as finn@acme.example")
    finn = user_by_email(hub.store, "finn@acme.example")
    assert finn.company_id == hub.acme.id and finn.has_role("partner_admin")


def test_deactivate_a_user(hub):
    at = app_as(hub.manager, "console")
    at.selectbox(key="console_deactivate_person").set_value(hub.store.get(USERS, hub.chen.id))
    at.checkbox(key="console_deactivate_sure").check()
    at = _press(at, "Deactivate")
    assert [s.value for s in at.success] == ["Chen Wei is deactivated."]
    assert not hub.store.get(USERS, hub.chen.id).active


def test_console_in_chinese(hub, proposal):
    at = app_as(hub.manager, "console", lang="zh")
    assert not at.exception
    assert at.title[0].value == "渠道经理控制台"
    assert [tab.label for tab in at.tabs] == [
        "合作伙伴",
        "级别提案",
        "KPI",
        "积分",
        "证书",
        "用户",
        "活动",
        "商机报备",
        "奖项",
    ]


def test_the_console_keeps_its_tab_after_an_action_and_a_link_opens_a_tab(hub):
    at = app_as(hub.manager, "console", tab="KPIs")
    assert at.session_state["tab"] == "KPIs"
    at = _kpi(at, period="2031-Q1", revenue="1", customers="1")
    assert at.session_state["tab"] == "KPIs"
    assert [shown(e.value) for e in at.error] == ["Quarter: 2031-Q1 has not begun; the current quarter is 2026-Q4"]
    at = _kpi(at, period="2026-Q4", revenue="1", customers="1")  # a success reruns the page: still on KPIs
    assert at.session_state["tab"] == "KPIs"


def test_a_partner_all_round_shows_people_kpis_tier_decisions_and_points(hub):
    at = app_as(hub.manager, "console")
    at.selectbox(key="partner_view_company").set_value(hub.store.get(COMPANIES, hub.acme.id))
    at = at.run()
    assert not at.exception
    headers = [s.value for s in at.subheader]
    for wanted in ("Who holds which certification", "KPI history", "Tier history", "Points by month"):
        assert wanted in headers
