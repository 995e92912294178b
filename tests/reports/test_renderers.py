"""Renderers: the PDF carries the table values as text, HTML and CSV/XLSX agree with data."""

from __future__ import annotations

import csv
import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook
from pdf_text import as_drawn, pdf_strings
from report_fixtures import november_records

from samfard.money import format_kr
from samfard.reports.charts import bar_chart, line_chart
from samfard.reports.exports import cost_statement, report_csv, report_sheets
from samfard.reports.kpi import aggregate
from samfard.reports.monthly import MonthlyReportData, build_monthly_report
from samfard.reports.render_html import render_html, report_context
from samfard.reports.render_pdf import render_pdf
from samfard.reports.sheet import to_csv, to_xlsx


@pytest.fixture
def november_23() -> MonthlyReportData:
    return build_monthly_report(
        aggregate(november_records()),
        year=2026,
        month=11,
        scope="Region Jämtland Härjedalen",
        principal="23",
    )


def test_pdf_contains_every_cost_table_value_as_text(november_23: MonthlyReportData) -> None:
    text = pdf_strings(render_pdf(november_23))
    for line in (*november_23.month_lines, *november_23.ytd_lines):
        assert line.label in text
        assert as_drawn(format_kr(line.current)) in text
        assert as_drawn(format_kr(line.previous)) in text
    assert "+50,0 %" in text
    assert "Månadsrapport november 2026: Region Jämtland Härjedalen" in " ".join(text)


def test_pdf_contains_kpi_outcomes_and_targets(november_23: MonthlyReportData) -> None:
    text = pdf_strings(render_pdf(november_23))
    assert "1,50" in text  # coordination rate
    assert "500,00 kr" in text  # cost per trip


def test_pdf_is_reproducible(november_23: MonthlyReportData) -> None:
    """Invariant mode: the same report gives the same bytes (archivable, diffable)."""
    assert render_pdf(november_23) == render_pdf(november_23)


def test_empty_month_renders_and_says_so() -> None:
    report = build_monthly_report([], year=2026, month=1, scope="Ånge kommun", principal="2260")
    text = " ".join(pdf_strings(render_pdf(report)))
    assert "Inga resor registrerade" in text
    assert "Inga resor registrerade" in render_html(report)
    assert report_csv(report).count(";0,00;") >= 5


def test_html_escapes_and_embeds_charts(november_23: MonthlyReportData) -> None:
    html = render_html(november_23)
    assert html.count("<svg") == 3
    assert "Kostnad Sjukresor" in html and format_kr(150000) in html
    ctx = report_context(november_23)
    assert ctx["previous_period"] == "november 2025"
    # The year-to-date table is headed by the years so far, not by the month (walk-through
    # of 2026-12-06: "november 2026 | november 2025" over the year's sums).
    ytd = html.split("Kostnader, året hittills")[1].split("</tr>")[0]
    assert "januari–november 2026" in ytd and "januari–november 2025" in ytd
    text = " ".join(pdf_strings(render_pdf(november_23)))
    assert "januari–november 2026" in text


def test_stacked_bars_scale_to_the_nice_axis_top() -> None:
    """Values 30 and 70 stacked reach the axis top 100: the two bars fill the plot height."""
    svg = bar_chart(
        "t", ["jan"], [("a", [Decimal(30)]), ("b", [Decimal(70)])], unit="kr", stacked=True
    )
    heights = [float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', svg)]
    assert sum(heights) == pytest.approx(300 - 36 - 56, abs=0.2)
    assert ">100 kr<" in svg


def test_line_chart_leaves_gaps_for_missing_values_and_lists_them() -> None:
    svg = line_chart(
        "t", ["jan", "feb", "mar"], [("2026", [Decimal(1), None, Decimal(2)])], unit=""
    )
    assert "<polyline" not in svg  # no two adjacent values: nothing to join
    assert svg.count("<circle") == 2
    assert "feb: –" in svg


def test_chart_refuses_series_of_wrong_length() -> None:
    with pytest.raises(ValueError, match="series a has 1 values for 2"):
        bar_chart("t", ["jan", "feb"], [("a", [1])], unit="kr")


def test_report_csv_has_one_header_and_kronor(november_23: MonthlyReportData) -> None:
    rows = list(csv.DictReader(StringIO(report_csv(november_23)), delimiter=";"))
    total = next(r for r in rows if r["tabell"] == "Månaden" and r["rad"] == "Total kostnad")
    assert (total["utfall"], total["i_fjol"], total["förändring_procent"]) == (
        "1500,00",
        "1000,00",
        "50,0",
    )
    cost_per_trip = next(r for r in rows if r["rad"] == "Kostnad per resa")
    assert cost_per_trip["utfall"] == "500,00"


def test_cost_statement_total_line_adds_up() -> None:
    sheet = cost_statement("23", 2026, 11, november_records())
    rows = list(csv.reader(StringIO(to_csv(sheet))))
    assert [r[0] for r in rows[1:]] == ["t1", "t2", "t3", "TOTAL"]
    assert rows[-1][5:] == ["1800.00", "1500.00", "300.00", "600.00", "900.00"]


def test_xlsx_holds_numbers_in_kronor(november_23: MonthlyReportData) -> None:
    book = load_workbook(BytesIO(to_xlsx(report_sheets(november_23))))
    sheet = book["Månaden"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Total kostnad"] == 1500
    assert sheet["B2"].number_format.endswith('" kr"')


def test_pickup_boundary_fixture_is_ten_minutes_exactly() -> None:
    """Guards the fixture the punctuality test relies on."""
    t1 = next(r for r in november_records() if r.trip_id == "t1")
    assert t1.actual_pickup is not None and t1.promised_pickup is not None
    assert t1.actual_pickup - t1.promised_pickup == timedelta(minutes=10)


def test_markup_characters_in_names_are_drawn_literally() -> None:
    """A principal called 'A & B <test>' must not break reportlab's paragraph parser."""
    report = build_monthly_report([], year=2026, month=2, scope="A & B <test>")
    text = "".join(pdf_strings(render_pdf(report)))  # reportlab draws "<" as its own string
    assert "A & B <test>" in text and "&amp;" not in text
    assert "A &amp; B &lt;test&gt;" in render_html(report)


def test_principal_table_is_in_pdf_csv_and_xlsx(november_23: MonthlyReportData) -> None:
    assert "Per huvudman, månaden" in pdf_strings(render_pdf(november_23))
    rows = list(csv.DictReader(StringIO(report_csv(november_23)), delimiter=";"))
    saving = next(
        r for r in rows if r["tabell"] == "Huvudman 23" and r["rad"] == "Samordningsvinst"
    )
    assert saving["utfall"] == "300,00"
    book = load_workbook(BytesIO(to_xlsx(report_sheets(november_23))))
    assert list(book["Huvudmän"].iter_rows(min_row=2, values_only=True))[0][:4] == (
        "23",
        "23",
        3,
        1500,
    )


def test_the_quality_section_counts_in_the_right_number() -> None:
    """ "1 avvikelser på 645 resor" and "(1 avslutade)" on /uppfoljning."""
    from samfard.reports.quality import QualityFigures
    from samfard.reports.render_quality import quality_context

    figures = QualityFigures(trips=645, deviations=1, per_1000=Decimal("1.55"), serious=1,
                             open=0, closed=1, median_days_to_close=Decimal(2), penalties=0,
                             by_carrier=(), by_kind=(), by_severity=())  # fmt: skip
    context = quality_context(figures)
    assert context is not None
    text = " ".join(context["summary"])
    assert "1 avvikelse på 645 resor" in text and "(1 avslutad)" in text
    assert "1 allvarlig (" in text and "0 öppna" in text
