"""One service day of a feed, laid out for RAPTOR: stops by index, trips grouped into
patterns, the patterns serving each stop, and walking transfers between nearby stops.

The layout depends on the day only through the services running on it, so every day
with the same services (most weekdays of a timetable period) shares one layout.

A pattern is a run of trips over the same stops in the same order that never overtake
one another, so "the first trip leaving stop i after t" is a binary search in one column.
The same layout built `reverse=True` (every trip run backwards in negated time) lets the
one forward RAPTOR answer "the latest departure that arrives by t" as well.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from samfard.geo.distance import km_between
from samfard.geo.gtfs.feed import Feed, Route, TripRow

# Walking: straight-line metres times a detour factor, at an unhurried pace (a patient
# with a bag, not a commuter). [G] assumptions, used the same for access and transfers.
WALK_DETOUR = 1.3
WALK_M_PER_S = 1.0
TRANSFER_RADIUS_M = 400.0


def walk_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Estimated walking distance in metres between two points."""
    return km_between(lat1, lon1, lat2, lon2) * 1000.0 * WALK_DETOUR


def walk_s(metres: float) -> int:
    return math.ceil(metres / WALK_M_PER_S)


@dataclass(frozen=True)
class TripInfo:
    """What a journey says about the vehicle taken."""

    trip_id: str
    route: Route
    headsign: str


@dataclass
class Pattern:
    """Trips over one stop sequence, sorted so none overtakes another.

    arr[pos][j] / dep[pos][j]: arrival and departure of the j-th trip at position pos.
    """

    stops: tuple[int, ...]
    trips: list[TripInfo]
    arr: list[list[int]]
    dep: list[list[int]]


@dataclass(frozen=True)
class Timetable:
    """The RAPTOR layout of the days on which `services` run (times in seconds of the
    service day; negated when reversed)."""

    services: frozenset[str]
    reverse: bool
    stop_ids: tuple[str, ...]
    stop_names: tuple[str, ...]
    lats: tuple[float, ...]
    lons: tuple[float, ...]
    patterns: tuple[Pattern, ...]
    serving: tuple[tuple[tuple[int, int], ...], ...]  # stop -> (pattern, position)
    footpaths: tuple[tuple[tuple[int, int, int], ...], ...]  # stop -> (stop, seconds, m)
    cells: dict[tuple[int, int], tuple[int, ...]]  # grid cell -> stops in it

    def stops_near(self, lat: float, lon: float, max_m: float) -> list[tuple[int, int]]:
        """(stop, walking metres) for every stop within `max_m` walking of a point."""
        # The grid cells a box around the point touches: one degree of latitude is 111 km,
        # a degree of longitude shrinks with cos(lat).
        dlat = max_m / WALK_DETOUR / 111_000.0
        dlon = dlat / max(0.05, math.cos(math.radians(lat)))
        found: list[tuple[int, int]] = []
        for ci in range(_cell(lat - dlat), _cell(lat + dlat) + 1):
            for cj in range(_cell(lon - dlon), _cell(lon + dlon) + 1):
                for i in self.cells.get((ci, cj), ()):
                    metres = walk_m(lat, lon, self.lats[i], self.lons[i])
                    if metres <= max_m:
                        found.append((i, round(metres)))
        return sorted(found)


CELL_DEG = 0.01


def _cell(degrees: float) -> int:
    return math.floor(degrees / CELL_DEG)


def _grid(feed: Feed) -> dict[tuple[int, int], tuple[int, ...]]:
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, stop in enumerate(feed.stops):
        cells[(_cell(stop.lat), _cell(stop.lon))].append(i)
    return {key: tuple(members) for key, members in cells.items()}


def build(feed: Feed, day: date, *, reverse: bool = False) -> Timetable:
    """Lay out the trips of `feed` running on `day` for RAPTOR."""
    return build_services(feed, feed.services_on(day), reverse=reverse)


def build_services(feed: Feed, running: frozenset[str], *, reverse: bool = False) -> Timetable:
    """Lay out the trips of `feed` whose service is in `running` for RAPTOR."""
    index = {s.stop_id: i for i, s in enumerate(feed.stops)}
    routes = {r.route_id: r for r in feed.routes}
    trips: dict[str, TripRow] = {
        t.trip_id: t for t in feed.trips if t.service_id in running and t.route_id in routes
    }
    times: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
    for st in feed.stop_times:
        if st.trip_id in trips and st.stop_id in index:
            times[st.trip_id].append((st.sequence, index[st.stop_id], st.arrival, st.departure))
    grouped: dict[tuple[str, tuple[int, ...]], list[tuple[TripInfo, list[int], list[int]]]] = (
        defaultdict(list)
    )
    for trip_id, rows in times.items():
        rows.sort()
        if reverse:
            stops = tuple(r[1] for r in reversed(rows))
            arr = [-r[3] for r in reversed(rows)]
            dep = [-r[2] for r in reversed(rows)]
        else:
            stops = tuple(r[1] for r in rows)
            arr = [r[2] for r in rows]
            dep = [r[3] for r in rows]
        trip = trips[trip_id]
        info = TripInfo(trip_id, routes[trip.route_id], trip.headsign)
        grouped[(trip.route_id, stops)].append((info, arr, dep))
    patterns: list[Pattern] = []
    for (_, stops), members in sorted(grouped.items()):
        members.sort(key=lambda m: (m[2][0], m[0].trip_id))
        patterns.extend(_without_overtaking(stops, members))
    serving: list[list[tuple[int, int]]] = [[] for _ in feed.stops]
    for p, pattern in enumerate(patterns):
        for pos, stop in enumerate(pattern.stops[:-1]):  # nobody boards at the last stop
            serving[stop].append((p, pos))
    return Timetable(
        services=running,
        reverse=reverse,
        stop_ids=tuple(s.stop_id for s in feed.stops),
        stop_names=tuple(s.name for s in feed.stops),
        lats=tuple(s.lat for s in feed.stops),
        lons=tuple(s.lon for s in feed.stops),
        patterns=tuple(patterns),
        serving=tuple(tuple(s) for s in serving),
        footpaths=_footpaths(feed, index, reverse=reverse),
        cells=_grid(feed),
    )


def _without_overtaking(
    stops: tuple[int, ...], members: list[tuple[TripInfo, list[int], list[int]]]
) -> list[Pattern]:
    """Split trips (sorted by first departure) into patterns in which no trip overtakes."""
    lanes: list[list[tuple[TripInfo, list[int], list[int]]]] = []
    for member in members:
        for lane in lanes:
            last = lane[-1]
            if all(a >= b for a, b in zip(member[1], last[1], strict=True)) and all(
                a >= b for a, b in zip(member[2], last[2], strict=True)
            ):
                lane.append(member)
                break
        else:
            lanes.append([member])
    return [
        Pattern(
            stops=stops,
            trips=[m[0] for m in lane],
            arr=[[m[1][pos] for m in lane] for pos in range(len(stops))],
            dep=[[m[2][pos] for m in lane] for pos in range(len(stops))],
        )
        for lane in lanes
    ]


def _footpaths(
    feed: Feed, index: dict[str, int], *, reverse: bool
) -> tuple[tuple[tuple[int, int, int], ...], ...]:
    """Walks between stops within TRANSFER_RADIUS_M, and those transfers.txt names
    (walked the other way round in a reversed timetable)."""
    paths: list[dict[int, tuple[int, int]]] = [{} for _ in feed.stops]
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    cell = TRANSFER_RADIUS_M / 111_000.0
    for i, s in enumerate(feed.stops):
        cells[(int(s.lat // cell), int(s.lon // (cell * 3)))].append(i)
    for i, s in enumerate(feed.stops):
        ci, cj = int(s.lat // cell), int(s.lon // (cell * 3))
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for j in cells.get((ci + di, cj + dj), []):
                    if j == i:
                        continue
                    t = feed.stops[j]
                    metres = walk_m(s.lat, s.lon, t.lat, t.lon)
                    if metres <= TRANSFER_RADIUS_M:
                        paths[i][j] = (walk_s(metres), round(metres))
    for transfer in feed.transfers:
        a, b = index.get(transfer.from_stop), index.get(transfer.to_stop)
        if a is None or b is None or a == b:
            continue
        s, t = feed.stops[a], feed.stops[b]
        metres = walk_m(s.lat, s.lon, t.lat, t.lon)
        seconds = transfer.min_seconds if transfer.min_seconds is not None else walk_s(metres)
        if reverse:
            a, b = b, a
        paths[a][b] = (seconds, round(metres))
    return tuple(tuple((j, s, m) for j, (s, m) in sorted(p.items())) for p in paths)
