"""program.yml's commissions and funds sections: validated, and the source of the incentives page's tables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from hub_app.catalog.loader import load_catalog
from hub_app.catalog.models import Program
from hub_app.kernel import settings
from hub_app.kernel.settings import BlobDirInvalid
from hub_app.publishing.tables import expand_markers

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog(ROOT)


def _page(lang: str) -> str:
    name = "incentives.md" if lang == "en" else "incentives.zh.md"
    text = (ROOT / "content/program" / name).read_text(encoding="utf-8")
    return expand_markers(text, CATALOG, lang, f"program/{name}")


def test_the_commission_table_in_english_comes_from_program_yml():
    page = _page("en")
    assert "| Your tier | Resale rebate | Referral commission |\n|---|---:|---:|\n| Registered | — | 5 % |" in page
    assert "| Platinum | 4 % | 20 % |" in page
    assert "are paid 45 days after a program admin approves them" in page


def test_the_mdf_table_in_chinese_comes_from_program_yml():
    page = _page("zh")
    assert "| 金牌 | 每季度 2,500 USD |" in page
    assert "| 白金 | 上季度赢单收入的 3 %，最多 10,000 USD |" in page
    assert "| 注册级 | — |" in page
    assert "Quillstack 最多承担获批活动费用的 50 %" in page


def test_the_mdf_allocation_is_a_realistic_share_of_the_tier_revenue_threshold():
    # The site review (D12) found 16 % of qualifying revenue; programs run at 1-5 %.
    for tier in CATALOG.program.tiers:
        rule = CATALOG.program.funds.allocation.get(tier.id)
        if rule is None:
            continue
        quarterly_revenue = tier.requirements.revenue_12m / 4
        quarterly_allocation = rule.fixed if rule.fixed is not None else rule.cap
        assert quarterly_allocation is not None and quarterly_allocation / quarterly_revenue <= 0.05, tier.id


def _program_data() -> dict:
    return yaml.safe_load((ROOT / "program.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"funds": {"allocation": {"gold": {"fixed": 100, "percent": 2, "cap": 10}}}}, "give either fixed"),
        ({"funds": {"allocation": {"gold": {"percent": 2}}}}, "a percent allocation needs a cap"),
        ({"funds": {"allocation": {"diamond": {"fixed": 100}}}}, "commissions and funds name unknown tiers: diamond"),
        ({"commissions": {"rates": {"resale": {"gold": 120}}}}, "less than or equal to 100"),
        ({"commissions": {"rates": {"rebate": {"gold": 1}}}}, "'resale' or 'referral'"),
    ],
)
def test_bad_money_rules_are_refused(change, problem):
    data = {**_program_data(), **change}
    with pytest.raises(ValidationError, match=problem):
        Program.model_validate(data)


def test_the_blob_directory_setting_defaults_to_none_and_refuses_a_file(tmp_path):
    assert settings.read({"HUB_DATA_DIR": str(tmp_path)}).blob_dir is None
    assert settings.read({"HUB_BLOB_DIR": str(tmp_path / "blobs")}).blob_dir == tmp_path / "blobs"
    (tmp_path / "file").write_text("x")
    with pytest.raises(BlobDirInvalid) as refused:
        settings.read({"HUB_BLOB_DIR": str(tmp_path / "file")})
    assert str(refused.value) == (
        f"HUB_BLOB_DIR '{tmp_path / 'file'}' is a file, not a directory. "
        "Hint: point it at a directory every replica shares."
    )
