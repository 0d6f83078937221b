"""The dispatcher: reads the outbox by cursor and delivers each event to every sink, at least once.

Every attempt is recorded (`DeliveryAttempt`). A failed delivery is retried after the program's
``notifications.retry_backoff_seconds`` (the n-th retry waits the n-th figure; the last one repeats: an
event is never given up). What is delivered is decided by the attempts stored, not by the dispatcher's
memory: a new dispatcher (another process, a restart after a crash) reads the outbox from the start and
resends what has no successful attempt — a crash between sending and recording resends, and the
message's idempotency id (``X-Hub-Event-Id``) lets the receiver see it is the same one. Delivery runs in
the dispatcher, never in the transaction of the person who acted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from hub_app.kernel.events import DomainEvent
from hub_app.kernel.ids import new_id
from hub_app.notifications.records import DELIVERIES, OUTBOX, DeliveryAttempt, attempts_of
from hub_app.store.base import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Result:
    """How one delivery went: sent, failed (retry later) or skipped (nothing to send, by choice)."""

    outcome: str
    code: int | None = None
    error: str = ""


class Sink(Protocol):
    """Where events go: the targets an event has in this sink, and one delivery to one target."""

    prefix: str

    def targets(self, store: Store, event: DomainEvent) -> list[str]:
        """Sink names for this event ("email:<user id>", "webhook:<id>")."""
        ...

    def deliver(self, store: Store, event: DomainEvent, target: str) -> Result:
        """Deliver once; raise or return a failed Result to be retried."""
        ...


class Job(Protocol):
    """Work the dispatcher does each pass besides delivering events (the digests)."""

    def run(self, store: Store, now: datetime) -> int:
        """Do what is due; returns how many mails (or other deliveries) were sent."""
        ...


@dataclass(frozen=True)
class Report:
    """What one pass did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    waiting: int = 0  # failed earlier, not yet due for a retry
    digests: int = 0


class Dispatcher:
    """Delivers the outbox to sinks; `run_once` is one pass, `run_forever` passes until stopped."""

    def __init__(self, store: Store, sinks: Sequence[Sink], backoff: Sequence[int], jobs: Sequence[Job] = ()):
        self.store, self.sinks, self.backoff, self.jobs = store, list(sinks), list(backoff), list(jobs)
        self.cursor: Hashable = None
        self.pending: dict[tuple[str, str], tuple[Sink, DomainEvent]] = {}

    def run_once(self, now: datetime) -> Report:
        """Read new events, then try every delivery that is due; returns what happened."""
        self._read()
        counts = {"sent": 0, "failed": 0, "skipped": 0, "waiting": 0, "done": 0}
        for (target, event_id), (sink, event) in list(self.pending.items()):
            outcome = self._try(sink, event, target, now)
            counts[outcome] += 1
            if outcome in ("sent", "skipped", "done"):
                del self.pending[(target, event_id)]
        digests = sum(self._job(job, now) for job in self.jobs)  # after the pass: its held mails are recorded
        return Report(counts["sent"], counts["failed"], counts["skipped"], counts["waiting"], digests)

    def _job(self, job: Job, now: datetime) -> int:
        try:
            return job.run(self.store, now)
        except Exception:  # a job's failure must not stop deliveries; the next pass tries again
            log.exception("dispatcher job %s failed", type(job).__name__)
            return 0

    def _read(self) -> None:
        batch = self.store.after(OUTBOX, self.cursor)
        if batch.fresh:
            self.pending.clear()
        self.cursor = batch.cursor
        for event in batch.entries:
            for sink in self.sinks:
                for target in sink.targets(self.store, event):
                    self.pending[(target, event.id)] = (sink, event)

    def _try(self, sink: Sink, event: DomainEvent, target: str, now: datetime) -> str:
        attempts = attempts_of(self.store, target, event.id)
        if any(a.outcome != "failed" for a in attempts):
            return "done"
        if attempts and now < attempts[-1].at + timedelta(seconds=self._wait(len(attempts))):
            return "waiting"
        try:
            result = sink.deliver(self.store, event, target)
        except Exception as e:  # a sink's bug or outage must not stop the others; it is recorded and retried
            log.warning("delivery of %s to %s failed", event.id, target, exc_info=True)
            result = Result("failed", None, f"{type(e).__name__}: {e}")
        code = getattr(result, "code", None)
        attempt = DeliveryAttempt(new_id(), target, event.id, now, result.outcome, code, result.error)  # type: ignore[arg-type]
        self.store.add(DELIVERIES, attempt)  # attempts are only ever added: the delivery log
        return result.outcome

    def _wait(self, failures: int) -> int:
        return self.backoff[min(failures, len(self.backoff)) - 1]

    def run_forever(self, clock: Callable[[], datetime], stop: threading.Event, interval: float = 5) -> None:
        """Pass every ``interval`` seconds until ``stop`` is set (a pass's error is logged, not fatal)."""
        while not stop.is_set():
            try:
                self.run_once(clock())
            except Exception:  # the dispatcher outlives a bad pass (a store hiccup): the next one retries
                log.exception("dispatch pass failed")
            stop.wait(interval)
