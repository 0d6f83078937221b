"""When a person may sit an exam again: attempts per rolling window, and a cool-down after a fail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from hub_app.catalog.models import AttemptPolicy
from hub_app.kernel.errors import HubError
from hub_app.kernel.messages import Course, Moment
from hub_app.learning.records import Attempt


class AttemptsExhausted(HubError):
    msgid = "No attempts left for {course}. Next attempt from {time}."

    def __init__(self, course_id: str, retry_at: datetime):
        super().__init__(course=Course(course_id), time=Moment(retry_at))
        self.course_id, self.retry_at = course_id, retry_at


class CoolingDown(HubError):
    msgid = "Take some time to study before retaking {course}. Next attempt from {time}."

    def __init__(self, course_id: str, retry_at: datetime):
        super().__init__(course=Course(course_id), time=Moment(retry_at))
        self.course_id, self.retry_at = course_id, retry_at


def next_allowed(policy: AttemptPolicy, attempts: Sequence[Attempt], now: datetime) -> datetime | None:
    """When the next attempt may start, or None when it may start now. `attempts` oldest first."""
    return max(
        (t for t in (_window_retry(policy, attempts, now), _cooldown_retry(policy, attempts, now)) if t),
        default=None,
    )


def check(policy: AttemptPolicy, course_id: str, attempts: Sequence[Attempt], now: datetime) -> None:
    """Raise AttemptsExhausted or CoolingDown when a new attempt may not start now."""
    window_retry = _window_retry(policy, attempts, now)
    if window_retry is not None:
        raise AttemptsExhausted(course_id, window_retry)
    cooldown_retry = _cooldown_retry(policy, attempts, now)
    if cooldown_retry is not None:
        raise CoolingDown(course_id, cooldown_retry)


def _window_retry(policy: AttemptPolicy, attempts: Sequence[Attempt], now: datetime) -> datetime | None:
    window = timedelta(days=policy.window_days)
    recent = sorted(a.started_at for a in attempts if a.started_at > now - window)
    if len(recent) < policy.max_attempts:
        return None
    # The window frees a slot when the attempt that would make one too many falls out of it.
    return recent[len(recent) - policy.max_attempts] + window


def _cooldown_retry(policy: AttemptPolicy, attempts: Sequence[Attempt], now: datetime) -> datetime | None:
    submitted = [(a.submitted_at, a) for a in attempts if a.submitted_at is not None]
    if not submitted or policy.cooldown_hours == 0:
        return None
    last_at, last = max(submitted, key=lambda pair: pair[0])
    if last.passed:
        return None
    retry = last_at + timedelta(hours=policy.cooldown_hours)
    return retry if now < retry else None
