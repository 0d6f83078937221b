"""The digest job: people who chose a daily or weekly digest get one mail for the events of the last period.

The email sink holds such a person's mails (a skipped attempt, "held for the digest: daily"). Each pass of
the dispatcher, for every person on a digest, the job looks at the last *complete* period in the program's
time zone (yesterday, or last ISO week Monday to Monday) and, unless that period's digest is recorded as
sent, mails every held event of the period in one message — or records that there was nothing to send. A
digest is a delivery like any other: its attempts are in the delivery log under ``email:<user id>`` with
the event id ``digest:<cadence>:<period>`` (2026-12-01, 2026-W48), so it is sent once, and a failed one is
retried on the next pass after the first backoff.
"""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from urllib.parse import quote
from zoneinfo import ZoneInfo

from hub_app.kernel.events import DomainEvent
from hub_app.kernel.ids import new_id
from hub_app.notifications.email import HELD, EmailSink, unsubscribe_token
from hub_app.notifications.records import (
    DELIVERIES,
    MAIL_PREFERENCES,
    OUTBOX,
    DeliveryAttempt,
    MailPreference,
    attempts_of,
)
from hub_app.notifications.templates import render
from hub_app.partners.records import LANGUAGES, USERS
from hub_app.store.base import Store

SUBJECT = {
    "en": "{program}: {count} updates from the last {period}",
    "zh": "{program}：过去一{period}的 {count} 条更新",
}
PERIOD = {"en": {"daily": "day", "weekly": "week"}, "zh": {"daily": "天", "weekly": "周"}}


def period_of(cadence: str, now: datetime, zone: ZoneInfo) -> tuple[str, datetime, datetime]:
    """The last complete period before ``now``: its label and its start and end (UTC-aware)."""
    today = now.astimezone(zone).date()
    if cadence == "daily":
        start = today - timedelta(days=1)
        label, end = start.isoformat(), today
    else:
        end = today - timedelta(days=today.weekday())
        start = end - timedelta(days=7)
        year, week, _ = start.isocalendar()
        label = f"{year}-W{week:02d}"
    return label, _midnight(start, zone), _midnight(end, zone)


class Digests:
    """Sends the digests that are due, through the email sink's transport; `run` is one pass."""

    def __init__(self, email: EmailSink, timezone: str, retry_after: int = 60):
        self.email, self.zone, self.retry_after = email, ZoneInfo(timezone), retry_after

    def run(self, store: Store, now: datetime) -> int:
        """Send every digest now due; returns how many were sent."""
        due = [(p, *period_of(p.cadence, now, self.zone)) for p in store.select(MAIL_PREFERENCES) if self._wants(p)]
        due = [d for d in due if self._due(store, d[0], d[1], now)]
        if not due:
            return 0
        events = store.after(OUTBOX).entries  # read once for everyone due in this pass
        return sum(
            self._send(store, preference, label, start, end, events, now) for preference, label, start, end in due
        )

    def _wants(self, preference: MailPreference) -> bool:
        return preference.cadence != "immediate" and not preference.unsubscribed

    def _due(self, store: Store, preference: MailPreference, label: str, now: datetime) -> bool:
        attempts = attempts_of(store, f"email:{preference.user_id}", _key(preference, label))
        if any(a.outcome != "failed" for a in attempts):
            return False
        return not attempts or now >= attempts[-1].at + timedelta(seconds=self.retry_after)

    def _send(
        self,
        store: Store,
        preference: MailPreference,
        label: str,
        start: datetime,
        end: datetime,
        events: list[DomainEvent],
        now: datetime,
    ) -> int:
        sink, key = f"email:{preference.user_id}", _key(preference, label)
        held = [e for e in events if start <= e.occurred_at < end and self._held(store, sink, e, preference)]
        user = store.get(USERS, preference.user_id)
        if not held or user is None or not user.active:
            store.add(DELIVERIES, DeliveryAttempt(new_id(), sink, key, now, "skipped", None, "nothing to send"))
            return 0
        try:
            code = self.email.transport.send(self.message(store, preference, key, held))
        except Exception as e:  # recorded and retried next pass, as the dispatcher does for every sink
            store.add(DELIVERIES, DeliveryAttempt(new_id(), sink, key, now, "failed", None, f"{type(e).__name__}: {e}"))
            return 0
        store.add(DELIVERIES, DeliveryAttempt(new_id(), sink, key, now, "sent", code))
        return 1

    def _held(self, store: Store, sink: str, event: DomainEvent, preference: MailPreference) -> bool:
        if event.type in preference.muted:
            return False
        return any(a.error.startswith(HELD) for a in attempts_of(store, sink, event.id))

    def message(self, store: Store, preference: MailPreference, key: str, held: list[DomainEvent]) -> EmailMessage:
        """One mail listing the period's events (each as its own mail would word it), in the person's language."""
        user = store.get(USERS, preference.user_id)
        assert user is not None
        choice = store.get(LANGUAGES, user.id)
        lang = choice.lang if choice and choice.lang in SUBJECT else "en"
        catalog, email = self.email.catalog, self.email
        link = f"{email.app_url}/unsubscribe?token={quote(unsubscribe_token(email.secret, user.id))}"
        mails = [render(catalog, e, user.display_name, lang, link) for e in held]
        program = catalog.program.program.name.get(lang)
        period = PERIOD[lang][preference.cadence]
        subject = SUBJECT[lang].format(program=program, count=len(held), period=period)
        footer = {"en": "Stop these emails", "zh": "退订这些邮件"}[lang]
        texts = [m.text.split("\n\n-- \n", 1)[0] for m in mails]
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = email.sender, user.email, subject
        message["Message-ID"] = f"<{key}.{user.id}@partnerhub>"
        message["X-Hub-Event-Id"], message["X-Hub-Delivery"] = key, f"{key}:{user.id}"
        message["List-Unsubscribe"] = f"<{link}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        body = "\n\n".join(f"{m.subject}\n{text}" for m, text in zip(mails, texts, strict=True))
        message.set_content(f"{body}\n\n-- \n{footer}: {link}\n")
        sections = "".join(
            f"<h3>{html.escape(m.subject)}</h3>" + "".join(f"<p>{html.escape(line)}</p>" for line in t.split("\n"))
            for m, t in zip(mails, texts, strict=True)
        )
        unsubscribe = f'<p><a href="{html.escape(link)}">{footer}</a></p>'
        message.add_alternative(
            f'<!doctype html><html lang="{lang}"><body>{sections}{unsubscribe}</body></html>', subtype="html"
        )
        message["Content-Language"] = lang
        return message


def _key(preference: MailPreference, label: str) -> str:
    return f"digest:{preference.cadence}:{label}"


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)
