"""Expanding a weekly pattern into service days (pure).

Times of a series are wall-clock times in Sweden: a 07:30 dialysis pickup stays 07:30 on
both sides of a daylight-saving change, so expansion yields dates and the caller combines
each date with the local time (timeutil.local), never adds 24 hours to an instant.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, timedelta

from samfard.errors import InputError

MAX_SERIES_DAYS = 400


class Weekday(enum.StrEnum):
    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def python_weekday(self) -> int:
        """Python's date.weekday(): Monday is 0."""
        return list(Weekday).index(self)


def expand(
    *,
    weekdays: Iterable[Weekday],
    start: date,
    end: date,
    exceptions: Iterable[date] = (),
    cancelled_from: date | None = None,
) -> list[date]:
    days = {w.python_weekday for w in weekdays}
    if not days:
        raise InputError(
            'a series needs at least one weekday, e.g. ["mon", "wed", "fri"]', field="weekdays"
        )
    if end < start:
        raise InputError(f"end_date {end} is before start_date {start}", field="end_date")
    if (end - start).days > MAX_SERIES_DAYS:
        raise InputError(
            f"a series may span at most {MAX_SERIES_DAYS} days; split it or renew it later",
            field="end_date",
        )
    skip = set(exceptions)
    last = end if cancelled_from is None else min(end, cancelled_from - timedelta(days=1))
    result = []
    day = start
    while day <= last:
        if day.weekday() in days and day not in skip:
            result.append(day)
        day += timedelta(days=1)
    return result
