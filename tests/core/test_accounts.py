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
    OneTimePasswordLapsed,
    PasswordTooGuessable,
    PasswordTooShort,
    SignInFailed,
)
from hub_app.partners.companies import CannotInvite
from hub_app.partners.permissions import NotAllowed
from hub_app.partners.records import USERS, user_by_email
from hub_app.partners.websessions import SessionBook

MINUTE = timedelta(minutes=1)
SECOND = timedelta(seconds=1)
HOUR = timedelta(hours=1)


def test_passwords_are_stored_as_argon2id_hashes(world):
    assert world.ana.password_hash.startswith("$argon2id$") and PASSWORD not in world.ana.password_hash


def test_sign_in_ignores_email_case(world):
    assert accounts.sign_in(world.store, " ANA@acme.io", PASSWORD, T0).id == world.ana.id


def test_wrong_password_and_unknown_email_get_the_same_message(world):
    for email in ("ana@acme.io", "nobody@acme.io"):
        with pytest.raises(SignInFailed) as e:
            accounts.sign_in(world.store, email, "wrong password!", T0)
        assert str(e.value) == "Wrong email or password. Check both and try again."


def test_five_failed_sign_ins_from_one_source_make_it_wait_a_delay_that_doubles(world):
    for n in range(4):
        with pytest.raises(SignInFailed):
            accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0 + n * MINUTE, "10.0.0.9")
    with pytest.raises(AccountLocked) as e:
        accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0 + 4 * MINUTE, "10.0.0.9")
    assert str(e.value) == (
        "Too many failed sign-ins. Try again after 2026-03-02 09:05 UTC, "
        "or ask your partner admin to reset your password."
    )
    with pytest.raises(AccountLocked):  # even the right password waits
        accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0 + 4 * MINUTE + 30 * SECOND, "10.0.0.9")
    with pytest.raises(AccountLocked) as e:  # the sixth failure waits twice as long
        accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0 + 5 * MINUTE, "10.0.0.9")
    assert e.value.retry_at == T0 + 7 * MINUTE
    assert accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0 + 7 * MINUTE, "10.0.0.9").id == world.ana.id


def test_a_stranger_guessing_from_elsewhere_does_not_lock_the_owner_out(world):
    for n in range(8):
        with pytest.raises((SignInFailed, AccountLocked)):
            accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0 + n * SECOND, "203.0.113.7")
    assert accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0 + 10 * SECOND, "10.0.0.9").id == world.ana.id


def test_guesses_spread_over_many_sources_still_slow_down(world):
    for n in range(19):
        with pytest.raises(SignInFailed):
            accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0, f"203.0.113.{n}")
    with pytest.raises(AccountLocked) as e:
        accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0, "203.0.113.99")
    assert e.value.retry_at == T0 + MINUTE


def test_a_locked_account_answers_exactly_as_an_unknown_email_does(world):
    answers = {}
    for email in ("ana@acme.io", "nobody@acme.io"):
        said = []
        for n in range(6):
            try:
                accounts.sign_in(world.store, email, "nope nope nope", T0 + n * SECOND, "203.0.113.7")
            except (SignInFailed, AccountLocked) as e:
                said.append(str(e))
        answers[email] = said
    assert answers["ana@acme.io"] == answers["nobody@acme.io"]
    assert answers["nobody@acme.io"][-1] == (
        "Too many failed sign-ins. Try again after 2026-03-02 09:01 UTC, "
        "or ask your partner admin to reset your password."
    )


def test_a_success_resets_the_failure_count(world):
    for _ in range(4):
        with pytest.raises(SignInFailed):
            accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0, "10.0.0.9")
    accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0, "10.0.0.9")
    with pytest.raises(SignInFailed):
        accounts.sign_in(world.store, "ana@acme.io", "nope nope nope", T0, "10.0.0.9")


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


def test_email_is_unique_and_vendor_staff_are_told_it_is_taken(world):
    with pytest.raises(EmailTaken) as e:
        partners.invite_member(
            world.manager, world.store, world.acme.id, email="Ana@acme.io", display_name="Ana 2", job_role=None, now=T0
        )
    assert str(e.value) == "An account for ana@acme.io already exists. Sign in, or use another email address."


@pytest.mark.parametrize("email", ["cm2@vendor.io", "bob@globex.io"])
def test_a_partner_admin_inviting_a_taken_email_learns_not_whose_it_is(world, email):
    with pytest.raises(CannotInvite) as e:
        partners.invite_member(
            world.acme_admin, world.store, world.acme.id, email=email, display_name="X Y", job_role=None, now=T0
        )
    assert str(e.value) == (
        f"{email} cannot be invited. Check the address; if it is right, ask your channel manager to add the person."
    )


def test_partner_admin_invites_a_member_who_signs_in_with_the_one_time_password(world):
    invitation = partners.invite_member(
        world.acme_admin, world.store, world.acme.id, email="cy@acme.io", display_name="Cy", job_role="presales", now=T0
    )
    assert invitation.user.roles == {"partner_user"} and invitation.user.company_id == world.acme.id
    signed_in = accounts.sign_in(world.store, "cy@acme.io", invitation.temporary_password, T0)
    assert signed_in.id == invitation.user.id and signed_in.must_change_password


def test_an_invitation_password_lapses_after_72_hours(world):
    invitation = partners.invite_member(
        world.acme_admin, world.store, world.acme.id, email="cy@acme.io", display_name="Cy", job_role=None, now=T0
    )
    with pytest.raises(OneTimePasswordLapsed):
        accounts.sign_in(world.store, "cy@acme.io", invitation.temporary_password, T0 + 72 * HOUR)


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
    temporary = accounts.reset_password(world.acme_admin, world.store, world.ana.id, T0)
    assert accounts.sign_in(world.store, "ana@acme.io", temporary, T0).id == world.ana.id
    with pytest.raises(SignInFailed):
        accounts.sign_in(world.store, "ana@acme.io", PASSWORD, T0)


def test_a_partner_user_cannot_reset_a_colleagues_password(world):
    with pytest.raises(NotAllowed):
        accounts.reset_password(world.ana, world.store, world.acme_admin.id, T0)


def test_a_one_time_password_expires_after_72_hours(world):
    temporary = accounts.reset_password(world.acme_admin, world.store, world.ana.id, T0)
    with pytest.raises(OneTimePasswordLapsed) as e:
        accounts.sign_in(world.store, "ana@acme.io", temporary, T0 + 72 * HOUR)
    assert str(e.value) == (
        "This one-time password has expired or was already used. Ask your partner admin (or your channel "
        "manager) for a new one."
    )
    assert accounts.sign_in(world.store, "ana@acme.io", temporary, T0 + 71 * HOUR).must_change_password


def test_a_one_time_password_signs_in_once(world):
    temporary = accounts.reset_password(world.acme_admin, world.store, world.ana.id, T0)
    accounts.sign_in(world.store, "ana@acme.io", temporary, T0)
    with pytest.raises(OneTimePasswordLapsed):
        accounts.sign_in(world.store, "ana@acme.io", temporary, T0 + MINUTE)


def test_after_a_one_time_password_the_member_chooses_their_own_without_the_old_one(world):
    temporary = accounts.reset_password(world.acme_admin, world.store, world.ana.id, T0)
    signed_in = accounts.sign_in(world.store, "ana@acme.io", temporary, T0)
    chosen = accounts.change_password(signed_in, world.store, "", "lantern orbit pebble", T0)
    assert not chosen.must_change_password and chosen.one_time_until is None
    assert accounts.sign_in(world.store, "ana@acme.io", "lantern orbit pebble", T0).id == world.ana.id
    with pytest.raises(SignInFailed):  # from now on the current password is asked again
        accounts.change_password(chosen, world.store, "", "another lantern orbit", T0)


def test_a_reset_ends_every_session_of_the_member(world):
    book = SessionBook(world.store)
    phone, laptop = book.open(world.ana.id, T0), book.open(world.ana.id, T0)
    kept = book.open(world.acme_admin.id, T0)
    accounts.reset_password(world.acme_admin, world.store, world.ana.id, T0)
    assert (book.user_id_for(phone, T0), book.user_id_for(laptop, T0)) == (None, None)
    assert book.user_id_for(kept, T0) == world.acme_admin.id


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "1234567890", "iloveyou12", "ana@acme.io!"])
def test_common_leaked_and_personal_passwords_are_refused(world, password):
    with pytest.raises(PasswordTooGuessable) as e:
        accounts.change_password(world.ana, world.store, PASSWORD, password, T0)
    assert str(e.value) == (
        "This password is too easy to guess: it is a common or leaked password, a pattern, or made of your "
        "name or email. Choose a longer phrase of words that do not belong together."
    )


def test_a_deactivated_channel_manager_cannot_register_companies(world):
    accounts.deactivate(world.admin, world.store, world.manager.id)
    gone = world.store.get(USERS, world.manager.id)
    with pytest.raises(NotAllowed):
        partners.create_company(
            gone, world.store, world.catalog.program, name="Initech", type="si", region="apac", country="SG", now=T0
        )


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
