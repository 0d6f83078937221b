"""My certificates: status, verification code and link, and a printable certificate to download."""

import streamlit as st

from hub_app.certification import certificates as certification
from hub_app.kernel.i18n import t
from hub_app.ui.parts import badges
from hub_app.ui.views import certificate_doc
from hub_app.ui.web import context, nav, session
from hub_app.ui.web.signin import require_user
from hub_app.ui.words import fmt, labels, links
from hub_app.ui.words.markup import plain

user, lang = require_user()
tz, catalog, now = session.timezone(), context.catalog(), context.now()
st.title(t("Certificates", lang))
held = sorted(certification.certificates_of(user, context.store(), user.id), key=lambda c: c.issued, reverse=True)
if not held:
    st.info(t("No certificates yet. Pass a certification exam to earn one.", lang))
    st.page_link(nav.PAGES_DIR / "courses.py", label=t("Browse courses", lang), icon=":material/school:")
program = catalog.program.program
for cert in held:
    course = catalog.courses.get(cert.course_id)
    name = course.certification.name.get(lang) if course and course.certification else cert.course_id
    status = certification.status_in_store(context.store(), cert, catalog.program, now)
    verify = links.verify_url(context.app_url(), cert.verification_code)
    with st.container(border=True):
        st.markdown(f"#### {name}")
        if status in ("revoked", "superseded"):  # no longer valid until anything
            dates = t("Issued {issued}", lang, issued=fmt.day(cert.issued, lang, tz))
        else:
            dates = t(
                "Issued {issued} · valid until {expires}",
                lang,
                issued=fmt.day(cert.issued, lang, tz),
                expires=fmt.day(certification.lapses_at(cert), lang, tz),
            )
        st.markdown(labels.certificate_status(status, lang) + "  " + dates)
        if cert.recertify_by is not None and status != "revoked":
            st.warning(
                t(
                    "A new version of this course is out: pass its exam by {date} to keep this certificate.",
                    lang,
                    date=fmt.day(cert.recertify_by, lang, tz),
                )
            )
        st.caption(t("Verification code", lang))
        st.code(cert.verification_code, language=None)
        if status == "superseded":  # the renewal is the one to print and show
            renewal = certification.superseded_by(context.store(), cert)
            code = renewal.verification_code if renewal else ""
            st.caption(t("Replaced by a renewal: certificate {code}.", lang, code=code))
            continue
        if status == "revoked" and cert.revoked_at is not None:
            st.caption(
                t(
                    "Revoked on {date}: {reason}",
                    lang,
                    date=fmt.day(cert.revoked_at, lang, tz),
                    reason=plain(cert.revoke_reason or ""),
                )
            )
            continue
        page = certificate_doc.printable(
            certificate_doc.CertificateFacts(
                program=program.name.get(lang),
                vendor=program.vendor,
                holder=user.display_name,
                certification=name,
                issued=fmt.day(cert.issued, lang, tz),
                expires=fmt.day(certification.lapses_at(cert), lang, tz),
                code=cert.verification_code,
                verify_url=verify,
            ),
            lang,
        )
        left, right = st.columns(2)
        left.download_button(
            t("Printable certificate", lang),
            page,
            mime="text/html",
            icon=":material/print:",
            file_name=f"certificate-{cert.verification_code}.html",
            key=f"print-{cert.id}",
            width="stretch",
        )
        right.link_button(t("Verification page", lang), verify, icon=":material/verified:", width="stretch")
        badges.badge_buttons(cert, name, lang)
