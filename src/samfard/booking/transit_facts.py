"""Facts of the transport authority's services, read from the timetable and the gazetteer.

- anropsstyrd linjetrafik: each leg rides the booked line departure that calls at its
  origin at its pickup time and later at its destination (`lines.timetable.match`); a leg
  that matches none reaches the engine without a line, and the engine refuses it, naming it;
- närtrafik: the nearest stop is the nearest place a booked line calls at or a locality
  (every locality of the gazetteer has a bus stop in its centre, the service point where
  närtrafik meets the regular lines); the trip runs between the door and the nearest stop
  of either kind.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from sqlalchemy.orm import Session

from samfard.geo.models import Place, PlaceKind
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.lines.service import timetables
from samfard.lines.timetable import departures_between, match
from samfard.rules import facts
from samfard.timeutil import STOCKHOLM

ROAD = GeodesicProvider()


def with_line_rides(session: Session, legs: tuple[facts.Leg, ...]) -> tuple[facts.Leg, ...]:
    """The legs, each with the booked line departure it rides (if one matches)."""
    lines = timetables(session=session)
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
            ride = facts.LineRide(
                line_code=found.line.code,
                principal=found.line.principal,
                departure_id=found.departure.id,
                first_stop_departs_at=found.first_stop_departs_at,
                boards_at=found.boards_at,
                deadline_min=found.line.deadline_min,
            )
        ridden.append(dataclasses.replace(leg, line=ride, line_offers=offers))
    return tuple(ridden)


def road_km(a: Point, b: Point) -> Decimal:
    return Decimal(round(ROAD.road_m(a, b) / 1000, 1)).quantize(Decimal("0.1"))


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
            best = min(group, key=lambda p: ROAD.road_m(home, Point(p.lat, p.lon)))
            candidates.append((road_km(home, Point(best.lat, best.lon)), best.key))
    candidates.sort()
    keys = tuple(dict.fromkeys(key for _, key in candidates))
    return keys, candidates[0][0]
