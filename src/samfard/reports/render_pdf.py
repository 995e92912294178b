"""The monthly report as a PDF (reportlab), with the table values as real text.

The board files the PDF; figures must stay searchable and copyable, so tables are text
(never images). Pages are written uncompressed and invariant (no timestamp, fixed ids):
the same report gives the same bytes, and tests and archive tools can find the values in
the file without a PDF library. Charts are reportlab vector drawings of the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from io import BytesIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from samfard.reports.charts import PALETTE
from samfard.reports.monthly import MonthlyReportData, service_label
from samfard.reports.render_html import report_context

_TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: reportlab parses markup, so escape &, < and >."""
    return Paragraph(escape(text, quote=False), style)


def _table(
    head: Sequence[object], rows: Sequence[Sequence[object]], widths: Sequence[float]
) -> Table:
    table = Table([head, *rows], colWidths=list(widths), repeatRows=1)
    table.setStyle(_TABLE_STYLE)
    return table


def _bars(
    title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | None]]]
) -> Drawing:
    drawing = Drawing(170 * mm, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 14 * mm
    chart.width, chart.height = 150 * mm, 38 * mm
    chart.data = [[float(v or 0) for v in values] for _, values in series] or [[0.0]]
    chart.categoryAxis.categoryNames = list(categories) or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for i in range(len(series)):
        chart.bars[i].fillColor = colors.HexColor(PALETTE[i % len(PALETTE)])
    drawing.add(chart)
    drawing.add(String(14 * mm, 56 * mm, title, fontName="Helvetica-Bold", fontSize=9))
    legend = Legend()
    legend.x, legend.y = 14 * mm, 3 * mm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName, legend.fontSize = "Helvetica", 7
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[i % len(PALETTE)]), name) for i, (name, _) in enumerate(series)
    ]
    drawing.add(legend)
    return drawing


def render_pdf(report: MonthlyReportData) -> bytes:
    """The report as PDF bytes: summary, cost tables, KPI table and two charts."""
    ctx = report_context(report)
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        invariant=1,
        pageCompression=0,
        title=ctx["title"],
        author="Samfard",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    money_head = ["", ctx["period"], ctx["previous_period"], "Förändring kr", "Förändring %"]
    money_widths = [62 * mm, 28 * mm, 28 * mm, 28 * mm, 24 * mm]
    keys = ("label", "current", "previous", "change", "change_pct")
    story: list[Flowable] = [_para(ctx["title"], styles["Title"])]
    story += [_para(line, styles["BodyText"]) for line in ctx["summary"]]
    for heading, rows in (("Kostnader, månaden", "month_rows"), ("Året hittills", "ytd_rows")):
        story += [
            Spacer(1, 4 * mm),
            Paragraph(heading, styles["Heading2"]),
            _table(money_head, [[r[k] for k in keys] for r in ctx[rows]], money_widths),
        ]
    small = ParagraphStyle("small", fontName="Helvetica", fontSize=8, leading=9)
    head_style = ParagraphStyle("head", fontName="Helvetica-Bold", fontSize=8, leading=9)
    story += [
        Spacer(1, 4 * mm),
        Paragraph("Per huvudman, månaden", styles["Heading2"]),
        _table(
            [_para(h, head_style) for h in ctx["principal_head"]],
            [[_para(row[0], small), *row[1:]] for row in ctx["principal_rows"]],
            [38 * mm, 12 * mm, *[20 * mm] * 3, 14 * mm, *[20 * mm] * 2],
        ),
        Spacer(1, 4 * mm),
        Paragraph("Nyckeltal", styles["Heading2"]),
        _table(
            ["Nyckeltal", "Utfall", "Mål", "Uppfyllt", "Kommentar"],
            [
                [
                    _para(r["label"], styles["BodyText"]),
                    r["outcome"],
                    r["target"],
                    r["met"],
                    _para(r["comment"], styles["BodyText"]),
                ]
                for r in ctx["kpi_rows"]
            ],
            [62 * mm, 26 * mm, 22 * mm, 20 * mm, 40 * mm],
        ),
    ]
    if report.services:
        width = 110 * mm / len(report.services)
        story += [
            Spacer(1, 4 * mm),
            Paragraph("Nyckeltal per tjänst", styles["Heading2"]),
            _table(
                [_para(h, head_style) for h in ctx["service_kpi_head"]],
                [[_para(row[0], styles["BodyText"]), *row[1:]] for row in ctx["service_kpi_rows"]],
                [60 * mm, *[width] * len(report.services)],
            ),
        ]
    story += [
        Spacer(1, 4 * mm),
        _bars(
            f"Kostnad per månad och tjänst {report.year}, kr",
            report.month_labels,
            [
                (service_label(s), [Decimal(v) / 100 for v in values])
                for s, values in zip(report.services, report.cost_by_month, strict=True)
            ],
        ),
        _bars(
            "Kostnad per resa efter avståndsband, kr",
            [b.band for b in report.bands],
            [
                (str(report.year), [_kr(b.current) for b in report.bands]),
                (str(report.year - 1), [_kr(b.previous) for b in report.bands]),
            ],
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def _kr(ore: int | None) -> Decimal | None:
    return None if ore is None else Decimal(ore) / 100
