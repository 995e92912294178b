"""The demo's demand for the transport authorities' services (pure: a random source in,
bookings out): rides on the booked lines at their timetabled times, and närtrafik from
homes in the countryside to the nearest stop, in the rulebook's windows.

Drawn after the rest of the day (places and times from a random source of their own), so
adding them left the other demo bookings of a seed as they were, but for the last few the
day's trip budget leaves room for.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from samfard.demo.gazetteer import PlaceRow
from samfard.demo.model import DemoBooking, DemoLeg, DemoTraveller, Spot
from samfard.geo.distance import km_between
from samfard.lines.packaged import packaged_timetables
from samfard.rules.facts import Service
from samfard.rules.loader import shipped_rulebooks
from samfard.rules.schema import NartrafikVersion
from samfard.timeutil import local

# A traveller living at a place, at exact coordinates.
MakeTraveller = Callable[[PlaceRow, float, float], DemoTraveller]
LINE_RIDES = 2  # booked-line bookings a day
FEEDER_RIDES = 1  # närtrafik bookings a day
# Homes this far (km) from the nearest locality: beyond the rulebooks' ~1 km to a stop.
COUNTRYSIDE_KM = (3.0, 6.0)


def _spot(place: PlaceRow) -> Spot:
    return Spot(place.name, place.kind, place.municipality_code, place.lat, place.lon)


def line_ride(
    rng: random.Random,
    places: Sequence[PlaceRow],
    day: date,
    make_traveller: MakeTraveller,
) -> DemoBooking:
    """A ride between two stops of a departure running on `day`, at its timetabled time."""
    by_key = {p.key: p for p in places}
    lines = packaged_timetables({k: (p.name, p.lat, p.lon) for k, p in by_key.items()})
    running = [(line, d) for line in lines for d in line.departures if d.runs_on(day)]
    line, departure = rng.choice(running)
    calls = line.calls(departure, day)
    board = rng.randrange(len(calls) - 1)
    alight = rng.randrange(board + 1, len(calls))
    origin, destination = by_key[calls[board][0].place_key], by_key[calls[alight][0].place_key]
    who = make_traveller(origin, origin.lat, origin.lon)
    return DemoBooking(
        traveller_key=who.key,
        service=Service.ANROPSSTYRD_LINJETRAFIK.value,
        principal_code=line.principal,
        purpose="leisure",
        legs=(DemoLeg(_spot(origin), _spot(destination), calls[board][1], None),),
    )


def _windows(county: str, day: date) -> list[tuple[time, time]]:
    book = shipped_rulebooks().get(f"RKM-{county}", Service.NARTRAFIK)
    _, version = book.version_on(day)
    assert isinstance(version, NartrafikVersion)
    return [(w.start, w.end) for w in version.service.windows]


def _pickup(rng: random.Random, day: date, windows: list[tuple[time, time]]) -> datetime:
    start, end = rng.choice(windows)
    quarters = (end.hour * 60 + end.minute - start.hour * 60 - start.minute) // 15
    minutes = start.hour * 60 + start.minute + 15 * rng.randrange(quarters)
    return local(day, time(minutes // 60, minutes % 60))


def feeder_ride(
    rng: random.Random,
    places: Sequence[PlaceRow],
    day: date,
    make_traveller: MakeTraveller,
) -> DemoBooking:
    """Närtrafik from a home in the countryside to the nearest locality (its stop)."""
    localities = [p for p in places if p.kind == "locality" and p.county_code in ("22", "23")]
    small = [p for p in localities if p.population <= 3000]
    for _ in range(100):
        near = rng.choice(small)
        km = rng.uniform(*COUNTRYSIDE_KM)
        bearing = rng.uniform(0, 2 * math.pi)
        lat = round(near.lat + km / 111.2 * math.cos(bearing), 5)
        lon = round(
            near.lon + km / (111.2 * math.cos(math.radians(near.lat))) * math.sin(bearing), 5
        )
        stop = min(localities, key=lambda p: km_between(lat, lon, p.lat, p.lon))
        if km_between(lat, lon, stop.lat, stop.lon) > COUNTRYSIDE_KM[0] - 1:
            break
    else:  # pragma: no cover - the gazetteer's small places lie far apart
        raise RuntimeError("no home in the countryside found for närtrafik")
    who = make_traveller(stop, lat, lon)
    pickup = _pickup(rng, day, _windows(stop.county_code, day))
    return DemoBooking(
        traveller_key=who.key,
        service=Service.NARTRAFIK.value,
        principal_code=f"RKM-{stop.county_code}",
        purpose="shopping",
        legs=(DemoLeg(who.home, _spot(stop), pickup, None),),
    )


def demand(
    seed: int, day: date, places: Sequence[PlaceRow], make_traveller: MakeTraveller
) -> list[DemoBooking]:
    """The day's bookings on the booked lines and närtrafik, the same for a seed."""
    rng = random.Random(f"{seed}:{day.isoformat()}:transit")
    rides = [line_ride(rng, places, day, make_traveller) for _ in range(LINE_RIDES)]
    rides += [feeder_ride(rng, places, day, make_traveller) for _ in range(FEEDER_RIDES)]
    return rides


# Legs the day's budget keeps for these rides (one leg each).
LEGS = LINE_RIDES + FEEDER_RIDES
