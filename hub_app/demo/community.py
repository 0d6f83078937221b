"""The demo world's community, played through the real domain functions after its 18 months of history:
office hours, partner events past (registrations, attendance, slides and recordings) and upcoming (one full,
with a waitlist), announcements read by some, and a living Q&A in English and Chinese (answers, votes,
accepted answers, a hidden answer and a locked question)."""

from __future__ import annotations

import contextlib
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub_app.catalog import Catalog
from hub_app.catalog.announcements import load_announcements
from hub_app.community import announcements, managers, partner_events, questions
from hub_app.community.partner_events import EventForm
from hub_app.community.questions import QuestionForm
from hub_app.demo.world import World
from hub_app.partners.records import USERS, User, user_by_email
from hub_app.partners.regions import region_code
from hub_app.store.base import Store

HOURS = {
    "apac": "Tue and Thu 14:00–16:00 SGT",
    "china": "周一、周三 10:00–12:00（北京时间）",
    "emea": "Mon and Wed 09:00–11:00 CET",
    "amer": "Tue and Fri 13:00–15:00 ET",
}


@dataclass(frozen=True)
class Plan:
    """One event of the demo: days from now, start hour, the organising region, who it is for."""

    days: int
    hour: int
    region: str
    form: EventForm
    registrants: int
    attendance: float = 0.0


def _forms() -> list[Plan]:
    return [
        Plan(
            -12,
            10,
            "APAC",
            EventForm(
                "Flow 4.0 launch webinar",
                "Flow 4.0 发布网络研讨会",
                "webinar",
                online_url="https://meet.quillstack.example/flow-4-launch",
                capacity=300,
                agenda="What is new in Flow 4.0\nLive demo: approval routing by rules\nQuestions and answers",
            ),
            40,
            0.7,
        ),
        Plan(
            -38,
            15,
            "APAC",
            EventForm(
                "APAC quarterly partner meeting, Q4",
                "亚太区季度合作伙伴会议（第四季度）",
                "meeting",
                online_url="https://meet.quillstack.example/apac-q4",
                capacity=60,
                agenda="Pipeline review\nTier changes and MDF\nNext quarter's plan",
                regions=("APAC",),
            ),
            14,
            0.8,
        ),
        Plan(
            9,
            10,
            "APAC",
            EventForm(
                "Hands-on lab: the Flow connector SDK",
                "动手实验：Flow 连接器 SDK",
                "lab",
                online_url="https://labs.quillstack.example/connector-sdk",
                capacity=12,
                agenda="Set up a sandbox\nBuild and test a connector\nPublish to the marketplace",
                types=("isv", "technology", "si"),
            ),
            16,
        ),
        Plan(
            20,
            14,
            "Greater China",
            EventForm(
                "Insight dashboards for partners",
                "面向合作伙伴的 Insight 仪表板",
                "webinar",
                online_url="https://meet.quillstack.example/insight-dashboards",
                capacity=100,
                agenda="Insight 4.0 dashboards\nA customer story\nQuestions",
                regions=("Greater China", "APAC"),
            ),
            9,
        ),
        Plan(
            48,
            9,
            "APAC",
            EventForm(
                "APAC partner summit 2027",
                "2027 亚太合作伙伴峰会",
                "workshop",
                venue="Marina Bay Sands Expo and Convention Centre, Singapore",
                capacity=80,
                agenda="2027 roadmap\nNew partner incentives\nWorkshop: selling Flow 4.0",
                regions=("APAC", "Greater China"),
            ),
            22,
        ),
    ]


def _partners(world: World, regions: tuple[str, ...] = ()) -> list[User]:
    return [
        p.user
        for plan in world.plans
        if not regions or plan.company.region in {region_code(r) for r in regions}
        for p in plan.people
        if p.user.active
    ]


def _events(store: Store, catalog: Catalog, world: World, rng: random.Random) -> None:
    program = catalog.program
    zone = ZoneInfo(program.program.timezone)
    for plan in _forms():
        organiser = world.managers[region_code(plan.region)]
        start = (world.now + timedelta(days=plan.days)).astimezone(zone)
        form = EventForm(
            **{**plan.form.__dict__, "day": start.date(), "start": time(plan.hour), "end": time(plan.hour + 1, 30)}
        )
        created = min(world.now, start) - timedelta(days=30)
        event = partner_events.create_event(organiser, store, program, form, created)
        people = [u for u in _partners(world, form.regions) if partner_events.may_see(store, u, event)]
        registered = []
        for i, person in enumerate(rng.sample(people, min(plan.registrants, len(people)))):
            seat = partner_events.register(person, store, event.id, created + timedelta(days=1, hours=i))
            registered.append(seat)
        if plan.days < 0:
            _attend(store, catalog, organiser, event, registered, plan.attendance, rng)
        elif registered and registered[0].status == "registered":
            partner_events.cancel(_user(store, registered[0].user_id), store, event.id, world.now - timedelta(hours=5))


def _attend(store, catalog, organiser, event, registered, share, rng) -> None:
    after = event.ends + timedelta(hours=2)
    for seat in registered:
        if seat.status == "registered" and rng.random() < share:
            partner_events.mark_attended(organiser, store, catalog.program, event.id, seat.user_id, after)
    slug = event.title_en.lower().replace(" ", "-").replace(",", "")
    partner_events.add_materials(
        organiser,
        store,
        event.id,
        f"https://cdn.quillstack.example/events/{slug}.pdf",
        f"https://video.quillstack.example/events/{slug}",
    )


def _user(store: Store, user_id: str) -> User:
    user = store.get(USERS, user_id)
    assert user is not None
    return user


def _announcements(store: Store, catalog: Catalog, world: World, rng: random.Random) -> None:
    found = load_announcements(catalog.root, catalog.program)
    tz = catalog.program.program.timezone
    mei = user_by_email(store, "mei.tan@harbourline.example")
    for person in _partners(world):
        for news in announcements.whats_new(person, store, found, world.now, tz):
            keep_unread = mei is not None and person.id == mei.id and news.announcement.pinned
            if not keep_unread and rng.random() < 0.45:
                announcements.mark_read(person, store, news.announcement.id, world.now - timedelta(days=1))


THREADS = [
    (
        "How do I extend the protection of a registered deal?",
        "Our customer's procurement slipped to **next quarter**. Can the 90 days be extended, and who decides?",
        ("product:flow",),
        [
            "Request the one extension from the deal's page before protection ends; your channel manager decides.",
            "We did this last month: ask early, with the new close date and what changed in the notes.",
        ],
    ),
    (
        "Which course should our presales team take first?",
        "We are a new *Silver* SI. Is Fundamentals required before the implementation course?",
        ("course:qs-fundamentals", "type:si"),
        ["Yes: Fundamentals is the prerequisite of the implementation course; it takes about two hours."],
    ),
    (
        "如何报备合作伙伴商机？",
        "第一次在合作伙伴中心报备商机，需要填写哪些信息？客户联系人的邮箱是必填的吗？",
        ("product:flow",),
        ["在“商机”页面填写客户名称、网站、国家、联系人邮箱和预计成交日期。提交前系统会先检查是否与其他报备冲突。"],
    ),
    (
        "Insight 4.0 的仪表板可以嵌入客户门户吗？",
        "客户希望在自己的门户里展示 Insight 的报表，有没有官方的嵌入方式？",
        ("product:insight",),
        ["可以，Insight 提供带签名令牌的嵌入链接，详见销售工具包中的技术说明。"],
    ),
    (
        "API rate limits in the partner sandbox",
        "Since October our sandbox allows 600 calls per minute. Does that apply to webhooks as well?",
        ("product:platform", "type:isv"),
        ["Webhooks are not counted against the limit; they are kept for 30 days."],
    ),
]


def _questions(store: Store, catalog: Catalog, world: World, rng: random.Random) -> None:
    program = catalog.program
    tags = questions.known_tags(program, list(catalog.courses))
    people = _partners(world)
    manager = world.managers["apac"]
    asked_at = world.now - timedelta(days=len(THREADS) * 3)
    for n, (title, body, thread_tags, replies) in enumerate(THREADS):
        asker = user_by_email(store, "mei.tan@harbourline.example") if n == 0 else rng.choice(people)
        assert asker is not None
        at = asked_at + timedelta(days=3 * n)
        question = questions.ask(asker, store, QuestionForm(title, body, thread_tags), tags, at)
        answers = []
        for i, text in enumerate(replies):
            author = manager if i == 0 and n == 0 else rng.choice([p for p in people if p.id != asker.id])
            answers.append(questions.answer(author, store, question.id, text, at + timedelta(hours=2 + i)))
        for voter in rng.sample(people, 6):
            for post in (question.id, answers[0].id):
                with contextlib.suppress(questions.OwnPost):
                    questions.upvote(voter, store, program, post, at + timedelta(hours=6))
        if n % 2 == 0:
            questions.accept(asker, store, program, question.id, answers[-1].id, at + timedelta(days=1))
    _moderation(store, world, people, asked_at)


def _moderation(store: Store, world: World, people: list[User], at: datetime) -> None:
    manager = world.managers["apac"]
    spam = questions.QuestionForm("Cheap certification dumps", "Exam answers for sale, write to me.", ())
    question = questions.ask(people[0], store, spam, [], at)
    questions.hide(manager, store, question.id, "Selling exam answers breaks the program's exam rules.")
    questions.set_locked(manager, store, question.id, True)


def play(store: Store, catalog: Catalog, world: World) -> None:
    """Office hours, events, read announcements and the Q&A, as of the world's now."""
    rng = random.Random(2026)  # its own stream: the rest of the demo stays as it was
    for region, manager in world.managers.items():
        managers.set_office_hours(manager, store, HOURS.get(region, ""), world.start)
    _events(store, catalog, world, rng)
    _announcements(store, catalog, world, rng)
    _questions(store, catalog, world, rng)
