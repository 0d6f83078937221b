"""Open Badges on pages: a certificate's badge downloads and LinkedIn link; checking a pasted or uploaded badge."""

from __future__ import annotations

import os

import streamlit as st

from hub_app.catalog import Catalog
from hub_app.certification import badge_verify, badges
from hub_app.certification.badge_keys import issuer_key
from hub_app.certification.certificates import lapses_at
from hub_app.certification.records import Certificate
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import USERS
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain
from hub_app.ui.words.messages import error_text


@st.cache_resource(show_spinner=False)
def issuer() -> badges.Issuer:
    """The badge issuer: the key (HUB_BADGE_KEY_FILE, else generated into the data dir), vendor and URLs."""
    key = issuer_key(context.data_dir(), os.environ.get("HUB_BADGE_KEY_FILE"))
    vendor = context.catalog().program.program.vendor
    return badges.Issuer(key, vendor, context.site_url(), context.app_url())


def badge_buttons(certificate: Certificate, name: str, lang: str) -> None:
    """Download the certificate's badge (.json, .jwt) and add it to LinkedIn."""
    store, catalog = context.store(), context.catalog()

    # Made when clicked, not on every render: signing and the status slot's first write cost time.
    def document() -> bytes:
        return badges.badge_json(store, catalog, issuer(), certificate)

    def token() -> bytes:
        return badges.badge_jwt(store, catalog, issuer(), certificate).encode()

    stem = f"badge-{certificate.verification_code}"
    st.caption(t("Digital badge (Open Badges 3.0)", lang))
    json_col, jwt_col, linkedin_col = st.columns(3)
    json_col.download_button(
        t("Badge (.json)", lang),
        document,
        file_name=f"{stem}.json",
        mime="application/json",
        icon=":material/badge:",
        key=f"badge-json-{certificate.id}",
        width="stretch",
    )
    jwt_col.download_button(
        t("Signed badge (.jwt)", lang),
        token,
        file_name=f"{stem}.jwt",
        mime="application/jwt",
        icon=":material/verified_user:",
        key=f"badge-jwt-{certificate.id}",
        width="stretch",
    )
    linkedin_col.link_button(
        t("Add to LinkedIn", lang),
        badges.linkedin_url(catalog, issuer(), certificate, name),
        icon=":material/add_circle:",
        width="stretch",
    )


def badge_check(lang: str) -> None:
    """The verify page's second way in: paste or upload a badge, get valid/expired/revoked/superseded/tampered."""
    st.subheader(t("Check a digital badge", lang))
    st.caption(t("Paste a badge (.jwt or .json) or upload its file to check its signature and status.", lang))
    with st.form("badge_check"):
        pasted = st.text_area(
            t("Badge to check", lang), key="badge_text", height=120, placeholder="eyJhbGciOiJSUzI1NiIs…"
        )
        uploaded = st.file_uploader(
            t("Or upload the badge file", lang),
            type=list(badge_verify.ACCEPTED_SUFFIXES),
            key="badge_file",
            max_upload_size=1,  # MB, the browser's refusal; a badge over 64 KB is refused below with a message
        )
        submitted = st.form_submit_button(t("Check badge", lang), type="primary")
    if not submitted:
        return
    try:
        if uploaded is not None:
            text, name = badge_verify.read_upload(uploaded.name, uploaded.getvalue()), uploaded.name
        else:
            text, name = pasted, t("pasted text", lang)
        if not text.strip():
            st.warning(t("Paste a badge or choose its file first.", lang))
            return
        found = badge_verify.check_badge(context.store(), context.catalog(), issuer(), text, context.now(), name)
    except HubError as e:
        st.error(error_text(e, lang, session.timezone(), context.catalog()))
        return
    _verdict(found, context.catalog(), lang)


def _verdict(found: badge_verify.BadgeCheck, catalog: Catalog, lang: str) -> None:
    certificate = found.certificate
    if found.verdict == "tampered" or certificate is None:
        st.error(t("Not valid: this badge was changed after it was issued, or this hub did not issue it.", lang))
        return
    tz = session.timezone()
    course = catalog.courses.get(certificate.course_id)
    name = course.certification.name.get(lang) if course and course.certification else certificate.course_id
    holder = context.store().get(USERS, certificate.user_id)
    facts = t(
        "{certification}, held by {holder}, issued {issued}, valid until {expires}.",
        lang,
        certification=plain(name),
        holder=plain(holder.display_name if holder else ""),
        issued=fmt.day(certificate.issued, lang, tz),
        expires=fmt.day(lapses_at(certificate), lang, tz),
    )
    shown = {
        "valid": (st.success, t("Valid: this badge is genuine and in force.", lang)),
        "expired": (st.warning, t("Expired: this badge is genuine, but its validity has ended.", lang)),
        "revoked": (st.error, t("Revoked: the issuer withdrew this badge.", lang)),
        "superseded": (
            st.info,
            t("Superseded: this badge is genuine, but a renewal replaced it. Ask the holder for the newer one.", lang),
        ),
    }
    show, headline = shown[found.verdict]
    show(f"{headline}  \n{facts}")
