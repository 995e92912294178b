"""The monthly report as page data and as an HTML fragment.

`report_context` formats every figure once (Swedish number style) for a template; the web
pages can pass it to Jinja. `render_html` is a self-contained fragment built from the same
context, for e-mail, for the archive and for tests. Charts are inline SVG.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from samfard.money import format_kr
from samfard.reports.charts import bar_chart, line_chart
from samfard.reports.kpi import KpiLine
from samfard.reports.monthly import (
    CostLine,
    MonthlyReportData,
    PrincipalLine,
    plain_pct,
    service_label,
    signed_kr,
    signed_pct,
)


def format_kpi_value(value: Decimal | None, unit: str) -> str:
    """A KPI figure as the board reads it; money KPIs are carried in öre."""
    if value is None:
        return "–"
    if unit == "kr":
        return format_kr(int(value))
    text = f"{value:f}".replace(".", ",")
    return f"{text} %" if unit == "%" else text


def cost_row(line: CostLine) -> dict[str, str]:
    return {
        "label": line.label,
        "current": format_kr(line.current),
        "previous": format_kr(line.previous),
        "change": signed_kr(line.change),
        "change_pct": signed_pct(line.change_pct),
    }


PRINCIPAL_HEAD = [
    "Huvudman",
    "Resor",
    "Kostnad",
    "Kostnad ensamåkning",
    "Samordningsvinst",
    "Vinst %",
    "Egenavgifter",
    "Nettokostnad",
]


def principal_row(line: PrincipalLine) -> list[str]:
    return [
        line.name,
        str(line.trips),
        format_kr(line.cost),
        format_kr(line.standalone),
        format_kr(line.saving),
        plain_pct(line.saving_pct),
        format_kr(line.fees),
        format_kr(line.net),
    ]


def kpi_row(line: KpiLine) -> dict[str, str]:
    met = {None: "", True: "uppfyllt", False: "ej uppfyllt"}[line.met]
    return {
        "label": line.label,
        "outcome": format_kpi_value(line.outcome, line.unit),
        "target": format_kpi_value(line.target, line.unit) if line.target is not None else "",
        "met": met,
        "comment": line.comment,
    }


def service_kpi_rows(report: MonthlyReportData) -> list[list[str]]:
    """The month's key figures with one column per service (rows: figures)."""
    return [
        [line.label, *(format_kpi_value(t[i].outcome, t[i].unit) for t in report.service_kpis)]
        for i, line in enumerate(report.kpis)
    ]


def charts(report: MonthlyReportData) -> dict[str, str]:
    """The three charts: cost per month by service, coordination rate, cost per trip by band."""
    months = report.month_labels
    cost_series = [
        (service_label(s), [Decimal(v) / 100 for v in values])
        for s, values in zip(report.services, report.cost_by_month, strict=True)
    ]
    now, before = report.coordination_by_month
    bands = [b.band for b in report.bands]

    def kr(v: int | None) -> Decimal | None:
        return None if v is None else Decimal(v) / 100

    return {
        "cost_by_month": bar_chart(
            f"Kostnad per månad och tjänst {report.year}",
            months,
            cost_series or [("Ingen kostnad", [Decimal(0)] * len(months))],
            unit="kr",
            stacked=True,
        ),
        "coordination": line_chart(
            "Samordningsgrad (resenärer per fordonsresa)",
            months,
            [(str(report.year), now), (str(report.year - 1), before)],
            unit="",
        ),
        "cost_per_trip_by_band": bar_chart(
            "Kostnad per resa efter avståndsband",
            bands,
            [
                (str(report.year), [kr(b.current) for b in report.bands]),
                (str(report.year - 1), [kr(b.previous) for b in report.bands]),
            ],
            unit="kr",
        ),
    }


def report_context(report: MonthlyReportData) -> dict[str, Any]:
    """Everything a template needs, formatted; numbers stay in `report` for other uses."""
    return {
        "title": f"Månadsrapport {report.period}: {report.scope}",
        "period": report.period,
        "previous_period": report.period.replace(str(report.year), str(report.year - 1)),
        "scope": report.scope,
        "empty": report.empty,
        "summary": list(report.summary),
        "month_rows": [cost_row(line) for line in report.month_lines],
        "ytd_rows": [cost_row(line) for line in report.ytd_lines],
        "principal_head": PRINCIPAL_HEAD,
        "principal_rows": [principal_row(line) for line in report.principals],
        "kpi_rows": [kpi_row(line) for line in report.kpis],
        "service_kpi_head": ["Nyckeltal per tjänst", *map(service_label, report.services)],
        "service_kpi_rows": service_kpi_rows(report),
        "charts": charts(report),
    }


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{cells}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def render_html(report: MonthlyReportData) -> str:
    """A self-contained HTML fragment of the report (no scripts, inline SVG charts)."""
    ctx = report_context(report)
    money_head = ["", ctx["period"], ctx["previous_period"], "Förändring kr", "Förändring %"]
    keys = ("label", "current", "previous", "change", "change_pct")
    parts = [
        f"<section class='monthly-report'><h1>{escape(ctx['title'])}</h1>",
        "<ul class='summary'>" + "".join(f"<li>{escape(s)}</li>" for s in ctx["summary"]),
        "</ul>",
        _table("Kostnader, månaden", money_head, [[r[k] for k in keys] for r in ctx["month_rows"]]),
        _table(
            "Kostnader, året hittills",
            money_head,
            [[r[k] for k in keys] for r in ctx["ytd_rows"]],
        ),
        _table("Per huvudman, månaden", ctx["principal_head"], ctx["principal_rows"]),
        _table(
            "Nyckeltal",
            ["Nyckeltal", "Utfall", "Mål", "Måluppfyllelse", "Kommentar"],
            [
                [r["label"], r["outcome"], r["target"], r["met"], r["comment"]]
                for r in ctx["kpi_rows"]
            ],
        ),
        _table("Nyckeltal per tjänst", ctx["service_kpi_head"], ctx["service_kpi_rows"])
        if report.services
        else "",
        *(f"<figure>{svg}</figure>" for svg in ctx["charts"].values()),
        "</section>",
    ]
    return "\n".join(parts)
