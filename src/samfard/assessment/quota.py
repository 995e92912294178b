"""How many of a färdtjänst permit's yearly trips outside the service area are used.

Örnsköldsvik grants up to 20 single trips a year in another municipality (rules.md,
rulebook `2284/fardtjanst.toml` `outside_area`); the engine refuses the 21st
(`area.quota_used`) from the count it is handed, and until 6 December 2026 it was handed
0, so the limit never applied. The count is read here from the stored bookings:

- a single trip on the quota is a leg whose stored decision charged it as outside the
  area (the reason `fee.outside_area`, one per leg), so the count is what was decided,
  whatever the rulebook or the gazetteer say today;
- trips that stand or were made count: approved, scheduled, assigned, under way,
  completed, and no-shows (the vehicle drove and a trip not cancelled in time is charged
  as made); not those waiting for an assessor, denied or cancelled;
- the year is the permit year: twelve months from the anniversary of the permit's first
  day on or before the trip ([G]: the rulebook says "per year"; a permit year treats a
  permit granted in November as a calendar year would not), all trips dated in it,
  booked before or after this one;
- the booking being decided again is left out (it is the trip asked about).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.rules.facts import Service
from samfard.rules.fardtjanst import OUTSIDE_AREA_FEE
from samfard.travellers.models import Permit

S = BookingStatus
COUNTED = frozenset({S.APPROVED, S.SCHEDULED, S.ASSIGNED, S.IN_PROGRESS, S.COMPLETED, S.NO_SHOW})


def _anniversary(first: date, year: int) -> date:
    """The permit's first day in `year` (28 February for one granted on 29 February)."""
    try:
        return first.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def permit_year(permit_from: date, day: date) -> tuple[date, date]:
    """The permit year `day` falls in: first and last day, inclusive."""
    start = _anniversary(permit_from, day.year)
    if start > day:
        start = _anniversary(permit_from, day.year - 1)
    end = _anniversary(permit_from, start.year + 1)
    return start, date.fromordinal(end.toordinal() - 1)


def fardtjanst_permit(permits: list[Permit], principal: str, days: list[date]) -> Permit | None:
    """The färdtjänst permit of `principal` valid on every day, as the rules pick it."""
    return next(
        (
            p
            for p in permits
            if p.kind == Service.FARDTJANST.value
            and p.principal_code == principal
            and all(p.valid_on(day) for day in days)
        ),
        None,
    )


def outside_area_trips(
    session: Session,
    *,
    traveller_id: int,
    principal: str,
    year: tuple[date, date],
    leave_out: int | None,
) -> int:
    """Single trips outside the area on the quota in the permit year `year`."""
    statement = select(Booking.decision).where(
        Booking.traveller_id == traveller_id,
        Booking.service == Service.FARDTJANST.value,
        Booking.principal_code == principal,
        Booking.status.in_([s.value for s in COUNTED]),
        Booking.service_date >= year[0],
        Booking.service_date <= year[1],
    )
    if leave_out is not None:
        statement = statement.where(Booking.id != leave_out)
    return sum(
        1
        for decision in session.scalars(statement)
        for reason in (decision or {}).get("reasons") or []
        if reason.get("code") == OUTSIDE_AREA_FEE
    )
