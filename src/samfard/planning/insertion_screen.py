"""Screening for live insertion: which positions in which routes could take a new trip.

For each route the earliest and latest service times of every stop are computed once
(Savelsbergh's forward and backward time slack), with the load, front seats and
ride-alone state when leaving each stop. With those, each pair of positions for the new
pickup and drop-off is checked in constant time against necessary conditions, and the
loops stop as soon as windows, load or ride time rule out every later position. What
passes is only a candidate: `insertion_schedule` decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from samfard.planning.insertion_schedule import EPS, Visit, route_visits
from samfard.planning.model import Problem, Request, Route, StopKind, Vehicle
from samfard.planning.native_insertion import NativeDay


@dataclass(slots=True)
class RouteView:
    """One route (or an unused vehicle) prepared for constant-time screening."""

    vehicle: Vehicle
    route: Route | None
    visits: list[Visit]
    earliest: list[float]  # earliest start of service, ASAP from the shift start
    latest: list[float]  # latest start keeping every later stop in its window
    load: list[tuple[int, ...]]  # on board when leaving the stop
    fronts: list[int]
    alone: list[bool]  # a ride-alone passenger is on board when leaving the stop
    riders: list[int]  # passengers (not goods) on board when leaving the stop


CacheEntry = tuple[Route, Vehicle, tuple[Request, ...], RouteView]


class ScreeningCache:
    """Per-route screening data kept between insertions into the same day.

    Each insertion changes one route; the earliest and latest times and loads of the
    others stay valid, and computing them is most of an insertion's work. An entry is
    found by identity: the same route object, vehicle object and request objects on it.
    An insertion hands back unchanged routes and requests as the very same objects, and
    any changed route or promise is a new object, so stale data is never served (and
    identity checks cost nothing, where hashing whole routes cost more than the work
    saved). Routes gone from the plan are forgotten; new matrices empty the cache.
    `native` is the compiled core's copy of the day (`native_insertion.NativeDay`), kept
    by the same rule.
    """

    def __init__(self) -> None:
        self._time: object = None
        self._entries: dict[int, CacheEntry] = {}
        self.native: NativeDay | None = None
        self.hits = 0
        self.misses = 0

    def entries_for(self, problem: Problem) -> dict[int, CacheEntry]:
        if self._time is not problem.time:
            self._time, self._entries = problem.time, {}
        return self._entries

    def find(self, route: Route, vehicle: Vehicle, riders: tuple[Request, ...]) -> RouteView | None:
        entry = self._entries.get(id(route))
        if (
            entry is not None
            and entry[0] is route
            and entry[1] is vehicle
            and len(entry[2]) == len(riders)
            and all(a is b for a, b in zip(entry[2], riders, strict=True))
        ):
            self.hits += 1
            return entry[3]
        self.misses += 1
        return None

    def replace(self, entries: dict[int, CacheEntry]) -> None:
        self._entries = entries


def route_view(
    problem: Problem, vehicle: Vehicle, route: Route | None, requests: dict[str, Request]
) -> RouteView:
    shift = vehicle.shift
    stops = route.stops[1:-1] if route is not None else ()
    visits = route_visits(vehicle, ((requests[s.request_id or ""], s.kind) for s in stops))
    t = problem.time
    earliest = [shift.earliest]
    for a, b in zip(visits, visits[1:], strict=False):
        earliest.append(max(b.earliest, earliest[-1] + a.service + t[a.location][b.location]))
    latest = [0.0] * len(visits)
    latest[-1] = visits[-1].latest
    for k in range(len(visits) - 2, -1, -1):
        a, b = visits[k], visits[k + 1]
        latest[k] = min(a.latest, latest[k + 1] - a.service - t[a.location][b.location])
    load = [tuple(0 for _ in problem.dimensions)]
    fronts, alone, riders = [0], [False], [0]
    riding: set[str] = set()
    for visit in visits[1:]:
        rider = visit.request
        if rider is not None:
            sign = 1 if visit.kind is StopKind.PICKUP else -1
            load.append(tuple(q + sign * d for q, d in zip(load[-1], rider.load, strict=True)))
            fronts.append(fronts[-1] + (sign if rider.front_seat else 0))
            if sign > 0:
                riding.add(rider.id)
            else:
                riding.discard(rider.id)
            alone.append(any(requests[x].keeps_riders_out for x in riding))
            riders.append(sum(not requests[x].goods for x in riding))
        else:
            load.append(load[-1])
            fronts.append(fronts[-1])
            alone.append(alone[-1])
            riders.append(riders[-1])
    return RouteView(vehicle, route, visits, earliest, latest, load, fronts, alone, riders)


def screen(
    problem: Problem, view: RouteView, request: Request, index: int
) -> list[tuple[float, int, int, int]]:
    """Pairs (i, j): pickup after visit i, drop-off after visit j, with a cost estimate.

    Necessary conditions only (windows with time slack, load, ride alone, own ride time),
    each checked in constant time; the exact schedule decides later.
    """
    t, dist = problem.time, problem.distance
    v = view.vehicle
    visits, earliest, latest = view.visits, view.earliest, view.latest
    p, d = request.pickup, request.dropoff
    pw, dw = request.effective_pickup_window, request.dropoff_window
    sp, sd = request.pickup_service, request.dropoff_service
    max_ride = request.max_ride if request.max_ride is not None else math.inf
    front = 1 if request.front_seat else 0
    w = problem.objective
    per_dist = w.distance * v.cost_per_distance
    per_transit = w.distance * v.cost_per_transit_time
    per_time = w.time * v.cost_per_time
    fixed = w.fixed * v.fixed_cost if view.route is None else 0.0
    fixed += w.fixed * v.cost_per_pickup + per_transit * (sp + sd)

    def leg(a: int, b: int, free: bool) -> float:
        """Distance and travel-time cost of an arc (the stop's service is priced apart)."""
        if free:
            return 0.0
        return per_dist * dist[a][b] + per_transit * t[a][b]

    def free_around(k: int) -> tuple[bool, bool]:
        """Whether the arcs leaving visit k and entering visit k + 1 are free depot legs."""
        if not v.free_depot_legs:
            return False, False
        return visits[k].kind is StopKind.START, visits[k + 1].kind is StopKind.END

    def fits(k: int) -> bool:
        # Ride alone counts passengers only: goods may ride with anyone.
        if not request.goods and (view.alone[k] or (request.keeps_riders_out and view.riders[k])):
            return False
        if view.fronts[k] + front > v.front_seats:
            return False
        return all(
            q + x <= c for q, x, c in zip(view.load[k], request.load, v.capacity, strict=True)
        )

    def added(k: int, x: int) -> float:
        """Cost of visiting location x between visit k and visit k + 1."""
        a, b = visits[k].location, visits[k + 1].location
        out, home = free_around(k)
        return (
            leg(a, x, out)
            + leg(x, b, home)
            - leg(a, b, out or home)
            + per_time * (t[a][x] + t[x][b] - t[a][b])
        )

    found: list[tuple[float, int, int, int]] = []
    last = len(visits) - 1
    for i in range(last):
        if earliest[i] > pw.latest + EPS:
            break  # earliest times only grow along the route
        li, nxt = visits[i].location, visits[i + 1].location
        bp = max(pw.earliest, earliest[i] + visits[i].service + t[li][p])
        if bp > pw.latest + EPS or not fits(i):
            continue
        leave_p = bp + sp
        bd = max(dw.earliest, leave_p + t[p][d])
        # Ride time if the pickup waits as long as its window lets it: a lower bound.
        direct = bd <= dw.latest + EPS and bd - (pw.latest + sp) <= max_ride + EPS
        if direct and bd + sd + t[d][nxt] <= latest[i + 1] + EPS:
            out, home = free_around(i)
            cost = leg(li, p, out) + leg(p, d, False) + leg(d, nxt, home)
            cost += per_time * (t[li][p] + t[p][d] + t[d][nxt] - t[li][nxt])
            cost -= leg(li, nxt, out or home)
            found.append((cost + fixed, index, i, i))
        # A ride-alone traveller may ride past stops where only goods are loaded or
        # unloaded: `fits` refuses each position with a passenger on board.
        cur = max(visits[i + 1].earliest, leave_p + t[p][nxt])
        if cur > latest[i + 1] + EPS or i + 1 == last:
            continue
        latest_leave = min(pw.latest, latest[i + 1] - sp - t[p][nxt]) + sp
        pickup_cost = added(i, p)
        for j in range(i + 1, last):
            if not fits(j):
                break
            lj, after = visits[j].location, visits[j + 1].location
            bd = max(dw.earliest, cur + visits[j].service + t[lj][d])
            if bd > dw.latest + EPS or bd - latest_leave > max_ride + EPS:
                break  # a later drop-off is only later
            if bd + sd + t[d][after] <= latest[j + 1] + EPS:
                found.append((pickup_cost + added(j, d) + fixed, index, i, j))
            cur = max(visits[j + 1].earliest, cur + visits[j].service + t[lj][after])
            if cur > latest[j + 1] + EPS:
                break
    return found
