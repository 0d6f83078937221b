"""The console's existing customers: how many the conflict check knows, and a CSV import of the vendor's
direct customers with every bad row named (nothing imported while any row is bad)."""

from __future__ import annotations

import streamlit as st

from hub_app.catalog import Catalog
from hub_app.deals import customers
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import User
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context
from hub_app.ui.words import fmt


def customers_section(user: User, catalog: Catalog, lang: str) -> None:
    """Counts by source, then the import."""
    store = context.store()
    known = customers.existing_customers(store)
    direct = sum(1 for c in known if c.source == "direct")
    st.subheader(t("Existing customers", lang))
    st.caption(
        t(
            "The conflict check matches new registrations against {direct} direct customer(s) and {won} "
            "customer(s) won through registered deals.",
            lang,
            direct=fmt.number(direct, lang),
            won=fmt.number(len(known) - direct, lang),
        )
    )
    upload = st.file_uploader(
        t("Import direct customers (CSV: {columns})", lang, columns=",".join(customers.COLUMNS)),
        type=["csv"],
        key="customers_csv",
    )
    if upload is None or not st.button(t("Import", lang), key="customers_import"):
        return
    try:
        text = upload.getvalue().decode("utf-8-sig")
    except UnicodeDecodeError:
        st.error(t("{file} is not UTF-8 text; save it as CSV UTF-8 and upload it again.", lang, file=upload.name))
        return
    try:
        found = customers.import_customers_csv(user, store, upload.name, text, context.now())
    except HubError as e:
        shown_error(e, lang)
        return
    st.success(t("Imported {count} customer(s).", lang, count=fmt.number(len(found), lang)))
