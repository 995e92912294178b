"""A month not yet over is reported to today (what is settled so far) and compared with
the same days a year before, the year to date likewise, and says so in the page, HTML and PDF;
the month's sums are not judged against their targets and the ratios are preliminary.

On 6 December the report of December compared five days with the whole of December last
year ("-80,0 % mot samma månad i fjol") and marked the cost target met.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal

from fastapi.testclient import TestClient
from pdf_text import pdf_strings
from settled_rows import Trip, settle
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.clock import FixedClock
from samfard.reports.kpi import Kpi
from samfard.reports.month import Month
from samfard.reports.monthly import CostLine, MonthlyReportData
from samfard.reports.partial import counted_through, month_label, year_before
from samfard.reports.render_html import render_page
from samfard.reports.render_pdf import render_pdf
from samfard.reports.service import monthly_report
from samfard.reports.targets import set_target
from samfard.timeutil import STOCKHOLM

SIXTH = date(2026, 12, 6)  # a Sunday in the middle of the month, settled so far


def _december(session: Session) -> None:
    """100 kr a day through December 2025 and 1 January-6 December 2026 at 200 kr a day,
    one trip a day (6 December already settled on the planned basis)."""
    trips = [Trip(f"a{d}", "23", date(2025, 12, d), 10_000) for d in range(1, 32)]
    trips += [Trip(f"j{d}", "23", date(2025, 1, d), 10_000) for d in range(1, 11)]
    trips += [Trip(f"b{d}", "23", date(2026, 12, d), 20_000) for d in range(1, 7)]
    trips += [Trip(f"k{d}", "23", date(2026, 1, d), 20_000) for d in range(1, 11)]
    settle(session, trips)
    for kpi, value in (("cost", "5000"), ("cost_per_trip", "150")):
        set_target(session=session, actor=SYSTEM, principal="23", year=2026, kpi=kpi,
                   value=value, now=NOW)  # fmt: skip


def _line(lines: tuple[CostLine, ...], label: str) -> CostLine:
    return next(line for line in lines if line.label == label)


def _report(session: Session, today: date) -> MonthlyReportData:
    return monthly_report(
        session=session, actor=SYSTEM, principal="23", year=2026, month=12, today=today
    )


def test_the_month_not_over_counts_to_today_against_the_same_days_last_year(
    session: Session,
) -> None:
    _december(session)
    report = _report(session, SIXTH)
    assert report.through == date(2026, 12, 6)
    assert report.period == "december 2026 till och med 6 december"
    assert report.previous_period == "december 2025 till och med 6 december"
    total = _line(report.month_lines, "Total kostnad")
    assert (total.current, total.previous) == (6 * 20_000, 6 * 10_000)
    assert total.change == 60_000 and total.change_pct == Decimal("100.0")
    ytd = _line(report.ytd_lines, "Total kostnad")
    assert (ytd.current, ytd.previous) == (16 * 20_000, 16 * 10_000)
    assert report.ytd_period == "1 januari–6 december 2026"
    assert report.summary[0].startswith(
        "Total kostnad december 2026 till och med 6 december: 1\u00a0200,00 kr, +600,00 kr "
        "(+100,0 %) mot samma dagar i fjol (december 2025 till och med 6 december)."
    )
    assert any(note.startswith("Månaden är inte slut") for note in report.notes)
    kpis = {line.kpi: line for line in report.kpis}
    cost, per_trip = kpis[Kpi.COST], kpis[Kpi.COST_PER_TRIP]
    assert cost.met is None and "när månaden är slut" in cost.comment  # 1 200 kr < 5 000 kr
    assert (per_trip.met, per_trip.preliminary) == (False, True)  # 200 kr a trip > 150 kr
    page = render_page(report)
    assert "december 2026 till och med 6 december" in page
    assert "ej uppfyllt (preliminärt)" in page
    pdf = " ".join(pdf_strings(render_pdf(report)))
    assert "till och med 6 december" in pdf and "preliminärt" in pdf


def test_a_month_that_is_over_is_counted_whole_as_before(session: Session) -> None:
    _december(session)
    report = _report(session, date(2027, 1, 1))
    assert report.through is None and report.period == "december 2026"
    total = _line(report.month_lines, "Total kostnad")
    assert (total.current, total.previous) == (6 * 20_000, 31 * 10_000)
    assert not report.notes
    assert {line.kpi: line for line in report.kpis}[Kpi.COST].met is True


def test_the_first_of_the_month_counts_that_day_and_a_month_to_come_none() -> None:
    december = Month(2026, 12)
    assert counted_through(december, date(2026, 12, 1)) == date(2026, 12, 1)
    assert counted_through(december, date(2026, 11, 20)) == date(2026, 11, 20)
    assert counted_through(december, date(2027, 1, 1)) is None
    assert counted_through(december, date(2026, 12, 31)) == date(2026, 12, 31)
    assert (
        month_label(2026, 12, date(2026, 11, 30), report_year=2026)
        == "december 2026, inga dagar ännu"
    )
    assert year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_the_page_marks_the_month_not_over_and_defaults_to_the_last_complete_month(
    app_client: TestClient, session: Session, clock: FixedClock
) -> None:
    _december(session)
    clock.current = datetime.combine(SIXTH, time(14, 0), STOCKHOLM)
    create_user(session=session, username="analytiker", password=STRONG_PASSWORD,
                role=Role.ANALYST, now=NOW, principal_codes=["23"])  # fmt: skip
    assert app_client.post("/login", data=login_form("analytiker", app_client)).status_code == 200
    page = app_client.get("/uppfoljning", params={"huvudman": "23", "manad": "2026-12"}).text
    assert "Månadsrapport december 2026 till och med 6 december" in page
    assert "mot samma dagar i fjol" in page and "Månaden är inte slut" in page
    assert re.search(r"Kostnad</th>.*?Bedöms mot målet när månaden är slut", page, re.S)
    default = app_client.get("/uppfoljning", params={"huvudman": "23"}).text
    assert "Månadsrapport november 2026:" in default
