"""A month not yet over (pågående månad): counted to today, compared with the same days a
year before.

On 6 December the report of December compared five days of settled trips with the whole
of December last year ("-80,0 % mot samma månad i fjol") and judged the month's targets on
them, and nothing on the page said that only part of the month was counted. A month that
is not over is now counted **to today** (Swedish time): what has been settled so far,
today's penalties and trips settled today included, since a report that left them out
hid a penalty decided this morning until tomorrow (the traveller's walk-through test:
the quality officer decides, the analyst looks). Today is seldom settled whole, so the
note says the figures are so far. Last year's month and last year's January-to-month are
cut at the same date a year back (29 February at 28 February), so both sides cover the
same days. A month that is over is counted whole, as before. Pure: the day is an argument.
"""

from __future__ import annotations

from datetime import date

from samfard.dates_sv import MONTHS_SV, span_sv
from samfard.reports.month import Month


def counted_through(period: Month, today: date) -> date | None:
    """The last day the report of `period` counts, if the month is not over on `today`
    (`today`, which falls before the month's first day for a month still to come); None
    when the month is over and counted whole."""
    if today > period.last_day:
        return None
    return today


def year_before(day: date) -> date:
    """The same date a year earlier; 29 February is 28 February."""
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def counted(day: date, year: int, through: date | None) -> bool:
    """Whether a settled trip or consignment of `day` counts in the report of `year` cut
    at `through`: this year's to `through`, last year's to the same date a year back."""
    if through is None:
        return True
    if day.year == year:
        return day <= through
    if day.year == year - 1:
        return day <= year_before(through)
    return True


def _cut(year: int, through: date, report_year: int) -> date:
    """The last counted day in `year` (the report's year or the one before)."""
    return through if year == report_year else year_before(through)


def month_label(year: int, month: int, through: date | None, *, report_year: int) -> str:
    """'december 2026', or for a month not over 'december 2026 till och med 5 december'
    (the report's year) and 'december 2025 till och med 5 december' (the year before)."""
    name = f"{MONTHS_SV[month - 1]} {year}"
    if through is None:
        return name
    cut = _cut(year, through, report_year)
    if cut < date(year, month, 1):
        return f"{name}, inga dagar ännu"
    return f"{name} till och med {cut.day} {MONTHS_SV[cut.month - 1]}"


def year_to_date_label(year: int, month: int, through: date | None, *, report_year: int) -> str:
    """'januari–november 2026', or for a month not over '1 januari–5 december 2026'."""
    if through is None:
        return f"januari–{MONTHS_SV[month - 1]} {year}"
    cut = _cut(year, through, report_year)
    if cut.year < year:
        return f"januari–{MONTHS_SV[month - 1]} {year}, inga dagar ännu"
    return f"{span_sv(date(year, 1, 1), cut)} {year}"


def partial_note(year: int, month: int, through: date) -> str:
    """What a report of a month not over counts, and how its targets are judged."""
    now = month_label(year, month, through, report_year=year)
    before = month_label(year - 1, month, through, report_year=year)
    return (
        f"Månaden är inte slut: rapporten avser {now} (det som är avräknat hittills i dag) "
        f"och jämförs med {before}; året hittills med samma dagar i fjol "
        f"({year_to_date_label(year - 1, month, through, report_year=year)}). Nyckeltal som "
        "är summor för månaden (resor, resenärer, kostnad, dialysresor, egenavgifter, "
        "nettokostnad) bedöms mot målen först när månaden är slut; övriga måluppfyllelser "
        "är preliminära."
    )
