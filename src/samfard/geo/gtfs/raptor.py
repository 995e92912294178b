"""RAPTOR (Delling, Pajor, Werneck 2012): earliest arrival with at most k vehicles.

Round k relaxes every pattern serving a stop improved in round k-1, then the walks from
the stops it improved. Labels are kept per round, so the answer is the best arrival for
each number of vehicles and the journey can be read back. Changing vehicles takes
`change_s` at the stop (plus the walk, if any); the first boarding needs none.

The search runs on a Timetable as laid out; on a reversed one, "earliest arrival" is the
latest departure (the caller negates the times). Plain ints and lists only: one search
on the demo feed takes a few milliseconds.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from samfard.geo.gtfs.timetable import Timetable

INF = 1 << 40


@dataclass(frozen=True)
class Ride:
    """One vehicle taken: pattern, trip (column), boarding and alighting positions."""

    pattern: int
    trip: int
    board: int
    alight: int


@dataclass(frozen=True)
class Path:
    """A journey as the search found it (in the timetable's own direction of time)."""

    arrival: int  # at the target, egress walk included
    access_stop: int
    access_m: int
    rides: tuple[Ride, ...]
    transfers: tuple[tuple[int, int, int], ...]  # (from stop, to stop, metres) before ride i+1
    egress_stop: int
    egress_m: int


def earliest_arrival(
    tt: Timetable,
    sources: dict[int, tuple[int, int]],
    targets: dict[int, tuple[int, int]],
    *,
    max_rides: int,
    change_s: int,
) -> Path | None:
    """The earliest arrival at a target with at most `max_rides` vehicles.

    sources: stop -> (time ready to board there, access metres); targets: stop -> (egress
    seconds, egress metres). Ties go to fewer vehicles.
    """
    # ready[k][s] = (time, came from stop or -1 for access / same stop, walk metres)
    ready: list[dict[int, tuple[int, int, int]]] = [
        {s: (t, -1, m) for s, (t, m) in sources.items()}
    ]
    best_ready = {s: t for s, (t, _) in sources.items()}
    arrived: list[dict[int, tuple[int, Ride]]] = [{}]
    best_arrival: dict[int, int] = {}
    best_target, best_round, best_stop = INF, -1, -1
    patterns = tt.patterns
    for k in range(1, max_rides + 1):
        queue: dict[int, int] = {}
        for stop in ready[k - 1]:
            for p, pos in tt.serving[stop]:
                if queue.get(p, INF) > pos:
                    queue[p] = pos
        got: dict[int, tuple[int, Ride]] = {}
        for p, start in queue.items():
            pattern = patterns[p]
            trip, board = -1, -1
            for pos in range(start, len(pattern.stops)):
                stop = pattern.stops[pos]
                if trip >= 0:
                    t = pattern.arr[pos][trip]
                    if t < best_arrival.get(stop, INF) and t < best_target:
                        best_arrival[stop] = t
                        got[stop] = (t, Ride(p, trip, board, pos))
                label = ready[k - 1].get(stop)
                if label is None or pos == len(pattern.stops) - 1:
                    continue
                column = pattern.dep[pos]
                if trip >= 0 and column[trip] < label[0]:
                    continue  # cannot catch the trip we are on any earlier
                j = bisect_left(column, label[0])
                if j < len(column) and (trip < 0 or j < trip):
                    trip, board = j, pos
        arrived.append(got)
        for stop, (t, _) in got.items():
            target = targets.get(stop)
            if target is not None and t + target[0] < best_target:
                best_target, best_round, best_stop = t + target[0], k, stop
        following: dict[int, tuple[int, int, int]] = {}
        for stop, (t, _) in got.items():
            ready_at = t + change_s
            if ready_at < best_ready.get(stop, INF) and ready_at < following.get(stop, (INF,))[0]:
                following[stop] = (ready_at, stop, 0)
            for other, seconds, metres in tt.footpaths[stop]:
                at = t + seconds + change_s
                if at < best_ready.get(other, INF) and at < following.get(other, (INF,))[0]:
                    following[other] = (at, stop, metres)
        for stop, label in following.items():
            best_ready[stop] = label[0]
        ready.append(following)
        if not following:
            break
    if best_round < 0:
        return None
    return _read_back(tt, ready, arrived, best_round, best_stop, best_target, targets)


def _read_back(
    tt: Timetable,
    ready: list[dict[int, tuple[int, int, int]]],
    arrived: list[dict[int, tuple[int, Ride]]],
    k: int,
    stop: int,
    arrival: int,
    targets: dict[int, tuple[int, int]],
) -> Path:
    """Follow the labels back from the target: each ride's boarding stop was made ready in
    the round before, from the stop where the previous ride ended (or from the origin)."""
    rides: list[Ride] = []
    transfers: list[tuple[int, int, int]] = []
    egress_stop = stop
    while True:
        _, ride = arrived[k][stop]
        rides.append(ride)
        board_stop = tt.patterns[ride.pattern].stops[ride.board]
        _, came_from, metres = ready[k - 1][board_stop]
        if k == 1:
            break
        transfers.append((came_from, board_stop, metres))
        stop, k = came_from, k - 1
    rides.reverse()
    transfers.reverse()
    return Path(
        arrival=arrival,
        access_stop=board_stop,
        access_m=metres,
        rides=tuple(rides),
        transfers=tuple(transfers),
        egress_stop=egress_stop,
        egress_m=targets[egress_stop][1],
    )
