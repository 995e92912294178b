"""The month's quality figures as a sheet of the report's XLSX download."""

from __future__ import annotations

from samfard.reports.exports import Cell, Sheet
from samfard.reports.monthly import MonthlyReportData


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
