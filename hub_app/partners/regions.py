"""Sales regions: stored as codes, worded when shown (`ui.parts.leaderboards.region_label`)."""

from __future__ import annotations

REGIONS = ("apac", "china", "emea", "amer", "na", "latam")
# What people (and the first version's data) wrote for each code.
_NAMES = {
    "asia pacific": "apac",
    "asia-pacific": "apac",
    "greater china": "china",
    "europe, middle east and africa": "emea",
    "americas": "amer",
    "north america": "na",
    "latin america": "latam",
}


def region_code(text: str) -> str:
    """The code of a region written as a code or a name ("APAC", "Greater China"); other text as given."""
    folded = text.strip().casefold()
    if folded in REGIONS:
        return folded
    return _NAMES.get(folded, text.strip())
