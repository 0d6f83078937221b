"""A new major course version asks holders to recertify: the periodic tier run flags their certificates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from hub_app.certification.records import CERTIFICATES, Certificate
from hub_app.cli.main import app
from hub_app.partners.records import COMPANIES, USERS, Company, User
from hub_app.store import open_store, tinydb_url

ROOT = Path(__file__).resolve().parents[2]


def test_evaluate_tiers_flags_certificates_of_an_older_major_version(tmp_path: Path):
    now = datetime.now(UTC)
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
            now - timedelta(days=400),
        ),
    )
    store.add(USERS, User("u1", "mei@example.com", "Mei Tan", "c1", frozenset({"partner_user"}), "sales", "", now))
    for cid, version in (("old", "0.9.0"), ("current", "1.0.0")):  # qs-fundamentals is at 1.x
        store.add(
            CERTIFICATES,
            Certificate(
                cid,
                f"CODE-{cid}",
                "u1",
                "c1",
                "qs-fundamentals",
                version,
                now - timedelta(days=30),
                now + timedelta(days=600),
            ),
        )
    store.close()

    result = CliRunner().invoke(app, ["evaluate-tiers", "--root", str(ROOT), "--data", str(tmp_path)])

    assert result.exit_code == 0, result.output
    due = (now + timedelta(days=90)).date()
    expected = f"1 certificate(s) predate a new major course version: their holders must recertify by {due:%Y-%m-%d}."
    assert expected in result.output
    store = open_store(tinydb_url(tmp_path))
    assert store.get(CERTIFICATES, "old").recertify_by is not None
    assert store.get(CERTIFICATES, "current").recertify_by is None
