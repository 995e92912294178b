"""Money per trip and per km is rounded once, half up to the öre, in every format: 505,50 kr
over 101 trips is 5,00 kr (5,004950… kr), not 5,01 kr from rounding to hundredths of an
öre first and to the öre again when printed."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from fractions import Fraction
from io import BytesIO, StringIO

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from pdf_text import pdf_strings
from settled_rows import Trip, settle
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role
from samfard.money import format_kr
from samfard.reports.exports import report_csv, report_sheets
from samfard.reports.kpi import Kpi, TripRecord, aggregate, kpi_lines
from samfard.reports.monthly import MonthlyReportData, build_monthly_report
from samfard.reports.render_html import format_kpi_value, report_context
from samfard.reports.render_pdf import render_pdf

DAY = date(2026, 10, 5)
TRIPS, TOTAL = 101, 50550  # 505,50 kr: 500.4950… öre a trip


def _split(total: int, n: int) -> list[int]:
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _records(total: int, n: int, km: str = "1") -> list[TripRecord]:
    return [
        TripRecord(
            trip_id=f"x{i}",
            principal="23",
            service="sjukresa",
            day=DAY,
            passengers=1,
            run_passengers=1,
            direct_km=Decimal(km),
            standalone=cost,
            allocated=cost,
        )  # fmt: skip
        for i, cost in enumerate(_split(total, n))
    ]


def _report() -> MonthlyReportData:
    return build_monthly_report(
        aggregate(_records(TOTAL, TRIPS)), year=2026, month=10, scope="Region 23", principal="23"
    )


def _half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def test_cost_per_trip_and_per_km_are_the_exact_ratio_rounded_once() -> None:
    lines = {line.kpi: line for line in _report().kpis}
    assert lines[Kpi.COST_PER_TRIP].outcome == 500  # öre
    assert lines[Kpi.COST_PER_KM].outcome == 500  # 505,50 kr over 101 km


def test_every_format_prints_five_kronor() -> None:
    report = _report()
    rows = {r["label"]: r for r in report_context(report)["kpi_rows"]}
    assert rows["Kostnad per resa"]["outcome"] == "5,00 kr"
    assert rows["Kostnad per km"]["outcome"] == "5,00 kr"
    printed = {r["rad"]: r for r in csv.DictReader(StringIO(report_csv(report)), delimiter=";")}
    assert printed["Kostnad per resa"]["utfall"] == "5,00"
    assert printed["Kostnad per km"]["utfall"] == "5,00"
    sheet = next(s for s in report_sheets(report) if s.title == "Nyckeltal")
    by_kpi = {row[0]: row for row in sheet.rows}
    assert by_kpi["cost_per_trip"][3] == Decimal("5.00")
    text = pdf_strings(render_pdf(report))
    at = text.index("Kostnad per resa")
    assert text[at + 1] == "5,00 kr", text[at : at + 4]


@given(
    n=st.integers(min_value=1, max_value=400),
    total=st.integers(min_value=0, max_value=10**9),
    metres=st.integers(min_value=1, max_value=10**6),
)
def test_money_ratios_are_rounded_half_up_to_the_ore_once(n: int, total: int, metres: int) -> None:
    km = Decimal(metres) / 1000
    rows = aggregate(_records(total, n, str(km)))
    lines = {line.kpi: line for line in kpi_lines(rows)}
    per_trip = _half_up(Fraction(total, n))
    per_km = _half_up(Fraction(total) / (Fraction(km) * n))
    assert lines[Kpi.COST_PER_TRIP].outcome == per_trip
    assert lines[Kpi.COST_PER_KM].outcome == per_km
    assert format_kpi_value(lines[Kpi.COST_PER_TRIP].outcome, "kr") == format_kr(per_trip)


def test_the_api_and_the_page_download_agree_on_the_ore(
    app_client: TestClient, session: Session
) -> None:
    settle(session, [Trip(f"x{i}", "23", DAY, c) for i, c in enumerate(_split(TOTAL, TRIPS))])
    reader = auth(token_for(session, Role.ANALYST, now=NOW, principals=["23"]))
    params = {"month": "2026-10", "principal": "23"}
    page = app_client.get("/api/v1/reports/monthly", params=params, headers=reader)
    assert page.status_code == 200, page.text
    assert "Kostnad per resa</th><td>5,00 kr</td>" in page.text
    assert "5,01 kr" not in page.text
    for url, query in (
        ("/api/v1/reports/monthly", {**params, "format": "csv"}),
        ("/uppfoljning/manadsrapport.csv", {"manad": "2026-10", "huvudman": "23"}),
    ):
        answer = app_client.get(url, params=query, headers=reader)
        rows = {r["rad"]: r for r in csv.DictReader(StringIO(answer.text), delimiter=";")}
        assert rows["Kostnad per resa"]["utfall"] == "5,00", url
    book = app_client.get(
        "/uppfoljning/manadsrapport.xlsx", params={"manad": "2026-10", "huvudman": "23"},
        headers=reader,
    )  # fmt: skip
    values = [
        [cell.value for cell in row] for row in load_workbook(BytesIO(book.content))["Nyckeltal"]
    ]
    assert next(v for v in values if v[0] == "cost_per_trip")[3] == 5
