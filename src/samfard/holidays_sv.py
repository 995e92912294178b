"""The Swedish holiday calendar: one for every rule that counts days.

Public holidays per Lag (1989:253) om allmänna helgdagar, plus the three eves Sweden
keeps as holidays though the law does not name them (Midsummer Eve, Christmas Eve, New
Year's Eve): taxi tariffs price them as holidays (costs.contracts) and offices, booking
desks and clinics are closed on them, so a booking deadline counted in weekdays skips
them too (rules.common). Standard library only, so the pure cores can share it without
importing one another.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def easter_sunday(year: int) -> date:
    """Easter Sunday, Gregorian calendar (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * el) // 433
    month = (h + el - 7 * m + 90) // 25
    return date(year, month, (h + el - 7 * m + 33 * month + 19) % 32)


def _first_weekday_from(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


@cache
def swedish_holidays(year: int) -> frozenset[date]:
    """Public holidays plus Midsummer Eve, Christmas Eve and New Year's Eve."""
    easter = easter_sunday(year)
    midsummer_day = _first_weekday_from(date(year, 6, 20), 5)
    return frozenset(
        {
            date(year, 1, 1),
            date(year, 1, 6),
            easter - timedelta(days=2),
            easter,
            easter + timedelta(days=1),
            date(year, 5, 1),
            easter + timedelta(days=39),
            easter + timedelta(days=49),
            date(year, 6, 6),
            midsummer_day - timedelta(days=1),
            midsummer_day,
            _first_weekday_from(date(year, 10, 31), 5),
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
            date(year, 12, 31),
        }
    )


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a holiday of `swedish_holidays`: what a rule's "weekday"
    (vardag) means when it counts days ahead."""
    return day.weekday() < 5 and day not in swedish_holidays(day.year)
