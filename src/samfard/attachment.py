"""How a file answer names its file (Content-Disposition), whatever the name holds.

Names are built from what the caller asked for (a principal's code, a carrier's name), and
a header is Latin-1: a name in another script or with a quote must neither fail the answer
nor change the header. The plain `filename` keeps ASCII letters, digits and `._-` (å, ä, ö
become a, a, o); `filename*` (RFC 6266, RFC 5987) carries the name as given, in UTF-8, for
the browsers that read it (all current ones)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def content_disposition(name: str, *, inline: bool = False) -> str:
    """`attachment` (saved) or `inline` (shown, as a letter's PDF) with both forms of `name`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = UNSAFE.sub("_", ascii_name).strip("_") or "fil"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
