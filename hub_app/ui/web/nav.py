"""The pages each person may open, and the sidebar (who is signed in, language, sign-out).

To add a page, write its script under ui/pages/ and add a `PageSpec` to `PAGES` with who may open it.
A page is also checked in the domain (DESIGN invariant 5): hiding it only keeps the menu tidy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from hub_app.kernel.i18n import LANGUAGES, t
from hub_app.partners import permissions
from hub_app.partners.records import COMPANIES, User
from hub_app.ui.parts import community
from hub_app.ui.web import context, session
from hub_app.ui.words.markup import plain

PAGES_DIR = Path(__file__).parents[1] / "pages"


def anyone(user: User | None) -> bool:
    return True


def signed_in(user: User | None) -> bool:
    return user is not None


def anonymous(user: User | None) -> bool:
    return user is None


def partner_admin(user: User | None) -> bool:
    return user is not None and permissions.is_partner_admin(user)


def vendor_staff(user: User | None) -> bool:
    return user is not None and permissions.is_vendor_staff(user)


@dataclass(frozen=True)
class PageSpec:
    """A page: its script in ui/pages/, its URL path, its title in a language, and who may open it."""

    script: str
    url_path: str
    title: Callable[[str], str]
    icon: str
    allowed: Callable[[User | None], bool]
    default: bool = False
    by_url: bool = False  # signed in without `allowed`, its URL still opens it: the domain says no
    listed: bool = True  # False: reachable by its URL only (a link in a mail), never in the menu


PAGES: list[PageSpec] = [
    PageSpec("signin.py", "signin", lambda lang: t("Sign in", lang), ":material/login:", anonymous, default=True),
    PageSpec("home.py", "home", lambda lang: t("Home", lang), ":material/home:", signed_in, default=True),
    PageSpec("courses.py", "courses", lambda lang: t("Courses", lang), ":material/school:", signed_in),
    PageSpec("exam.py", "exam", lambda lang: t("Exam", lang), ":material/quiz:", signed_in),
    PageSpec(
        "certificates.py",
        "certificates",
        lambda lang: t("Certificates", lang),
        ":material/workspace_premium:",
        signed_in,
    ),
    PageSpec(
        "leaderboards.py", "leaderboards", lambda lang: t("Leaderboards", lang), ":material/leaderboard:", signed_in
    ),
    PageSpec("deals.py", "deals", lambda lang: t("Deals", lang), ":material/handshake:", signed_in),
    PageSpec("events.py", "events", lambda lang: t("Events", lang), ":material/event:", signed_in),
    PageSpec("community.py", "community", lambda lang: t("Community", lang), ":material/forum:", signed_in),
    PageSpec("commissions.py", "commissions", lambda lang: t("Commissions", lang), ":material/payments:", signed_in),
    PageSpec("funds.py", "funds", lambda lang: t("Market development funds", lang), ":material/savings:", signed_in),
    PageSpec(
        "company.py", "company", lambda lang: t("My company", lang), ":material/groups:", partner_admin, by_url=True
    ),
    PageSpec(
        "console.py",
        "console",
        lambda lang: t("Channel manager console", lang),
        ":material/dashboard:",
        vendor_staff,
        by_url=True,
    ),
    PageSpec(
        "contact.py",
        "contact",
        lambda lang: t("Your channel manager", lang),
        ":material/mail:",
        signed_in,
        listed=False,
    ),
    PageSpec("verify.py", "verify", lambda lang: t("Verify a certificate", lang), ":material/verified:", anyone),
    PageSpec("account.py", "account", lambda lang: t("Account", lang), ":material/person:", signed_in),
    PageSpec(
        "unsubscribe.py",
        "unsubscribe",
        lambda lang: t("Unsubscribe", lang),
        ":material/unsubscribe:",
        anyone,
        listed=False,
    ),
]


def _page(spec: PageSpec, lang: str, hidden: bool = False) -> st.Page:
    return st.Page(
        PAGES_DIR / spec.script,
        title=spec.title(lang),
        icon=spec.icon,
        url_path=spec.url_path,
        default=spec.default and not hidden,
        visibility="hidden" if hidden else "visible",
    )


def pages_for(user: User | None, lang: str) -> list[st.Page]:
    """The pages `user` may open. Signed out, the signed-in pages stay reachable but hidden: they ask for
    a sign-in first, so a link from the site (exam?course=...) leads to its page after signing in."""
    pages = [_page(s, lang, hidden=not s.listed) for s in PAGES if s.allowed(user)]
    if user is None:
        pages += [_page(s, lang, hidden=True) for s in PAGES if s.allowed is signed_in]
    else:
        pages += [_page(s, lang, hidden=True) for s in PAGES if s.by_url and not s.allowed(user)]
    return pages


def sidebar(user: User | None, lang: str) -> None:
    """Who is signed in, the language switch and sign-out."""
    with st.sidebar:
        if user is not None:
            company = context.store().get(COMPANIES, user.company_id) if user.company_id else None
            st.markdown(f"**{plain(user.display_name)}**")
            st.caption(plain(company.name if company else user.email))
            community.manager_card(user, lang)
        codes = list(LANGUAGES)
        if st.session_state.get("hub_lang_choice") != lang:
            st.session_state["hub_lang_choice"] = lang
        st.radio(
            t("Language", lang),
            codes,
            format_func=LANGUAGES.__getitem__,
            key="hub_lang_choice",
            horizontal=True,
            on_change=_switch_language,
            args=(user,),
        )
        if user is not None and st.button(t("Sign out", lang), icon=":material/logout:", key="hub_sign_out"):
            session.sign_out()
            st.rerun()


def _switch_language(user: User | None) -> None:
    session.set_language(st.session_state["hub_lang_choice"], user)
