"""The scheduled scan for certificate expiry: reminders at the program's cadence and a notice on expiry.

program.yml's ``notifications.expiry_reminder_days`` (e.g. 60, 30, 7, 0) names the thresholds; a
certificate past a threshold gets one event for it (``certificate.expiring``, or ``certificate.expired``
for 0), idempotent per certificate and threshold, so the scan may run as often as it likes. Only the
nearest threshold passed is written: a certificate found for the first time 5 days before its expiry gets
the 7-day reminder, not the 60- and 30-day ones too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hub_app.catalog.models import Program
from hub_app.certification.certificates import certificate_facts, current, lapses_at
from hub_app.certification.records import CERTIFICATES, Certificate
from hub_app.kernel.events import CERTIFICATE_EXPIRED, CERTIFICATE_EXPIRING, DomainEvent, event
from hub_app.notifications.records import record
from hub_app.store.base import Store

STALE = timedelta(days=30)


def scan_expiry(store: Store, program: Program, now: datetime) -> list[DomainEvent]:
    """Write the expiry events now due (none twice); return those written by this scan."""
    thresholds = sorted(set(program.notifications.expiry_reminder_days))
    written = []
    with store.transaction():
        certificates = store.select(CERTIFICATES)
        for certificate in certificates:
            due = _due(certificate, certificates, thresholds, now)
            if due is not None and record(store, due):
                written.append(due)
    return written


def _due(certificate: Certificate, every: list[Certificate], days: list[int], now: datetime) -> DomainEvent | None:
    if certificate.revoked_at is not None:
        return None
    successor = current([c for c in every if c.user_id == certificate.user_id], certificate.course_id)
    if successor is not None and successor.id != certificate.id and successor.expires > certificate.expires:
        return None  # renewed: the renewal carries on, no reminder for the old one
    end = lapses_at(certificate)
    if now - end > STALE:
        return None  # long expired before the hub began reminding: no news to anyone
    passed = [d for d in days if now >= end - timedelta(days=d)]
    if not passed:
        return None
    due = passed[0]
    kind = CERTIFICATE_EXPIRED if due == 0 else CERTIFICATE_EXPIRING
    facts = {**certificate_facts(certificate), "days": str(due)}
    key = f"{kind}:{certificate.id}:{due}"
    return event(kind, now, (certificate.id, certificate.user_id), facts, (certificate.user_id,), key=key)
