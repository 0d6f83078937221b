"""`partnerhub users ...` adds, lists and deactivates accounts, and names what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hub_app.cli.main import app
from hub_app.partners import accounts
from hub_app.partners.records import COMPANIES, user_by_email
from hub_app.store import open_store, tinydb_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    from datetime import UTC, datetime

    from hub_app.cli.common import SYSTEM
    from hub_app.partners.records import Company

    store = open_store(tinydb_url(tmp_path))
    store.add(
        COMPANIES,
        Company(
            "c1",
            "Harbourline Systems",
            "si",
            "apac",
            "SG",
            ("Logistics",),
            "registered",
            None,
            datetime(2025, 1, 1, tzinfo=UTC),
        ),
    )
    assert SYSTEM.has_role("program_admin")
    store.close()
    return tmp_path


def run(*args: str, password: str = "correct horse battery") -> object:
    return CliRunner().invoke(app, [*args], env={"HUB_NEW_PASSWORD": password})


def test_add_a_partner_user_to_a_company_by_name_then_sign_in(data: Path):
    result = run(
        "users",
        "add",
        "--email",
        "Lin.Wei@Harbourline.example",
        "--name",
        "Lin Wei",
        "--company",
        "harbourline systems",
        "--job-role",
        "delivery",
        "--root",
        str(ROOT),
        "--data",
        str(data),
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Added Lin Wei <lin.wei@harbourline.example> (partner_user)."
    store = open_store(tinydb_url(data))
    user = accounts.sign_in(store, "lin.wei@harbourline.example", "correct horse battery", _now())
    assert user.company_id == "c1" and user.job_role == "delivery"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--company", "Nowhere Ltd"],
            "No company has the id or name 'Nowhere Ltd'. List them with: partnerhub "
            "export DIR (partners.csv), or check the spelling.",
        ),
        (
            ["--company", "c1", "--job-role", "ceo"],
            "Unknown job role 'ceo'. program.yml has: sales, presales, delivery, developer, executive, marketing.",
        ),
        (["--company", "c1", "--role", "channel_manager"], "Unknown or unsuitable roles ['channel_manager']."),
    ],
)
def test_bad_input_names_what_is_wrong_and_adds_nobody(data: Path, args: list[str], message: str):
    result = run(
        "users", "add", "--email", "x@example.com", "--name", "X", *args, "--root", str(ROOT), "--data", str(data)
    )
    assert result.exit_code == 1
    assert message in result.output
    assert user_by_email(open_store(tinydb_url(data)), "x@example.com") is None


def test_deactivated_account_cannot_sign_in(data: Path):
    run(
        "users",
        "add",
        "--email",
        "a@example.com",
        "--name",
        "A",
        "--company",
        "c1",
        "--root",
        str(ROOT),
        "--data",
        str(data),
    )
    result = run("users", "deactivate", "a@example.com", "--data", str(data))
    assert result.output.strip() == "Deactivated A <a@example.com>."
    with pytest.raises(accounts.AccountInactive):
        accounts.sign_in(open_store(tinydb_url(data)), "a@example.com", "correct horse battery", _now())
    assert run("users", "deactivate", "nobody@example.com", "--data", str(data)).exit_code == 1


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_reset_password_prints_a_one_time_password_that_works(data: Path):
    run(
        "users",
        "add",
        "--email",
        "a@example.com",
        "--name",
        "A",
        "--company",
        "c1",
        "--root",
        str(ROOT),
        "--data",
        str(data),
    )
    result = run("users", "reset-password", "a@example.com", "--data", str(data))
    assert result.exit_code == 0, result.output
    temporary = result.output.strip().rsplit(": ", 1)[1]
    assert accounts.sign_in(open_store(tinydb_url(data)), "a@example.com", temporary, _now()).email == "a@example.com"
