"""The monthly report as page data, as an HTML fragment and as a whole HTML page.

`report_context` formats every figure once (Swedish number style) for a template; the web
pages can pass it to Jinja. `render_html` is a self-contained fragment built from the same
context, for e-mail and for embedding; `render_page` wraps it in a complete, responsive
HTML document (language, title, viewport, styles inline, no script) for the browser and
the archive. Charts are inline SVG that shrink with the screen; wide tables scroll
sideways inside their own box instead of widening the page.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any

from samfard.money import format_kr
from samfard.reports.charts import bar_chart, line_chart
from samfard.reports.kpi import KPI_DEFINITIONS, KpiLine, met_text
from samfard.reports.monthly import INCOMPLETE, CostLine, MonthlyReportData, PrincipalLine
from samfard.reports.render_quality import quality_context
from samfard.reports.wording import plain_pct, service_label, signed_kr, signed_pct


def format_kpi_value(value: Decimal | None, unit: str) -> str:
    """A KPI figure as the board reads it; money KPIs are carried in öre."""
    if value is None:
        return "–"
    if unit == "kr":
        return format_kr(int(value.quantize(Decimal(1), ROUND_HALF_UP)))
    if unit == "%" or value != value.to_integral_value():
        value = value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    else:
        value = value.quantize(Decimal(1))
    text = f"{value:f}".replace(".", ",")
    return f"{text} %" if unit == "%" else text


def cost_row(line: CostLine) -> dict[str, str]:
    change = line.change
    return {
        "label": line.label,
        "current": format_kr(line.current),
        "previous": format_kr(line.previous),
        "change": "–" if change is None else signed_kr(change),
        "change_pct": INCOMPLETE if change is None else signed_pct(line.change_pct),
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


def kpi_row(line: KpiLine) -> dict[str, Any]:
    met = met_text(line)
    return {
        "label": line.label,
        "outcome": format_kpi_value(line.outcome, line.unit),
        "target": format_kpi_value(line.target, line.unit) if line.target is not None else "",
        "met": met,
        "missed": line.met is False,
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
        "previous_period": report.previous_period,
        # The year-to-date table's columns are the two years so far, not the two months
        # ("november 2026 | november 2025" stood over the year's sums).
        "ytd_period": report.ytd_period,
        "ytd_previous_period": report.ytd_previous_period,
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
        "notes": list(report.notes),
        "definitions": list(KPI_DEFINITIONS),
        "quality": quality_context(report.quality),
    }


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    cells = "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            f"<th scope='row'>{escape(c)}</th>" if i == 0 else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f"<div class='table-wrap'><table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _quality_html(quality: dict[str, Any] | None) -> str:
    if quality is None:
        return ""
    return "".join(
        [
            "<h2>Kvalitet och patientsäkerhet</h2><ul class='summary'>",
            *(f"<li>{escape(s)}</li>" for s in quality["summary"]),
            "</ul>",
            _table("Avvikelser per utförare", quality["carrier_head"], quality["carrier_rows"]),
            _table("Avvikelser per typ", quality["kind_head"], quality["kind_rows"]),
            _table(
                "Avvikelser per allvarlighetsgrad",
                quality["severity_head"],
                quality["severity_rows"],
            ),
        ]
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
            ["", ctx["ytd_period"], ctx["ytd_previous_period"], "Förändring kr", "Förändring %"],
            [[r[k] for k in keys] for r in ctx["ytd_rows"]],
        ),
        *(f"<p class='note'>{escape(note)}</p>" for note in ctx["notes"]),
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
        _quality_html(ctx["quality"]),
        "<h2>Definitioner</h2><dl class='definitions'>"
        + "".join(
            f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in ctx["definitions"]
        )
        + "</dl>",
        *(f"<figure>{svg}</figure>" for svg in ctx["charts"].values()),
        "</section>",
    ]
    return "\n".join(parts)


PAGE_STYLE = """
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0 auto; padding: 1rem; max-width: 60rem; color: #1a1a1a; background: #fff;
  font: 1rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 1.5rem; line-height: 1.2; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
.summary { padding-left: 1.2rem; }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
thead th { border-bottom: 2px solid #333; text-align: right; }
thead th:first-child, tbody th { text-align: left; font-weight: normal; }
td { text-align: right; white-space: nowrap; }
td:last-child { white-space: normal; }
tbody tr:nth-child(even) { background: #f4f4f4; }
.note { font-style: italic; }
dt { font-weight: 600; }
dd { margin: 0 0 0.5rem 0; }
figure { margin: 1.5rem 0; }
svg { max-width: 100%; height: auto; }
@media print { body { max-width: none; } .table-wrap { overflow: visible; } }
"""


def render_page(report: MonthlyReportData) -> str:
    """The report as a complete HTML document: fits a phone, prints on A4."""
    title = escape(report_context(report)["title"])
    return (
        '<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n<body>\n"
        f"{render_html(report)}\n</body>\n</html>\n"
    )
