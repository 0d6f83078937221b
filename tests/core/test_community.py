"""Community: partner events (waitlist, promotion, attendance points once), Q&A (votes, accepted answers,
points with caps, search in English and Chinese, moderation), announcements for an audience with read
receipts, and the channel manager's card and contact form -- all roles checked in the domain."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from core_builders import PASSWORD, T0

from hub_app.catalog.announcements import Audience, load_announcements
from hub_app.community import announcements, managers, partner_events, questions
from hub_app.community.calendar_file import ics
from hub_app.community.questions import QuestionForm
from hub_app.community.search import search, terms
from hub_app.kernel.errors import HubError
from hub_app.kernel.problems import ContentError
from hub_app.notifications.records import OUTBOX
from hub_app.partners import accounts
from hub_app.partners.permissions import NotAllowed
from hub_app.recognition.records import ledger_of

DAY = date(2026, 3, 20)  # the event's day, in the program's zone (Asia/Singapore)


def _event(world, capacity=2, **changes):
    form = partner_events.EventForm(
        "Flow 4.0 launch webinar",
        "Flow 4.0 发布网络研讨会",
        "webinar",
        DAY,
        time(10, 0),
        time(11, 30),
        "https://meet.quillstack.example/flow4",
        "",
        capacity,
        "What is new; live demo; questions.",
    )
    return partner_events.create_event(world.manager, world.store, world.catalog.program, replace(form, **changes), T0)


def _person(world, email):
    return accounts.create_user(
        world.acme_admin,
        world.store,
        email=email,
        display_name=email.split("@")[0].title(),
        password=PASSWORD,
        company_id=world.acme.id,
        roles=frozenset({"partner_user"}),
        job_role="sales",
        now=T0,
    )


# --- events -------------------------------------------------------------------------------------------


def test_event_times_are_entered_in_the_program_zone_and_kept_in_utc(world):
    event = _event(world)
    assert event.starts.isoformat() == "2026-03-20T02:00:00+00:00"
    assert event.ends.isoformat() == "2026-03-20T03:30:00+00:00"


def test_a_bad_event_form_names_every_problem_and_saves_nothing(world):
    with pytest.raises(partner_events.EventInvalid) as refused:
        _event(world, title_en=" ", capacity=0, online_url="meet me", end=time(9, 0), types=("reseller",))
    assert str(refused.value) == (
        "The event cannot be saved: enter the title in English, the end time must be after the start time, "
        "the capacity must be at least 1 seat, the online link 'meet me' is not a web address (https://...), "
        "'reseller' is not a partner type"
    )
    assert world.store.select(partner_events.PARTNER_EVENTS) == []


def test_partner_users_cannot_organise_events(world):
    with pytest.raises(NotAllowed):
        partner_events.create_event(
            world.ana, world.store, world.catalog.program, partner_events.EventForm("Mine", day=DAY), T0
        )


def test_a_full_event_puts_people_on_the_waitlist_and_a_cancellation_promotes_the_first(world):
    event = _event(world, capacity=1)
    carl, dana = _person(world, "carl@acme.io"), _person(world, "dana@acme.io")
    assert partner_events.register(world.ana, world.store, event.id, T0).status == "registered"
    assert partner_events.register(carl, world.store, event.id, T0 + timedelta(minutes=1)).status == "waitlisted"
    assert partner_events.register(dana, world.store, event.id, T0 + timedelta(minutes=2)).status == "waitlisted"
    promoted = partner_events.cancel(world.ana, world.store, event.id, T0 + timedelta(hours=1))
    assert promoted is not None and promoted.user_id == carl.id and promoted.status == "registered"
    assert partner_events.seat_of(world.store, event.id, dana.id).status == "waitlisted"
    assert partner_events.taken(world.store, event.id) == 1


def test_registering_twice_keeps_one_seat(world):
    event = _event(world)
    partner_events.register(world.ana, world.store, event.id, T0)
    partner_events.register(world.ana, world.store, event.id, T0 + timedelta(minutes=5))
    assert partner_events.taken(world.store, event.id) == 1


def test_an_event_for_another_audience_is_refused_in_the_domain(world):
    event = _event(world, types=("var",))
    assert partner_events.visible_events(world.ana, world.store) == []
    assert partner_events.visible_events(world.bob, world.store) == [event]
    with pytest.raises(NotAllowed) as refused:
        partner_events.register(world.ana, world.store, event.id, T0)
    assert "see the event Flow 4.0 launch webinar" in str(refused.value)


def test_registration_closes_when_the_event_is_over(world):
    event = _event(world)
    with pytest.raises(partner_events.EventOver) as refused:
        partner_events.register(world.ana, world.store, event.id, event.ends + timedelta(minutes=1))
    assert str(refused.value) == "This event ended on 2026-03-20 03:30 UTC: registration is closed."


def test_attendance_awards_the_event_points_once_per_person_and_event(world):
    event = _event(world)
    partner_events.register(world.ana, world.store, event.id, T0)
    program = world.catalog.program
    for _ in range(2):
        partner_events.mark_attended(world.manager, world.store, program, event.id, world.ana.id, event.ends)
    entries = [e for e in ledger_of(world.store, world.ana.id) if e.rule == "event_attended"]
    assert [(e.points, e.idempotency_key) for e in entries] == [(25, f"event_attended:{world.ana.id}:{event.id}")]


def test_only_the_organiser_marks_attendance(world):
    event = _event(world)
    partner_events.register(world.ana, world.store, event.id, T0)
    for actor in (world.other_manager, world.acme_admin):
        with pytest.raises(NotAllowed):
            partner_events.mark_attended(actor, world.store, world.catalog.program, event.id, world.ana.id, T0)


def test_attendance_of_someone_not_registered_is_refused(world):
    event = _event(world)
    with pytest.raises(partner_events.NotRegistered) as refused:
        partner_events.mark_attended(world.manager, world.store, world.catalog.program, event.id, world.ana.id, T0)
    assert str(refused.value) == "Ana is not registered for this event."


def test_past_events_carry_slides_and_recording_links(world):
    event = _event(world)
    changed = partner_events.add_materials(
        world.manager, world.store, event.id, "https://cdn.example/slides.pdf", "https://video.example/rec"
    )
    assert (changed.slides_url, changed.recording_url) == (
        "https://cdn.example/slides.pdf",
        "https://video.example/rec",
    )
    with pytest.raises(partner_events.EventInvalid):
        partner_events.add_materials(world.manager, world.store, event.id, "slides.pdf", "")


def test_the_calendar_file_holds_the_event_in_utc(world):
    event = _event(world)
    text = ics(event, "zh", "Quillstack", T0).decode()
    assert "SUMMARY:Flow 4.0 发布网络研讨会" in text
    assert "DTSTART:20260320T020000Z" in text and "DTEND:20260320T033000Z" in text
    assert "URL:https://meet.quillstack.example/flow4" in text


# --- Q&A ----------------------------------------------------------------------------------------------


def _ask(world, who=None, title="How do I register a Flow deal?", body="Which **fields** matter?", tags=()):
    tags_known = questions.known_tags(world.catalog.program, list(world.catalog.courses))
    form = QuestionForm(title, body, tuple(tags))
    return questions.ask(who or world.ana, world.store, form, tags_known, T0)


def test_a_question_without_title_or_text_names_both_and_saves_nothing(world):
    with pytest.raises(questions.PostInvalid) as refused:
        _ask(world, title="", body=" ", tags=("product:nope",))
    assert str(refused.value) == (
        "The post cannot be saved: write a title for your question, write the text of your post, "
        "'product:nope' is not a tag of this program"
    )
    assert world.store.select(questions.QUESTIONS) == []


def test_an_answer_tells_the_asker_through_the_outbox(world):
    question = _ask(world)
    reply = questions.answer(world.bob, world.store, question.id, "Use the deals page.", T0)
    sent = world.store.after(OUTBOX).entries
    assert [(e.type, e.recipients, e.payload["answerer"]) for e in sent] == [
        ("community.question_answered", (world.ana.id,), "Bob")
    ]
    assert sent[0].subject_ids == (question.id, reply.id)


def test_answering_your_own_question_tells_nobody(world):
    question = _ask(world)
    questions.answer(world.ana, world.store, question.id, "Found it myself.", T0)
    assert world.store.after(OUTBOX).entries == []


def test_the_accepted_answer_earns_its_author_points_once_per_question(world):
    question = _ask(world)
    first = questions.answer(world.bob, world.store, question.id, "Use the deals page.", T0)
    second = questions.answer(world.acme_admin, world.store, question.id, "Ask your manager.", T0)
    program = world.catalog.program
    questions.accept(world.ana, world.store, program, question.id, first.id, T0)
    questions.accept(world.manager, world.store, program, question.id, second.id, T0)  # a manager changes it
    accepted = [(e.user_id, e.points) for e in ledger_of(world.store, world.bob.id) if e.rule == "answer_accepted"]
    assert accepted == [(world.bob.id, 20)]
    assert questions.question_of(world.store, question.id).accepted_answer_id == second.id


def test_only_the_asker_or_a_channel_manager_accepts_an_answer(world):
    question = _ask(world)
    reply = questions.answer(world.bob, world.store, question.id, "Use the deals page.", T0)
    with pytest.raises(NotAllowed):
        questions.accept(world.acme_admin, world.store, world.catalog.program, question.id, reply.id, T0)


def test_upvotes_of_a_question_earn_the_asker_points_up_to_the_monthly_cap(world):
    question = _ask(world)
    voters = [_person(world, f"voter{i}@acme.io") for i in range(26)]
    for voter in voters:
        questions.upvote(voter, world.store, world.catalog.program, question.id, T0)
    assert questions.score(world.store, question.id) == 26
    upvoted = [e for e in ledger_of(world.store, world.ana.id) if e.rule == "question_upvoted"]
    assert len(upvoted) == 25 and sum(e.points for e in upvoted) == 50


def test_a_second_upvote_counts_once_and_your_own_post_cannot_be_upvoted(world):
    question = _ask(world)
    assert questions.upvote(world.bob, world.store, world.catalog.program, question.id, T0) is True
    assert questions.upvote(world.bob, world.store, world.catalog.program, question.id, T0) is False
    with pytest.raises(questions.OwnPost) as refused:
        questions.upvote(world.ana, world.store, world.catalog.program, question.id, T0)
    assert str(refused.value) == "You cannot upvote your own post."


def test_moderators_hide_with_a_reason_and_lock(world):
    question = _ask(world)
    reply = questions.answer(world.bob, world.store, question.id, "Buy my course at spam.example", T0)
    with pytest.raises(NotAllowed):
        questions.hide(world.ana, world.store, reply.id, "spam")
    with pytest.raises(questions.PostInvalid):
        questions.hide(world.manager, world.store, reply.id, " ")
    questions.hide(world.manager, world.store, reply.id, "Advertising")
    assert questions.visible_answers(world.acme_admin, world.store, question) == []
    assert [a.hidden_reason for a in questions.visible_answers(world.manager, world.store, question)] == ["Advertising"]
    questions.set_locked(world.admin, world.store, question.id, True)
    with pytest.raises(questions.QuestionLocked):
        questions.answer(world.bob, world.store, question.id, "Late answer", T0)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("register deal", ["How do I register a Flow deal?"]),
        ("Flow", ["How do I register a Flow deal?", "Flow 的 API 限额是多少？"]),
        ("商机", ["如何报备合作伙伴商机？"]),
        ("报备商机", ["如何报备合作伙伴商机？"]),
        ("API 限额", ["Flow 的 API 限额是多少？"]),
        ("webhook", []),
    ],
)
def test_search_finds_questions_in_english_and_chinese(world, query, found):
    asked = [
        _ask(world, title="How do I register a Flow deal?", body="Which fields matter?"),
        _ask(world, title="如何报备合作伙伴商机？", body="需要填写哪些信息？"),
        _ask(world, title="Flow 的 API 限额是多少？", body="沙箱租户每分钟多少次调用？"),
    ]
    assert [q.title for q in search(asked, query)] == found


def test_chinese_queries_are_cut_into_words_without_the_common_ones():
    assert terms("如何报备合作伙伴商机") == ["报备", "合作伙伴", "商机"]


# --- announcements --------------------------------------------------------------------------------------


def _announce(root, slug, matter, title="Flow 4.0 is here"):
    folder = root / "content" / "announcements"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.md").write_text(f"---\n{matter}\n---\n# {title}\n\nBody.\n", encoding="utf-8")


def test_announcement_problems_are_all_named_with_file_and_line(world, tmp_path):
    _announce(tmp_path, "a", "date: someday")
    _announce(tmp_path, "b", "date: 2026-03-01\naudience: {tiers: [diamond]}")
    with pytest.raises(ContentError) as refused:
        load_announcements(tmp_path, world.catalog.program)
    lines = str(refused.value).splitlines()
    assert lines[0] == "2 content problems:"
    assert lines[1].startswith("content/announcements/a.md:2: date: Input should be a valid date")
    assert lines[2] == (
        "content/announcements/b.md:1: audience.tiers[0]: unknown tier 'diamond' "
        "(one of: gold, platinum, registered, silver)"
    )


def test_whats_new_shows_the_audience_pinned_first_and_read_receipts(world, tmp_path):
    _announce(tmp_path, "flow", "date: 2026-03-01\npinned: true")
    _announce(tmp_path, "var-only", "date: 2026-03-02\naudience: {types: [var]}", "Resellers only")
    _announce(tmp_path, "apac", "date: 2026-03-01\naudience: {regions: [APAC]}", "APAC news")
    _announce(tmp_path, "old", "date: 2026-01-01\nexpires: 2026-02-01", "Expired")
    _announce(tmp_path, "later", "date: 2026-04-01", "Not yet")
    found = load_announcements(tmp_path, world.catalog.program)
    news = announcements.whats_new(world.ana, world.store, found, T0, "Asia/Singapore")
    assert [(n.announcement.id, n.unread) for n in news] == [("flow", True), ("apac", True)]
    assert announcements.mark_read(world.ana, world.store, "flow", T0) is True
    assert announcements.mark_read(world.ana, world.store, "flow", T0) is False
    news = announcements.whats_new(world.ana, world.store, found, T0, "Asia/Singapore")
    assert [(n.announcement.id, n.unread) for n in news] == [("flow", False), ("apac", True)]


def test_the_real_announcements_load_in_both_languages(world):
    from core_builders import ROOT

    found = load_announcements(ROOT, world.catalog.program)
    assert len(found) >= 4
    assert all(a.titles.get("zh") and a.titles["zh"] != a.titles["en"] for a in found)


def test_an_audience_of_roles_matches_hub_roles_and_job_roles(world):
    from hub_app.community.audience import matches

    assert matches(Audience(roles=("partner_admin",)), world.acme_admin, world.acme)
    assert not matches(Audience(roles=("partner_admin",)), world.ana, world.acme)
    assert matches(Audience(roles=("sales",)), world.ana, world.acme)


# --- your channel manager -------------------------------------------------------------------------------


def test_a_partner_sees_its_channel_managers_name_email_and_office_hours(world):
    managers.set_office_hours(world.manager, world.store, "Tue and Thu 14:00–16:00 SGT", T0)
    card = managers.manager_of(world.store, world.ana)
    assert (card.name, card.email, card.hours) == ("Cm", "cm@vendor.io", "Tue and Thu 14:00–16:00 SGT")
    with pytest.raises(NotAllowed):
        managers.set_office_hours(world.ana, world.store, "always", T0)


def test_the_contact_form_lands_in_the_outbox_for_the_manager(world):
    managers.contact(world.ana, world.store, "Can we plan a QBR in April?", T0)
    [sent] = world.store.after(OUTBOX).entries
    assert (sent.type, sent.recipients) == ("community.manager_contacted", (world.manager.id,))
    assert sent.payload == {
        "from_name": "Ana",
        "from_email": "ana@acme.io",
        "company": "Acme",
        "message": "Can we plan a QBR in April?",
    }


def test_an_empty_message_is_refused_and_nothing_is_sent(world):
    with pytest.raises(HubError) as refused:
        managers.contact(world.ana, world.store, "  ", T0)
    assert str(refused.value) == "write your message to your channel manager"
    assert world.store.after(OUTBOX).entries == []
