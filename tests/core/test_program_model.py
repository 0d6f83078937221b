"""The program model from program.yml: the Exchange track, credited revenue, the optional KPI columns."""

from __future__ import annotations

import pytest
from hub_cast import T0, company, real_catalog, staff

from hub_app.catalog.models import Marketplace
from hub_app.store.memory import MemoryStore
from hub_app.tiers import evaluation, kpis
from hub_app.tiers.evaluation import Standing
from hub_app.tiers.kpis import ImportRejected
from hub_app.tiers.records import KpiRecord

CATALOG = real_catalog()
PROGRAM = CATALOG.program
SILVER = PROGRAM.tier("silver").requirements


def _standing(kind: str, *, revenue=0.0, customers=0, market: Marketplace | None = None, sales="qs-sales-pro"):
    holders = {"qs-fundamentals": frozenset({"a", "b"}), sales: frozenset({"c"})}
    on_track = kind in PROGRAM.tier_credit.marketplace_partner_types
    return Standing(holders, revenue, customers, None, kind, (market or Marketplace()) if on_track else None)


def test_isv_reaches_silver_on_the_exchange_track_without_resale_revenue():
    standing = _standing("isv", market=Marketplace(listings=1, installs=25, joint_customers=3))
    assert evaluation.meets(SILVER, standing)
    assert evaluation.qualified_tier(PROGRAM, standing).id == "silver"


def test_reseller_cannot_use_the_exchange_track():
    assert not evaluation.meets(SILVER, _standing("var"))


def test_isv_certification_counts_for_isvs_sales_requirement_but_not_for_a_reseller():
    market = Marketplace(listings=1, installs=25, joint_customers=3)
    assert evaluation.meets(SILVER, _standing("isv", market=market, sales="qs-isv-partner"))
    assert not evaluation.meets(SILVER, _standing("var", revenue=60000, customers=4, sales="qs-isv-partner"))


def test_gap_on_the_exchange_track_names_listings_installs_and_joint_customers():
    standing = _standing("technology", market=Marketplace(listings=0, installs=10, joint_customers=1))
    assert evaluation.gaps(CATALOG, SILVER, standing) == (
        "1 more Exchange listing",
        "15 more installs",
        "2 more joint customers",
    )


def test_resale_revenue_closes_an_isvs_business_gap_too():
    standing = _standing("isv", revenue=50000, customers=3)
    assert evaluation.gaps(CATALOG, SILVER, standing) == ()


@pytest.mark.parametrize(("kind", "credited"), [("si", 40000 + 30000 + 5000), ("consultant", 75000), ("var", 40000)])
def test_implemented_and_influenced_revenue_are_credited_to_sis_and_consultancies(kind, credited):
    kpi = KpiRecord(
        "c1", "2026-Q1", 40000, 3, None, "cm", T0, implemented_revenue_12m=60000, influenced_revenue_12m=20000
    )
    assert evaluation.credited_revenue(PROGRAM, kind, kpi) == credited


@pytest.fixture
def cast():
    store = MemoryStore()
    admin = staff(store, "Admin", "program_admin")
    return store, admin, company(store, "Acme", type="isv")


def test_kpi_import_reads_the_optional_columns(cast):
    store, admin, acme = cast
    text = (
        "company_id,period,revenue_12m,customers,csat,listings,installs,joint_customers,implemented_revenue_12m\n"
        f"{acme.id},2026-Q1,0,0,,2,140,9,\n"
    )
    [kpi] = kpis.import_kpis_csv(admin, store, text, T0)
    assert (kpi.listings, kpi.installs, kpi.joint_customers, kpi.implemented_revenue_12m) == (2, 140, 9, 0.0)


def test_kpi_import_without_the_optional_columns_records_zero(cast):
    store, admin, acme = cast
    [kpi] = kpis.import_kpis_csv(
        admin, store, f"company_id,period,revenue_12m,customers,csat\n{acme.id},2026-Q1,10,1,\n", T0
    )
    assert (kpi.listings, kpi.installs, kpi.influenced_revenue_12m) == (0, 0, 0.0)


def test_kpi_import_names_a_bad_optional_value_by_line_and_column(cast):
    store, admin, acme = cast
    text = f"company_id,period,revenue_12m,customers,csat,installs\n{acme.id},2026-Q1,10,1,,2.5\n"
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, text, T0)
    assert [str(p) for p in e.value.problems] == ["<text>:2: installs: must be a whole number (got 2.5)"]


def test_recorded_exchange_figures_reach_the_evaluation(cast):
    store, admin, acme = cast
    kpis.record_kpis(
        admin, store, acme.id, period="2026-Q1", revenue_12m=0, customers=0, csat=None, now=T0, installs=30
    )
    standing = evaluation.standing_at(evaluation.load_facts(store, acme.id), PROGRAM, T0)
    assert standing.marketplace == Marketplace(listings=0, installs=30, joint_customers=0)
