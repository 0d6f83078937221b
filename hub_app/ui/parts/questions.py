"""The community page's parts: the question list with search and tags, the ask form, and one question with
its answers, votes, the accepted answer and (for channel managers and program admins) moderation."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from hub_app.catalog import Catalog
from hub_app.community import questions
from hub_app.community.records import QUESTIONS, VOTES, Answer, Question, answers_to
from hub_app.community.search import search
from hub_app.kernel.errors import HubError
from hub_app.kernel.i18n import t
from hub_app.partners.records import USERS, User
from hub_app.ui.parts.company import shown_error
from hub_app.ui.web import context, session
from hub_app.ui.words import fmt
from hub_app.ui.words.markup import plain
from hub_app.ui.words.posts import post_html

PICKED = "question"  # the query parameter naming the open question


def tag_name(catalog: Catalog, tag: str, lang: str) -> str:
    """A tag in words: the course's, product's or partner type's name."""
    group, _, value = tag.partition(":")
    program = catalog.program
    if group == "course" and value in catalog.courses:
        return catalog.courses[value].title.get(lang)
    if group == "product":
        return next((p.name.get(lang) for p in program.products if p.id == value), value)
    if group == "type":
        return next((p.name.get(lang) for p in program.partner_types if p.id == value), value)
    return tag


def _tags() -> list[str]:
    catalog = context.catalog()
    return questions.known_tags(catalog.program, list(catalog.courses))


def votes_text(count: int, lang: str) -> str:
    """ "1 vote" / "3 votes"."""
    return t("1 vote", lang) if count == 1 else t("{count} votes", lang, count=fmt.number(count, lang))


def answers_text(count: int, lang: str) -> str:
    """ "1 answer" / "3 answers"."""
    return t("1 answer", lang) if count == 1 else t("{count} answers", lang, count=fmt.number(count, lang))


def _byline(author_id: str, at: object, lang: str) -> str:
    author = context.store().get(USERS, author_id)
    name = plain(author.display_name) if author else "—"
    return f"{name} · {fmt.day(at, lang, session.timezone())}"  # type: ignore[arg-type]


def question_list(user: User, lang: str) -> None:
    """Search, tag filter and the questions found, newest first; a button opens one."""
    catalog = context.catalog()
    query = st.text_input(
        t("Search questions", lang), key="qa_search", placeholder=t("e.g. deal registration, 商机", lang)
    )
    tag = st.selectbox(
        t("Tag", lang), ["", *_tags()], format_func=lambda x: tag_name(catalog, x, lang) if x else t("All tags", lang)
    )
    readable = [q for q in context.store().select(QUESTIONS) if questions.readable(user, q)]
    found = [q for q in search(readable, query) if not tag or tag in q.tags]
    if not found:
        st.info(t("No question matches. Ask it: someone in the community may know.", lang))
    for question in found:
        _list_item(question, lang)


def _list_item(question: Question, lang: str) -> None:
    store, catalog = context.store(), context.catalog()
    answers = len(answers_to(store, question.id))
    with st.container(border=True):
        if st.button(f"**{plain(question.title)}**", key=f"open_{question.id}", type="tertiary"):
            st.query_params[PICKED] = question.id
            st.rerun()
        marks = [f":gray-badge[{plain(tag_name(catalog, tag, lang))}]" for tag in question.tags]
        if question.accepted_answer_id:
            marks.insert(0, f":green-badge[{t('Answered', lang)}]")
        if question.hidden_reason:
            marks.insert(0, f":red-badge[{t('Hidden', lang)}]")
        votes, count = votes_text(questions.score(store, question.id), lang), answers_text(answers, lang)
        st.caption(f"{_byline(question.author_id, question.created, lang)} · {votes} · {count}")
        if marks:
            st.markdown(" ".join(marks))


def ask_form(user: User, lang: str) -> None:
    """Ask a question: title, Markdown text and tags; problems shown inline, nothing saved on bad input."""
    catalog = context.catalog()
    with st.form("ask_question", clear_on_submit=False):
        title = st.text_input(t("Question", lang), key="ask_title", max_chars=questions.TITLE_MAX)
        body = st.text_area(t("Details (Markdown)", lang), key="ask_body")
        tags = st.multiselect(
            t("Tags", lang), _tags(), key="ask_tags", format_func=lambda x: tag_name(catalog, x, lang)
        )
        asked = st.form_submit_button(t("Ask", lang), type="primary")
    if not asked:
        return
    try:
        question = questions.ask(
            user, context.store(), questions.QuestionForm(title, body, tuple(tags)), _tags(), context.now()
        )
    except HubError as e:
        shown_error(e, lang)
        return
    st.query_params[PICKED] = question.id
    st.rerun()


def _run(action: Callable[[], object], lang: str) -> None:
    try:
        action()
    except HubError as e:
        shown_error(e, lang)
        return
    st.rerun()


def question_view(user: User, question: Question, lang: str) -> None:
    """The question, its answers best first (the accepted one on top), voting, accepting and moderating."""
    store, catalog = context.store(), context.catalog()
    if st.button(t("All questions", lang), icon=":material/arrow_back:", key="qa_back"):
        del st.query_params[PICKED]
        st.rerun()
    st.header(plain(question.title))
    tags = " ".join(f":gray-badge[{plain(tag_name(catalog, tag, lang))}]" for tag in question.tags)
    st.caption(_byline(question.author_id, question.created, lang))
    if tags:
        st.markdown(tags)
    _hidden_note(question.hidden_reason, lang)
    if question.locked:
        st.warning(t("Locked by a moderator: no new answers or votes.", lang))
    st.html(post_html(question.body))
    _vote(user, question.id, question.author_id, question.locked, lang)
    if questions.moderates(user):
        _moderation(user, question, lang)
    answers = questions.visible_answers(user, store, question)
    answers.sort(key=lambda a: (a.id != question.accepted_answer_id, -questions.score(store, a.id), a.created))
    st.subheader(answers_text(len(answers), lang))
    for reply in answers:
        _answer(user, question, reply, lang)
    if not question.locked:
        _answer_form(user, question, lang)


def _hidden_note(reason: str, lang: str) -> None:
    if reason:
        st.error(t("Hidden by a moderator: {reason}", lang, reason=plain(reason)))


def _vote(user: User, post_id: str, author_id: str, locked: bool, lang: str) -> None:
    store = context.store()
    count = questions.score(store, post_id)
    label = t("Upvote ({count})", lang, count=fmt.number(count, lang))
    voted = store.get(VOTES, (post_id, user.id)) is not None
    if author_id == user.id or locked or voted:
        st.caption(votes_text(count, lang))
        return
    if st.button(label, key=f"vote_{post_id}", icon=":material/thumb_up:"):
        _run(lambda: questions.upvote(user, store, context.catalog().program, post_id, context.now()), lang)


def _answer(user: User, question: Question, reply: Answer, lang: str) -> None:
    accepted = reply.id == question.accepted_answer_id
    with st.container(border=True):
        if accepted:
            st.markdown(f":green-badge[{t('Accepted answer', lang)}]")
        st.caption(_byline(reply.author_id, reply.created, lang))
        _hidden_note(reply.hidden_reason, lang)
        st.html(post_html(reply.body))
        with st.container(horizontal=True):
            _vote(user, reply.id, reply.author_id, question.locked, lang)
            may = questions.may_accept(user, question) and not accepted and not question.locked
            if may and not reply.hidden_reason and st.button(t("Accept this answer", lang), key=f"accept_{reply.id}"):
                program = context.catalog().program
                _run(
                    lambda: questions.accept(user, context.store(), program, question.id, reply.id, context.now()), lang
                )
        if questions.moderates(user) and not reply.hidden_reason:
            _hide_form(user, reply.id, lang)


def _answer_form(user: User, question: Question, lang: str) -> None:
    with st.form("answer_form", clear_on_submit=True):
        body = st.text_area(t("Your answer (Markdown)", lang), key="answer_body")
        sent = st.form_submit_button(t("Post answer", lang), type="primary")
    if sent:
        _run(lambda: questions.answer(user, context.store(), question.id, body, context.now()), lang)


def _moderation(user: User, question: Question, lang: str) -> None:
    with st.expander(t("Moderate", lang), icon=":material/shield:"):
        label = t("Unlock", lang) if question.locked else t("Lock", lang)
        if st.button(label, key=f"lock_{question.id}"):
            _run(lambda: questions.set_locked(user, context.store(), question.id, not question.locked), lang)
        if not question.hidden_reason:
            _hide_form(user, question.id, lang)


def _hide_form(user: User, post_id: str, lang: str) -> None:
    with st.form(f"hide_{post_id}"):
        reason = st.text_input(t("Reason for hiding", lang), key=f"hide_reason_{post_id}")
        hidden = st.form_submit_button(t("Hide", lang))
    if hidden:
        _run(lambda: questions.hide(user, context.store(), post_id, reason), lang)
