"""`partnerhub dispatch` and `partnerhub webhooks ...`: the outbox dispatcher and webhook subscriptions."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import typer

from hub_app.catalog import Catalog
from hub_app.certification.expiry import scan_expiry
from hub_app.cli.common import DATA, ROOT, SYSTEM, _catalog, open_data
from hub_app.interchange.xapi import Lrs, XapiSink
from hub_app.notifications import webhooks as hooks
from hub_app.notifications.digest import Digests
from hub_app.notifications.dispatch import Dispatcher, Report, Sink
from hub_app.notifications.email import DEFAULT_FROM, EmailSink, transport_from
from hub_app.notifications.records import webhooks
from hub_app.notifications.webhooks import WebhookSink
from hub_app.store.base import Store
from hub_app.ui.web.cookies import secret_key

log = logging.getLogger(__name__)
SCAN_EVERY = 3600  # seconds between expiry scans in a running dispatcher
webhooks_app = typer.Typer(help="Webhook subscriptions: events POSTed, signed, to other systems.", no_args_is_help=True)


def app_url(catalog: Catalog) -> str:
    """Where links in mails point: HUB_APP_URL, else program.yml's app_url."""
    return (os.environ.get("HUB_APP_URL") or catalog.program.program.app_url).rstrip("/")


def dispatcher(catalog: Catalog, store: Store, data_dir: Path) -> Dispatcher:
    """A dispatcher to email (HUB_SMTP_URL, or <data dir>/outbox), every webhook subscription and the LRS."""
    transport = transport_from(os.environ.get("HUB_SMTP_URL"), data_dir)
    sender = os.environ.get("HUB_MAIL_FROM") or DEFAULT_FROM
    key = secret_key(data_dir, os.environ.get("HUB_SECRET_KEY"))
    email = EmailSink(catalog, transport, key, app_url(catalog), sender)
    sinks: list[Sink] = [email, WebhookSink(), *lrs_sinks(catalog, os.environ)]
    backoff = catalog.program.notifications.retry_backoff_seconds
    return Dispatcher(store, sinks, backoff, [Digests(email, catalog.program.program.timezone, backoff[0])])


def lrs_sinks(catalog: Catalog, environ: Mapping[str, str]) -> list[Sink]:
    """The xAPI sink when HUB_LRS_URL is set (with HUB_LRS_USER / HUB_LRS_PASSWORD), else none."""
    url = environ.get("HUB_LRS_URL", "").strip()
    if not url:
        return []
    lrs = Lrs(url, environ.get("HUB_LRS_USER", ""), environ.get("HUB_LRS_PASSWORD", ""))
    site = (environ.get("HUB_SITE_URL") or catalog.program.program.site_url).rstrip("/")
    return [XapiSink(catalog, lrs, site, environ.get("HUB_APP_URL") or catalog.program.program.app_url)]


def one_pass(catalog: Catalog, store: Store, runner: Dispatcher) -> Report:
    """Scan for expiry reminders now due, then deliver what is due."""
    now = datetime.now(UTC)
    scan_expiry(store, catalog.program, now)
    return runner.run_once(now)


def start_background(catalog: Catalog, data_dir: Path, interval: float = 5) -> tuple[threading.Thread, threading.Event]:
    """The dispatcher in a daemon thread (as `serve` runs it); set the event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        store = open_data(data_dir)
        runner, scanned = dispatcher(catalog, store, data_dir), 0.0
        try:
            while not stop.is_set():
                if time.monotonic() - scanned >= SCAN_EVERY:
                    scan_expiry(store, catalog.program, datetime.now(UTC))
                    scanned = time.monotonic()
                try:
                    runner.run_once(datetime.now(UTC))
                except Exception:  # the app keeps serving; the next pass retries (dispatch logs the cause)
                    log.exception("dispatch pass failed")
                stop.wait(interval)
        finally:
            store.close()

    thread = threading.Thread(target=loop, name="outbox-dispatcher", daemon=True)
    thread.start()
    return thread, stop


LOOP = typer.Option(False, "--loop", help="Keep dispatching until stopped (Ctrl-C).")
INTERVAL = typer.Option(5.0, "--interval", help="Seconds between passes with --loop.")
URL = typer.Argument(..., help="The receiver's URL (http:// or https://).")
TYPES = typer.Option(["*"], "--type", help="An event type to send (repeat; default: all).")
SECRET = typer.Option(None, "--secret", help="The signing secret (default: a new random one).")
WEBHOOK_ID = typer.Argument(..., help="The id partnerhub webhooks list shows.")


def dispatch(loop: bool = LOOP, interval: float = INTERVAL, root: Path = ROOT, data: Path = DATA) -> None:
    """Deliver the outbox (emails, webhooks) once, or keep doing it with --loop; every attempt is recorded."""
    catalog, store = _catalog(root), open_data(data)
    runner = dispatcher(catalog, store, data)
    try:
        while True:
            report = one_pass(catalog, store, runner)
            typer.echo(
                f"{report.sent} sent, {report.failed} failed (will retry), {report.skipped} skipped, "
                f"{report.waiting} waiting for a retry."
                + (f" {report.digests} digests sent." if report.digests else "")
            )
            if not loop:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        return
    finally:
        store.close()


@webhooks_app.command("add")
def add(url: str = URL, types: list[str] = TYPES, secret: str | None = SECRET, data: Path = DATA) -> None:
    """Subscribe a URL to events; prints the signing secret the receiver verifies with."""
    hook = hooks.add_webhook(SYSTEM, open_data(data), url, tuple(types), datetime.now(UTC), secret)
    typer.echo(f"Webhook {hook.id} added for {', '.join(hook.types)} -> {hook.url}")
    typer.echo(f"Signing secret: {hook.secret}")


@webhooks_app.command("list")
def list_hooks(data: Path = DATA) -> None:
    """Every webhook subscription."""
    found = webhooks(open_data(data))
    for hook in found:  # one line each, whole: ids and URLs are copied from here
        typer.echo(f"{hook.id}  {hook.url}  {', '.join(hook.types)}  since {hook.created:%Y-%m-%d}")
    if not found:
        typer.echo("No webhooks yet. Add one with: partnerhub webhooks add URL --type TYPE")


@webhooks_app.command("remove")
def remove(webhook_id: str = WEBHOOK_ID, data: Path = DATA) -> None:
    """Stop sending events to a subscription (its delivery log stays)."""
    hooks.remove_webhook(SYSTEM, open_data(data), webhook_id)
    typer.echo(f"Webhook {webhook_id} removed.")
