"""The monthly report as a PDF (reportlab), with the table values as real text.

The board files the PDF; figures must stay searchable and copyable, so tables are text
(never images). Pages are written uncompressed and invariant (no timestamp, fixed ids):
the same report gives the same bytes, and tests and archive tools can find the values in
the file without a PDF library. Charts are reportlab vector drawings of the same data, the
same three as the HTML. Column widths are measured from the text, so a heading wraps
between words and never inside one ("Samordningsvinst", not "Samordnin gsvinst").
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from io import BytesIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from samfard.reports.charts import PALETTE
from samfard.reports.monthly import MonthlyReportData
from samfard.reports.render_html import report_context
from samfard.reports.wording import service_label

_PAD = 3.0
_FONT, _BOLD, _SIZE = "Helvetica", "Helvetica-Bold", 8
_TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f2f2")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
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


def fitted_widths(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    total: float,
    *,
    flexible: Sequence[int] = (0,),
) -> list[float]:
    """Column widths (points) that hold each heading's longest word and each value on one
    line; the `flexible` columns (wrapping text) share what is left of `total`. A heading
    then wraps only between words."""

    def width(text: str, font: str) -> float:
        return float(stringWidth(text, font, _SIZE)) + 2 * _PAD + 1

    need = [
        max(
            [width(word, _BOLD) for word in h.split()]
            + [width(row[i], _FONT) for row in rows if i not in flexible]
            + [0.0]
        )
        for i, h in enumerate(head)
    ]
    fixed = sum(w for i, w in enumerate(need) if i not in flexible)
    left = max(total - fixed, 0.0)
    floor = sum(need[i] for i in flexible)
    for i in flexible:
        need[i] = max(need[i], left * need[i] / floor if floor else left / len(flexible))
    return need


def _head(texts: Sequence[str], style: ParagraphStyle) -> list[Paragraph]:
    return [_para(t, style) for t in texts]


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


def _lines(
    title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[Decimal | None]]]
) -> Drawing:
    drawing = Drawing(170 * mm, 62 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y = 14 * mm, 14 * mm
    chart.width, chart.height = 150 * mm, 38 * mm
    chart.data = [[None if v is None else float(v) for v in values] for _, values in series]
    # A line needs two points: with fewer (January, a new service) only the markers show.
    chart.joinedLines = int(all(sum(v is not None for v in values) >= 2 for _, values in series))
    chart.categoryAxis.categoryNames = list(categories) or [""]
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    for i in range(len(series)):
        chart.lines[i].strokeColor = colors.HexColor(PALETTE[i % len(PALETTE)])
        chart.lines[i].strokeWidth = 1.5
        chart.lines[i].symbol = makeMarker("FilledCircle", size=3)
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
    """The report as PDF bytes: summary, cost tables, KPI tables, definitions and the
    three charts of the HTML."""
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
    full = doc.width
    small = ParagraphStyle("small", fontName=_FONT, fontSize=_SIZE, leading=9.5)
    head_style = ParagraphStyle("head", fontName=_BOLD, fontSize=_SIZE, leading=9.5)
    money_head = ["", ctx["period"], ctx["previous_period"], "Förändring kr", "Förändring %"]
    keys = ("label", "current", "previous", "change", "change_pct")
    story: list[Flowable] = [_para(ctx["title"], styles["Title"])]
    story += [_para(line, styles["BodyText"]) for line in ctx["summary"]]
    ytd_head = ["", ctx["ytd_period"], ctx["ytd_previous_period"], *money_head[3:]]
    tables = (
        ("Kostnader, månaden", "month_rows", money_head),
        ("Året hittills", "ytd_rows", ytd_head),
    )
    for heading, name, head in tables:
        rows = [[r[k] for k in keys] for r in ctx[name]]
        story += [
            Spacer(1, 4 * mm),
            Paragraph(heading, styles["Heading2"]),
            _table(
                _head(head, head_style),
                [[_para(row[0], small), *row[1:]] for row in rows],
                fitted_widths(head, rows, full),
            ),
        ]
    story += [_para(note, styles["Italic"]) for note in ctx["notes"]]
    principal_rows = ctx["principal_rows"]
    kpi_head = ["Nyckeltal", "Utfall", "Mål", "Uppfyllt", "Kommentar"]
    kpi_rows = [
        [r["label"], r["outcome"], r["target"], r["met"], r["comment"]] for r in ctx["kpi_rows"]
    ]
    story += [
        Spacer(1, 4 * mm),
        Paragraph("Per huvudman, månaden", styles["Heading2"]),
        _table(
            _head(ctx["principal_head"], head_style),
            [[_para(row[0], small), *row[1:]] for row in principal_rows],
            fitted_widths(ctx["principal_head"], principal_rows, full),
        ),
        Spacer(1, 4 * mm),
        Paragraph("Nyckeltal", styles["Heading2"]),
        _table(
            _head(kpi_head, head_style),
            [[_para(r[0], small), *r[1:4], _para(r[4], small)] for r in kpi_rows],
            fitted_widths(kpi_head, kpi_rows, full, flexible=(0, 4)),
        ),
    ]
    if report.services:
        service_rows = ctx["service_kpi_rows"]
        story += [
            Spacer(1, 4 * mm),
            Paragraph("Nyckeltal per tjänst", styles["Heading2"]),
            _table(
                _head(ctx["service_kpi_head"], head_style),
                [[_para(row[0], small), *row[1:]] for row in service_rows],
                fitted_widths(ctx["service_kpi_head"], service_rows, full),
            ),
        ]
    quality = ctx["quality"]
    if quality is not None:
        story += [Spacer(1, 4 * mm), Paragraph("Kvalitet och patientsäkerhet", styles["Heading2"])]
        story += [_para(line, styles["BodyText"]) for line in quality["summary"]]
        for caption, part in (
            ("Avvikelser per utförare", "carrier"),
            ("Avvikelser per typ", "kind"),
            ("Avvikelser per allvarlighetsgrad", "severity"),
        ):
            head, rows = quality[f"{part}_head"], quality[f"{part}_rows"]
            story += [
                Paragraph(caption, styles["Heading3"]),
                _table(
                    _head(head, head_style),
                    [[_para(row[0], small), *row[1:]] for row in rows],
                    fitted_widths(head, rows, full),
                ),
            ]
    story += [Spacer(1, 4 * mm), Paragraph("Definitioner", styles["Heading2"])]
    story += [_para(f"{term}: {text}", small) for term, text in ctx["definitions"]]
    now, before = report.coordination_by_month
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
        _lines(
            "Samordningsgrad (resenärer per fordonsresa)",
            report.month_labels,
            [(str(report.year), now), (str(report.year - 1), before)],
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
