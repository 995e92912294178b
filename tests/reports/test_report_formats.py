"""The monthly report reads well in every format: whole words in PDF headings, the same
charts as the HTML, a real responsive page, rounded CSV figures, defined terms."""

from __future__ import annotations

import csv
import re
from io import StringIO

import pytest
from pdf_text import pdf_strings
from playwright.sync_api import Browser
from report_fixtures import november_records

from samfard.reports.exports import report_csv
from samfard.reports.kpi import aggregate
from samfard.reports.monthly import MonthlyReportData, build_monthly_report
from samfard.reports.render_html import render_page, report_context
from samfard.reports.render_pdf import render_pdf


@pytest.fixture
def report() -> MonthlyReportData:
    """The fixture month with every service, so the per-service table is at its widest."""
    records = november_records()
    return build_monthly_report(aggregate(records), year=2026, month=11, scope="Alla")


def test_pdf_headings_wrap_between_words_only(report: MonthlyReportData) -> None:
    ctx = report_context(report)
    drawn = pdf_strings(render_pdf(report))
    words = {w for s in drawn for w in s.split()}
    headings = [
        *ctx["principal_head"],
        *ctx["service_kpi_head"],
        "Förändring kr",
        "Förändring %",
        "Nyckeltal",
        "Utfall",
        "Uppfyllt",
        "Kommentar",
    ]
    for heading in headings:
        for word in heading.split():
            assert word in words, f"{word!r} of heading {heading!r} is broken in the PDF"


def test_pdf_has_the_three_charts_of_the_html(report: MonthlyReportData) -> None:
    drawn = pdf_strings(render_pdf(report))
    assert any(s.startswith("Kostnad per månad och tjänst") for s in drawn)
    assert "Samordningsgrad (resenärer per fordonsresa)" in drawn
    assert any(s.startswith("Kostnad per resa efter avståndsband") for s in drawn)


def test_every_format_defines_trips_and_travellers(report: MonthlyReportData) -> None:
    page = render_page(report)
    assert "<dt>Resenärer</dt>" in page and "medresenärer" in page
    drawn = " ".join(pdf_strings(render_pdf(report)))
    assert "Resenärer:" in drawn and "fler än resorna" in drawn
    rows = list(csv.DictReader(StringIO(report_csv(report)), delimiter=";"))
    defined = {r["rad"]: r["kommentar"] for r in rows if r["tabell"] == "Definition"}
    assert "medresenärer" in defined["Resenärer"] and "Resor" in defined


def test_csv_kpi_figures_are_rounded_as_printed(report: MonthlyReportData) -> None:
    rows = [
        r
        for r in csv.DictReader(StringIO(report_csv(report)), delimiter=";")
        if r["tabell"] == "Nyckeltal"
    ]
    assert rows
    for row in rows:
        for key in ("utfall", "mål"):
            value = row[key]
            if value:
                assert re.fullmatch(r"-?\d+(,\d{1,2})?", value), (row["rad"], value)
    per_trip = next(r for r in rows if r["rad"] == "Kostnad per resa")
    assert per_trip["utfall"] == "450,00"  # 1 800 kr / 4 trips


def test_html_is_a_whole_document_with_head_title_and_styles(report: MonthlyReportData) -> None:
    page = render_page(report)
    assert page.startswith("<!doctype html>")
    assert '<html lang="sv">' in page and "<head>" in page and "</html>" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<title>Månadsrapport november 2026: Alla</title>" in page
    assert "<style>" in page


@pytest.mark.browser
def test_html_fits_a_phone_screen(report: MonthlyReportData, browser: Browser) -> None:
    """375 px wide: the page does not scroll sideways; wide tables scroll in their box."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.set_content(render_page(report))
    assert page.title().startswith("Månadsrapport")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    widths = page.evaluate("[...document.querySelectorAll('svg')].map(s => s.clientWidth)")
    assert len(widths) == 3 and all(0 < w <= 375 for w in widths)
    page.close()
