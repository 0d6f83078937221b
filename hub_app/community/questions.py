"""Community Q&A: questions with tags, answers, upvotes, an accepted answer, search and moderation.

Any signed-in person asks, answers and votes (never on their own post); the asker or a channel manager
(a program admin) accepts an answer; channel managers and program admins hide posts with a reason and lock
questions. Points: the accepted answer's author gets `answer_accepted` once per question; the asker gets
`question_upvoted` once per other person's upvote; program.yml caps both. An answer writes a
`community.question_answered` event to the outbox for the asker, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from hub_app.catalog.models import Program
from hub_app.community.records import ANSWERS, QUESTIONS, VOTES, Answer, Question, Vote, answers_to, votes_for
from hub_app.kernel import events
from hub_app.kernel.errors import HubError
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Items, Message
from hub_app.notifications.records import record
from hub_app.partners.permissions import is_program_admin, is_vendor_staff, require
from hub_app.partners.records import CHANNEL_MANAGER, USERS, User
from hub_app.recognition.points import award
from hub_app.store.base import Store

TITLE_MAX, BODY_MAX = 200, 10_000
TAG_GROUPS = ("course", "product", "type")


class QuestionNotFound(HubError):
    msgid = "No community question '{question_id}'. Pick one from the community page."

    def __init__(self, question_id: str):
        super().__init__(question_id=question_id)


class PostInvalid(HubError):
    msgid = "The post cannot be saved: {problems}"

    def __init__(self, problems: list[Message]):
        super().__init__(problems=Items(problems))
        self.problems = problems


class QuestionLocked(HubError):
    msgid = "This question is locked by a moderator: it takes no new answers, votes or accepted answer."

    def __init__(self) -> None:
        super().__init__()


class OwnPost(HubError):
    msgid = "You cannot upvote your own post."

    def __init__(self) -> None:
        super().__init__()


@dataclass(frozen=True)
class QuestionForm:
    """What a person asks: a title, a Markdown body and tags ("course:<id>", "product:<id>", "type:<id>")."""

    title: str
    body: str
    tags: tuple[str, ...] = ()


def known_tags(program: Program, course_ids: list[str]) -> list[str]:
    """Every tag a question may carry: the catalog's courses, the products and the partner types."""
    return (
        [f"course:{c}" for c in course_ids]
        + [f"product:{p.id}" for p in program.products]
        + [f"type:{t.id}" for t in program.partner_types]
    )


def _text_problems(body: str, problems: list[Message]) -> None:
    if not body.strip():
        problems.append(Message("write the text of your post"))
    elif len(body) > BODY_MAX:
        problems.append(Message("the text is longer than {limit} characters", limit=BODY_MAX))


def ask(actor: User, store: Store, form: QuestionForm, tags: list[str], now: datetime) -> Question:
    """A new question by ``actor``; ``tags`` are the ones it may carry. Nothing saved on bad input."""
    require(actor.active, actor, "ask in the community")
    problems: list[Message] = []
    if not form.title.strip():
        problems.append(Message("write a title for your question"))
    elif len(form.title) > TITLE_MAX:
        problems.append(Message("the title is longer than {limit} characters", limit=TITLE_MAX))
    _text_problems(form.body, problems)
    problems += [Message("'{tag}' is not a tag of this program", tag=tag) for tag in form.tags if tag not in tags]
    if problems:
        raise PostInvalid(problems)
    question = Question(new_id(), actor.id, form.title.strip(), form.body.strip(), tuple(form.tags), now)
    store.add(QUESTIONS, question)
    return question


def question_of(store: Store, question_id: str) -> Question:
    """The question with this id; QuestionNotFound when there is none."""
    question = store.get(QUESTIONS, question_id)
    if question is None:
        raise QuestionNotFound(question_id)
    return question


def open_question(actor: User, store: Store, question_id: str) -> Question:
    """The question ``actor`` may read; a hidden one is not found but by moderators and its asker."""
    question = question_of(store, question_id)
    if not readable(actor, question):
        raise QuestionNotFound(question_id)
    return question


def moderates(actor: User) -> bool:
    """True for channel managers and program admins, who hide posts and lock questions."""
    return is_vendor_staff(actor)


def _open(actor: User, store: Store, question_id: str) -> Question:
    question = question_of(store, question_id)
    if question.hidden_reason and not moderates(actor):
        raise QuestionNotFound(question_id)
    if question.locked:
        raise QuestionLocked()
    return question


def answer(actor: User, store: Store, question_id: str, body: str, now: datetime) -> Answer:
    """``actor`` answers; the asker hears of it through the outbox (in the same transaction)."""
    require(actor.active, actor, "answer in the community")
    problems: list[Message] = []
    _text_problems(body, problems)
    if problems:
        raise PostInvalid(problems)
    with store.transaction():
        question = _open(actor, store, question_id)
        reply = Answer(new_id(), question.id, actor.id, body.strip(), now)
        store.add(ANSWERS, reply)
        if question.author_id != actor.id:
            payload = {"question_id": question.id, "question": question.title, "answerer": actor.display_name}
            record(
                store,
                events.event(
                    events.QUESTION_ANSWERED,
                    now,
                    (question.id, reply.id),
                    payload,
                    (question.author_id,),
                    key=f"{events.QUESTION_ANSWERED}:{reply.id}",
                ),
            )
        return reply


def _post(store: Store, post_id: str) -> tuple[Question, Answer | None]:
    question = store.get(QUESTIONS, post_id)
    if question is not None:
        return question, None
    reply = store.get(ANSWERS, post_id)
    if reply is None:
        raise QuestionNotFound(post_id)
    return question_of(store, reply.question_id), reply


def upvote(actor: User, store: Store, program: Program, post_id: str, now: datetime) -> bool:
    """``actor`` upvotes a question or an answer, once; False when they had already. A question's upvote
    by someone else awards its asker `question_upvoted` (capped by program.yml)."""
    require(actor.active, actor, "vote in the community")
    with store.transaction():
        question, reply = _post(store, post_id)
        _open(actor, store, question.id)
        author_id = reply.author_id if reply else question.author_id
        if author_id == actor.id:
            raise OwnPost()
        if store.get(VOTES, (post_id, actor.id)) is not None:
            return False
        store.add(VOTES, Vote(post_id, actor.id, now))
        asker = store.get(USERS, question.author_id)
        if reply is None and asker is not None and asker.company_id is not None:
            award(store, program, asker, "question_upvoted", f"question_upvoted:{question.id}:{actor.id}", now)
        return True


def may_accept(actor: User, question: Question) -> bool:
    """True for the asker, a channel manager or a program admin."""
    staff = actor.active and (actor.has_role(CHANNEL_MANAGER) or is_program_admin(actor))
    return staff or (actor.active and actor.id == question.author_id)


def accept(actor: User, store: Store, program: Program, question_id: str, answer_id: str, now: datetime) -> Question:
    """Mark an answer as the accepted one; its author (not the asker) gets `answer_accepted` once per question."""
    with store.transaction():
        question = _open(actor, store, question_id)
        require(may_accept(actor, question), actor, "accept an answer to {title}", title=question.title)
        reply = store.get(ANSWERS, answer_id)
        if reply is None or reply.question_id != question.id or reply.hidden_reason:
            raise QuestionNotFound(answer_id)
        accepted = replace(question, accepted_answer_id=reply.id)
        store.replace(QUESTIONS, accepted)
        author = store.get(USERS, reply.author_id)
        if author is not None and author.company_id is not None and author.id != question.author_id:
            award(store, program, author, "answer_accepted", f"answer_accepted:{question.id}", now)
        return accepted


def hide(actor: User, store: Store, post_id: str, reason: str) -> None:
    """A moderator hides a question or an answer, with a reason the author sees."""
    require(moderates(actor), actor, "moderate the community")
    if not reason.strip():
        raise PostInvalid([Message("give the reason for hiding the post")])
    with store.transaction():
        question, reply = _post(store, post_id)
        if reply is None:
            store.replace(QUESTIONS, replace(question, hidden_reason=reason.strip(), hidden_by=actor.id))
        else:
            store.replace(ANSWERS, replace(reply, hidden_reason=reason.strip(), hidden_by=actor.id))


def set_locked(actor: User, store: Store, question_id: str, locked: bool) -> Question:
    """A moderator locks (or unlocks) a question."""
    require(moderates(actor), actor, "moderate the community")
    with store.transaction():
        question = replace(question_of(store, question_id), locked=locked)
        store.replace(QUESTIONS, question)
        return question


def visible_answers(actor: User, store: Store, question: Question) -> list[Answer]:
    """The answers ``actor`` may read: hidden ones only for moderators (and their own author)."""
    found = answers_to(store, question.id)
    return [a for a in found if not a.hidden_reason or moderates(actor) or a.author_id == actor.id]


def score(store: Store, post_id: str) -> int:
    """How many upvotes the post has."""
    return len(votes_for(store, post_id))


def readable(actor: User, question: Question) -> bool:
    """True unless the question is hidden and ``actor`` neither moderates nor asked it."""
    return not question.hidden_reason or moderates(actor) or question.author_id == actor.id
