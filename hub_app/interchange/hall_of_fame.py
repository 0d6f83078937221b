"""The hall of fame export: every recorded award, with names as the public may see them.

A person or company that opted out of the leaderboards is not named (their award still stands). The site
reads the file at build time (`hub_app.publishing.hall_of_fame`).
"""

from __future__ import annotations

from pathlib import Path

from hub_app.catalog.models import Program
from hub_app.partners.records import COMPANIES, USERS
from hub_app.publishing.hall_of_fame import Entry, write_export
from hub_app.recognition.records import AWARDS
from hub_app.store.base import Store


def entries(store: Store, program: Program) -> list[Entry]:
    """Every award as published, in the order they were recorded."""
    measures = {a.id: a.measure for a in program.awards.programs}
    found = []
    for award in store.select(AWARDS):
        user = store.get(USERS, award.user_id) if award.user_id else None
        company = store.get(COMPANIES, award.company_id) if award.company_id else None
        person = user.display_name if user is not None and not user.leaderboard_opt_out else None
        named = company.name if company is not None and not company.leaderboard_opt_out else None
        if user is not None and user.leaderboard_opt_out:
            named = None  # naming the company of an anonymous person would all but name them
        measure = measures.get(award.award_id, "points")
        found.append(Entry(award.period, award.award_id, award.place, person, named, str(award.score), measure))
    return found


def export(store: Store, program: Program, path: Path) -> int:
    """Write the hall of fame export to ``path``; the number of winners in it."""
    found = entries(store, program)
    write_export(path, found)
    return len(found)
