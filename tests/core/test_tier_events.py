"""Tier reviews write their events to the outbox: proposed, changed, at risk (once per lapse)."""

from __future__ import annotations

from datetime import timedelta

from test_notifications import Recorder
from test_tiers import CATALOG, ISSUED_BEFORE_LAPSE, T0, Cast

from hub_app.kernel import events
from hub_app.notifications.dispatch import Dispatcher
from hub_app.notifications.email import EmailSink
from hub_app.notifications.records import OUTBOX
from hub_app.partners.records import LANGUAGES, LanguageChoice
from hub_app.tiers import reviews as tier_reviews


def _events(cast, type):
    return [e for e in cast.store.after(OUTBOX).entries if e.type == type]


def test_a_proposal_and_its_approval_tell_the_partner_admins():
    cast = Cast()
    cast.silver_ready()
    proposal = cast.review().proposed
    tier_reviews.approve(cast.cm, cast.store, proposal.id, T0 + timedelta(hours=2))
    (proposed,) = _events(cast, events.TIER_PROPOSED)
    (changed,) = _events(cast, events.TIER_CHANGED)
    assert proposed.recipients == changed.recipients == (cast.boss.id,)
    assert (changed.payload["from_tier"], changed.payload["to_tier"], changed.payload["status"]) == (
        "registered",
        "silver",
        "approved",
    )


def test_a_tier_at_risk_is_told_once_however_often_it_is_reviewed():
    cast = Cast()
    cast.silver_ready(sales_pro_issued=ISSUED_BEFORE_LAPSE)
    cast.set_tier("silver")
    cast.review()
    cast.review(T0 + timedelta(days=1))
    (risk,) = _events(cast, events.TIER_AT_RISK)
    assert (risk.payload["on"], risk.payload["course_id"], risk.payload["holder"]) == (
        "2026-03-20",
        "qs-sales-pro",
        "Ana",
    )


def test_the_tier_change_mail_names_the_tiers_in_the_readers_language():
    cast = Cast()
    cast.store.add(LANGUAGES, LanguageChoice(cast.boss.id, "zh"))
    cast.silver_ready()
    tier_reviews.approve(cast.cm, cast.store, cast.review().proposed.id, T0)
    transport = Recorder()
    sink = EmailSink(CATALOG, transport, "s", "https://hub.example.com")
    Dispatcher(cast.store, [sink], [60]).run_once(T0)
    subjects = [m["Subject"] for m in transport.sent]
    silver = CATALOG.program.tier("silver").name
    assert subjects == [f"已提议将级别调整为{silver.get('zh')}", f"贵公司现为{silver.get('zh')}级别"]
