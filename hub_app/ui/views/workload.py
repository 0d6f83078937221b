"""The work a channel manager (or program admin) has waiting, for their home page (no Streamlit here):
pending tier proposals, partners at risk or in their grace period, certificates lapsing soon across the
portfolio, and partners whose KPIs are stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hub_app.catalog import Catalog
from hub_app.certification import certificates as certification
from hub_app.certification.records import certificates_of
from hub_app.kernel import calendar
from hub_app.partners.records import Company, User, users_of_company
from hub_app.store.base import Store
from hub_app.tiers import kpis
from hub_app.tiers import reviews as tier_reviews
from hub_app.tiers.records import TierProposal
from hub_app.ui.views import portfolio


@dataclass(frozen=True)
class Lapse:
    """A certificate of one of my partners' people that stops counting soon."""

    company: Company
    holder: User
    course_id: str
    lapses: datetime


@dataclass(frozen=True)
class Work:
    """What waits for the actor."""

    partners: int
    pending: tuple[TierProposal, ...]
    at_risk: tuple[tuple[Company, date], ...]  # the day each is at risk on
    in_grace: tuple[tuple[Company, datetime], ...]  # the end of each one's grace period
    lapsing: tuple[Lapse, ...]
    stale_kpis: tuple[tuple[Company, str | None], ...]  # the latest quarter recorded (None: never)


def work_of(actor: User, store: Store, catalog: Catalog, now: datetime) -> Work:
    """The actor's waiting work over the partners they manage (NotAllowed for anyone but vendor staff)."""
    rows = portfolio.partner_rows(actor, store, catalog, now)
    companies = [r.company for r in rows]
    at_risk = tuple((r.company, r.evaluation.at_risk_on) for r in rows if r.evaluation.at_risk_on is not None)
    in_grace = []
    for company in companies:
        deadline = tier_reviews.grace_deadline(store, catalog, company.id, now)
        if deadline is not None:
            in_grace.append((company, deadline))
    return Work(
        len(companies),
        tuple(tier_reviews.pending(actor, store)),
        at_risk,
        tuple(sorted(in_grace, key=lambda pair: pair[1])),
        _lapsing(store, catalog, companies, now),
        _stale(store, companies, now),
    )


def _lapsing(store: Store, catalog: Catalog, companies: list[Company], now: datetime) -> tuple[Lapse, ...]:
    found = []
    for company in companies:
        for person in users_of_company(store, company.id):
            if not person.active:
                continue
            for held in certificates_of(store, person.id):
                if certification.status_in_store(store, held, catalog.program, now) == "expiring":
                    found.append(Lapse(company, person, held.course_id, certification.lapses_at(held)))
    return tuple(sorted(found, key=lambda lapse: lapse.lapses))


def _stale(store: Store, companies: list[Company], now: datetime) -> tuple[tuple[Company, str | None], ...]:
    # KPIs are due every quarter: the last closed quarter's should be in by now
    last_closed = calendar.quarter_label(calendar.quarter_start(now) - timedelta(days=1))
    stale = []
    for company in companies:
        latest = kpis.latest_kpi(store, company.id)
        if latest is None or latest.period < last_closed:
            stale.append((company, None if latest is None else latest.period))
    return tuple(stale)
