"""The public partner locator: active partners that opted in on their company profile, filterable.

A listing shows only what the partner chose to publish (name, website, description) and facts of the
program (type, tier, region, industries, the certifications its people hold: passed in by the caller,
since certificates live a floor above). Nobody's name or email is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hub_app.partners.records import COMPANIES
from hub_app.store.base import Store


@dataclass(frozen=True)
class Listing:
    """One partner as the public sees it."""

    company_id: str
    name: str
    type: str
    tier: str
    region: str
    country: str
    industries: tuple[str, ...]
    website: str
    description: str
    certifications: tuple[str, ...]  # course ids of active certificates its people hold


@dataclass(frozen=True)
class Filters:
    """What a visitor narrows the list by; empty means any."""

    type: str = ""
    tier: str = ""
    region: str = ""
    industry: str = ""
    certification: str = ""
    text: str = ""


def listings(store: Store, certified: Mapping[str, frozenset[str]]) -> list[Listing]:
    """Every active partner that opted in, by name; `certified` maps a company id to its active courses."""
    return [
        Listing(
            c.id,
            c.name,
            c.type,
            c.tier,
            c.region,
            c.country,
            c.industries,
            c.website,
            c.description,
            tuple(sorted(certified.get(c.id, frozenset()))),
        )
        for c in store.select(COMPANIES)
        if c.active and c.listed
    ]


def matches(listing: Listing, filters: Filters) -> bool:
    """True when the listing passes every filter (the text is looked for in the name and description)."""
    text = filters.text.strip().casefold()
    return (
        (not filters.type or listing.type == filters.type)
        and (not filters.tier or listing.tier == filters.tier)
        and (not filters.region or listing.region == filters.region)
        and (not filters.industry or filters.industry in listing.industries)
        and (not filters.certification or filters.certification in listing.certifications)
        and (not text or text in listing.name.casefold() or text in listing.description.casefold())
    )


def search(store: Store, certified: Mapping[str, frozenset[str]], filters: Filters) -> list[Listing]:
    """The listings that pass `filters`."""
    return [found for found in listings(store, certified) if matches(found, filters)]
