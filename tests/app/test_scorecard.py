"""Partners see their points history with its reasons, and a partner admin the company's recorded KPIs."""

from __future__ import annotations

from app_driver import app_as
from seed import NOW

from hub_app.recognition import points


def _frame(at, key_column):
    return next(d.value for d in at.dataframe if key_column in d.value.columns)


def test_a_partner_sees_their_points_history_with_the_reasons(hub):
    points.adjust(hub.manager, hub.store, hub.ana.id, 40, "Hosted the Singapore webinar", NOW)
    at = app_as(hub.ana, "leaderboards")
    history = _frame(at, "Reason").to_dict("records")
    assert history[0] == {
        "Date": "Nov 27, 2026",
        "Points": "+40",
        "For": "Manual adjustment",
        "Reason": "Hosted the Singapore webinar",
    }
    assert {"For": "Partner event attended", "Reason": "—"}.items() <= history[1].items()


def test_a_partner_admin_sees_the_companys_recorded_kpis(hub):
    at = app_as(hub.ben, "company")
    kpis = _frame(at, "Quarter").to_dict("records")
    assert kpis == [{"Quarter": "2026-Q3", "Revenue, last 12 months": "82,000", "Customers": "5", "CSAT": "4.4"}]
