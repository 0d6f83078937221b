"""The site's chrome in the reader's language: the header and footer calls to action, the partner banner,
the print header, and the theme strings MkDocs and Material leave in English.

`HUB_LINKS` is the one place the site points into the hub app. Where the app has no page yet for a
promise, the link goes to the site page that says how it is done today (the integrator re-points it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hub_app.kernel.i18n import t


@dataclass(frozen=True)
class HubLink:
    """A call to action: its label (a msgid) and where it goes (an app path, or a site page)."""

    label: str
    app_path: str | None = None  # "/deals" in the hub app
    site_page: str | None = None  # "contact/" on the site, relative to the language root


HUB_LINKS = (
    HubLink("Apply", app_path="/apply"),
    HubLink("Sign in", app_path="/"),
    HubLink("Register a deal", app_path="/deals"),
    HubLink("Contact", site_page="contact/"),
)


def links(lang: str, app_url: str, site_root: str) -> list[dict[str, str]]:
    """The calls to action as {label, href}; `site_root` is the language root ("/" or "/zh/")."""
    out = []
    for link in HUB_LINKS:
        href = f"{app_url.rstrip('/')}{link.app_path}" if link.app_path else f"{site_root}{link.site_page}"
        out.append({"label": t(link.label, lang), "href": href})
    return out


_APP_LINK = re.compile(r"\]\(hub:(/[^)\s]*)\)")


def app_links(markdown: str, app_url: str) -> str:
    """Links written `[text](hub:/deals)` in content, pointed at the hub app (its URL is known at build)."""
    return _APP_LINK.sub(lambda m: f"]({app_url.rstrip('/')}{m.group(1)})", markdown)


def labels(lang: str, site_name: str) -> dict[str, str]:
    """The strings the templates show, in `lang`."""
    return {
        "internal": t("Internal", lang),
        "internal_note": t("For Quillstack partners only: do not forward outside your company.", lang),
        "not_found": t("Page not found", lang),
        "not_found_hint": t("The page may have moved. Try the search, or start again from the home page.", lang),
        "home": t("Home", lang),
        "copyright": t("Quillstack Partner Program — built with Partner Hub", lang),
        "made_with": t("Made with", lang),
        "calls": t("Partner Hub", lang),
        "site_name": site_name,
        "printed": t("Published", lang),
        "version": t("Version", lang),
    }


# Strings MkDocs and Material write into every page in English whatever the page's language.
_THEME_STRINGS = (
    "Link to this section",
    "Switch to dark mode",
    "Switch to light mode",
)


def localise_html(html: str, lang: str, site_name: str) -> str:
    """A built page with the theme's English strings in `lang`, and the logo named by the site's name."""
    html = html.replace('alt="logo"', f'alt="{site_name}"')
    if lang == "en":
        return html
    for text in _THEME_STRINGS:
        html = html.replace(f'"{text}"', f'"{t(text, lang)}"')
    return html
