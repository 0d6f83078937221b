"""Open Badges 3.0: each certificate as a signed OpenBadgeCredential, checked from the JWKS alone."""

from __future__ import annotations

import base64
import gzip
import json
import os
import stat
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import jwt as pyjwt  # PyJWT: an independent library, not the one that signs
import pytest
from core_builders import T0, answers_scoring

from hub_app.certification import certificates as certification
from hub_app.certification.badge_keys import BadgeKeyUnreadable, issuer_key
from hub_app.certification.badge_verify import (
    CredentialTooLarge,
    CredentialUnreadable,
    check_badge,
    read_upload,
)
from hub_app.certification.badges import Issuer, badge_documents, badge_json, badge_jwt, encode_list, linkedin_url
from hub_app.learning import exams
from hub_app.learning.submission import submit

SITE, APP = "https://partners.example.com", "https://hub.example.com"


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    return issuer_key(tmp_path_factory.mktemp("data"))


@pytest.fixture
def issuer(key):
    return Issuer(key, "Quillstack", SITE, APP)


def _certify(world, at=T0, user=None):
    user = user or world.ana
    attempt = exams.start_attempt(user, world.catalog, world.store, "cert-101", at)
    answers = answers_scoring(world.catalog, attempt, 3)
    return submit(user, attempt.id, answers, world.catalog, world.store, at + timedelta(minutes=10)).certificate


def _documents(world, issuer, now=T0):
    return {
        path: json.loads(body)
        for path, (kind, body) in badge_documents(world.store, world.catalog, issuer, now).items()
        if kind != "application/jwt" and not path.endswith(".svg")
    }


def _verify_independently(token: str, jwks: dict) -> dict:
    """What any verifier does with the JWKS only: pick the key by kid, check RS256 and the dates."""
    kid = pyjwt.get_unverified_header(token)["kid"]
    key = pyjwt.PyJWKSet.from_dict(jwks)[kid]
    return pyjwt.decode(token, key.key, algorithms=["RS256"], options={"verify_aud": False})


def _revoked_in(status_list: dict, credential: dict) -> bool:
    encoded = status_list["credentialSubject"]["encodedList"].removeprefix("u")
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    index = int(credential["credentialStatus"]["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def test_a_badge_verifies_with_an_independent_library_from_the_jwks_alone(world, issuer):
    cert = _certify(world)
    token = badge_jwt(world.store, world.catalog, issuer, cert)
    claims = _verify_independently(token, _documents(world, issuer)["badges/jwks.json"])
    vc = claims["vc"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert vc["issuer"] == {
        "id": f"{SITE}/badges/issuer.json",
        "type": ["Profile"],
        "name": "Quillstack",
        "url": f"{SITE}/",
    }
    assert vc["validFrom"] == "2026-03-02T09:10:00Z"
    assert vc["validUntil"] == "2027-03-02T09:10:00Z"
    assert (
        claims["iss"] == vc["issuer"]["id"]
        and claims["jti"]
        == vc["id"]
        == f"urn:uuid:{cert.id[:8]}-{cert.id[8:12]}-{cert.id[12:16]}-{cert.id[16:20]}-{cert.id[20:]}"
    )
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "Certification"
    assert achievement["criteria"]["id"] == f"{SITE}/courses/cert-101/"
    assert achievement["image"] == {
        "id": f"{SITE}/badges/images/cert-101.svg",
        "type": "Image",
        "caption": achievement["name"],
    }
    assert vc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert vc["credentialStatus"]["statusListCredential"] == f"{SITE}/badges/status.json"


def test_one_changed_byte_fails_the_independent_check_and_the_verify_page(world, issuer):
    cert = _certify(world)
    token = badge_jwt(world.store, world.catalog, issuer, cert)
    header, payload, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["vc"]["validUntil"] = "2099-01-05T09:10:00Z"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    one_byte = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    jwks = _documents(world, issuer)["badges/jwks.json"]
    for forged in (f"{header}.{forged_payload}.{sig}", one_byte):
        with pytest.raises(pyjwt.InvalidSignatureError):
            _verify_independently(forged, jwks)
        assert check_badge(world.store, world.catalog, issuer, forged, T0).verdict == "tampered"


def test_a_revoked_certificate_is_set_in_the_status_list_and_the_verify_page_says_revoked(world, issuer):
    cert = _certify(world)
    other = _certify(world, user=world.bob)
    token = badge_jwt(world.store, world.catalog, issuer, cert)
    vc = _verify_independently(token, _documents(world, issuer)["badges/jwks.json"])["vc"]
    assert not _revoked_in(_documents(world, issuer)["badges/status.json"], vc)
    assert check_badge(world.store, world.catalog, issuer, token, T0 + timedelta(days=1)).verdict == "valid"
    certification.revoke(world.manager, world.store, cert.id, "Shared exam answers", T0 + timedelta(days=2))
    listing = _documents(world, issuer)["badges/status.json"]
    assert _revoked_in(listing, vc)
    other_vc = json.loads(badge_json(world.store, world.catalog, issuer, other))
    assert not _revoked_in(listing, other_vc)
    assert check_badge(world.store, world.catalog, issuer, token, T0 + timedelta(days=3)).verdict == "revoked"


def test_the_signed_status_list_verifies_from_the_jwks(world, issuer):
    documents = badge_documents(world.store, world.catalog, issuer, T0)
    claims = _verify_independently(
        documents["badges/status.jwt"][1].decode(), json.loads(documents["badges/jwks.json"][1])
    )
    assert claims["vc"]["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert len(_revoked_bits(claims["vc"])) == 131_072 // 8


def _revoked_bits(listing):
    encoded = listing["credentialSubject"]["encodedList"].removeprefix("u")
    return gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def test_an_expired_badge_says_expired_not_tampered(world, issuer):
    cert = _certify(world)
    token = badge_jwt(world.store, world.catalog, issuer, cert)
    assert check_badge(world.store, world.catalog, issuer, token, T0 + timedelta(days=800)).verdict == "expired"


def test_a_renewed_certificates_old_badge_is_superseded(world, issuer):
    cert = _certify(world)
    renewal = _certify(world, at=cert.expires - timedelta(days=10))
    assert renewal.renews == cert.id
    token = badge_jwt(world.store, world.catalog, issuer, cert)
    assert (
        check_badge(world.store, world.catalog, issuer, token, cert.expires - timedelta(days=5)).verdict == "superseded"
    )


def test_the_json_download_is_valid_as_issued_and_tampered_when_edited(world, issuer):
    cert = _certify(world)
    text = badge_json(world.store, world.catalog, issuer, cert).decode()
    assert check_badge(world.store, world.catalog, issuer, text, T0).verdict == "valid"
    edited = text.replace("Ana", "Eve")
    assert edited != text
    assert check_badge(world.store, world.catalog, issuer, edited, T0).verdict == "tampered"


def test_the_same_certificate_always_gives_the_same_badge(world, issuer):
    cert = _certify(world)
    first = badge_jwt(world.store, world.catalog, issuer, cert)
    assert badge_jwt(world.store, world.catalog, issuer, cert) == first


def test_a_badge_signed_by_another_key_is_tampered(world, issuer, tmp_path):
    cert = _certify(world)
    stranger = Issuer(issuer_key(tmp_path), "Quillstack", SITE, APP)
    token = badge_jwt(world.store, world.catalog, stranger, cert)
    assert check_badge(world.store, world.catalog, issuer, token, T0).verdict == "tampered"


NOT_A_BADGE = (
    "'pasted text' is not a badge: expected a VC-JWT (three parts separated by dots) or a JSON credential. "
    "Paste or upload the .jwt or .json file from the certificates page."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "hello",
            NOT_A_BADGE,
        ),
        (
            "{not json",
            NOT_A_BADGE,
        ),
    ],
)
def test_text_that_is_no_badge_is_refused_with_what_to_paste(world, issuer, text, expected):
    with pytest.raises(CredentialUnreadable) as refused:
        check_badge(world.store, world.catalog, issuer, text, T0)
    assert str(refused.value) == expected


def test_an_upload_larger_than_a_badge_or_not_text_is_refused(world):
    with pytest.raises(CredentialTooLarge) as large:
        read_upload("big.json", b"x" * (70 * 1024))
    assert (
        str(large.value)
        == "The file 'big.json' is 70 KB; a badge is at most 64 KB. Upload the .json or .jwt file you downloaded."
    )
    with pytest.raises(CredentialUnreadable):
        read_upload("photo.jwt", b"\xff\xd8\xff\xe0")


def test_the_generated_key_is_private_to_the_owner_and_kept(tmp_path):
    first = issuer_key(tmp_path)
    mode = stat.S_IMODE(os.stat(tmp_path / "badge_key.pem").st_mode)
    assert mode == 0o600
    assert issuer_key(tmp_path).thumbprint() == first.thumbprint()


def test_a_configured_key_file_that_is_no_key_is_refused_with_a_hint(tmp_path):
    bad = tmp_path / "key.pem"
    bad.write_text("not a key")
    with pytest.raises(BadgeKeyUnreadable) as refused:
        issuer_key(tmp_path, str(bad))
    assert str(refused.value) == (
        f"The badge signing key '{bad}' is not an RSA private key in PEM form. "
        "Hint: set HUB_BADGE_KEY_FILE to a file made by `openssl genrsa 2048`, or unset it to use a generated key."
    )


def test_the_jwks_holds_no_private_key_part(world, issuer):
    (key,) = _documents(world, issuer)["badges/jwks.json"]["keys"]
    assert set(key) == {"kty", "n", "e", "kid", "use", "alg"}


def test_the_linkedin_link_names_the_certification_issuer_months_and_verify_url(world, issuer):
    cert = _certify(world)
    url = linkedin_url(world.catalog, issuer, cert, "Certified Tester")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Certified Tester",
        "organizationName": "Quillstack",
        "issueYear": "2026",
        "issueMonth": "3",
        "expirationYear": "2027",
        "expirationMonth": "3",
        "certUrl": f"{APP}/verify?code={cert.verification_code}",
        "certId": cert.verification_code,
    }


def test_the_site_server_publishes_the_jwks_and_the_status_list(tmp_path, repo_root):
    import socket
    import urllib.request

    from hub_app.cli import serve

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "site").mkdir()
    settings = serve.Settings(repo_root, tmp_path / "data", tmp_path / "site", port, port + 1)
    site = serve.site_server(settings).start()
    documents = serve.BadgeDocuments(settings, lambda: None)
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/badges/jwks.json") as answer:
            assert answer.headers["Content-Type"] == "application/jwk-set+json"
            (key,) = json.loads(answer.read())["keys"]
        assert key["kid"] == documents.issuer.key.thumbprint()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/badges/status.json") as answer:
            listing = json.loads(answer.read())
        assert listing["credentialSubject"]["statusPurpose"] == "revocation"
        assert listing["credentialSubject"]["encodedList"] == encode_list(bytes(131_072 // 8))
        assert listing["id"] == f"http://127.0.0.1:{port}/badges/status.json"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/badges/nothing.json")
        assert missing.value.code == 404
    finally:
        site.stop()
