"""The monthly report's CSV is what a Swedish analyst opens in Excel, as the follow-up per
unit's is: semicolons, decimal commas, Swedish headers and table names, both written by
`spreadsheet.swedish_csv`. It had English headers (scope,period,table,label,current…),
tables such as year_to_date, commas between fields and decimal points."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from io import StringIO

from report_fixtures import november_records

from samfard.care.follow_up import UnitMonth
from samfard.care.follow_up import to_csv as units_csv
from samfard.reports.exports import REPORT_CSV_HEADER, report_csv
from samfard.reports.kpi import Kpi, KpiTarget, aggregate
from samfard.reports.monthly import build_monthly_report


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(StringIO(text), delimiter=";"))


def test_the_monthly_csv_has_swedish_headers_tables_and_decimal_commas() -> None:
    report = build_monthly_report(
        aggregate(november_records()), year=2026, month=11, scope="Region 23", principal="23",
        targets=[KpiTarget(Kpi.COST_PER_TRIP, Decimal(40000), higher_is_better=False)],
        comments={Kpi.COST_PER_TRIP.value: "Dyrt; två långa resor"},
    )  # fmt: skip
    text = report_csv(report)
    assert text.splitlines()[0] == (
        "huvudman;period;tabell;rad;enhet;utfall;i_fjol;förändring;förändring_procent;mål;"
        "måluppfyllelse;kommentar"
    )
    assert text.splitlines()[0] == ";".join(REPORT_CSV_HEADER)
    rows = _rows(text)
    assert all(len(r) == len(REPORT_CSV_HEADER) and None not in r for r in rows)
    tables = {r["tabell"] for r in rows}
    assert {"Månaden", "Året hittills", "Huvudman 23", "Nyckeltal", "Nyckeltal Sjukresor",
            "Definition"} <= tables  # fmt: skip
    assert not {"month", "year_to_date", "kpi", "definition"} & tables
    ytd = next(r for r in rows if r["tabell"] == "Året hittills" and r["rad"] == "Total kostnad")
    assert (ytd["period"], ytd["utfall"], ytd["förändring_procent"]) == (
        "januari–november 2026", "1600,00", "60,0")  # fmt: skip
    per_trip = next(
        r for r in rows if r["tabell"] == "Nyckeltal" and r["rad"] == "Kostnad per resa"
    )
    assert (per_trip["utfall"], per_trip["mål"], per_trip["måluppfyllelse"]) == (
        "500,00", "400,00", "ej uppfyllt")  # fmt: skip
    assert per_trip["kommentar"] == "Dyrt; två långa resor"  # quoted, not split at the ";"
    assert "." not in "".join(r["utfall"] + r["i_fjol"] + r["mål"] for r in rows)


def test_the_monthly_csv_and_the_units_csv_are_written_alike() -> None:
    """Same separator, same decimal comma, neither with a byte-order mark: the mark is the
    download's (`attachment`), so a reader of the text never meets it."""
    report = build_monthly_report(
        aggregate(november_records()), year=2026, month=11, scope="Region 23", principal="23"
    )
    units = units_csv([UnitMonth("Akuten", "23", date(2026, 11, 1), expected_ore=123450)])
    for text in (report_csv(report), units):
        assert not text.startswith("\ufeff")
        assert text.splitlines()[0].count(";") >= 10 and "," not in text.splitlines()[0]
    assert ";1234,50;" in units
