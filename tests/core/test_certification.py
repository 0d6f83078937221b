"""Certificates: issue on pass, status, renewal, recertification, revocation and public verification."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from core_builders import T0, answers_scoring, build_catalog, write_course

from hub_app.catalog import load_catalog
from hub_app.certification import certificates as certification
from hub_app.certification.certificates import AlreadyRevoked, ReasonRequired, UnknownCertificate
from hub_app.certification.records import certificates_of
from hub_app.learning import exams
from hub_app.learning.submission import submit
from hub_app.partners.permissions import NotAllowed

DAY = timedelta(days=1)


def _sit(world, user, at, right=3, catalog=None):
    catalog = catalog or world.catalog
    attempt = exams.start_attempt(user, catalog, world.store, "cert-101", at)
    answers = answers_scoring(catalog, attempt, right)
    return submit(user, attempt.id, answers, catalog, world.store, at + timedelta(minutes=10))


def test_pass_issues_a_certificate_valid_for_the_course_months(world):
    result = _sit(world, world.ana, T0)
    cert = result.certificate
    assert result.passed and cert.user_id == world.ana.id and cert.company_id == world.acme.id
    assert (cert.course_id, cert.course_version) == ("cert-101", "1.0.0")
    assert cert.issued == T0 + timedelta(minutes=10)
    assert cert.expires == cert.issued.replace(year=2027)  # validity_months: 12
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", cert.verification_code)


def test_fail_issues_nothing_and_lists_lessons_to_study(world):
    result = _sit(world, world.ana, T0, right=1)
    assert not result.passed and result.certificate is None and result.points_awarded == ()
    assert result.study_lessons  # at least one domain under the pass mark


def test_verification_codes_are_unguessable_and_distinct():
    codes = {certification.new_verification_code() for _ in range(2000)}
    assert len(codes) == 2000


@pytest.mark.parametrize(
    "days_after_issue, expected",
    [(0, "active"), (300, "active"), (306, "expiring"), (364, "expiring"), (366, "expired")],
)
def test_status_follows_the_renewal_window(world, days_after_issue, expected):
    cert = _sit(world, world.ana, T0).certificate  # expires 2027-03-02; window 60 days
    assert certification.status(cert, world.catalog.program, cert.issued + days_after_issue * DAY) == expected


def test_passing_while_expiring_renews_from_the_old_expiry(world):
    old = _sit(world, world.ana, T0).certificate
    renewal = _sit(world, world.ana, old.expires - 30 * DAY)
    assert renewal.renewed == old and renewal.certificate.renews == old.id
    assert renewal.certificate.expires == old.expires.replace(year=2028)
    assert certification.current(certificates_of(world.store, world.ana.id), "cert-101") == renewal.certificate


def test_sitting_again_while_still_active_outside_the_window_is_refused(world):
    from hub_app.learning.exams import AlreadyCertified

    _sit(world, world.ana, T0)
    with pytest.raises(AlreadyCertified):
        _sit(world, world.ana, T0 + 100 * DAY)
    assert len(certificates_of(world.store, world.ana.id)) == 1


def test_passing_after_expiry_starts_from_today(world):
    old = _sit(world, world.ana, T0).certificate
    later = old.expires + 10 * DAY
    new = _sit(world, world.ana, later).certificate
    assert new.renews is None and new.expires == (later + timedelta(minutes=10)).replace(year=2028)


def test_new_major_version_asks_holders_to_recertify_within_90_days(world, tmp_path):
    cert = _sit(world, world.ana, T0).certificate
    build_catalog(tmp_path / "v2")
    write_course(tmp_path / "v2", "cert-101", version="2.0.0")
    v2 = load_catalog(tmp_path / "v2")
    seen = T0 + 30 * DAY
    flagged = certification.flag_recertification(v2, world.store, seen)
    assert [c.id for c in flagged] == [cert.id] and flagged[0].recertify_by == seen + 90 * DAY
    assert certification.flag_recertification(v2, world.store, seen + DAY) == []  # once
    assert certification.status(flagged[0], v2.program, seen + 91 * DAY) == "expired"
    recert = _sit(world, world.ana, seen + 40 * DAY, catalog=v2).certificate
    assert recert.course_version == "2.0.0" and recert.recertify_by is None


def test_channel_manager_revokes_with_a_reason(world):
    cert = _sit(world, world.ana, T0).certificate
    revoked = certification.revoke(world.manager, world.store, cert.id, "Exam content leaked", T0 + DAY)
    assert revoked.revoked_at == T0 + DAY and revoked.revoke_reason == "Exam content leaked"
    assert certification.status(revoked, world.catalog.program, T0 + DAY) == "revoked"
    with pytest.raises(AlreadyRevoked):
        certification.revoke(world.admin, world.store, cert.id, "again", T0 + 2 * DAY)


def test_revocation_needs_a_reason(world):
    cert = _sit(world, world.ana, T0).certificate
    with pytest.raises(ReasonRequired) as e:
        certification.revoke(world.manager, world.store, cert.id, "  ", T0)
    assert str(e.value) == "Give a reason to revoke a certificate; it is kept in the record."


@pytest.mark.parametrize("who", ["other_manager", "acme_admin", "ana"])
def test_only_the_companys_manager_or_a_program_admin_may_revoke(world, who):
    cert = _sit(world, world.ana, T0).certificate
    with pytest.raises(NotAllowed) as e:
        certification.revoke(getattr(world, who), world.store, cert.id, "because", T0)
    assert "not allowed to revoke this certificate" in str(e.value)


def test_verify_shows_only_name_certification_status_and_dates(world):
    cert = _sit(world, world.ana, T0).certificate
    shown = certification.verify(world.store, world.catalog, cert.verification_code.lower().replace("-", " "), T0)
    assert shown == certification.Verification(
        "Ana", "Certified cert-101", "active", date(2026, 3, 2), date(2027, 3, 2)
    )


def test_verify_of_an_unknown_code_says_what_to_check(world):
    with pytest.raises(UnknownCertificate) as e:
        certification.verify(world.store, world.catalog, "AAAA-BBBB-CCCC", T0)
    assert str(e.value) == (
        "No certificate has the code 'AAAA-BBBB-CCCC'. Check the code on the certificate (like ABCD-EFGH-JK23)."
    )


def test_partner_admin_sees_team_certificates_but_not_other_companies(world):
    cert = _sit(world, world.ana, T0).certificate
    assert certification.certificates_of(world.acme_admin, world.store, world.ana.id) == [cert]
    with pytest.raises(NotAllowed):
        certification.certificates_of(world.bob, world.store, world.ana.id)


def test_practice_exam_shows_answers_and_issues_nothing(world):
    attempt = exams.start_attempt(world.ana, world.catalog, world.store, "practice-101", T0)
    result = submit(world.ana, attempt.id, {}, world.catalog, world.store, T0 + DAY / 100)
    assert result.certificate is None and result.points_awarded == ()
    assert {r.item_id for r in result.review} == {d.item_id for d in attempt.items}
    assert all(r.explanation.startswith("Because") for r in result.review)


def test_certification_exam_result_carries_no_answers(world):
    result = _sit(world, world.ana, T0, right=1)
    assert result.review == ()


def test_a_renewed_certificate_is_superseded_and_verify_names_its_renewal(world):
    old = _sit(world, world.ana, T0).certificate
    renewal = _sit(world, world.ana, old.expires - 30 * DAY).certificate
    now = old.expires - 29 * DAY
    assert certification.status_in_store(world.store, old, world.catalog.program, now) == "superseded"
    assert certification.status_in_store(world.store, renewal, world.catalog.program, now) == "active"
    shown = certification.verify(world.store, world.catalog, old.verification_code, now)
    assert (shown.status, shown.superseded_by, shown.revoked_on) == ("superseded", renewal.verification_code, None)


def test_a_revoked_renewal_gives_the_old_certificate_back(world):
    old = _sit(world, world.ana, T0).certificate
    renewal = _sit(world, world.ana, old.expires - 30 * DAY).certificate
    certification.revoke(world.manager, world.store, renewal.id, "Exam content leaked", old.expires - 20 * DAY)
    assert certification.status_in_store(world.store, old, world.catalog.program, old.expires - 19 * DAY) == (
        "expiring"
    )


def test_verify_of_a_revoked_certificate_gives_the_revocation_date(world):
    cert = _sit(world, world.ana, T0).certificate
    certification.revoke(world.manager, world.store, cert.id, "Exam content leaked", T0 + 3 * DAY)
    shown = certification.verify(world.store, world.catalog, cert.verification_code, T0 + 4 * DAY)
    assert (shown.status, shown.revoked_on) == ("revoked", date(2026, 3, 5))


def test_revoking_can_take_back_the_points_of_the_pass_with_the_reason(world):
    from hub_app.recognition import points, revocations

    cert = _sit(world, world.ana, T0).certificate
    earned = points.total(world.admin, world.store, world.ana.id)
    assert earned > 0
    done = revocations.revoke(
        world.manager, world.store, cert.id, "Exam content leaked", T0 + DAY, take_back_points=True
    )
    assert sum(e.points for e in done.reversals) == -earned
    assert {e.reason for e in done.reversals} == {"Exam content leaked"}
    assert points.total(world.admin, world.store, world.ana.id) == 0


def test_revoking_keeps_the_points_unless_asked(world):
    from hub_app.recognition import points, revocations

    cert = _sit(world, world.ana, T0).certificate
    earned = points.total(world.admin, world.store, world.ana.id)
    done = revocations.revoke(world.manager, world.store, cert.id, "Left the company", T0 + DAY, take_back_points=False)
    assert done.reversals == () and points.total(world.admin, world.store, world.ana.id) == earned
