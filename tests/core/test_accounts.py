"""Accounts and partners: hashing, sign-in lockout, passwords, deactivation, who sees which company."""

from __future__ import annotations

from datetime import timedelta

import pytest
from core_builders import PASSWORD, T0

from hub_app.partners import accounts
from hub_app.partners import companies as partners
from hub_app.partners.accounts import (
    AccountInactive,
    AccountLocked,
    EmailTaken,
    InvalidAccountDetails,
    PasswordTooShort,
    SignInFailed,
)
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import USERS, user_by_email

MINUTE = timedelta(minutes=1)


def test_passwords_are_stored_as_argon2id_hashes(world):
    assert world.ana.password_hash.startswith("$argon2id$") and PASSWORD not in world.ana.password_hash


def test_sign_in_ignores_email_case(world):
    assert accounts.sign_in(world.store, " ANA@acme.io", PASSWORD, T0).id == world.ana.id


def test_wrong_password_and_unknown_email_get_the_same_message(world):
    for email in ("ana@acme.io", "nobody@acme.io"):
        with pytest.raises(SignInFailed) as e:
            accounts.sign_in(world.store, email, "wrong password!", T0)
        assert str(e.value) == "Wrong email or password. Check both and try again."


def test_five_failed_sign_ins_lock_the_account_for_15_minutes(world):
    for n in range(4):
        with pytest.raises(SignInFailed):
            accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0 + n * MINUTE)
    with pytest.raises(AccountLocked) as e:
        accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0 + 4 * MINUTE)
    assert str(e.value) == (
        "Too many failed sign-ins. Try again after 2026-03-02 09:19 UTC, "
        "or ask your partner admin to reset your password."
    )
    with pytest.raises(AccountLocked):  # even the right password waits
        accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0 + 18 * MINUTE)
    user = accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0 + 19 * MINUTE)
    assert (user.failed_sign_ins, user.locked_until) == (0, None)


def test_a_success_resets_the_failure_count(world):
    for _ in range(4):
        with pytest.raises(SignInFailed):
            accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0)
    accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0)
    with pytest.raises(SignInFailed):
        accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0)


def test_change_password_needs_the_current_one_and_ten_characters(world):
    with pytest.raises(PasswordTooShort) as e:
        accounts.change_password(world.ana, world.store, PASSWORD, "short", T0)
    assert str(e.value) == "Choose a password of at least 10 characters."
    with pytest.raises(SignInFailed):
        accounts.change_password(world.ana, world.store, "not it at all", "a much longer one", T0)
    accounts.change_password(world.ana, world.store, PASSWORD, "a much longer one", T0)
    assert accounts.sign_in(world.store, "ana@acme.io", "a much longer one", T0)


def test_guessing_the_current_password_locks_the_account_like_sign_in(world):
    for n in range(4):
        with pytest.raises(SignInFailed):
            accounts.change_password(world.ana, world.store, f"guess number {n}", "a much longer one", T0)
    with pytest.raises(AccountLocked):
        accounts.change_password(world.ana, world.store, "guess number 5", "a much longer one", T0)
    with pytest.raises(AccountLocked):  # even the right password waits now
        accounts.change_password(world.ana, world.store, PASSWORD, "a much longer one", T0)


def test_a_password_change_does_not_undo_a_deactivation_made_meanwhile(world):
    stale_ana = world.ana  # the page loaded her before her admin deactivated her
    accounts.deactivate(world.acme_admin, world.store, world.ana.id)
    with pytest.raises(AccountInactive):
        accounts.change_password(stale_ana, world.store, PASSWORD, "a much longer one", T0)
    assert world.store.get(USERS, world.ana.id).active is False


def test_deactivated_account_cannot_sign_in(world):
    accounts.deactivate(world.acme_admin, world.store, world.ana.id)
    with pytest.raises(AccountInactive) as e:
        accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0)
    assert str(e.value) == "The account ana@acme.io is deactivated. Ask your partner admin if you still need access."


def test_partner_admin_cannot_deactivate_another_companys_people(world):
    with pytest.raises(NotAllowed):
        accounts.deactivate(world.acme_admin, world.store, world.bob.id)


def test_email_is_unique(world):
    with pytest.raises(EmailTaken):
        partners.invite_member(
            world.acme_admin,
            world.store,
            world.acme.id,
            email="Ana@acme.io",
            display_name="Ana 2",
            job_role="sales",
            now=T0,
        )


def test_partner_admin_invites_a_member_who_signs_in_with_the_one_time_password(world):
    invitation = partners.invite_member(
        world.acme_admin, world.store, world.acme.id, email="cy@acme.io", display_name="Cy", job_role="presales", now=T0
    )
    assert invitation.user.roles == {"partner_user"} and invitation.user.company_id == world.acme.id
    assert accounts.sign_in(world.store, "cy@acme.io", invitation.temporary_password, T0).id == invitation.user.id


@pytest.mark.parametrize("who", ["ana", "bob"])
def test_partner_user_cannot_invite_members(world, who):
    with pytest.raises(NotAllowed):
        partners.invite_member(
            getattr(world, who), world.store, world.acme.id, email="x@acme.io", display_name="X", job_role=None, now=T0
        )


def test_partner_admin_cannot_see_other_company(world):
    with pytest.raises(NotAllowed) as e:
        partners.company(world.acme_admin, world.store, world.globex.id)
    assert str(e.value) == (
        "You (boss@acme.io) are not allowed to see the company Globex. "
        "Ask your channel manager or a program admin if you need this."
    )
    with pytest.raises(NotAllowed):
        partners.members(world.acme_admin, world.store, world.globex.id)


@pytest.mark.parametrize(
    "who, visible",
    [("admin", {"Acme", "Globex"}), ("manager", {"Acme"}), ("other_manager", {"Globex"}), ("ana", {"Acme"})],
)
def test_each_role_sees_its_companies(world, who, visible):
    assert {c.name for c in partners.visible_companies(getattr(world, who), world.store)} == visible


def test_channel_manager_sees_only_assigned_partners_teams(world):
    assert {u.email for u in partners.members(world.manager, world.store, world.acme.id)} == {
        "boss@acme.io",
        "ana@acme.io",
    }
    with pytest.raises(NotAllowed):
        partners.members(world.manager, world.store, world.globex.id)


def test_program_admin_reassigns_a_partner_to_another_manager(world):
    partners.assign_channel_manager(world.admin, world.store, world.acme.id, world.other_manager.id)
    assert partners.members(world.other_manager, world.store, world.acme.id)
    with pytest.raises(NotAllowed):
        partners.members(world.manager, world.store, world.acme.id)
    with pytest.raises(NotAllowed):
        partners.assign_channel_manager(world.manager, world.store, world.acme.id, world.manager.id)


def test_leaderboard_opt_out_by_the_person_or_their_admin(world):
    assert partners.set_user_leaderboard_opt_out(world.ana, world.store, world.ana.id, True).leaderboard_opt_out
    assert partners.set_company_leaderboard_opt_out(
        world.acme_admin, world.store, world.acme.id, True
    ).leaderboard_opt_out
    with pytest.raises(NotAllowed):
        partners.set_user_leaderboard_opt_out(world.bob, world.store, world.ana.id, True)
    with pytest.raises(NotAllowed):
        partners.set_company_leaderboard_opt_out(world.ana, world.store, world.acme.id, True)


def test_only_the_very_first_account_may_be_created_without_an_actor(world):
    with pytest.raises(NotAllowed):
        accounts.create_user(
            None,
            world.store,
            email="x@vendor.io",
            display_name="X",
            password=PASSWORD,
            company_id=None,
            roles=frozenset({"program_admin"}),
            job_role=None,
            now=T0,
        )


def test_domain_modules_do_not_import_streamlit(repo_root):
    for module in (repo_root / "hub_app").rglob("*.py"):
        if "ui" in module.parts or module.name == "app.py":
            continue
        text = module.read_text(encoding="utf-8")
        assert "import streamlit" not in text and "from streamlit" not in text, module


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("", "Lin Wei", "'' is not an email address. Write it like name@company.com."),
        ("lin.wei", "Lin Wei", "'lin.wei' is not an email address. Write it like name@company.com."),
        ("lin@acme.io", "  ", "Give the person's name as it should appear on certificates."),
    ],
)
def test_an_account_needs_a_real_email_and_a_name(world, email, name, message):
    with pytest.raises(InvalidAccountDetails) as e:
        accounts.create_user(
            world.acme_admin,
            world.store,
            email=email,
            display_name=name,
            password=PASSWORD,
            company_id=world.ana.company_id,
            roles=frozenset({"partner_user"}),
            job_role="sales",
            now=T0,
        )
    assert str(e.value) == message
    assert user_by_email(world.store, email) is None if email else True


def test_partner_admin_resets_a_forgotten_password_and_ends_the_lockout(world):
    for _ in range(5):
        with pytest.raises((SignInFailed, AccountLocked)):
            accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0)
    temporary = accounts.reset_password(world.acme_admin, world.store, world.ana.id)
    assert accounts.sign_in(world.store, "ana@acme.io", temporary, T0).id == world.ana.id
    with pytest.raises(SignInFailed):
        accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0)


def test_a_partner_user_cannot_reset_a_colleagues_password(world):
    with pytest.raises(NotAllowed):
        accounts.reset_password(world.ana, world.store, world.acme_admin.id)


class _SlowHasher:
    """argon2 that blocks in verify until released: a sign-in caught in the middle of its hash."""

    def __init__(self, real, started, release):
        self.real, self.started, self.release = real, started, release

    def verify(self, password_hash, password):
        self.started.set()
        assert self.release.wait(10)
        return self.real.verify(password_hash, password)

    def __getattr__(self, name):
        return getattr(self.real, name)
