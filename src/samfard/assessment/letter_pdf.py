"""The decision letter as a PDF (reportlab), made from the letter's own HTML.

`letters.render_letter` is the one text of a decision letter; this module lays out its few
elements (headings, paragraphs, list items, the fee table) on an A4 page, so the PDF can
never say something the preview does not. Text stays text, so the PDF is searchable.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

BLOCKS = {"h1", "h2", "p", "li", "title"}


class _LetterParser(HTMLParser):
    """Collects (kind, text) blocks and table rows; <br> becomes a line break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str | list[list[str]]]] = []
        self._kind: str | None = None
        self._text: list[str] = []
        self._rows: list[list[str]] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._kind is not None:
            self._text.append("<br/>")
        elif tag in BLOCKS:
            self._kind, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._rows:
            self._rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.blocks.append(("table", self._rows))
            self._rows = None
        elif tag == self._kind:
            self.blocks.append((tag, "".join(self._text).strip()))
            self._kind = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._kind is not None:
            self._text.append(escape(data))


def letter_pdf(html: str) -> bytes:
    """An A4 PDF of a decision letter given as the HTML `render_letter` writes."""
    parser = _LetterParser()
    parser.feed(html)
    styles = getSampleStyleSheet()
    style = {"h1": styles["Title"], "h2": styles["Heading2"], "p": styles["BodyText"]}
    story: list[Flowable] = []
    title = "Beslut"
    for kind, content in parser.blocks:
        if kind == "title":
            title = str(content)
        elif kind == "table" and isinstance(content, list):
            table = Table(content, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                        ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ]
                )
            )
            story += [table, Spacer(1, 3 * mm)]
        elif kind == "li":
            story.append(Paragraph(f"• {content}", styles["BodyText"]))
        else:
            story.append(Paragraph(str(content), style.get(kind, styles["BodyText"])))
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Samfard",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        invariant=True,
        pageCompression=0,
    )
    document.build(story)
    return buffer.getvalue()
