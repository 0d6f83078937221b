"""The community pages per role: what's new on home (unread marked, read receipts), the channel manager in
the sidebar and the contact form, events (register, waitlist, another audience's event refused), the
console's Events tab (create, attendance), and the Q&A (ask, answer, accept, moderation, denial by URL)."""

from __future__ import annotations

from datetime import date, time, timedelta

import seed
from app_driver import app_as, texts

from hub_app.community import managers, partner_events, questions
from hub_app.community.records import PARTNER_EVENTS, QUESTIONS, READ_RECEIPTS
from hub_app.notifications.records import OUTBOX
from hub_app.recognition.records import ledger_of

SEND = "FormSubmitter:contact_manager-Send"


def _event(hub, capacity=5, day=date(2026, 12, 10), **changes):
    values = dict(
        title_en="Flow 4.0 launch webinar",
        title_zh="Flow 4.0 发布网络研讨会",
        kind="webinar",
        day=day,
        start=time(10, 0),
        end=time(11, 0),
        online_url="https://meet.quillstack.example/flow4",
        capacity=capacity,
        agenda="What is new\nLive demo",
    )
    values.update(changes)
    form = partner_events.EventForm(**values)
    return partner_events.create_event(hub.manager, hub.store, hub.catalog.program, form, seed.NOW - timedelta(days=30))


def _ask(hub, who, title="How do I register a Flow deal?"):
    form = questions.QuestionForm(title, "Which **fields** matter?", ("product:flow",))
    tags = questions.known_tags(hub.catalog.program, list(hub.catalog.courses))
    return questions.ask(who, hub.store, form, tags, seed.NOW)


# --- home and sidebar -----------------------------------------------------------------------------------


def test_home_shows_whats_new_for_the_partners_audience_with_unread_marked(hub):
    at = app_as(hub.ana, "home")
    assert "What's new" in [s.value for s in at.subheader]
    assert "2 unread" in [c.value for c in at.caption]
    titles = [e.label for e in at.expander]
    assert any(label.startswith("Quillstack Flow 4.0 is generally available") for label in titles)
    assert any(label.startswith("APAC partner summit") for label in titles)
    assert not any("Market development funds" in label for label in titles)  # Gold and Platinum admins only


def test_marking_an_announcement_read_keeps_a_receipt(hub):
    at = app_as(hub.ana, "home")
    at.button(key="read_2026-11-flow-4").click().run()
    assert hub.store.get(READ_RECEIPTS, (hub.ana.id, "2026-11-flow-4")) is not None
    assert "1 unread" in [c.value for c in at.caption]


def test_whats_new_is_in_chinese_for_a_chinese_reader(hub):
    at = app_as(hub.ana, "home", lang="zh")
    assert "最新动态" in [s.value for s in at.subheader]
    assert any(e.label.startswith("Quillstack Flow 4.0 正式发布") for e in at.expander)


def test_every_partner_page_shows_the_channel_manager_and_office_hours(hub):
    managers.set_office_hours(hub.manager, hub.store, "Tue and Thu 14:00–16:00 SGT", seed.NOW)
    for page in ("home", "courses", "events"):
        at = app_as(hub.ana, page)
        sidebar = [m.value for m in at.sidebar.markdown] + [c.value for c in at.sidebar.caption]
        assert "Your channel manager" in sidebar
        assert "**Chris Manager**  \ncm@quillstack.io" in sidebar
        assert "Office hours: Tue and Thu 14:00–16:00 SGT" in sidebar


def test_the_contact_form_refuses_an_empty_message_and_sends_a_real_one(hub):
    at = app_as(hub.ana, "contact")
    at.button(key=SEND).click().run()  # nothing written
    assert [e.value for e in at.error] == ["write your message to your channel manager"]
    assert _contacts(hub) == []
    at.text_area(key="contact_message").input("Can we plan a QBR in January?")
    at.button(key=SEND).click().run()
    assert [s.value for s in at.success] == ["Sent to Chris Manager; the answer comes by email."]
    assert [(e.recipients, e.payload["message"]) for e in _contacts(hub)] == [
        ((hub.manager.id,), "Can we plan a QBR in January?")
    ]


def _contacts(hub):
    return [e for e in hub.store.after(OUTBOX).entries if e.type == "community.manager_contacted"]


# --- events ---------------------------------------------------------------------------------------------


def test_a_partner_registers_and_then_sees_the_seat(hub):
    event = _event(hub)
    at = app_as(hub.ana, "events")
    assert "**Flow 4.0 launch webinar** :gray-badge[Webinar]" in [m.value for m in at.markdown]
    assert "5 of 5 seats left" in [c.value for c in at.caption]
    at.button(key=f"register_{event.id}").click().run()
    assert [s.value for s in at.success] == ["You are registered"]
    assert partner_events.seat_of(hub.store, event.id, hub.ana.id).status == "registered"


def test_a_full_event_offers_the_waitlist(hub):
    event = _event(hub, capacity=1)
    partner_events.register(hub.chen, hub.store, event.id, seed.NOW)
    at = app_as(hub.ana, "events")
    assert at.button(key=f"register_{event.id}").label == "Join the waitlist"
    at.button(key=f"register_{event.id}").click().run()
    assert [s.value for s in at.success] == ["You are on the waitlist"]


def test_an_event_for_another_partner_type_is_not_listed(hub):
    _event(hub, types=("var",))
    at = app_as(hub.ana, "events")
    assert [i.value for i in at.info][0] == "No upcoming events for your company right now."


def test_past_events_show_slides_and_recording(hub):
    event = _event(hub, day=date(2026, 11, 3))
    partner_events.add_materials(hub.manager, hub.store, event.id, "https://cdn.example/s.pdf", "https://v.example/r")
    at = app_as(hub.ana, "events")
    assert "[Slides](https://cdn.example/s.pdf) · [Recording](https://v.example/r)" in [m.value for m in at.markdown]


def test_the_events_page_in_chinese(hub):
    _event(hub)
    at = app_as(hub.ana, "events", lang="zh")
    assert at.title[0].value == "活动"
    assert "**Flow 4.0 发布网络研讨会** :gray-badge[网络研讨会]" in [m.value for m in at.markdown]


# --- console --------------------------------------------------------------------------------------------


def test_a_bad_new_event_is_refused_inline_and_nothing_is_saved(hub):
    at = app_as(hub.manager, "console")
    at.text_input(key="event_title_en").input("")
    at.number_input(key="event_capacity").set_value(0)
    at.button(key="FormSubmitter:new_event-Create event").click().run()
    assert [e.value for e in at.error] == [
        "The event cannot be saved: enter the title in English, enter the day, the start and the end time, "
        "the capacity must be at least 1 seat, enter an online link or a venue"
    ]
    assert hub.store.select(PARTNER_EVENTS) == []


def test_the_organiser_marks_attendance_and_the_points_follow(hub):
    event = _event(hub, day=date(2026, 11, 20))
    partner_events.register(hub.chen, hub.store, event.id, seed.NOW - timedelta(days=10))
    at = app_as(hub.manager, "console")
    at.multiselect(key="attended").select(hub.chen.id)
    at.button(key=f"FormSubmitter:attendance_{event.id}-Save attendance").click().run()
    assert "Attendance saved for 1 people." in [s.value for s in at.success]
    assert [e.rule for e in ledger_of(hub.store, hub.chen.id) if e.rule == "event_attended"] == ["event_attended"]


def test_partners_opening_the_console_by_url_see_no_events_tab(hub):
    at = app_as(hub.ana, "console")
    assert "not allowed to open the channel manager console" in at.error[0].value
    assert not at.tabs


# --- Q&A ------------------------------------------------------------------------------------------------


def test_an_empty_question_is_refused_inline_and_nothing_is_saved(hub):
    at = app_as(hub.ana, "community")
    at.button(key="FormSubmitter:ask_question-Ask").click().run()
    assert [e.value for e in at.error] == [
        "The post cannot be saved: write a title for your question, write the text of your post"
    ]
    assert hub.store.select(QUESTIONS) == []


def test_a_partner_asks_and_the_question_opens(hub):
    at = app_as(hub.ana, "community")
    at.text_input(key="ask_title").input("Where are the Flow 4.0 slides?")
    at.text_area(key="ask_body").input("For a *customer* demo.")
    at.button(key="FormSubmitter:ask_question-Ask").click().run()
    [asked] = hub.store.select(QUESTIONS)
    assert at.query_params["question"] == asked.id
    assert at.header[0].value == "Where are the Flow 4.0 slides?"


def test_the_asker_accepts_an_answer_and_its_author_earns_points(hub):
    question = _ask(hub, hub.ana)
    reply = questions.answer(hub.ben, hub.store, question.id, "Use the **deals** page.", seed.NOW)
    at = app_as(hub.ana, "community", question=question.id)
    at.button(key=f"accept_{reply.id}").click().run()
    assert questions.question_of(hub.store, question.id).accepted_answer_id == reply.id
    assert [e.points for e in ledger_of(hub.store, hub.ben.id) if e.rule == "answer_accepted"] == [20]
    assert ":green-badge[Accepted answer]" in [m.value for m in at.markdown]


def test_search_finds_a_chinese_question(hub):
    _ask(hub, hub.ana)
    _ask(hub, hub.chen, title="如何报备合作伙伴商机？")
    at = app_as(hub.ana, "community")
    at.text_input(key="qa_search").input("商机").run()
    assert [b.label for b in at.button if b.key and b.key.startswith("open_")] == ["**如何报备合作伙伴商机？**"]


def test_a_hidden_question_opened_by_url_is_not_found_for_other_partners(hub):
    question = _ask(hub, hub.chen)
    questions.hide(hub.manager, hub.store, question.id, "Duplicate of an older question")
    at = app_as(hub.ana, "community", question=question.id)
    assert [e.value for e in at.error] == [f"No community question '{question.id}'. Pick one from the community page."]
    staff = app_as(hub.manager, "community", question=question.id)
    assert "Hidden by a moderator: Duplicate of an older question" in [e.value for e in staff.error]


def test_partners_get_no_moderation_and_managers_do(hub):
    question = _ask(hub, hub.chen)
    assert not [b for b in app_as(hub.ana, "community", question=question.id).button if b.label == "Lock"]
    at = app_as(hub.manager, "community", question=question.id)
    at.button(key=f"lock_{question.id}").click().run()
    assert questions.question_of(hub.store, question.id).locked
    assert "Locked by a moderator: no new answers or votes." in [w.value for w in at.warning]


def test_the_community_page_in_chinese(hub):
    at = app_as(hub.ana, "community", lang="zh")
    assert at.title[0].value == "社区"
    assert "没有匹配的问题。提出来吧：社区里也许有人知道。" in texts(at)
