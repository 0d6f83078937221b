"""The partner locator's filters and its cards."""

from __future__ import annotations

import streamlit as st

from hub_app.catalog import Catalog
from hub_app.kernel.i18n import t
from hub_app.partners.locator import Filters, Listing
from hub_app.ui.parts.company import certification_name
from hub_app.ui.parts.joining import industry_names, label
from hub_app.ui.words.markup import plain


def _pick(label: str, options: dict[str, str], key: str, lang: str) -> str:
    choice = st.selectbox(label, ["", *options], format_func=lambda o: options.get(o, t("Any", lang)), key=key)
    return str(choice or "")


def filters(catalog: Catalog, lang: str) -> Filters:
    """The filter bar; empty choices mean any."""
    program = catalog.program
    types = {pt.id: pt.name.get(lang) for pt in program.partner_types}
    tiers = {tier.id: tier.name.get(lang) for tier in program.tiers}
    regions = {r.id: r.name.get(lang) for r in program.recruitment.regions} if program.recruitment else {}
    industries = {i.en: i.get(lang) for i in program.recruitment.industries} if program.recruitment else {}
    certs = {c.id: certification_name(catalog, c.id, lang) for c in catalog.courses.values() if c.certification}
    text = st.text_input(t("Search by name or what they do", lang), key="loc_text")
    first, second, third = st.columns(3)
    with first:
        type_ = _pick(t("Partner type", lang), types, "loc_type", lang)
        tier = _pick(t("Tier", lang), tiers, "loc_tier", lang)
    with second:
        region = _pick(t("Region", lang), regions, "loc_region", lang)
        industry = _pick(t("Industry", lang), industries, "loc_industry", lang)
    with third:
        cert = _pick(t("Certification", lang), certs, "loc_cert", lang)
    return Filters(type_, tier, region, industry, cert, text)


def results(found: list[Listing], catalog: Catalog, lang: str) -> None:
    """One card per listed partner."""
    program = catalog.program
    regions = {r.id: r.name.get(lang) for r in program.recruitment.regions} if program.recruitment else {}
    st.caption(t("{count} partners found.", lang, count=len(found)))
    for listing in found:
        with st.container(border=True):
            st.markdown(f"**{plain(listing.name)}**")
            facts = [
                program.partner_type(listing.type).name.get(lang),
                program.tier(listing.tier).name.get(lang),
                regions.get(listing.region, plain(listing.region)),
                plain(listing.country),
            ]
            st.caption(" · ".join(facts))
            if listing.description:
                st.markdown(plain(listing.description))
            if listing.industries:
                named = industry_names(catalog, listing.industries, lang)
                st.markdown(f"**{label(t('Industries', lang), lang)}** {plain(named)}")
            if listing.certifications:
                names = ("、" if lang == "zh" else ", ").join(
                    certification_name(catalog, c, lang) for c in listing.certifications
                )
                st.markdown(f"**{label(t('Certifications held', lang), lang)}** {plain(names)}")
            if listing.website:
                url = (
                    listing.website
                    if listing.website.startswith(("https://", "http://"))
                    else f"https://{listing.website}"
                )
                st.link_button(t("Visit the website", lang), url)
