"""A table (`Sheet`) and its two renderings, CSV for machines and XLSX for people.

Kept apart from exports.py so that every builder of sheets (the finance exports, the
monthly report's quality tables) can depend on it without depending on one another.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO
from typing import Any

from samfard.errors import InputError
from samfard.money import Ore
from samfard.spreadsheet import spreadsheet_row, spreadsheet_text

Cell = str | int | Decimal | date | None
KR_FORMAT = '#,##0.00" kr"'


def kr_text(ore: Ore) -> str:
    """Öre as kronor for CSV: 123450 -> '1234.50' (exact, no float)."""
    sign = "-" if ore < 0 else ""
    whole, frac = divmod(abs(ore), 100)
    return f"{sign}{whole}.{frac:02d}"


@dataclass(frozen=True)
class Sheet:
    """A table to export: a title (sheet name), header, rows, and which columns are kr.

    Money columns hold öre (int); the writers turn them into kronor.
    """

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    money_columns: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise InputError(
                    f"sheet {self.title}: row {i + 1} has {len(row)} cells for "
                    f"{len(self.header)} columns",
                    field="rows",
                )


def to_csv(sheet: Sheet) -> str:
    """The sheet as CSV text with a header line; money in kronor with a decimal point.
    A text cell a spreadsheet would read as a formula gets a leading quote (spreadsheet.py)."""
    out = StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(spreadsheet_row(sheet.header))
    for row in sheet.rows:
        writer.writerow(
            [
                kr_text(c) if i in sheet.money_columns and isinstance(c, int) else _text(c)
                for i, c in enumerate(row)
            ]
        )
    return out.getvalue()


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, str):
        return spreadsheet_text(cell)
    return str(cell)


# Excel refuses these in a sheet's name, and names longer than 31 characters.
NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str) -> str:
    """A name Excel takes for a sheet: titles carry what the caller asked for (a carrier's
    name such as "A/B Taxi"), so the characters Excel forbids become "-"."""
    return NOT_IN_SHEET_TITLE.sub("-", title)[:31].strip("'") or "Blad"


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one workbook; money cells are numbers in kronor with a kr format.

    Written in openpyxl's write-only mode: a month's invoice basis has tens of thousands
    of lines, and streaming rows is several times faster than building the sheet in memory.
    Every text cell is a string, never a formula (`text_cell`).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def text_cell(ws: Any, text: str) -> Any:
        """openpyxl makes a text starting with "=" a formula (and "#N/A" an error) unless
        told the type: the text is escaped (spreadsheet.py) and its type set to string."""
        cell = WriteOnlyCell(ws, value=spreadsheet_text(text))
        cell.data_type = "s"
        return cell

    book = Workbook(write_only=True)
    for sheet in sheets:
        ws = book.create_sheet(sheet_title(sheet.title))
        for i, name in enumerate(sheet.header):
            ws.column_dimensions[get_column_letter(i + 1)].width = max(12, len(name) + 2)
        head = []
        for name in sheet.header:
            cell = text_cell(ws, name)
            cell.font = Font(bold=True)
            head.append(cell)
        ws.append(head)
        for row in sheet.rows:
            out: list[object] = []
            for i, c in enumerate(row):
                if i in sheet.money_columns and isinstance(c, int):
                    cell = WriteOnlyCell(ws, value=Decimal(c) / 100)
                    cell.number_format = KR_FORMAT
                    out.append(cell)
                elif isinstance(c, str):
                    out.append(text_cell(ws, c))
                else:
                    out.append(c)
            ws.append(out)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
