"""The email sink: each recipient of an event gets a mail in their language, over SMTP or into a folder.

``HUB_SMTP_URL`` (``smtp://user:password@host:587?starttls=true``, or ``smtps://`` for TLS from the first
byte) sends over SMTP; without it mails are written as ``.eml`` files to ``<data dir>/outbox/`` (the
default: nothing leaves the machine until an operator says where). ``HUB_MAIL_FROM`` is the sender. Every
mail carries ``Message-ID`` and ``X-Hub-Event-Id`` built from the event and the recipient, so a mail resent
after a crash (at least once) can be recognised as the same one, and a one-click unsubscribe link
(RFC 8058 ``List-Unsubscribe``) signed with the hub's secret.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, quote, unquote, urlsplit

from itsdangerous import BadSignature, URLSafeSerializer

from hub_app.catalog import Catalog
from hub_app.kernel.errors import HubError
from hub_app.kernel.events import DomainEvent
from hub_app.notifications.dispatch import Result
from hub_app.notifications.records import preference_of, set_preference
from hub_app.notifications.templates import TEMPLATES, render
from hub_app.partners.records import LANGUAGES, USERS
from hub_app.store.base import Store

DEFAULT_FROM = "Partner Hub <hub@localhost>"
_SALT = "partnerhub-unsubscribe"
HELD = "held for the digest: "


class SmtpUrlInvalid(HubError):
    """HUB_SMTP_URL is not an smtp:// or smtps:// URL with a host."""

    msgid = (
        "HUB_SMTP_URL '{url}' is not an SMTP URL. Hint: set it like "
        "smtp://user:password@mail.example.com:587?starttls=true, or unset it to write mails to the outbox folder."
    )

    def __init__(self, url: str):
        super().__init__(url=url)
        self.url = url


class UnsubscribeLinkInvalid(HubError):
    """An unsubscribe token that this hub did not sign (or that was changed)."""

    msgid = (
        "This unsubscribe link is not valid. "
        "Hint: use the link from your latest email, or change your email settings after signing in."
    )

    def __init__(self) -> None:
        super().__init__()


class Transport(Protocol):
    """Hands a finished mail to whatever carries it; returns the reply code (250 when accepted)."""

    def send(self, message: EmailMessage) -> int:
        """Send the mail or raise (smtplib.SMTPException, OSError)."""
        ...


@dataclass(frozen=True)
class Smtp:
    """An SMTP server from HUB_SMTP_URL."""

    host: str
    port: int
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    tls: bool = False
    timeout: float = 30

    @classmethod
    def from_url(cls, url: str) -> Smtp:
        """Parse smtp://user:password@host:port?starttls=true (smtps:// for implicit TLS)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise SmtpUrlInvalid(url)
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError as e:
            raise SmtpUrlInvalid(url) from e
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        return cls(parts.hostname, port, user, password, starttls, parts.scheme == "smtps")

    def send(self, message: EmailMessage) -> int:
        """Deliver over SMTP; 250 when the server accepted the mail for every recipient."""
        context = ssl.create_default_context()
        smtp = (
            smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            if self.tls
            else smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        )
        with smtp:
            if self.starttls:
                smtp.starttls(context=context)
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
        return 250


@dataclass(frozen=True)
class Folder:
    """Mails written as .eml files, one per message, named by its event and recipient."""

    path: Path

    def send(self, message: EmailMessage) -> int:
        """Write the mail (replacing a copy from an earlier try); 250 like an accepting server."""
        self.path.mkdir(parents=True, exist_ok=True)
        name = str(message["X-Hub-Delivery"]).replace(":", "-")
        tmp = self.path / f".{name}.tmp"
        tmp.write_bytes(bytes(message))
        tmp.replace(self.path / f"{name}.eml")
        return 250


def transport_from(smtp_url: str | None, data_dir: Path) -> Transport:
    """SMTP when HUB_SMTP_URL is set, else the outbox folder under the data directory."""
    return Smtp.from_url(smtp_url) if smtp_url else Folder(data_dir / "outbox")


def unsubscribe_token(secret: str, user_id: str) -> str:
    """A signed token naming the person; the unsubscribe page turns it back into them."""
    return str(URLSafeSerializer(secret, salt=_SALT).dumps(user_id))


def unsubscribe(store: Store, secret: str, token: str) -> str:
    """Stop every mail to the person the token names; returns their user id (UnsubscribeLinkInvalid if forged)."""
    try:
        user_id = str(URLSafeSerializer(secret, salt=_SALT).loads(token))
    except BadSignature as e:
        raise UnsubscribeLinkInvalid() from e
    with store.transaction():
        set_preference(store, replace(preference_of(store, user_id), unsubscribed=True))
    return user_id


class EmailSink:
    """Delivers events to their recipients by email (sink names ``email:<user id>``)."""

    prefix = "email"

    def __init__(self, catalog: Catalog, transport: Transport, secret: str, app_url: str, sender: str = DEFAULT_FROM):
        self.catalog, self.transport, self.secret = catalog, transport, secret
        self.app_url, self.sender = app_url.rstrip("/"), sender

    def targets(self, store: Store, event: DomainEvent) -> list[str]:
        """One sink per recipient, for event types that have a template."""
        return [f"email:{uid}" for uid in event.recipients] if event.type in TEMPLATES else []

    def deliver(self, store: Store, event: DomainEvent, target: str) -> Result:
        """Render and send the mail, or skip it when the person opted out or has no active account."""
        user_id = target.split(":", 1)[1]
        user = store.get(USERS, user_id)
        preference = preference_of(store, user_id)
        if user is None or not user.active:
            return Result("skipped", error="no active account")
        if preference.unsubscribed or event.type in preference.muted:
            return Result("skipped", error="unsubscribed" if preference.unsubscribed else "muted")
        if preference.cadence != "immediate":  # the digest job sends it with the others of its period
            return Result("skipped", error=f"{HELD}{preference.cadence}")
        return Result("sent", self.transport.send(self.message(store, event, target)))

    def message(self, store: Store, event: DomainEvent, target: str) -> EmailMessage:
        """The mail for one recipient: plain text and HTML, in their language, with idempotency headers."""
        user_id = target.split(":", 1)[1]
        user = store.get(USERS, user_id)
        assert user is not None
        choice = store.get(LANGUAGES, user_id)
        lang = choice.lang if choice else "en"
        link = f"{self.app_url}/unsubscribe?token={quote(unsubscribe_token(self.secret, user_id))}"
        mail = render(self.catalog, event, user.display_name, lang, link)
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, user.email, mail.subject
        message["Message-ID"] = f"<{event.id}.{user_id}@partnerhub>"
        message["X-Hub-Event-Id"], message["X-Hub-Delivery"] = event.id, f"{event.id}:{user_id}"
        message["List-Unsubscribe"] = f"<{link}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(mail.text)
        message.add_alternative(mail.html, subtype="html")
        message["Content-Language"] = lang  # after the body: set_content drops Content-* headers
        return message
