"""Badges on pages: downloads and the LinkedIn link on Certificates, a pasted badge checked on Verify,
email settings on Account, the webhook delivery log in the console."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from app_driver import app_as
from seed import NOW

from hub_app.certification import certificates as certification
from hub_app.certification.badges import badge_jwt
from hub_app.certification.records import certificates_of
from hub_app.notifications import webhooks as hooks
from hub_app.notifications.records import preference_of
from hub_app.ui.parts import badges


def _linkedin(at) -> list[str]:
    return [b.proto.url for b in at.get("link_button") if b.proto.label == "Add to LinkedIn"]


def test_certificates_offer_the_badge_and_an_add_to_linkedin_link(hub):
    at = app_as(hub.ben, "certificates")
    held = sorted(certificates_of(hub.store, hub.ben.id), key=lambda c: c.issued, reverse=True)
    urls = _linkedin(at)
    assert len(urls) == len(held)
    query = {k: v[0] for k, v in parse_qs(urlsplit(urls[0]).query).items()}
    assert query["certUrl"] == f"https://hub.example.com/verify?code={held[0].verification_code}"
    assert (query["organizationName"], query["certId"]) == ("Quillstack", held[0].verification_code)


def _check(at):
    next(b for b in at.button if b.label in ("Check badge", "核验徽章")).click().run()


def _token(hub):
    cert = certificates_of(hub.store, hub.ben.id)[0]
    return cert, badge_jwt(hub.store, hub.catalog, badges.issuer(), cert)


def test_a_pasted_badge_is_checked_on_the_public_verify_page(hub):
    at = app_as(None, "verify")
    _, token = _token(hub)
    at.text_area(key="badge_text").input(token)
    _check(at)
    found = [s.value for s in at.success]
    assert found and found[0].startswith("Valid: this badge is genuine and in force.")


def test_a_revoked_badge_says_so_in_chinese(hub):
    cert, token = _token(hub)
    certification.revoke(hub.manager, hub.store, cert.id, "Shared answers", NOW)
    at = app_as(None, "verify", lang="zh")
    at.text_area(key="badge_text").input(token)
    _check(at)
    assert [e.value.split("  \n")[0] for e in at.error] == ["已撤销：颁发方已收回此徽章。"]


def test_a_tampered_badge_is_not_valid(hub):
    _, token = _token(hub)
    at = app_as(None, "verify")
    at.text_area(key="badge_text").input(token[:-4] + "AAAA")
    _check(at)
    assert [e.value for e in at.error] == [
        "Not valid: this badge was changed after it was issued, or this hub did not issue it."
    ]


def test_email_settings_are_saved_from_the_account_page(hub):
    at = app_as(hub.ana, "account")
    at.radio(key="mail_cadence").set_value("weekly")
    at.checkbox(key="mail_tier.changed").uncheck()
    next(b for b in at.button if b.label == "Save email settings").click().run()
    assert "Email settings saved." in [s.value for s in at.success]
    saved = preference_of(hub.store, hub.ana.id)
    assert (saved.cadence, saved.muted, saved.unsubscribed) == ("weekly", frozenset({"tier.changed"}), False)


def test_program_admins_see_the_webhook_delivery_log_and_partners_never(hub):
    hooks.add_webhook(hub.admin, hub.store, "https://crm.example.com/in", ("certificate.issued",), NOW)
    at = app_as(hub.admin, "console")
    assert [e.label for e in at.expander][-1:] == ["Webhooks and their deliveries"]
    assert [c.value for c in at.code][-1:] == ["https://crm.example.com/in"]
    assert "Sent for: certificate.issued" in [c.value for c in at.caption]
    at = app_as(hub.manager, "console")
    assert "Webhooks and their deliveries" not in [e.label for e in at.expander]
