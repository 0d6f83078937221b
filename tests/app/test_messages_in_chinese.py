"""A Chinese reader meets no English: errors, refusals, KPI field problems and tier reasons are worded in
Chinese, with times in the reader's zone, names from program.yml and lists joined by 、."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import seed
from app_driver import app_as

from hub_app.kernel.i18n import t
from hub_app.kernel.ids import new_id
from hub_app.tiers.records import PROPOSALS, TierProposal
from hub_app.ui.web import session
from hub_app.ui.words.markup import shown


def _press(at, label: str):
    return next(b for b in at.button if b.label == t(label, "zh")).click().run()


def test_lockout_says_until_when_in_chinese(hub, monkeypatch):
    monkeypatch.setattr(session, "source", lambda: "198.51.100.4")
    for _ in range(5):
        at = app_as(None, lang="zh")
        at.text_input(key="signin_email").input("ana@acme.example")
        at.text_input(key="signin_password").input("not the password")
        at = _press(at, "Sign in")
    assert [e.value for e in at.error] == [
        "登录失败次数过多。请在 2026年11月27日 10:01 (Asia/Singapore) 之后重试，或联系贵公司的合作伙伴管理员重置密码。"
    ]


def test_cooling_down_names_the_course_in_chinese(hub):
    at = app_as(hub.chen, "exam", lang="zh", course="qs-fundamentals")
    title = hub.catalog.course("qs-fundamentals").title.zh
    assert [w.value for w in at.warning] == [
        f"重考“{title}”前请先复习。下次可于 2026年11月28日 07:05 (Asia/Singapore) 起参加考试。"
    ]


def test_kpi_form_problems_are_in_chinese(hub):
    at = app_as(hub.manager, "console", lang="zh")
    at.text_input(key="kpi_period").input("Q4 2026")
    at.text_input(key="kpi_revenue").input("lots")
    at.text_input(key="kpi_customers").input("-3")
    at.text_input(key="kpi_csat").input("7")
    at = _press(at, "Save KPIs")
    assert [shown(e.value) for e in at.error] == [
        "季度：“Q4 2026”不是季度；请按 2026-Q3 的格式填写",
        "最近 12 个月收入：“lots”不是数字",
        "客户数：必须大于或等于 0（当前为 -3）",
        "客户满意度（1–5，可选）：必须在 1 到 5 之间（当前为 7）",
    ]


def test_kpi_import_problems_are_in_chinese(hub):
    at = app_as(hub.manager, "console", lang="zh")
    csv = f"company_id,period,revenue_12m,customers,csat\n{hub.acme.id},2026-Q5,abc,6,4.5\nnope,2026-Q4,1,1,1\n"
    at.file_uploader(key="kpi_upload").set_value(("kpis.csv", csv.encode(), "text/csv"))
    at.run()
    at = _press(at, "Import")
    problems = next(d.value for d in at.dataframe if t("Line", "zh") in d.value.columns)
    assert list(problems[t("Problem", "zh")]) == [
        "“2026-Q5”不是季度；请按 2026-Q3 的格式填写",
        "“abc”不是数字",
        "没有合作伙伴公司“nope”",
    ]


def test_tier_proposal_reason_is_worded_in_chinese_in_the_console(hub):
    made = TierProposal(new_id(), hub.acme.id, "silver", "gold", "promote", seed.NOW - timedelta(days=1))
    hub.store.add(PROPOSALS, made)
    at = app_as(hub.manager, "console", lang="zh")
    gold = hub.catalog.program.tier("gold").name.zh
    assert f"2026年11月26日 · 满足{gold}的全部要求（评估于 2026年11月26日）。" in [c.value for c in at.caption]


def test_rejected_demotion_in_the_tier_history_is_worded_in_chinese(hub):
    demotion = TierProposal(new_id(), hub.acme.id, "silver", "registered", "demote", seed.NOW - timedelta(days=10))
    decided = replace(demotion, below_since=seed.NOW - timedelta(days=100), grace_days=90)
    decided = replace(decided, status="rejected", decided_by=hub.manager.id, decided_at=seed.NOW - timedelta(days=9))
    decided = replace(decided, note="等待第一季度审计")
    hub.store.add(PROPOSALS, decided)
    history = app_as(hub.ben, "company", lang="zh").dataframe[1].value
    silver = hub.catalog.program.tier("silver").name.zh
    assert list(history[t("Reason", "zh")]) == [
        f"自 2026年8月19日 起低于{silver}的要求（已 90 天；宽限期为 90 天）。 已拒绝：等待第一季度审计"
    ]


def test_not_allowed_names_the_action_in_chinese(hub):
    at = app_as(hub.ben, "console", lang="zh")
    assert [e.value for e in at.error] == [
        "您（ben@acme.example）无权打开渠道经理控制台。如有需要，请联系您的渠道经理或项目管理员。"
    ]
