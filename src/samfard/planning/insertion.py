"""Live insertion: place one new trip into the current plan and promise a pickup window.

When a booking is accepted the traveller should hear at once when the car comes. This
module answers in milliseconds by changing as little as possible: every route keeps its
order, and the new pickup and drop-off go into one route (or an unused vehicle) at the
positions that add the least cost. Passengers already promised a window keep it, because
a promise narrows their pickup window in the model (`Request.promised_pickup`) and every
schedule here respects that window. The day-before re-optimisation may move everything
else; this step may not.

How it stays fast: for each route the earliest and latest service times of every stop
are computed once (Savelsbergh's forward/backward time slack), so each pair of positions
is screened in constant time, loops stop as soon as windows, load or ride time rule out
every later position, and only the screened candidates, cheapest first, are scheduled
exactly (Cordeau and Laporte's 2003 procedure, which delays pickups to respect ride
times, in `insertion_schedule`). A candidate the exact schedule rejects is skipped, so an
answer is always a plan the verifier accepts. Of the unused vehicles that differ only by
depot, just the nearest few are screened, and a `ScreeningCache` carries the data of
unchanged routes from one insertion to the next.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections import Counter
from dataclasses import dataclass

from samfard.errors import InputError
from samfard.planning.insertion_schedule import (
    EPS,
    Timeline,
    Visit,
    promise_for,
    route_of,
    schedule,
    visit_of,
    with_new,
)
from samfard.planning.model import (
    Problem,
    Request,
    Route,
    Solution,
    StopKind,
    Vehicle,
    Window,
)
from samfard.planning.verifier import route_cost

NO_POSITION = "vehicles where every position misses a window or promise, load or ride time"


@dataclass(frozen=True, slots=True)
class InsertionSettings:
    """`promise_tolerance` widens the promised pickup window around the planned time (in the
    problem's time unit; 900 s is the +-15 min färdtjänst tolerance of rules.md).
    `exact_candidates` is how many screened positions are scheduled exactly and priced
    before the cheapest is taken: 1 is fastest, more finds cheaper insertions when
    waiting time matters. `idle_per_kind` is how many unused vehicles of one kind (alike but
    for their depots) are screened: those with the cheapest drive from and back to the
    depot; with one depot per vehicle and times growing with distance, 1 loses nothing."""

    promise_tolerance: float = 900.0
    exact_candidates: int = 4
    idle_per_kind: int = 2

    def __post_init__(self) -> None:
        if not (math.isfinite(self.promise_tolerance) and self.promise_tolerance >= 0):
            raise InputError(
                f"promise_tolerance must be >= 0, got {self.promise_tolerance}",
                field="promise_tolerance",
            )
        if self.idle_per_kind < 1:
            raise InputError(
                f"idle_per_kind must be at least 1, got {self.idle_per_kind}",
                field="idle_per_kind",
            )
        if self.exact_candidates < 1:
            raise InputError(
                f"exact_candidates must be at least 1, got {self.exact_candidates}",
                field="exact_candidates",
            )


@dataclass(frozen=True, slots=True)
class Insertion:
    """A feasible placement: the new plan and the window to promise the traveller.

    `request` is the new request with `promised_pickup` set; add it to the problem with
    `with_request` before planning again, so later insertions keep the promise.
    """

    request: Request
    vehicle_id: str
    pickup_time: float
    promised_pickup: Window
    added_cost: float
    solution: Solution


@dataclass(frozen=True, slots=True)
class Refusal:
    """No feasible placement, and why, counted per vehicle, for the operator."""

    request_id: str
    reasons: tuple[str, ...]

    @property
    def message(self) -> str:
        return f"request {self.request_id} cannot be planned: " + "; ".join(self.reasons)


@dataclass(slots=True)
class _RouteView:
    """One route (or an unused vehicle) prepared for constant-time screening."""

    vehicle: Vehicle
    route: Route | None
    visits: list[Visit]
    earliest: list[float]  # earliest start of service, ASAP from the shift start
    latest: list[float]  # latest start keeping every later stop in its window
    load: list[tuple[int, ...]]  # on board when leaving the stop
    fronts: list[int]
    alone: list[bool]  # a ride-alone passenger is on board when leaving the stop


_Entry = tuple[Route, Vehicle, tuple[Request, ...], _RouteView]


class ScreeningCache:
    """Per-route screening data kept between insertions into the same day.

    Each insertion changes one route; the earliest and latest times and loads of the
    others stay valid, and computing them is most of an insertion's work. An entry is
    found by identity: the same route object, vehicle object and request objects on it.
    An insertion hands back unchanged routes and requests as the very same objects, and
    any changed route or promise is a new object, so stale data is never served (and
    identity checks cost nothing, where hashing whole routes cost more than the work
    saved). Routes gone from the plan are forgotten; new matrices empty the cache.
    """

    def __init__(self) -> None:
        self._time: object = None
        self._entries: dict[int, _Entry] = {}
        self.hits = 0
        self.misses = 0

    def entries_for(self, problem: Problem) -> dict[int, _Entry]:
        if self._time is not problem.time:
            self._time, self._entries = problem.time, {}
        return self._entries

    def find(
        self, route: Route, vehicle: Vehicle, riders: tuple[Request, ...]
    ) -> _RouteView | None:
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

    def replace(self, entries: dict[int, _Entry]) -> None:
        self._entries = entries


def insert(
    problem: Problem,
    solution: Solution,
    request: Request,
    settings: InsertionSettings | None = None,
    cache: ScreeningCache | None = None,
) -> Insertion | Refusal:
    """Cheapest feasible insertion of `request` into `solution`, or the reasons there is none.

    `request.pickup` and `request.dropoff` must be locations of `problem`'s matrices (the
    caller extends the matrices with new addresses). `problem` must hold every request the
    solution serves, with their promises; it may hold `request` itself if not yet routed.
    Pass the same `cache` to every insertion into one day to skip re-screening routes
    that did not change; the answer is the same with or without it.
    """
    settings = settings or InsertionSettings()
    requests = {r.id: r for r in problem.requests}
    _check_fits(problem, request)
    reasons: Counter[str] = Counter()
    views = _candidate_views(
        problem, solution, request, requests, reasons, cache, settings.idle_per_kind
    )
    screened: list[tuple[float, int, int, int]] = []
    for index, view in enumerate(views):
        found = _screen(problem, view, request, index)
        if not found:
            reasons[
                "vehicles where every position misses a window or promise, load or ride time"
            ] += 1
        screened.extend(found)
    screened.sort()
    best: tuple[float, int, int, Timeline, list[float]] | None = None
    feasible = 0
    for _, index, i, j in screened:
        view = views[index]
        timing = schedule(with_new(view.visits, request, i, j), view.vehicle, problem)
        if timing is None:
            reasons["positions where the detour would break a promise, window or ride time"] += 1
            continue
        line, asap = timing
        old = route_cost(problem, view.vehicle, view.route) if view.route else 0.0
        delta = route_cost(problem, view.vehicle, route_of(view.vehicle, line)) - old
        if best is None or delta < best[0] - EPS:
            best = (delta, index, i, line, asap)
        feasible += 1
        if feasible >= settings.exact_candidates:
            break
    if best is None:
        summary = tuple(f"{what}: {count}" for what, count in sorted(reasons.items()))
        return Refusal(request.id, summary or ("the problem has no vehicles",))
    delta, index, i, line, asap = best
    vehicle = views[index].vehicle
    at = i + 1  # the pickup follows visit i
    promise = promise_for(request, line, asap, at, settings.promise_tolerance)
    routes = [r for r in solution.routes if r.vehicle_id != vehicle.id]
    routes.append(route_of(vehicle, line))
    order = {v.id: k for k, v in enumerate(problem.vehicles)}
    routes.sort(key=lambda r: order[r.vehicle_id])
    unserved = tuple(u for u in solution.unserved if u.request_id != request.id)
    return Insertion(
        request=dataclasses.replace(request, promised_pickup=promise),
        vehicle_id=vehicle.id,
        pickup_time=line.begin[at],
        promised_pickup=promise,
        added_cost=delta,
        solution=Solution(tuple(routes), unserved, solution.cost + delta),
    )


def with_request(problem: Problem, request: Request) -> Problem:
    """The problem with `request` added (or replacing the unrouted one of the same id).

    Only the request is checked: re-validating unchanged matrices, as building a new
    `Problem` does, costs about a second at 2 500 locations, far beyond a live answer.
    """
    _check_fits(problem, request)
    others = tuple(r for r in problem.requests if r.id != request.id)
    extended = copy.copy(problem)  # a frozen dataclass copy skips __post_init__
    object.__setattr__(extended, "requests", (*others, request))
    return extended


def _check_fits(problem: Problem, request: Request) -> None:
    """The request's load and locations must match the problem's dimensions and matrices."""
    n = problem.location_count()
    if len(request.load) != len(problem.dimensions):
        raise InputError(
            f"request {request.id}: load has {len(request.load)} values, expected one per "
            f"dimension {problem.dimensions}",
            field="load",
        )
    for name in ("pickup", "dropoff"):
        if getattr(request, name) >= n:
            raise InputError(
                f"request {request.id}: {name} location {getattr(request, name)} is not in "
                f"the {n}x{n} matrices; extend the matrices first",
                field=name,
            )


def _candidate_views(
    problem: Problem,
    solution: Solution,
    request: Request,
    requests: dict[str, Request],
    reasons: Counter[str],
    cache: ScreeningCache | None,
    idle_per_kind: int,
) -> list[_RouteView]:
    """Routes of vehicles that could carry the request, then one unused vehicle per kind."""
    vehicles = {v.id: v for v in problem.vehicles}
    views: list[_RouteView] = []
    used: set[str] = set()
    kept: dict[int, _Entry] = {}
    in_use = 0
    if cache is not None:
        cache.entries_for(problem)
    for route in solution.routes:
        vehicle = vehicles[route.vehicle_id]
        used.add(vehicle.id)
        ids = route.request_ids()
        if request.id in ids:
            raise InputError(f"request {request.id} is already in the plan", field="request_id")
        riders = tuple(requests[rid] for rid in ids)
        in_use += bool(riders)
        view = cache.find(route, vehicle, riders) if cache is not None else None
        if _compatible(vehicle, request, reasons):
            if view is None:
                view = _view(problem, vehicle, route, requests)
            views.append(view)
        if view is not None:
            kept[id(route)] = (route, vehicle, riders, view)
    if cache is not None:
        cache.replace(kept)
    if problem.max_vehicles is not None and in_use >= problem.max_vehicles:
        reasons[f"all {problem.max_vehicles} vehicles allowed are in use"] += 1
        return views
    # Idle vehicles alike but for their depots: only the few whose trip from and back to
    # the depot costs least can give the cheapest insertion, so only those are screened.
    idle: dict[tuple[object, ...], list[tuple[float, int, Vehicle]]] = {}
    t, dist, w = problem.time, problem.distance, problem.objective
    for order, vehicle in enumerate(problem.vehicles):
        if vehicle.id in used or not _compatible(vehicle, request, reasons):
            continue
        s, e = vehicle.start_depot, vehicle.end_depot
        reach = w.distance * vehicle.cost_per_distance * (
            dist[s][request.pickup] + dist[request.dropoff][e]
        ) + w.time * vehicle.cost_per_time * (t[s][request.pickup] + t[request.dropoff][e])
        idle.setdefault(_kind(vehicle)[4:], []).append((reach, order, vehicle))
    for group in idle.values():
        group.sort(key=lambda item: item[:2])
        views.extend(_view(problem, v, None, requests) for _, _, v in group[:idle_per_kind])
    return views


def _kind(v: Vehicle) -> tuple[object, ...]:
    """Everything about a vehicle but its id, depots first."""
    return (
        v.start_depot, v.end_depot, v.shift, v.capacity, v.type, v.cost_per_distance,
        v.cost_per_time, v.fixed_cost, v.max_duration, v.front_seats,
    )  # fmt: skip


def _compatible(vehicle: Vehicle, request: Request, reasons: Counter[str]) -> bool:
    if not request.allows(vehicle):
        reasons[f"vehicle type is not {'/'.join(sorted(request.allowed_types))}"] += 1
        return False
    if not request.fits(vehicle):
        reasons["load or front seat does not fit the vehicle"] += 1
        return False
    return True


def _view(
    problem: Problem, vehicle: Vehicle, route: Route | None, requests: dict[str, Request]
) -> _RouteView:
    shift = vehicle.shift
    visits = [Visit(vehicle.start_depot, shift.earliest, shift.latest, 0.0, StopKind.START, None)]
    if route is not None:
        for stop in route.stops[1:-1]:
            r = requests[stop.request_id or ""]
            visits.append(visit_of(r, stop.kind))
    visits.append(Visit(vehicle.end_depot, shift.earliest, shift.latest, 0.0, StopKind.END, None))
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
    fronts, alone = [0], [False]
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
            alone.append(any(requests[x].ride_alone for x in riding))
        else:
            load.append(load[-1])
            fronts.append(fronts[-1])
            alone.append(alone[-1])
    return _RouteView(vehicle, route, visits, earliest, latest, load, fronts, alone)


def _screen(
    problem: Problem, view: _RouteView, request: Request, index: int
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
    per_dist = problem.objective.distance * v.cost_per_distance
    per_time = problem.objective.time * v.cost_per_time
    fixed = problem.objective.fixed * v.fixed_cost if view.route is None else 0.0

    def fits(k: int) -> bool:
        if view.alone[k] or (request.ride_alone and any(view.load[k])):
            return False
        if view.fronts[k] + front > v.front_seats:
            return False
        return all(
            q + x <= c for q, x, c in zip(view.load[k], request.load, v.capacity, strict=True)
        )

    def added(a: int, x: int, b: int) -> float:
        return per_dist * (dist[a][x] + dist[x][b] - dist[a][b]) + per_time * (
            t[a][x] + t[x][b] - t[a][b]
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
            cost = per_dist * (dist[li][p] + dist[p][d] + dist[d][nxt] - dist[li][nxt])
            cost += per_time * (t[li][p] + t[p][d] + t[d][nxt] - t[li][nxt])
            found.append((cost + fixed, index, i, i))
        if request.ride_alone:
            continue
        cur = max(visits[i + 1].earliest, leave_p + t[p][nxt])
        if cur > latest[i + 1] + EPS or i + 1 == last:
            continue
        latest_leave = min(pw.latest, latest[i + 1] - sp - t[p][nxt]) + sp
        pickup_cost = added(li, p, nxt)
        for j in range(i + 1, last):
            if not fits(j):
                break
            lj, after = visits[j].location, visits[j + 1].location
            bd = max(dw.earliest, cur + visits[j].service + t[lj][d])
            if bd > dw.latest + EPS or bd - latest_leave > max_ride + EPS:
                break  # a later drop-off is only later
            if bd + sd + t[d][after] <= latest[j + 1] + EPS:
                found.append((pickup_cost + added(lj, d, after) + fixed, index, i, j))
            cur = max(visits[j + 1].earliest, cur + visits[j].service + t[lj][after])
            if cur > latest[j + 1] + EPS:
                break
    return found
