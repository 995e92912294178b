"""Facts of the transport authority's services, read from the timetable and the gazetteer.

- anropsstyrd linjetrafik: each leg rides the booked line departure that calls at its
  origin at its pickup time and later at its destination (`lines.timetable.match`); a leg
  that matches none reaches the engine without a line, and the engine refuses it, naming it;
- närtrafik: the nearest stop is the nearest place a booked line calls at or a locality
  (every locality of the gazetteer has a bus stop in its centre, the service point where
  närtrafik meets the regular lines); the trip runs between the door and the nearest stop
  of either kind;
- a departure's vehicle holds the seats and wheelchair places the line names; other live
  bookings riding the same departure hold theirs over the whole departure (a seat freed
  at a middle stop is not offered again: the simple count, on the safe side).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.geo.models import Place, PlaceKind
from samfard.geo.traveltime import ROAD_MODEL, Point
from samfard.lines.service import timetables
from samfard.lines.timetable import TimetableLine, departures_between, match
from samfard.rules import facts
from samfard.timeutil import STOCKHOLM

# A booking in these states holds no place on a line any more.
RELEASED = (BookingStatus.CANCELLED.value, BookingStatus.DENIED.value)


def _booked(
    session: Session,
    lines: tuple[TimetableLine, ...],
    places: dict[int, Place],
    days: set[date],
    exclude: int | None,
) -> Counter[tuple[str, int, str]]:
    """Seats and wheelchair places other live bookings hold, per (line, departure, kind)."""
    held: Counter[tuple[str, int, str]] = Counter()
    rows = session.scalars(
        select(Booking)
        .options(selectinload(Booking.legs))
        .where(
            Booking.service == facts.Service.ANROPSSTYRD_LINJETRAFIK.value,
            Booking.service_date.in_(sorted(days)),
            Booking.status.not_in(RELEASED),
        )
    )
    for booking in rows:
        if booking.id == exclude:
            continue
        wheelchair = 1 if "wheelchair" in booking.needs else 0
        seated = 1 - wheelchair + len(booking.companions)
        for leg in booking.legs:
            if leg.origin_place_id is None or leg.destination_place_id is None:
                continue
            origin, destination = places[leg.origin_place_id], places[leg.destination_place_id]
            found = match(lines, origin.key, destination.key, leg.reference_time)
            if found is not None:
                held[(found.line.code, found.departure.id, "seat")] += seated
                held[(found.line.code, found.departure.id, "wheelchair")] += wheelchair
    return held


def with_line_rides(
    session: Session,
    legs: tuple[facts.Leg, ...],
    places: dict[int, Place],
    *,
    booking_id: int | None,
) -> tuple[facts.Leg, ...]:
    """The legs, each with the booked line departure it rides (if one matches) and what
    other bookings (not `booking_id`, the one assessed) hold of its vehicle."""
    lines = timetables(session=session)
    held = _booked(session, lines, places, {leg.local_day for leg in legs}, booking_id)
    ridden: list[facts.Leg] = []
    for leg in legs:
        found = None
        offers: tuple[str, ...] = ()
        if leg.origin_place is not None and leg.destination_place is not None:
            found = match(lines, leg.origin_place, leg.destination_place, leg.depart_at)
            offers = tuple(
                f"{m.boards_at.astimezone(STOCKHOLM):%H:%M} {m.line.code}"
                for m in departures_between(
                    lines, leg.origin_place, leg.destination_place, leg.local_day
                )
            )
        ride = None
        if found is not None:
            key = (found.line.code, found.departure.id)
            ride = facts.LineRide(
                line_code=found.line.code,
                principal=found.line.principal,
                departure_id=found.departure.id,
                first_stop_departs_at=found.first_stop_departs_at,
                boards_at=found.boards_at,
                deadline_min=found.line.deadline_min,
                seats=found.line.seats,
                wheelchair_places=found.line.wheelchair_places,
                seats_booked=held[(*key, "seat")],
                wheelchair_places_booked=held[(*key, "wheelchair")],
            )
        ridden.append(dataclasses.replace(leg, line=ride, line_offers=offers))
    return tuple(ridden)


def road_km(a: Point, b: Point) -> Decimal:
    return Decimal(round(ROAD_MODEL.road_m(a, b) / 1000, 1)).quantize(Decimal("0.1"))


def nearest_stops(
    session: Session, places: dict[int, Place], home: Point
) -> tuple[tuple[str, ...], Decimal]:
    """The gazetteer keys of the nearest line stop and the nearest locality, nearest first,
    and the road distance to the nearer."""
    stop_keys = {s.place_key for line in timetables(session=session) for s in line.stops}
    candidates: list[tuple[Decimal, str]] = []
    for group in (
        [p for p in places.values() if p.key in stop_keys],
        [p for p in places.values() if p.kind == PlaceKind.LOCALITY.value],
    ):
        if group:
            best = min(group, key=lambda p: ROAD_MODEL.road_m(home, Point(p.lat, p.lon)))
            candidates.append((road_km(home, Point(best.lat, best.lon)), best.key))
    candidates.sort()
    keys = tuple(dict.fromkeys(key for _, key in candidates))
    return keys, candidates[0][0]
