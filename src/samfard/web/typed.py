"""Reading a date or a time an operator typed: Swedish forms, whatever the browser's locale.

The pages ask for dates and times in text fields (see `date_input` in _macros.html), so
what arrives is what was typed: "2026-12-02" or "2/12", "10:30", "10.30", "1030" or
"kl 10". A FieldError carries the Swedish message shown at the field.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from samfard.schemas_common import MAX_ID
from samfard.timeutil import FIRST_YEAR, LAST_YEAR, in_trip_years

_TIME = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})(?:[:.,]?(\d{2}))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$")
_ISO_SHAPE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
NO_SUCH_DATE = "Datumet finns inte; kontrollera dag och månad"


class FieldError(ValueError):
    """One field's input cannot be read; the message is Swedish and says what to write."""


def parse_clock(text: str) -> time:
    """'10:30', '10.30', '10,30', '1030', 'kl 10' -> a wall-clock time."""
    match = _TIME.match(text.strip().lower())
    if match is None:
        raise FieldError("Skriv tiden som klockslag, till exempel 10:30")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if len(match.group(1)) > 2 or hour > 23 or minute > 59:
        raise FieldError("Klockslaget finns inte; skriv till exempel 10:30")
    return time(hour, minute)


def within_years(day: date) -> date:
    """The day, if trips can fall on it; else the Swedish message at the field."""
    if not in_trip_years(day):
        raise FieldError(f"Skriv ett datum mellan år {FIRST_YEAR} och {LAST_YEAR}")
    return day


def whole_number(text: str, *, most: int = MAX_ID) -> int | None:
    """A count or an id typed or sent by a form, or None: ASCII digits only ("²" is a digit
    to `str.isdigit` but not to `int`) and at most `most` (an id fits the databases)."""
    value = text.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(most)):
        return None
    number = int(value)
    return number if number <= most else None


def parse_date(text: str, *, today: date) -> date:
    """'2026-12-02', or '2/12' (this year, or next if already past), or '2/12/2026'."""
    value = text.strip()
    try:
        iso = date.fromisoformat(value)
    except ValueError:
        iso = None
    if iso is not None:
        return within_years(iso)
    if _ISO_SHAPE.match(value):
        # Written as asked, "2026-02-31": the date does not exist, which the format
        # message did not say (walk-throughs of the seventh session of 2026-12-06).
        raise FieldError(NO_SUCH_DATE)
    match = _DAY_MONTH.match(value)
    if match is None:
        raise FieldError("Skriv datumet som ÅÅÅÅ-MM-DD, eller dag och månad som 3/12")
    day, month = int(match.group(1)), int(match.group(2))
    year = int(match.group(3)) if match.group(3) else today.year
    try:
        found = within_years(date(year, month, day))
    except FieldError:
        raise
    except ValueError:
        raise FieldError(NO_SUCH_DATE) from None
    if match.group(3) is None and found < today:
        found = found.replace(year=year + 1)
    return found


# A day picker (the traffic day, the goods day) looks back as often as ahead: "9/12" is
# the nearest such day, up to half a year either way, where the booking desk, which books
# ahead, takes the next one (`parse_date`); yesterday's runs are not next year's.
LOOK_BACK = timedelta(days=182)


def parse_picked_day(text: str, *, today: date) -> date:
    """A day typed in a day picker, in the desk's formats, the nearest one for a day and
    month; FieldError says how to write it."""
    return parse_date(text, today=today - LOOK_BACK)
