"""The order of the runs on the move form (/trafik/flytta): the run that passes nearest
the trip, in place and time, first.

Ordered by time alone, a Frösön-Östersund trip was offered Sundsvall taxi 2 first, whose
stops that hour were 180 km away. Here a run is measured where it is around the trip's
time: the stops on either side of that time (the depot before the first and after the
last), and the drive from the nearer of them to the trip's pickup, by the offline
geodesic model (`geo.traveltime.GeodesicProvider`, the road factor and speed bands of the
planner's default travel times). A run whose day does not span the trip's time adds the
time between. Ties (and a trip whose pickup may not be used) go by the time between the
trip and the run's nearest stop, the order before.

Nothing here is shown: it only orders the runs. A stop whose place the controller may not
see (a protected traveller's) is left out of the measure, and a protected pickup is
ordered by time alone, so the order does not tell where such a traveller lives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from samfard.geo.traveltime import GeodesicProvider, Point

_MODEL = GeodesicProvider()


@dataclass(frozen=True, slots=True)
class Passing:
    """A run is at a place at a time: a stop, or its depot at its start or end. No place
    (None) where the place is hidden from the controller."""

    at: datetime
    lat: float | None
    lon: float | None


def drive_s(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """The model's driving time between two points, in seconds."""
    return _MODEL.seconds_for(_MODEL.road_m(Point(a_lat, a_lon), Point(b_lat, b_lon)))


def nearness(
    passings: Sequence[Passing], at: datetime, pickup: tuple[float, float] | None
) -> tuple[float, float]:
    """How near a run passes the trip: (seconds off in place and time, seconds apart in
    time); smaller is nearer. Without a pickup to measure from, both are the time."""
    if not passings:
        return (float("inf"), float("inf"))
    apart = min(abs((p.at - at).total_seconds()) for p in passings)
    placed = sorted(
        (p.at, p.lat, p.lon) for p in passings if p.lat is not None and p.lon is not None
    )
    if pickup is None or not placed:
        return (apart, apart)
    before = [p for p in placed if p[0] <= at]
    after = [p for p in placed if p[0] >= at]
    around = ([before[-1]] if before else []) + ([after[0]] if after else [])
    drive = min(drive_s(lat, lon, *pickup) for _, lat, lon in around)
    first, last = placed[0][0], placed[-1][0]
    outside = max(0.0, (first - at).total_seconds(), (at - last).total_seconds())
    return (drive + outside, apart)
