"""Dates as Swedes write them, for every place that speaks Swedish to a person: the pages
(web.templating's `sv_date`), and the decision letter, which is built outside the pages.
"""

from __future__ import annotations

from datetime import date, datetime

from samfard.timeutil import STOCKHOLM

MONTHS_SV = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def date_sv(value: date | datetime, style: str = "iso") -> str:
    """'2026-12-02' (iso), '2 december 2026' (long), 'onsdag 2 december 2026' (day) or
    'december 2026' (month); a datetime is read in Swedish local time."""
    if isinstance(value, datetime):
        value = value.astimezone(STOCKHOLM).date()
    if style == "iso":
        return value.isoformat()
    if style == "month":
        return f"{MONTHS_SV[value.month - 1]} {value.year}"
    long = f"{value.day} {MONTHS_SV[value.month - 1]} {value.year}"
    return f"{WEEKDAYS_SV[value.weekday()]} {long}" if style == "day" else long


def span_sv(first: date, last: date) -> str:
    """Days from `first` to `last` as one says them: '7–18 december', '28 november–9
    december', '28 december 2026–8 januari 2027'; one day alone is '7 december'."""
    end = f"{last.day} {MONTHS_SV[last.month - 1]}"
    if first == last:
        return end
    if first.year != last.year:
        return f"{date_sv(first, 'long')}–{end} {last.year}"
    if first.month != last.month:
        return f"{first.day} {MONTHS_SV[first.month - 1]}–{end}"
    return f"{first.day}–{end}"
