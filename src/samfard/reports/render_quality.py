"""The month's quality figures as text and tables for the report's page and HTML."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from samfard.money import format_kr
from samfard.quality.words import KIND_SV, SEVERITY_SV
from samfard.reports.quality import QualityFigures, RateLine

RATE_HEAD = ["", "Resor", "Avvikelser", "Per 1 000 resor"]


def _number(value: Decimal | int | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{Decimal(value):,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _rows(lines: tuple[RateLine, ...], words: dict[str, str]) -> list[list[str]]:
    return [
        [words.get(line.label, line.label), _number(line.trips), _number(line.deviations),
         _number(line.per_1000, 2)]
        for line in lines
    ]  # fmt: skip


def _count(n: int, one: str, many: str) -> str:
    return f"{_number(n)} {one if n == 1 else many}"


def quality_context(figures: QualityFigures | None) -> dict[str, Any] | None:
    """Sentences and tables of the quality section; None when the report has no figures."""
    if figures is None:
        return None
    closing = (
        f"Mediantid till avslut {_number(figures.median_days_to_close, 1)} dagar "
        f"({_count(figures.closed, 'avslutad', 'avslutade')})."
        if figures.median_days_to_close is not None
        else "Ingen av månadens avvikelser är avslutad än."
    )
    return {
        "summary": [
            f"{_count(figures.deviations, 'avvikelse', 'avvikelser')} på "
            f"{_count(figures.trips, 'resa', 'resor')}: {_number(figures.per_1000, 2)} per "
            "1 000 resor.",
            f"{_count(figures.serious, 'allvarlig', 'allvarliga')} (skada eller allvarlig "
            f"skada), {_count(figures.open, 'öppen', 'öppna')}.",
            closing,
            f"Viten från utförarna: {format_kr(figures.penalties)}.",
        ],
        "carrier_head": ["Utförare", "Resor", "Avvikelser", "Per 1 000 resor", "Viten"],
        "carrier_rows": [
            [*row, format_kr(line.penalties)]
            for row, line in zip(_rows(figures.by_carrier, {}), figures.by_carrier, strict=True)
        ],
        "kind_head": ["Typ", *RATE_HEAD[1:]],
        "kind_rows": _rows(figures.by_kind, KIND_SV),
        "severity_head": ["Allvarlighetsgrad", *RATE_HEAD[1:]],
        "severity_rows": _rows(figures.by_severity, SEVERITY_SV),
    }
