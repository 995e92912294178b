"""A scenario run as a PDF: the HTML report's paragraph, chart and tables, as text.

Built like the monthly report's PDF (reports.render_pdf, whose table style, column fitting
and bar chart it reuses): uncompressed and invariant, so the same run gives the same bytes
and the figures stay searchable. Landscape A4, because the per-principal table is wide.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from samfard.reports.render_pdf import _BOLD, _SIZE, _bars, _para, _table, fitted_widths
from samfard.reports.scenarios.render import daily_totals, intro, tables
from samfard.reports.scenarios.runner import ScenarioRun


def render_pdf(run: ScenarioRun) -> bytes:
    """The report as PDF bytes."""
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        invariant=1,
        pageCompression=0,
        title=run.spec.title,
        author="Samfard",
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
    )
    head_style = ParagraphStyle("head", fontName=_BOLD, fontSize=_SIZE, leading=9.5)
    story: list[Flowable] = [
        _para(run.spec.title, styles["Title"]),
        _para(intro(run), styles["BodyText"]),
        _bars(
            "Total kostnad per dag och scenario, kr",
            [d.isoformat() for d in run.days],
            [(name, list(values)) for name, values in daily_totals(run)],
        ),
    ]
    for caption, head, rows in tables(run):
        story += [
            Spacer(1, 4 * mm),
            Paragraph(caption, styles["Heading2"]),
            _table(
                [_para(h, head_style) for h in head],
                rows,
                fitted_widths(head, rows, doc.width),
            ),
        ]
    doc.build(story)
    return buffer.getvalue()
