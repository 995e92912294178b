"""A tiny text extractor for reportlab's uncompressed PDFs: the strings shown by Tj.

Enough for tests to prove the table values are text in the PDF, without a PDF library.
"""

from __future__ import annotations

import re

_SHOW = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.DOTALL)


def _unescape(raw: bytes) -> bytes:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(code, code)

    return _ESCAPE.sub(one, raw)


def pdf_strings(pdf: bytes) -> list[str]:
    """Every string drawn with Tj, decoded from WinAnsi (reportlab's standard fonts)."""
    assert b"/FlateDecode" not in pdf, "render with pageCompression=0 to read the text"
    return [_unescape(m.group(1)).decode("cp1252") for m in _SHOW.finditer(pdf)]


def as_drawn(text: str) -> str:
    """Text as reportlab draws it: a no-break space comes out as a plain space."""
    return text.replace("\xa0", " ")
