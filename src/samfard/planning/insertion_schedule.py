"""Exact timing of one route with a new trip in it (the second half of live insertion).

Screening in `samfard.planning.insertion` only rules positions out; this module decides:
given the visits of a route in order, it finds service start times that meet every
window, promise, ride time and the shift, or says there are none, and from those times
the window to promise the new traveller. The method is Cordeau and Laporte's (2003):
start as early as possible, then delay the departure, and pickups where a ride is too
long, by the forward time slack, which shortens ride times without making anyone late.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from samfard.planning.model import Problem, Request, Route, Stop, StopKind, Vehicle, Window

EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Visit:
    """A stop of a route as timing sees it: where, its window (promise applied), service."""

    location: int
    earliest: float
    latest: float
    service: float
    kind: StopKind
    request: Request | None


def visit_of(request: Request, kind: StopKind) -> Visit:
    if kind is StopKind.PICKUP:
        w, promise = request.pickup_window, request.promised_pickup
        lo, hi = w.earliest, w.latest
        if promise is not None:  # the effective window, without building a Window
            lo, hi = max(lo, promise.earliest), min(hi, promise.latest)
        return Visit(request.pickup, lo, hi, request.pickup_service, kind, request)
    w = request.dropoff_window
    return Visit(request.dropoff, w.earliest, w.latest, request.dropoff_service, kind, request)


def route_visits(vehicle: Vehicle, stops: Iterable[tuple[Request, StopKind]]) -> list[Visit]:
    """A vehicle's route as timing sees it: its start depot, the stops in order, its end
    depot, the depots open for the whole shift."""
    shift = vehicle.shift
    return [
        Visit(vehicle.start_depot, shift.earliest, shift.latest, 0.0, StopKind.START, None),
        *(visit_of(request, kind) for request, kind in stops),
        Visit(vehicle.end_depot, shift.earliest, shift.latest, 0.0, StopKind.END, None),
    ]


def with_new(visits: Sequence[Visit], request: Request, i: int, j: int) -> list[Visit]:
    out = list(visits[: i + 1])
    out.append(visit_of(request, StopKind.PICKUP))
    out.extend(visits[i + 1 : j + 1])
    out.append(visit_of(request, StopKind.DROPOFF))
    out.extend(visits[j + 1 :])
    return out


class Timeline:
    """Service start times of a sequence of visits, with the slack arithmetic on them."""

    def __init__(self, visits: Sequence[Visit], problem: Problem) -> None:
        t = problem.time
        self.visits = visits
        self.travel = [0.0] + [
            t[a.location][b.location] for a, b in zip(visits, visits[1:], strict=False)
        ]
        self.begin = [0.0] * len(visits)
        self.wait = [0.0] * len(visits)
        self.picked_at = {
            v.request.id: k
            for k, v in enumerate(visits)
            if v.kind is StopKind.PICKUP and v.request is not None
        }

    def forward(self, start: int) -> None:
        """Recompute every visit after `start` as early as its predecessor allows."""
        visits, begin = self.visits, self.begin
        for k in range(start + 1, len(visits)):
            arrive = begin[k - 1] + visits[k - 1].service + self.travel[k]
            begin[k] = max(visits[k].earliest, arrive)
            self.wait[k] = begin[k] - arrive

    def delay(self, k: int, by: float) -> None:
        """Start visit k `by` later and the visits after it as far as waiting does not
        absorb it. No visit moves earlier: one already delayed (for a ride limit) keeps its
        delay, which its window alone would not hold, as the slack arithmetic assumes."""
        visits, begin, wait = self.visits, self.begin, self.wait
        begin[k] += by
        wait[k] += by
        for p in range(k + 1, len(visits)):
            arrive = begin[p - 1] + visits[p - 1].service + self.travel[p]
            if arrive <= begin[p]:
                wait[p] = begin[p] - arrive
                return
            begin[p], wait[p] = arrive, 0.0

    def ride_excess(self, k: int) -> float:
        """Ride time beyond the limit of the passenger dropped at visit k (<= 0 is fine)."""
        visit = self.visits[k]
        r = visit.request
        if visit.kind is not StopKind.DROPOFF or r is None or r.max_ride is None:
            return -math.inf
        p = self.picked_at[r.id]
        return self.begin[k] - (self.begin[p] + self.visits[p].service) - r.max_ride

    def slack(self, i: int) -> float:
        """Forward time slack: how much visit i may start later without any later visit
        missing its window or a passenger already on board exceeding the ride time."""
        best, waited = math.inf, 0.0
        for k in range(i, len(self.visits)):
            if k > i:
                waited += self.wait[k]
            room = self.visits[k].latest - self.begin[k]
            r = self.visits[k].request
            if (
                r is not None
                and self.visits[k].kind is StopKind.DROPOFF
                and self.picked_at[r.id] < i
            ):
                room = min(room, -self.ride_excess(k))
            best = min(best, waited + max(0.0, room))
        return best

    def late(self) -> bool:
        return any(b > v.latest + EPS for b, v in zip(self.begin, self.visits, strict=True))

    def too_long_rides(self) -> bool:
        return any(self.ride_excess(k) > EPS for k in range(len(self.visits)))


def schedule(
    visits: Sequence[Visit], vehicle: Vehicle, problem: Problem
) -> tuple[Timeline, list[float]] | None:
    """Service start times meeting every window, ride time and the shift, or None.

    Cordeau and Laporte (2003): start as early as possible, then delay the departure by
    as much forward time slack and later waiting allow, and pickups where a ride is too
    long (`_shorten_rides`), without making anyone late. Each stretch starts
    late enough that nobody waits on board where a later start would do, as the compiled
    scheduler does. Also returns the as-early-as-possible times, the lower end of the
    promise.
    """
    line = Timeline(visits, problem)
    line.begin[0] = visits[0].earliest
    line.forward(0)
    if line.late():
        return None
    asap = list(line.begin)
    line.begin[0] += min(line.slack(0), sum(line.wait[1:]))
    line.forward(0)
    if line.too_long_rides():
        _shorten_rides(line)
    if line.late() or line.too_long_rides():
        return None
    _shorten_waits_on_board(line)
    duration = line.begin[-1] - line.begin[0]
    if vehicle.max_duration is not None and duration > vehicle.max_duration + EPS:
        return None
    return line, asap


def _shorten_rides(line: Timeline) -> None:
    """Delay pickups until no ride is too long, as the compiled `Scheduler::shorten_rides`
    does: first only the pickups of rides too long, each by its excess, which leaves every
    other ride as it was; where that does not suffice, every pickup as far as its slack
    and the waits after it allow."""
    visits = line.visits
    dropped_at = {
        v.request.id: k
        for k, v in enumerate(visits)
        if v.kind is StopKind.DROPOFF and v.request is not None
    }
    pickups = [
        (k, dropped_at[v.request.id])
        for k, v in enumerate(visits)
        if v.kind is StopKind.PICKUP and v.request is not None
    ]
    # Only pickups up to the last one of a ride too long can shorten it.
    last = max(k for k, drop in pickups if line.ride_excess(drop) > EPS)
    begin, wait = list(line.begin), list(line.wait)
    for k, drop in pickups:
        excess = line.ride_excess(drop)
        if excess > EPS:
            line.delay(k, min(excess, line.slack(k), sum(line.wait[k + 1 :])))
    if not line.too_long_rides():
        return
    line.begin, line.wait = begin, wait
    for k, _ in pickups:
        if k <= last:
            line.delay(k, min(line.slack(k), sum(line.wait[k + 1 :])))


def _shorten_waits_on_board(line: Timeline) -> None:
    """Delay each pickup into an empty vehicle by the waits later in its stretch, at
    pickups and drop-offs alike (within its slack), so they are waited before the stretch,
    with nobody on board: no traveller sits in a parked car for a later pickup or for a
    drop-off window to open (the compiled `Scheduler::shorten_waits_on_board`)."""
    visits = line.visits
    aboard = 0
    for k in range(1, len(visits) - 1):
        picks = visits[k].kind is StopKind.PICKUP
        starts = aboard == 0 and picks
        aboard += 1 if picks else -1
        if not starts:
            continue
        waits, on = 0.0, aboard
        for p in range(k + 1, len(visits) - 1):
            if on == 0:
                break
            waits += line.wait[p]
            on += 1 if visits[p].kind is StopKind.PICKUP else -1
        by = min(line.slack(k), waits)
        if by > 0:
            line.delay(k, by)


def route_of(vehicle: Vehicle, line: Timeline) -> Route:
    stops = tuple(
        Stop(v.kind, v.location, time, v.request.id if v.request else None)
        for v, time in zip(line.visits, line.begin, strict=True)
    )
    return Route(vehicle.id, stops)


def promise_for(
    request: Request, line: Timeline, asap: list[float], at: int, tolerance: float
) -> Window:
    """Planned time +- tolerance, inside the request's window and the route's own slack.

    The earliest end is the pickup's as-early-as-possible time in this route; the latest
    is the planned time plus its forward time slack (later windows and ride times).
    """
    planned = line.begin[at]
    pw = request.effective_pickup_window
    low = max(pw.earliest, asap[at], planned - tolerance)
    high = min(pw.latest, planned + line.slack(at), planned + tolerance)
    return Window(min(low, planned), max(high, planned))
