"""Revoking a certificate, and, when the channel manager chooses, taking back the points its pass earned.

A certificate's points are the entries awarded by the same submission that issued it: certification
earned, the first pass, a perfect score and an on-time renewal, each keyed by its course and stamped with
the certificate's issue time. Taking them back appends reversals carrying the revocation's reason, in the
revocation's transaction: the certificate and its points go together, or neither does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hub_app.certification import certificates as certification
from hub_app.certification.records import CERTIFICATES, Certificate
from hub_app.partners.records import User
from hub_app.recognition import points
from hub_app.recognition.records import LedgerEntry, ledger_of
from hub_app.store.base import Store

CERTIFICATE_RULES = ("certification_earned", "course_first_pass", "perfect_score", "on_time_renewal")


@dataclass(frozen=True)
class Revocation:
    """The revoked certificate and the reversals of its points (empty when they were kept)."""

    certificate: Certificate
    reversals: tuple[LedgerEntry, ...]


def points_of(store: Store, certificate: Certificate) -> list[LedgerEntry]:
    """The not yet reversed entries the certificate's pass earned."""
    mine = ledger_of(store, certificate.user_id)
    undone = points.reversed_ids(mine)
    return [
        e
        for e in mine
        if e.rule in CERTIFICATE_RULES
        and e.at == certificate.issued
        and f":{certificate.course_id}" in e.idempotency_key
        and e.id not in undone
    ]


def revoke(
    actor: User, store: Store, certificate_id: str, reason: str, now: datetime, *, take_back_points: bool
) -> Revocation:
    """Revoke the certificate (see `certification.revoke`) and, if asked, reverse the points it earned."""
    with store.transaction():
        revoked = certification.revoke(actor, store, certificate_id, reason, now)
        found = store.get(CERTIFICATES, certificate_id)
        assert found is not None
        earned = points_of(store, found) if take_back_points else []
        reversals = tuple(points.reverse(actor, store, e.id, reason, now) for e in earned)
    return Revocation(revoked, reversals)
