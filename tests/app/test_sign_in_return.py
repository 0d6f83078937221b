"""After signing in from a partner page of the site, the app sends the person back there, and nowhere else."""

from __future__ import annotations

import pytest

from hub_app.ui.web.signin import return_url

SITE = "https://partners.example.com"


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        (f"{SITE}/sales-kits/flow/", f"{SITE}/sales-kits/flow/"),
        (f"{SITE}/zh/sales-kits/flow/?q=1", f"{SITE}/zh/sales-kits/flow/?q=1"),
        ("https://evil.example/sales-kits/", None),
        (f"{SITE}.evil.example/", None),
        (f'{SITE}/x"><script>', None),
        ("javascript:alert(1)", None),
        (None, None),
    ],
)
def test_only_a_page_of_the_site_is_a_place_to_return_to(next_url, expected):
    assert return_url(next_url, SITE + "/") == expected
