"""The month a report is of ("2026-10"): one type and one parser wherever a month is read.

A monthly report reaches back to 1 January of the year before and forward to the month's
last day, so a month at the edges of the calendar (0001-05, 9999-12) overflowed `date`
deep inside the report and answered 500, while PUT /reports/comments refused the same
month as bad input. Every entry point (API, pages, background job, command line) now
reads the month here, once, and refuses one outside the years a KPI target may be set
for (2000 to 2100) as bad input naming the field: in English for the API and the
command, in Swedish (`detail_sv`) for the pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from samfard.errors import InputError

FIRST_YEAR = 2000
LAST_YEAR = 2100
PATTERN = r"^[0-9]{4}-[0-9]{2}$"  # the form every route documents; the range is checked here
_FORM = re.compile(r"([0-9]{4})-([0-9]{2})")


def _refusal(message: str, given: str, field: str) -> InputError:
    error = InputError(message, field=field)
    error.detail_sv = (
        f"Månaden ”{given}” går inte att visa. Skriv den som ÅÅÅÅ-MM, från {FIRST_YEAR}-01 "
        f"till {LAST_YEAR}-12, till exempel 2026-10."
    )
    return error


def month_error(given: str, *, field: str = "month") -> InputError:
    """The refusal of a month text that cannot be read or is out of range."""
    return _refusal(
        f"{field} must be a month from {FIRST_YEAR}-01 to {LAST_YEAR}-12 written YYYY-MM, "
        f"e.g. 2026-10; got {given!r}",
        given,
        field,
    )


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month within FIRST_YEAR..LAST_YEAR; made only valid, so every date a
    report derives from it (its first and last day, January of the year before) exists."""

    year: int
    number: int

    def __post_init__(self) -> None:
        given = f"{self.year:04d}-{self.number:02d}"
        if not 1 <= self.number <= 12:
            raise _refusal(f"month must be 1 to 12, got {self.number}", given, "month")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise _refusal(
                f"the month's year must be {FIRST_YEAR} to {LAST_YEAR}, got {self.year}",
                given,
                "month",
            )

    @classmethod
    def parse(cls, text: str, *, field: str = "month") -> Month:
        """'2026-10' as Month(2026, 10); anything else refused naming `field`."""
        found = _FORM.fullmatch(text.strip())
        if found is None:
            raise month_error(text, field=field)
        year, number = int(found[1]), int(found[2])
        if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= number <= 12):
            raise month_error(text, field=field)
        return cls(year, number)

    @property
    def first_day(self) -> date:
        return date(self.year, self.number, 1)

    @property
    def last_day(self) -> date:
        following = date(self.year + self.number // 12, self.number % 12 + 1, 1)
        return following - timedelta(days=1)

    @property
    def start_of_year_before(self) -> date:
        """1 January of the year before: where the report's comparisons start."""
        return date(self.year - 1, 1, 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"
