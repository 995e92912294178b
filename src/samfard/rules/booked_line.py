"""Anropsstyrd linjetrafik: a timetabled line whose departures run only when booked.

The transport authority (RKM) pays; the traveller pays the ordinary fare. A leg must ride
a timetabled departure of one of the authority's lines (the facts give the departure the
leg matches, `Leg.line`), be booked before the deadline (the rulebook's, or the line's
own when it asks for more), and leaves at the timetabled time: the tolerance gives the
planner no room before it.
"""

from __future__ import annotations

from datetime import timedelta

from samfard.money import times
from samfard.rules import common
from samfard.rules.decision import Decision, Draft, LegFee
from samfard.rules.facts import MODE_ORDER, AssessmentRequest, LineRide, Mode, Trip
from samfard.rules.loader import Rulebook
from samfard.rules.schema import BookedLineVersion
from samfard.timeutil import STOCKHOLM, elapsed


def _room(d: Draft, i: int, ride: LineRide, trip: Trip, source: str) -> None:
    """The line's vehicle has room for the traveller and the companions on the departure
    (counted over the whole departure, whichever stops the others ride between)."""
    wheelchair = 1 if trip.needs.wheelchair else 0
    seated = 1 - wheelchair + len(trip.companions)
    free_seats = ride.seats - ride.seats_booked
    free_wheelchair = ride.wheelchair_places - ride.wheelchair_places_booked
    if seated > free_seats or wheelchair > free_wheelchair:
        d.refuse(
            "line.full",
            f"leg {i}: line {ride.line_code} has {max(free_seats, 0)} seat(s) and "
            f"{max(free_wheelchair, 0)} wheelchair place(s) left on this departure; "
            f"{seated} seat(s) and {wheelchair} wheelchair place(s) asked for",
            key="",
            source=source,
            line=ride.line_code,
            departure=ride.departure_id,
        )


def assess(request: AssessmentRequest, book: Rulebook) -> Decision:
    trip = request.trip
    index, version = book.version_on(trip.day)
    if not isinstance(version, BookedLineVersion):  # pragma: no cover - loader checks
        raise TypeError(f"{book.file} is not an anropsstyrd_linjetrafik rulebook")
    d = Draft(book=book, index=index, version=version, principal=trip.principal)
    rule = version.booking
    for i, leg in enumerate(trip.legs):
        ride = leg.line
        if ride is None:
            origin = leg.origin_place or "the origin"
            destination = leg.destination_place or "the destination"
            offered = ", ".join(leg.line_offers) or "none that day"
            d.refuse(
                "line.no_departure",
                f"leg {i}: no booked line of {trip.principal} leaves {origin} for "
                f"{destination} at {leg.local_time:%H:%M}; book a timetabled departure "
                f"({offered})",
                key="",
                source=version.source,
            )
            continue
        if ride.principal != trip.principal:
            d.refuse(
                "line.other_authority",
                f"leg {i}: line {ride.line_code} is run by {ride.principal}, not {trip.principal}",
                key="",
                source=version.source,
                line=ride.line_code,
            )
            continue
        d.add(
            "line.departure",
            f"leg {i}: line {ride.line_code}, boards "
            f"{ride.boards_at.astimezone(STOCKHOLM):%H:%M} as timetabled",
            key="",
            source=version.source,
            line=ride.line_code,
            departure=ride.departure_id,
        )
        _room(d, i, ride, trip, version.source)
        minutes = max(rule.min_minutes_before_departure, ride.deadline_min)
        deadline = elapsed(ride.first_stop_departs_at, -timedelta(minutes=minutes))
        if trip.booked_at is not None and trip.booked_at > deadline:
            d.refuse(
                "booking.after_deadline",
                f"leg {i}: booked {trip.booked_at.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}, after "
                f"the deadline {deadline.astimezone(STOCKHOLM):%Y-%m-%d %H:%M} ({minutes} min "
                f"before line {ride.line_code} leaves its first stop)",
                key="booking.min_minutes_before_departure",
                source=rule.source,
                deadline_min=minutes,
            )
    allowed = tuple(m for m in MODE_ORDER if m in version.modes and trip.needs.fits(m))
    chosen: Mode | None = trip.requested_mode if trip.requested_mode in allowed else None
    if chosen is None and allowed:
        chosen = allowed[0]
    if chosen is None:
        d.refuse(
            "mode.not_allowed",
            f"the line's vehicles do not fit the traveller's needs; they are "
            f"{[m.value for m in version.modes]}",
            key="modes",
            source=version.source,
        )
        return d.finish(allowed_modes=allowed, chosen_mode=None)
    legs: list[LegFee] = []
    if not d.refused:
        for i, leg in enumerate(trip.legs):
            band, fare = common.fare_ore(version.fare, leg.distance_km)
            fee = times(fare, version.fee.multiple)
            d.add(
                "fee.bus_fare",
                f"leg {i}: the ordinary fare for {leg.distance_km} km, {fee} öre",
                key=f"fare.bands[{band}].fee_kr",
                source=version.fare.source,
                distance_km=leg.distance_km,
            )
            legs.append(LegFee(i, leg.direction, chosen, fee, fee, counts_toward_ceiling=False))
    return d.finish(
        allowed_modes=allowed,
        chosen_mode=None if d.refused else chosen,
        legs=tuple(legs),
        tolerance=common.tolerance(version.tolerance, purpose=None, outside_home=False),
    )
