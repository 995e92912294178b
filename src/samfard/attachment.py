"""How a file answer names its file (Content-Disposition), whatever the name holds.

Names are built from what the caller asked for (a principal's code, a carrier's name), and
a header is Latin-1: a name in another script or with a quote must neither fail the answer
nor change the header. The plain `filename` keeps ASCII letters, digits and `._-` (å, ä, ö
become a, a, o); `filename*` (RFC 6266, RFC 5987) carries the name as given, in UTF-8, for
the browsers that read it (all current ones).

Every file a user downloads is answered by `attachment`, so what a kind of file needs is
said once: a CSV is opened in Excel by Swedish users, and gets the UTF-8 byte order mark
and `charset=utf-8` there (`spreadsheet.excel_csv_bytes`), not in each route."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from starlette.responses import Response

from samfard.spreadsheet import excel_csv_bytes

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
CSV = "text/csv; charset=utf-8"


def content_disposition(name: str, *, inline: bool = False) -> str:
    """`attachment` (saved) or `inline` (shown, as a letter's PDF) with both forms of `name`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = UNSAFE.sub("_", ascii_name).strip("_") or "fil"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment(body: bytes | str, *, media_type: str, name: str) -> Response:
    """`body` as a file the browser saves as `name`. A CSV (any `text/csv`) starts with the
    byte order mark and says `charset=utf-8`: without the mark Excel on Windows shows
    "Östersund" as "Ã–stersund"."""
    if media_type.partition(";")[0].strip().lower() == "text/csv":
        body, media_type = excel_csv_bytes(body), CSV
    return Response(
        content=body,
        media_type=media_type,
        headers={"Content-Disposition": content_disposition(name)},
    )
