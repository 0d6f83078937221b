"""Community parts shown beyond its own pages: "what's new" on the home page (unread marked) and, in the
sidebar of every page a partner opens, their channel manager with office hours and a link to the contact
form."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from hub_app.catalog.announcements import Announcement, load_announcements
from hub_app.community import announcements, managers
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import User
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain
from hub_app.ui.words.messages import error_text
from hub_app.ui.words.posts import post_html

CONTACT = Path(__file__).parents[1] / "pages" / "contact.py"


@st.cache_resource(ttl=300, show_spinner=False)
def _announcements(root: str) -> list[Announcement]:
    # Content changes with a deployment; five minutes keep a fresh file from waiting for a restart.
    return load_announcements(context.catalog().root, context.catalog().program)


def all_announcements() -> list[Announcement]:
    """The announcements of content/announcements (read again every few minutes)."""
    return _announcements(str(context.catalog().root))


def whats_new(user: User, lang: str) -> None:
    """The current announcements for the person's audience, unread ones marked; opening one keeps a receipt."""
    store, catalog = context.store(), context.catalog()
    news = announcements.whats_new(user, store, all_announcements(), context.now(), catalog.program.program.timezone)
    if not news:
        return
    unread = sum(n.unread for n in news)
    st.subheader(t("What's new", lang))
    if unread:
        st.caption(t("{count} unread", lang, count=fmt.number(unread, lang)))
    for item in news:
        _news_item(user, item, lang)


def _news_item(user: User, item: announcements.News, lang: str) -> None:
    note = item.announcement
    marks = [t("New", lang)] if item.unread else []
    if note.pinned:
        marks.append(t("Pinned", lang))
    badge = " ".join(f":blue-badge[{m}]" for m in marks)
    title = f"{plain(note.title(lang))} · {fmt.day(note.date, lang, session.timezone())} {badge}".strip()
    with st.expander(title, icon=":material/campaign:" if item.unread else ":material/drafts:"):
        st.html(post_html(note.body(lang)))
        if item.unread and st.button(t("Mark as read", lang), key=f"read_{note.id}"):
            announcements.mark_read(user, context.store(), note.id, context.now())
            st.rerun()


def manager_card(user: User, lang: str) -> None:
    """The partner's channel manager (name, email, office hours) and a contact form; nothing for staff."""
    card = managers.manager_of(context.store(), user)
    if card is None:
        return
    st.caption(t("Your channel manager", lang))
    st.markdown(f"**{plain(card.name)}**  \n{plain(card.email)}")
    if card.hours:
        st.caption(t("Office hours: {hours}", lang, hours=plain(card.hours)))
    st.page_link(CONTACT, label=t("Contact {name}", lang, name=plain(card.name)), icon=":material/mail:")


def contact_form(user: User, lang: str) -> None:
    """The message to the partner's channel manager: refused inline when empty, else into the outbox."""
    card = managers.manager_of(context.store(), user)
    if card is None:
        st.info(t("Your company has no channel manager assigned yet. Write to the program team instead.", lang))
        return
    st.markdown(f"**{plain(card.name)}** · {plain(card.email)}")
    if card.hours:
        st.caption(t("Office hours: {hours}", lang, hours=plain(card.hours)))
    with st.form("contact_manager", clear_on_submit=True):
        message = st.text_area(t("Your message", lang), key="contact_message", max_chars=managers.MESSAGE_MAX)
        sent = st.form_submit_button(t("Send", lang), type="primary")
    if not sent:
        return
    try:
        card = managers.contact(user, context.store(), message, context.now())
    except HubError as e:
        st.error(error_text(e, lang, session.timezone(), context.catalog()))
    else:
        st.success(t("Sent to {name}; the answer comes by email.", lang, name=plain(card.name)))
