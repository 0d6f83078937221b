"""Verify a certificate (public): by a typed code or verify?code=... ; shows only name, certification,
status and dates."""

import streamlit as st

from hub_app.certification import certificates as certification
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.ui.parts import badges
from hub_app.ui.web import context, nav, session
from hub_app.ui.words import fmt, labels
from hub_app.ui.words.markup import plain
from hub_app.ui.words.messages import error_text

lang, tz = session.language(), session.timezone()
st.title(t("Verify a certificate", lang))
st.caption(t("Enter the code printed on a Partner Hub certificate to check that it is genuine and still valid.", lang))
from_link = str(st.query_params.get("code", ""))
with st.form("verify"):
    typed = st.text_input(
        t("Verification code", lang), value=from_link, placeholder="ABCD-EFGH-JK23", key="verify_code"
    )
    submitted = st.form_submit_button(t("Verify", lang), type="primary")
code = typed if submitted else from_link
if submitted:
    st.query_params["code"] = typed.strip()
if code.strip():
    try:
        found = certification.verify(context.store(), context.catalog(), code, context.now(), lang)
    except HubError as e:
        st.error(error_text(e, lang, tz, context.catalog()))
    else:
        with st.container(border=True):
            st.markdown(f"### {plain(found.certification)}")
            st.markdown(labels.verification_status(found.status, lang))
            rows = [(t("Holder", lang), plain(found.holder)), (t("Issued", lang), fmt.day(found.issued, lang, tz))]
            if found.revoked_on is not None:  # a revoked certificate is valid until nothing
                rows.append((t("Revoked on", lang), fmt.day(found.revoked_on, lang, tz)))
            elif found.superseded_by is None:
                rows.append((t("Valid until", lang), fmt.day(found.expires, lang, tz)))
            st.markdown("  \n".join(f"**{label}:** {value}" for label, value in rows))
            if found.superseded_by is not None:
                st.info(t("Replaced by a renewal: certificate {code}.", lang, code=found.superseded_by))
                st.page_link(
                    nav.PAGES_DIR / "verify.py",
                    label=t("Verify {code}", lang, code=found.superseded_by),
                    query_params={"code": found.superseded_by},
                    icon=":material/verified:",
                )

badges.badge_check(lang)
