"""The booking horizon: how far ahead a trip may be booked, per rulebook.

Without a bound a booking for 9999-12-31 is stored, waits in every list and queue, and no
rule was ever written for that day. The version of the paying principal's rulebook in force
today says `booking.max_days_ahead`; a rulebook that says nothing gets the default below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from samfard.errors import InputError
from samfard.rules.facts import Service
from samfard.rules.loader import RulebookSet, shipped_rulebooks

# [G] A year covers the longest treatment series booked at once (dialysis, radiotherapy);
# a rulebook names a shorter horizon where the principal has one.
DEFAULT_HORIZON_DAYS = 365


@dataclass(frozen=True)
class Horizon:
    days: int
    source: str  # the rulebook file that set it, or "Samfard's default"

    def last_day(self, today: date) -> date:
        return today + timedelta(days=self.days)

    def check(self, day: date, *, today: date, field: str) -> None:
        """422 naming the limit when `day` lies beyond the horizon."""
        last = self.last_day(today)
        if day > last:
            raise InputError(
                f"{day} is too far ahead: {self.source} takes bookings at most {self.days} "
                f"days ahead, up to {last}; book it later",
                field=field,
            )


def horizon_for(
    principal: str, service: str, *, today: date, rulebooks: RulebookSet | None = None
) -> Horizon:
    """The horizon of the principal's rulebook for the service, as in force today."""
    books = rulebooks or shipped_rulebooks()
    try:
        book = books.find(principal, Service(service))
    except ValueError:
        book = None  # a service without rules: the default applies
    if book is None or book.versions[0].valid_from > today:
        return Horizon(DEFAULT_HORIZON_DAYS, "Samfard's default")
    _, version = book.version_on(today)
    booking = getattr(version, "booking", None)
    days = getattr(booking, "max_days_ahead", None)
    if days is None:
        return Horizon(DEFAULT_HORIZON_DAYS, f"{book.file} names no horizon; Samfard's default")
    return Horizon(days, book.file)
