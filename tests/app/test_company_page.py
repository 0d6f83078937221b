"""My company (partner admins): the certification matrix, lapses ahead, tier status and history, inviting and
deactivating members, the company opt-out; and "not allowed" for everyone else who opens it by URL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import seed
from app_driver import app_as, texts

from hub_app.kernel.ids import new_id
from hub_app.partners import accounts
from hub_app.partners import companies as partners
from hub_app.partners.records import COMPANIES, USERS
from hub_app.tiers.records import PROPOSALS, TierProposal
from hub_app.ui.web import nav


def _menu(user) -> list[str]:
    return [spec.url_path for spec in nav.PAGES if spec.allowed(user) and spec.listed]


def test_only_partner_admins_have_the_page_in_their_menu(hub):
    assert "company" in _menu(hub.ben)
    assert "company" not in _menu(hub.ana)
    assert "company" not in _menu(hub.manager)


def test_partner_user_opening_the_page_by_url_is_told_no_and_sees_no_data(hub):
    at = app_as(hub.ana, "company")
    assert [e.value for e in at.error] == [
        "You (ana@acme.example) are not allowed to see the team of Acme Integrations. "
        "Ask your channel manager or a program admin if you need this."
    ]
    assert not at.dataframe and not at.metric and not at.text_input
    assert "Dora Schmidt" not in texts(at)


def test_vendor_staff_are_pointed_to_the_console(hub):
    at = app_as(hub.manager, "company")
    assert [i.value for i in at.info] == [
        "This page shows a partner admin's own company. Your partners are in the channel manager console."
    ]


def test_matrix_shows_who_holds_which_certification_with_status_and_expiry(hub):
    at = app_as(hub.ben, "company")
    assert not at.exception
    matrix = at.dataframe[0].value
    assert list(matrix["Name"]) == ["Ana Lima", "Ben Okafor", "Chen Wei", "Dora Schmidt"]
    rows = matrix.set_index("Name")
    associate = "Quillstack Certified Associate"
    assert rows.loc["Ana Lima", associate] == "Expiring soon · Dec 27, 2026"
    assert rows.loc["Ben Okafor", associate].startswith("Active · ")
    assert rows.loc["Chen Wei", associate] == "—"
    assert rows.loc["Ben Okafor", "Admin"] == "✓" and rows.loc["Ana Lima", "Admin"] == ""


def test_only_my_own_company_is_shown(hub):
    other = partners.create_company(
        hub.admin,
        hub.store,
        hub.catalog.program,
        name="Other Co",
        type="var",
        region="emea",
        country="DE",
        now=seed.NOW,
    )
    accounts.create_user(
        hub.admin,
        hub.store,
        email="olga@other.example",
        display_name="Olga Other",
        password=seed.PASSWORD,
        company_id=other.id,
        roles=frozenset({"partner_user"}),
        job_role="sales",
        now=seed.NOW,
    )
    at = app_as(hub.ben, "company")
    assert "Olga Other" not in list(at.dataframe[0].value["Name"])


def test_what_expires_within_90_days(hub):
    page = texts(app_as(hub.ben, "company")).splitlines()
    assert (
        ":orange-badge[Expiring soon] **Ana Lima** · Quillstack Certified Associate expires on Dec 27, 2026 "
        "(in 30 days)."
    ) in page


def test_tier_status_current_qualifies_gap_and_risk(hub):
    at = app_as(hub.ben, "company")
    assert [(m.label, m.value) for m in at.metric] == [("Current tier", "Silver"), ("Qualifies for", "Silver")]
    assert [w.value for w in at.warning] == [
        "At risk on Dec 27, 2026: Ana Lima's Quillstack Certified Associate lapses then. "
        "Renew before then to keep Silver."
    ]
    page = texts(at)
    assert "To reach **Gold**, your company needs:" in page
    assert "- 5 more customers" in page
    assert "Next tier review: Jan 1, 2027." in page


def test_tier_history_lists_decisions(hub):
    decided = TierProposal(
        new_id(),
        hub.acme.id,
        "registered",
        "silver",
        "promote",
        seed.NOW - timedelta(days=200),
        status="approved",
        decided_by=hub.manager.id,
        decided_at=seed.NOW - timedelta(days=199),
    )
    hub.store.add(PROPOSALS, decided)
    history = app_as(hub.ben, "company").dataframe[1].value
    assert history.to_dict("records") == [
        {
            "Date": "May 12, 2026",
            "Change": "Registered → Silver",
            "Decision": "Approved",
            "Decided by": "Chris Manager",
            "Reason": "Meets every requirement of Silver (evaluated May 11, 2026).",
        }
    ]


@pytest.mark.parametrize(
    ("email", "name", "messages"),
    [
        ("", "", ["Enter the person's email address.", "Enter the person's name as it should appear on certificates."]),
        ("eve.acme.example", "Eve", ["“eve.acme.example” is not an email address. Write it like name@company.com."]),
        ("eve@acme.example", "  ", ["Enter the person's name as it should appear on certificates."]),
    ],
)
def test_invite_form_names_every_bad_field_and_creates_nobody(hub, email, name, messages):
    before = len(hub.store.select(USERS))
    at = app_as(hub.ben, "company")
    at.text_input(key="invite_email").input(email)
    at.text_input(key="invite_name").input(name)
    at = _press(at, "Invite")
    assert [e.value for e in at.error] == messages
    assert len(hub.store.select(USERS)) == before and not at.code


def _press(at, label: str):
    return next(b for b in at.button if b.label == label).click().run()


def test_invite_shows_the_temporary_password_once_and_it_signs_in(hub):
    at = app_as(hub.ben, "company")
    at.text_input(key="invite_email").input("Eve@Acme.example")
    at.text_input(key="invite_name").input("Eve Adams")
    at.selectbox(key="invite_role").set_value("developer")
    at = _press(at, "Invite")
    assert [s.value for s in at.success] == [
        "Eve Adams can now sign in as eve@acme.example with this temporary password. It is shown only once: "
        "hand it over now; they change it under Account."
    ]
    password = at.code[0].value
    eve = accounts.sign_in(hub.store, "eve@acme.example", password, seed.NOW)
    assert eve.company_id == hub.acme.id and eve.job_role == "developer" and not eve.has_role("partner_admin")
    at.run()
    assert not at.code  # gone on the next run


def test_inviting_an_existing_email_says_so(hub):
    at = app_as(hub.ben, "company")
    at.text_input(key="invite_email").input("ana@acme.example")
    at.text_input(key="invite_name").input("Ana Again")
    at = _press(at, "Invite")
    assert [e.value for e in at.error] == [
        "An account for ana@acme.example already exists. Sign in, or use another email address."
    ]


def test_inviting_a_vendor_staff_email_does_not_say_it_is_taken(hub):
    at = app_as(hub.ben, "company")
    at.text_input(key="invite_email").input(hub.manager.email)
    at.text_input(key="invite_name").input("Someone")
    at = _press(at, "Invite")
    assert [e.value for e in at.error] == [
        f"{hub.manager.email} cannot be invited. Check the address; if it is right, ask your channel manager "
        "to add the person."
    ]


def test_deactivation_needs_a_person_and_a_confirmation(hub):
    at = _press(app_as(hub.ben, "company"), "Deactivate")
    assert [e.value for e in at.error] == ["Choose the person to deactivate. Nothing was changed."]
    at.selectbox(key="deactivate_person").set_value(hub.store.get(USERS, hub.dora.id))
    at = _press(at, "Deactivate")
    assert [e.value for e in at.error] == ["Tick the box to confirm the deactivation. Nothing was changed."]
    assert hub.store.get(USERS, hub.dora.id).active
    at.checkbox(key="deactivate_sure").check()
    at = _press(at, "Deactivate")
    assert [s.value for s in at.success] == ["Dora Schmidt is deactivated."]
    assert not hub.store.get(USERS, hub.dora.id).active


def test_i_cannot_pick_myself_to_deactivate(hub):
    at = app_as(hub.ben, "company")
    assert "Ben Okafor (ben@acme.example)" not in at.selectbox(key="deactivate_person").options


def test_company_leaderboard_opt_out(hub):
    at = app_as(hub.ben, "company")
    at.toggle(key="company_opt_out").set_value(True).run()
    assert not at.exception
    assert hub.store.get(COMPANIES, hub.acme.id).leaderboard_opt_out is True


def test_page_in_chinese(hub):
    at = app_as(hub.ben, "company", lang="zh")
    assert not at.exception
    assert at.title[0].value == "我的公司"
    assert [m.label for m in at.metric] == ["当前级别", "符合级别"]


def test_a_deactivated_member_is_marked(hub):
    hub.store.replace(USERS, replace(hub.store.get(USERS, hub.dora.id), active=False))
    matrix = app_as(hub.ben, "company").dataframe[0].value
    assert list(matrix["Name"])[-1] == "Dora Schmidt (deactivated)"


def test_partner_admin_resets_a_members_password_and_sees_it_once(hub):
    at = _press(app_as(hub.ben, "company"), "Reset password")
    assert [e.value for e in at.error] == ["Choose the person whose password to reset. Nothing was changed."]
    at.selectbox(key="reset_person").set_value(hub.store.get(USERS, hub.dora.id))
    at = _press(at, "Reset password")
    assert [s.value for s in at.success] == [
        "Dora Schmidt can sign in with this one-time password; it is shown only now:"
    ]
    temporary = at.code[-1].value
    assert accounts.sign_in(hub.store, hub.dora.email, temporary, seed.NOW).id == hub.dora.id
