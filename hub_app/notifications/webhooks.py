"""Webhooks: a program admin subscribes a URL to event types; each event is POSTed as signed JSON.

The body is ``{"id", "type", "timestamp", "subjects", "data"}`` (``data``: the event's facts). Headers:
``X-Hub-Event-Id`` (the same on every retry: a receiver drops duplicates by it), ``X-Hub-Timestamp``
(Unix seconds at sending) and ``X-Hub-Signature-256: sha256=<hex>``, the HMAC-SHA256 with the
subscription's secret of ``<timestamp>.<raw body>``. A receiver verifies with `verify_signature`: the same
HMAC, compared in constant time, and a timestamp within five minutes of its clock (a replayed request is
refused). A 2xx reply counts as delivered; anything else (or no reply within 10 s) is retried with backoff.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import urlsplit

from hub_app.kernel.errors import HubError
from hub_app.kernel.events import EVENT_TYPES, DomainEvent
from hub_app.kernel.ids import new_id
from hub_app.kernel.messages import Items
from hub_app.notifications.dispatch import Result
from hub_app.notifications.records import WEBHOOKS, Webhook, webhooks
from hub_app.partners.permissions import is_program_admin, require
from hub_app.partners.records import User
from hub_app.store.base import Store

TOLERANCE_SECONDS = 300


class WebhookUrlInvalid(HubError):
    """A webhook URL that is not http(s) with a host."""

    msgid = (
        "Webhook URL '{url}' is not an http:// or https:// URL. "
        "Hint: give the receiver's full URL, like https://crm.example.com/hooks/partnerhub."
    )

    def __init__(self, url: str):
        super().__init__(url=url)
        self.url = url


class EventTypeUnknown(HubError):
    """A webhook subscribed to an event type nobody declared."""

    msgid = "No event type is called '{name}'. Known types: {known}."

    def __init__(self, name: str):
        self.known = ", ".join(sorted(EVENT_TYPES))
        super().__init__(name=name, known=Items(sorted(EVENT_TYPES)))
        self.name = name


class UnknownWebhook(HubError):
    """A webhook id that is not stored."""

    msgid = "No webhook has the id '{webhook_id}'. Hint: partnerhub webhooks list shows them."

    def __init__(self, webhook_id: str):
        super().__init__(webhook_id=webhook_id)
        self.webhook_id = webhook_id


def add_webhook(
    actor: User, store: Store, url: str, types: tuple[str, ...], now: datetime, secret: str | None = None
) -> Webhook:
    """Subscribe ``url`` to events of ``types`` ("*": all); a program admin only. The secret is made if not given."""
    require(is_program_admin(actor), actor, "manage webhooks")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookUrlInvalid(url)
    for name in types:
        if name != "*" and name not in EVENT_TYPES:
            raise EventTypeUnknown(name)
    hook = Webhook(new_id(), url.strip(), secret or secrets.token_urlsafe(32), tuple(types) or ("*",), now, actor.id)
    store.add(WEBHOOKS, hook)
    return hook


def remove_webhook(actor: User, store: Store, webhook_id: str) -> None:
    """Stop a subscription; its delivery log stays."""
    require(is_program_admin(actor), actor, "manage webhooks")
    with store.transaction():
        if store.get(WEBHOOKS, webhook_id) is None:
            raise UnknownWebhook(webhook_id)
        store.remove(WEBHOOKS, webhook_id)


def body_of(event: DomainEvent) -> bytes:
    """The JSON body for the event (the same bytes on every retry)."""
    document = {
        "id": event.id,
        "type": event.type,
        "timestamp": event.occurred_at.isoformat(),
        "subjects": list(event.subject_ids),
        "data": event.payload,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 with the secret over ``<timestamp>.<body>``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret: str, timestamp: str, body: bytes, header: str, now: float | None = None) -> bool:
    """What a receiver checks: the signature matches and the timestamp is within five minutes."""
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return False
    return age <= TOLERANCE_SECONDS and hmac.compare_digest(signature(secret, timestamp, body), header)


class WebhookSink:
    """Delivers events to every subscription for their type (sink names ``webhook:<id>``)."""

    prefix = "webhook"

    def __init__(self, timeout: float = 10):
        self.timeout = timeout

    def targets(self, store: Store, event: DomainEvent) -> list[str]:
        """The subscriptions that want this event type."""
        return [f"webhook:{h.id}" for h in webhooks(store) if "*" in h.types or event.type in h.types]

    def deliver(self, store: Store, event: DomainEvent, target: str) -> Result:
        """POST the signed event; sent on 2xx, failed (with the status or error) otherwise."""
        hook = store.get(WEBHOOKS, target.split(":", 1)[1])
        if hook is None:
            return Result("skipped", error="subscription removed")
        body, timestamp = body_of(event), str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "PartnerHub-Webhooks/1",
            "X-Hub-Event-Id": event.id,
            "X-Hub-Timestamp": timestamp,
            "X-Hub-Signature-256": signature(hook.secret, timestamp, body),
        }
        request = urllib.request.Request(hook.url, body, headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
                return Result("sent", response.status)
        except urllib.error.HTTPError as e:
            return Result("failed", e.code, f"HTTP {e.code}")
        except (urllib.error.URLError, OSError) as e:
            return Result("failed", None, str(getattr(e, "reason", e)))
