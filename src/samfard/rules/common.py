"""Small rules shared by several services: time tolerance, booking lead time, bands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from samfard.errors import InputError
from samfard.holidays_sv import is_working_day
from samfard.money import Ore
from samfard.rules.decision import Draft, TimeTolerance
from samfard.rules.facts import Trip
from samfard.rules.schema import Booking, DistanceBands, Tolerance
from samfard.timeutil import STOCKHOLM, elapsed


def paid_as_sjukresa(d: Draft, trip: Trip, care_purposes: frozenset[str], *, law: str) -> None:
    """Refuse a trip to care: the region pays it as a sjukresa under its own rules, and a
    trip another public body pays is not färdtjänst nor riksfärdtjänst. `care_purposes` are
    the purposes the traveller's region reimburses on the day, read from its rulebook."""
    if trip.purpose is None or trip.purpose not in care_purposes:
        return
    d.refuse(
        "purpose.sjukresa",
        f"a trip for {trip.purpose} is a sjukresa, paid by the region where the traveller "
        f"lives; book it as a sjukresa, not {trip.service.value}",
        key="",
        source=law,
        purpose=trip.purpose,
    )


def tolerance(rule: Tolerance, *, purpose: str | None, outside_home: bool) -> TimeTolerance:
    """Pickup window and extra ride time: a purpose (dialysis) or a trip beyond the home
    municipality may have its own limit; whether waiting counts against it is the rule's."""
    extra = rule.max_extra_ride_min
    if outside_home and rule.max_extra_ride_min_outside_home is not None:
        extra = rule.max_extra_ride_min_outside_home
    if purpose is not None and purpose in rule.max_extra_ride_min_by_purpose:
        extra = rule.max_extra_ride_min_by_purpose[purpose]
    return TimeTolerance(
        rule.pickup_before_min,
        rule.pickup_after_min,
        extra,
        waiting_included=rule.waiting_included,
    )


def _working_days_between(after: date, until: date) -> int:
    """Working days d with after < d <= until: Monday to Friday, not a Swedish holiday nor
    Midsummer, Christmas or New Year's Eve (`holidays_sv`). A rule's "weekdays ahead" are
    days the desk and the clinic work; Good Friday is no more one than a Saturday."""
    count, day = 0, after
    while day < until:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def _previous_working_day(day: date) -> date:
    """The last working day before `day` (as `_working_days_between` counts them)."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class LateBooking:
    """Why a booking came too late: the sentence, and the facts the Swedish one is said
    from (`late_rule` names the rule broken: hours_ahead, weekdays, previous_weekday or
    desk_hours), so the desk can tell the caller which rule it was."""

    text: str
    facts: dict[str, str]


def late_booking(rule: Booking, trip: Trip, *, special_vehicle: bool) -> LateBooking | None:
    """Why the booking came too late or at the wrong hour, or None if it is in time.
    Without a booking time there is nothing to check."""
    if trip.booked_at is None:
        return None
    booked = trip.booked_at.astimezone(STOCKHOLM)
    start: datetime = trip.legs[0].depart_at.astimezone(STOCKHOLM)
    when = {"booked_on": f"{booked:%Y-%m-%d}", "booked_time": f"{booked:%H:%M}"}
    hours = rule.special_vehicle_min_hours_ahead if special_vehicle else 0
    hours = max(hours, rule.min_hours_ahead)
    if hours and elapsed(booked, timedelta(hours=hours)) > start:
        return LateBooking(
            f"booked {booked:%Y-%m-%d %H:%M}, less than {hours} h before {start:%H:%M}",
            when | {"late_rule": "hours_ahead", "hours": str(hours), "start": f"{start:%H:%M}"},
        )
    if rule.min_weekdays_ahead:
        ahead = _working_days_between(booked.date(), trip.day)
        if ahead < rule.min_weekdays_ahead:
            return LateBooking(
                f"booked {booked:%Y-%m-%d}, {ahead} weekday(s) before the trip on {trip.day} "
                f"(holidays not counted); at least {rule.min_weekdays_ahead} needed",
                when
                | {
                    "late_rule": "weekdays",
                    "ahead": str(ahead),
                    "needed": str(rule.min_weekdays_ahead),
                },
            )
    if rule.by_previous_weekday:
        last = _previous_working_day(trip.day)
        if booked.date() > last:
            return LateBooking(
                f"booked {booked:%Y-%m-%d}, after {last}, the weekday before the trip",
                when | {"late_rule": "previous_weekday", "last_day": last.isoformat()},
            )
    opens, closes = rule.desk_opens, rule.desk_closes
    if opens is not None and closes is not None and not within(booked.time(), opens, closes):
        return LateBooking(
            f"booked at {booked:%H:%M}, outside booking hours {opens:%H:%M}-{closes:%H:%M}",
            when
            | {"late_rule": "desk_hours", "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"},
        )
    return None


def within(at: time, start: time, end: time) -> bool:
    """Whether `at` lies in [start, end); a span past midnight wraps (23:00-06:00)."""
    if start <= end:
        return start <= at < end
    return at >= start or at < end


def band_fee(fee: DistanceBands, km: Decimal) -> tuple[int, Ore, Decimal] | None:
    """The band index, fee and the rounded distance it was read at; None past the table."""
    rounded = (km / fee.resolution_km).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    distance = rounded * fee.resolution_km
    for index, band in enumerate(fee.bands):
        if band.min_km <= distance and (band.max_km is None or distance <= band.max_km):
            return index, band.fee_ore, distance
    return None


def fare_ore(fare: DistanceBands, km: Decimal) -> tuple[int, Ore]:
    """The transport authority's ordinary single fare for a distance: (band index, öre)."""
    found = band_fee(fare, km)
    if found is None:
        raise InputError(f"no fare band for {km} km in the authority's fare table", field="legs")
    return found[0], found[1]
