"""program.yml's deals section: strictly validated, and the source of the rules of engagement's table."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from hub_app.catalog.loader import load_catalog
from hub_app.catalog.models import Program
from hub_app.publishing.tables import expand_markers

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT)


def test_protection_table_in_english_comes_from_program_yml():
    page = (ROOT / "content/program/rules-of-engagement.md").read_text(encoding="utf-8")
    table = expand_markers(page, CATALOG, "en", "program/rules-of-engagement.md")
    assert (
        "| Your tier | Protection period | Extension |\n|---|---|---|\n"
        "| Registered | 45 days | One extension of 30 days |" in table
    )
    assert "| Platinum | 90 days | One extension of 30 days |" in table


def test_protection_table_in_chinese_comes_from_program_yml():
    page = (ROOT / "content/program/rules-of-engagement.zh.md").read_text(encoding="utf-8")
    table = expand_markers(page, CATALOG, "zh", "program/rules-of-engagement.zh.md")
    assert "| 贵公司级别 | 保护期 | 延期 |\n|---|---|---|\n| 注册级 | 45 天 | 可延期一次，30 天 |" in table


def _program_data() -> dict:
    return yaml.safe_load((ROOT / "program.yml").read_text(encoding="utf-8"))


def test_program_yml_needs_a_protection_window_for_every_tier():
    data = _program_data()
    del data["deals"]["protection_days"]["gold"]
    with pytest.raises(ValidationError) as err:
        Program.model_validate(data)
    assert "deals.protection_days must name every tier exactly: registered, silver, gold, platinum" in str(err.value)


def test_program_yml_deals_section_refuses_unknown_keys():
    data = _program_data()
    data["deals"]["protection_weeks"] = 6
    with pytest.raises(ValidationError) as err:
        Program.model_validate(data)
    assert "deals.protection_weeks" in str(err.value)
