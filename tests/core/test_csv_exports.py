"""CSV exports open in a spreadsheet as data: a person's text never runs as a formula."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pytest

from hub_app.interchange.csv_exports import write_csv


@dataclass(frozen=True)
class Row:
    name: str
    points: int


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("https://evil.example","Click")', '\'=HYPERLINK("https://evil.example","Click")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Acme Integrations", "Acme Integrations"),
    ],
)
def test_a_leading_formula_character_in_a_name_is_quoted(tmp_path, typed, written):
    path = tmp_path / "out.csv"
    write_csv(path, Row, [Row(typed, -25)])
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows == [["name", "points"], [written, "-25"]]
