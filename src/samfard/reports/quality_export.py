"""The month's quality figures as a sheet of the report's XLSX download and as lines of
its CSV."""

from __future__ import annotations

from samfard.quality.words import KIND_SV, SEVERITY_SV
from samfard.reports.monthly import MonthlyReportData
from samfard.reports.sheet import Cell, Sheet
from samfard.spreadsheet import kronor_sv


def quality_sheets(report: MonthlyReportData) -> tuple[Sheet, ...]:
    """One sheet "Kvalitet": a row per carrier, kind and severity (group, label, trips,
    deviations, per 1 000 trips, penalties in kronor); none without figures."""
    figures = report.quality
    if figures is None:
        return ()
    rows: list[tuple[Cell, ...]] = [
        ("total", "", figures.trips, figures.deviations, figures.per_1000, figures.penalties)
    ]
    for group, lines in (
        ("carrier", figures.by_carrier),
        ("kind", figures.by_kind),
        ("severity", figures.by_severity),
    ):
        rows += [
            (group, line.label, line.trips, line.deviations, line.per_1000, line.penalties)
            for line in lines
        ]
    header = ("group", "label", "trips", "deviations", "per_1000_trips", "penalties_kr")
    return (Sheet("Kvalitet", header, tuple(rows), frozenset({5})),)


def quality_csv_rows(report: MonthlyReportData) -> list[tuple[Cell, ...]]:
    """The quality figures as lines of the report's CSV (huvudman, period, tabell, rad,
    enhet, utfall, then blanks): table "Kvalitet" the month's totals and time to close,
    then a table per carrier, kind and severity ("Kvalitet per utförare: <name>",
    "Kvalitet per typ: Försening", "Kvalitet per allvarlighetsgrad: Lindrig") with trips,
    deviations, deviations per 1 000 trips and, for carriers, the penalties in kronor
    (decimal comma, `exports.report_csv`); no lines without figures."""
    figures = report.quality
    if figures is None:
        return []

    def line(table: str, label: str, unit: str, value: Cell) -> tuple[Cell, ...]:
        return (report.scope, report.period, table, label, unit, value, *(None,) * 6)

    quality = "Kvalitet"

    rows = [
        line(quality, label, unit, value)
        for label, unit, value in (
            ("Resor", "st", figures.trips),
            ("Avvikelser", "st", figures.deviations),
            ("Avvikelser per 1 000 resor", "per 1 000 resor", figures.per_1000),
            ("Allvarliga", "st", figures.serious),
            ("Öppna", "st", figures.open),
            ("Avslutade", "st", figures.closed),
            ("Mediantid till avslut", "dagar", figures.median_days_to_close),
            ("Viten", "kr", kronor_sv(figures.penalties)),
        )
    ]
    for group, lines, words in (
        ("utförare", figures.by_carrier, {}),
        ("typ", figures.by_kind, KIND_SV),
        ("allvarlighetsgrad", figures.by_severity, SEVERITY_SV),
    ):
        for rate in lines:
            table = f"Kvalitet per {group}: {words.get(rate.label, rate.label)}"
            rows += [
                line(table, "Resor", "st", rate.trips),
                line(table, "Avvikelser", "st", rate.deviations),
                line(table, "Avvikelser per 1 000 resor", "per 1 000 resor", rate.per_1000),
            ]
            if group == "utförare":
                rows.append(line(table, "Viten", "kr", kronor_sv(rate.penalties)))
    return rows
