"""Door-to-door public-transport journeys: walk to a stop, ride, change, walk to the door.

Two questions, the two a travel service asks: "what is the latest the patient can leave
home and still be at the clinic by 09:50" (arrive_by, a search on the reversed day) and
"when is the patient home again if ready at 11:30" (depart_after). Both answer a Journey
a person can read, or None.
"""

from __future__ import annotations

from dataclasses import dataclass

from samfard.geo.gtfs.raptor import Path, earliest_arrival
from samfard.geo.gtfs.timetable import Timetable, walk_s
from samfard.geo.traveltime import Point

CHANGE_S = 120  # [G] two minutes to change vehicles at a stop


@dataclass(frozen=True)
class Ride:
    """One vehicle of a journey: "buss 45 Östersund → Sveg 08:05–09:40"."""

    line: str  # "buss 45"
    headsign: str
    board_stop: str
    board_s: int  # seconds of the service day
    alight_stop: str
    alight_s: int


@dataclass(frozen=True)
class Journey:
    """A door-to-door journey on the service day: leave the door, ride, reach the door."""

    leave_s: int
    arrive_s: int
    rides: tuple[Ride, ...]
    walk_m: int  # all walking: to the first stop, between stops, from the last
    longest_walk_m: int

    @property
    def transfers(self) -> int:
        return len(self.rides) - 1

    @property
    def minutes(self) -> int:
        return round((self.arrive_s - self.leave_s) / 60)

    def summary(self) -> str:
        """ "buss 45 08:05–09:40, 1 byte": the lines, first boarding to last alighting."""
        lines = " + ".join(dict.fromkeys(r.line for r in self.rides))
        span = f"{clock(self.rides[0].board_s)}–{clock(self.rides[-1].alight_s)}"
        changes = "direkt" if not self.transfers else f"{self.transfers} byte"
        return f"{lines} {span}, {changes}"


def clock(seconds: int) -> str:
    """HH:MM of a service-day time (past midnight stays past 24, as GTFS writes it)."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def depart_after(
    tt: Timetable,
    origin: Point,
    destination: Point,
    ready_s: int,
    *,
    max_walk_m: int,
    max_transfers: int,
) -> Journey | None:
    """The earliest arrival at `destination` leaving `origin` no earlier than `ready_s`."""
    if tt.reverse:
        raise ValueError("depart_after needs a forward timetable")
    sources = _ends(tt, origin, max_walk_m, start=ready_s)
    targets = _ends(tt, destination, max_walk_m)
    if not sources or not targets:
        return None
    path = earliest_arrival(
        tt,
        {s: (t, m) for s, (t, m) in sources.items()},
        targets,
        max_rides=max_transfers + 1,
        change_s=CHANGE_S,
    )
    return None if path is None else _forward(tt, path)


def arrive_by(
    tt: Timetable,
    origin: Point,
    destination: Point,
    deadline_s: int,
    *,
    max_walk_m: int,
    max_transfers: int,
    forward: Timetable | None = None,
) -> Journey | None:
    """The latest departure from `origin` reaching `destination` by `deadline_s`; given
    the `forward` day too, the quickest way there leaving at that time (the reversed
    search alone may pick any on-time journey, such as riding past and coming back)."""
    latest = _latest(tt, origin, destination, deadline_s, max_walk_m, max_transfers)
    if latest is None or forward is None:
        return latest
    quickest = depart_after(
        forward,
        origin,
        destination,
        latest.leave_s,
        max_walk_m=max_walk_m,
        max_transfers=max_transfers,
    )
    return quickest if quickest is not None and quickest.arrive_s <= latest.arrive_s else latest


def _latest(
    tt: Timetable,
    origin: Point,
    destination: Point,
    deadline_s: int,
    max_walk_m: int,
    max_transfers: int,
) -> Journey | None:
    if not tt.reverse:
        raise ValueError("arrive_by needs a reversed timetable")
    sources = _ends(tt, destination, max_walk_m, start=-deadline_s)
    targets = _ends(tt, origin, max_walk_m)
    if not sources or not targets:
        return None
    path = earliest_arrival(
        tt,
        {s: (t, m) for s, (t, m) in sources.items()},
        targets,
        max_rides=max_transfers + 1,
        change_s=CHANGE_S,
    )
    return None if path is None else _backward(tt, path)


def _ends(
    tt: Timetable, place: Point, max_walk_m: int, *, start: int | None = None
) -> dict[int, tuple[int, int]]:
    """Stops within walking of a place: (ready time from `start`, metres), or, without a
    start, (walking seconds, metres)."""
    found = tt.stops_near(place.lat, place.lon, max_walk_m)
    base = 0 if start is None else start
    return {stop: (base + walk_s(metres), metres) for stop, metres in found}


def _forward(tt: Timetable, path: Path) -> Journey:
    rides = tuple(_ride(tt, r.pattern, r.trip, r.board, r.alight) for r in path.rides)
    walks = (path.access_m, *(m for _, _, m in path.transfers), path.egress_m)
    return Journey(
        leave_s=rides[0].board_s - walk_s(path.access_m),
        arrive_s=path.arrival,
        rides=rides,
        walk_m=sum(walks),
        longest_walk_m=max(walks),
    )


def _backward(tt: Timetable, path: Path) -> Journey:
    """A path found on the reversed day, read the right way round: its last ride is the
    first one taken, boarding where the reversed ride alighted, and times negated."""
    rides = tuple(
        _ride(tt, r.pattern, r.trip, r.board, r.alight, reverse=True) for r in reversed(path.rides)
    )
    walks = (path.egress_m, *(m for _, _, m in path.transfers), path.access_m)
    return Journey(
        leave_s=-path.arrival,
        arrive_s=rides[-1].alight_s + walk_s(path.access_m),
        rides=rides,
        walk_m=sum(walks),
        longest_walk_m=max(walks),
    )


def _ride(
    tt: Timetable, p: int, trip: int, board: int, alight: int, *, reverse: bool = False
) -> Ride:
    pattern = tt.patterns[p]
    info = pattern.trips[trip]
    if reverse:  # reversed: "boarding" was the real alighting, times negated
        board, alight = alight, board
        board_s, alight_s = -pattern.arr[board][trip], -pattern.dep[alight][trip]
    else:
        board_s, alight_s = pattern.dep[board][trip], pattern.arr[alight][trip]
    return Ride(
        line=info.route.label,
        headsign=info.headsign,
        board_stop=tt.stop_names[pattern.stops[board]],
        board_s=board_s,
        alight_stop=tt.stop_names[pattern.stops[alight]],
        alight_s=alight_s,
    )
