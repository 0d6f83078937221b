"""Find a partner (public): approved partners that chose to be listed, filterable by type, tier, region,
industry and certification."""

import streamlit as st

from hub_app.kernel.i18n import t
from hub_app.partners.locator import Filters
from hub_app.ui.parts import locator
from hub_app.ui.views import joining
from hub_app.ui.web import context, session

lang = session.language()
catalog = context.catalog()
st.title(t("Find a Quillstack partner", lang))
st.caption(t("Certified partners who chose to be listed. Contact them through their website.", lang))
filters: Filters = locator.filters(catalog, lang)
found = joining.partner_listings(context.store(), context.now(), filters)
locator.results(found, catalog, lang)
