"""KPIs: who may record them, what a valid value is, and all-or-nothing CSV imports."""

from __future__ import annotations

import pytest
from hub_cast import T0, company, person, real_catalog, staff

from hub_app.partners.companies import UnknownCompany
from hub_app.partners.permissions import NotAllowed
from hub_app.store.memory import MemoryStore
from hub_app.tiers import evaluation, kpis
from hub_app.tiers.kpis import ImportRejected, InvalidKpi
from hub_app.tiers.records import kpis_of


@pytest.fixture
def cast():
    store = MemoryStore()
    cm, other_cm = staff(store, "Cm", "channel_manager"), staff(store, "Other", "channel_manager")
    admin = staff(store, "Admin", "program_admin")
    acme = company(store, "Acme", manager=cm)
    globex = company(store, "Globex", manager=other_cm)
    return store, cm, other_cm, admin, acme, globex


def _record(actor, store, firm, **kw):
    values = {"period": "2026-Q1", "revenue_12m": 1000, "customers": 3, "csat": 4.5, **kw}
    return kpis.record_kpis(actor, store, firm.id, now=T0, **values)


def test_channel_manager_records_kpis_for_own_partner(cast):
    store, cm, _, _, acme, _ = cast
    kpi = _record(cm, store, acme, period=" 2026-q1 ", revenue_12m="250000", customers="12", csat="4.3")
    got = (kpi.period, kpi.revenue_12m, kpi.customers, kpi.csat, kpi.recorded_by)
    assert got == ("2026-Q1", 250000, 12, 4.3, cm.id)
    assert kpis_of(store, acme.id) == [kpi]


def test_channel_manager_cannot_record_kpis_for_other_partners(cast):
    store, cm, _, _, _, globex = cast
    with pytest.raises(NotAllowed) as e:
        _record(cm, store, globex)
    assert str(e.value) == (
        "You (cm@vendor.io) are not allowed to record KPIs for Globex. "
        "Ask your channel manager or a program admin if you need this."
    )


def test_partner_admin_cannot_record_own_company_kpis(cast):
    store, _, _, _, acme, _ = cast
    with pytest.raises(NotAllowed):
        _record(person(store, acme, "Boss", admin=True), store, acme)


def test_program_admin_records_kpis_for_any_partner(cast):
    store, _, _, admin, _, globex = cast
    assert _record(admin, store, globex).company_id == globex.id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("period", "2026-13", "period: '2026-13' is not a quarter; write it like 2026-Q3"),
        ("period", "", "period: is empty; write the quarter like 2026-Q3"),
        ("revenue_12m", "-1", "revenue_12m: must be 0 or more (got -1)"),
        ("revenue_12m", "lots", "revenue_12m: 'lots' is not a number"),
        ("customers", "2.5", "customers: must be a whole number (got 2.5)"),
        ("customers", "-3", "customers: must be 0 or more (got -3)"),
        ("csat", "5.5", "csat: must be between 1 and 5 (got 5.5)"),
        ("csat", "0", "csat: must be between 1 and 5 (got 0)"),
        ("csat", "nan", "csat: 'nan' is not a number"),
    ],
)
def test_invalid_kpi_values_are_refused_with_the_column_and_the_fix(cast, field, value, message):
    store, cm, _, _, acme, _ = cast
    with pytest.raises(InvalidKpi) as e:
        _record(cm, store, acme, **{field: value})
    assert str(e.value) == message
    assert kpis_of(store, acme.id) == []


def test_empty_csat_means_not_measured(cast):
    store, cm, _, _, acme, _ = cast
    assert _record(cm, store, acme, csat="").csat is None


def test_recording_the_same_period_again_replaces_it(cast):
    store, cm, _, _, acme, _ = cast
    _record(cm, store, acme, customers=3)
    _record(cm, store, acme, customers=4)
    assert [k.customers for k in kpis_of(store, acme.id)] == [4]


def _csv(*rows: str) -> str:
    return "\n".join(["company_id,period,revenue_12m,customers,csat", *rows]) + "\n"


def test_kpi_import_writes_every_row(cast, tmp_path):
    store, _, _, admin, acme, globex = cast
    path = tmp_path / "kpis.csv"
    path.write_text(_csv(f"{acme.id},2026-Q1,1000,3,4.5", f"{globex.id},2026-Q1,2000,5,"), encoding="utf-8")
    seen = []
    imported = kpis.import_kpis_csv(admin, store, path, T0, on_row=lambda i, n: seen.append((i, n)))
    assert len(imported) == 2 and seen == [(1, 2), (2, 2)]
    assert kpis_of(store, globex.id)[0].csat is None


def test_kpi_import_with_one_bad_row_imports_nothing(cast, tmp_path):
    store, _, _, admin, acme, globex = cast
    path = tmp_path / "kpis.csv"
    path.write_text(_csv(f"{acme.id},2026-Q1,1000,3,4.5", f"{globex.id},2026-Q1,-5,5,4"), encoding="utf-8")
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, path, T0)
    assert [str(p) for p in e.value.problems] == [f"{path}:3: revenue_12m: must be 0 or more (got -5)"]
    assert kpis_of(store, acme.id) == [] and kpis_of(store, globex.id) == []


def test_kpi_import_reports_every_bad_row_at_once(cast):
    store, cm, _, _, acme, globex = cast
    text = _csv(
        f"{acme.id},2026-Q5,1000,3,4.5",
        f"{acme.id},2026-Q1,abc,2.5,9",
        f"{globex.id},2026-Q1,1,1,1",
        "nope,2026-Q1,1,1,1",
        f"{acme.id},2025-Q4,1,1,1",
        f"{acme.id},2025-Q4,1,1,1",
    )
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(cm, store, text, T0)
    assert str(e.value).splitlines()[0] == "Nothing was imported: 7 problem(s). Fix them and import again."
    assert [str(p) for p in e.value.problems] == [
        "<text>:2: period: '2026-Q5' is not a quarter; write it like 2026-Q3",
        "<text>:3: revenue_12m: 'abc' is not a number",
        "<text>:3: customers: must be a whole number (got 2.5)",
        "<text>:3: csat: must be between 1 and 5 (got 9)",
        "<text>:4: company_id: Globex is not one of your partners",
        "<text>:5: company_id: no partner company 'nope'",
        "<text>:7: period: 2025-Q4 is already given on line 6",
    ]
    assert kpis_of(store, acme.id) == []


def test_kpi_import_without_the_header_is_refused(cast):
    store, _, _, admin, acme, _ = cast
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, f"company_id,period\n{acme.id},2026-Q1\n", T0)
    assert [str(p) for p in e.value.problems] == [
        "<text>:1: header: missing column(s) revenue_12m, customers, csat; "
        "the first line must be company_id,period,revenue_12m,customers,csat"
    ]


def test_partner_user_cannot_import_kpis(cast):
    store, _, _, _, acme, _ = cast
    with pytest.raises(NotAllowed):
        kpis.import_kpis_csv(person(store, acme, "Ana"), store, _csv(), T0)


@pytest.mark.parametrize(
    "ask",
    [
        lambda store, actor: kpis.record_kpis(
            actor, store, "nope", period="2026-Q1", revenue_12m=1, customers=1, csat=None, now=T0
        ),
        lambda store, actor: kpis.kpis_of(actor, store, "nope"),
        lambda store, actor: evaluation.evaluate(actor, store, real_catalog(), "nope", T0),
    ],
    ids=["record", "kpis_of", "evaluate"],
)
def test_a_missing_company_is_the_one_unknown_company_of_partners(cast, ask):
    store, _, _, admin, _, _ = cast
    with pytest.raises(UnknownCompany) as refused:
        ask(store, admin)
    assert str(refused.value) == "No partner company 'nope'. Pick one from the partner list."


def test_every_bad_kpi_value_is_found_at_once_by_column():
    found = kpis.field_problems(period="2026-13", revenue_12m="lots", customers="2", csat="9")
    assert [str(e) for e in found] == [
        "period: '2026-13' is not a quarter; write it like 2026-Q3",
        "revenue_12m: 'lots' is not a number",
        "csat: must be between 1 and 5 (got 9)",
    ]
    assert kpis.field_problems(period="2026-Q1", revenue_12m="1", customers="2", csat="") == []


@pytest.mark.parametrize("value", ["1_000", "١٠٠٠", "1e3", "inf", "0x10", "１０"])
def test_kpi_numbers_are_plain_digits(cast, value):
    store, _, _, admin, acme, _ = cast
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, _csv(f"{acme.id},2026-Q1,{value},3,4.5"), T0)
    assert [str(p) for p in e.value.problems] == [f"<text>:2: revenue_12m: '{value}' is not a number"]


@pytest.mark.parametrize(
    "data, problem",
    [
        (
            "company_id,period\n".encode("utf-16"),
            "kpis.csv:1: encoding: the file is UTF-16 text; save it as CSV (UTF-8) and import again",
        ),
        (
            b"company_id,period,revenue_12m,customers,csat\nacme,2026-Q1,10\xe9,3,4\n",
            "kpis.csv:2: encoding: byte 60 is not UTF-8; save the file as CSV (UTF-8) and import again",
        ),
    ],
    ids=["utf-16", "bad-utf-8"],
)
def test_a_kpi_file_that_is_not_utf8_is_refused_with_where(cast, data, problem):
    store, _, _, admin, _, _ = cast
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, data, T0, name="kpis.csv")
    assert [str(p) for p in e.value.problems] == [problem]


def test_a_kpi_field_over_the_csv_limit_is_a_problem_not_a_crash(cast):
    store, _, _, admin, acme, _ = cast
    text = _csv(f'{acme.id},2026-Q1,"{"9" * 200_000}",3,4.5')
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, text, T0)
    assert [str(p) for p in e.value.problems] == ["<text>:2: csv: a field is longer than 131072 characters"]


def test_kpi_columns_and_fields_beyond_the_five_are_refused(cast):
    store, _, _, admin, acme, _ = cast
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, _csv(f"{acme.id},2026-Q1,1,3,4.5,surplus"), T0)
    assert [str(p) for p in e.value.problems] == ["<text>:2: row: has more fields than the 5 columns"]
    header = "company_id,period,revenue_12m,customers,csat,notes\n"
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, header + f"{acme.id},2026-Q1,1,3,4.5,x\n", T0)
    assert [str(p) for p in e.value.problems] == [
        "<text>:1: header: unknown column(s) notes; the first line must be company_id,period,revenue_12m,customers,csat"
    ]


@pytest.mark.parametrize(
    "period, message",
    [("2031-Q1", "2031-Q1 has not begun; the current quarter is 2026-Q1"), ("1999-Q4", "1999-Q4 is before 2000")],
    ids=["future", "absurd-year"],
)
def test_a_kpi_period_after_the_current_quarter_or_before_2000_is_refused(cast, period, message):
    store, _, _, admin, acme, _ = cast
    with pytest.raises(InvalidKpi) as e:
        _record(admin, store, acme, period=period)
    assert str(e.value) == f"period: {message}"
    assert [str(p) for p in kpis.field_problems(period=period, revenue_12m=1, customers=1, csat=None, now=T0)] == [
        f"period: {message}"
    ]
    with pytest.raises(ImportRejected) as e:
        kpis.import_kpis_csv(admin, store, _csv(f"{acme.id},{period},1,3,4.5"), T0)
    assert [str(p) for p in e.value.problems] == [f"<text>:2: period: {message}"]
    assert kpis_of(store, acme.id) == []


def test_a_kpi_row_may_name_the_partner_by_name(cast):
    store, cm, _, _, acme, globex = cast
    done = kpis.import_kpis_csv(cm, store, _csv("acme,2026-Q1,1000,3,4.5"), T0)
    assert [(k.company_id, k.period) for k in done] == [(acme.id, "2026-Q1")]
    with pytest.raises(ImportRejected) as e:  # another manager's partner is not found by name
        kpis.import_kpis_csv(cm, store, _csv("Globex,2026-Q1,1000,3,4.5"), T0)
    assert [str(p) for p in e.value.problems] == ["<text>:2: company_id: no partner company 'Globex'"]


def test_the_kpi_template_lists_my_partners_for_the_last_closed_quarter(cast):
    store, cm, _, _, _, _ = cast
    assert kpis.template(cm, store, T0) == "company_id,period,revenue_12m,customers,csat\nAcme,2025-Q4,,,\n"
