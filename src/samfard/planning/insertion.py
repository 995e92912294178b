"""Live insertion: place one new trip into the current plan and promise a pickup window.

When a booking is accepted the traveller should hear at once when the car comes. This
module answers in milliseconds by changing as little as possible: every route keeps its
order, and the new pickup and drop-off go into one route (or an unused vehicle) at the
positions that add the least cost. Passengers already promised a window keep it, because
a promise narrows their pickup window in the model (`Request.promised_pickup`) and every
schedule here respects that window. The day-before re-optimisation may move everything
else; this step may not.

How it stays fast: the compiled core chooses the vehicle and positions
(`native_insertion`, `InsertionSettings.engine = "native"`, the default); Python then
schedules that one route again with the procedure below, sets the promise, and the
verifier judges the changed route (`verifier.verify_route`) before anything is returned.
When the core finds no place, or its choice does not pass, the Python search below runs
as well, so a refusal always carries its reasons and the core never decides alone.

The Python search: for each route the earliest and latest service times of every stop
are computed once (Savelsbergh's forward/backward time slack, in `insertion_screen`), so
each pair of positions is screened in constant time and loops stop as soon as windows,
load or ride time rule out every later position. Only the screened candidates, cheapest
first, are scheduled exactly (Cordeau and Laporte's 2003 procedure, which delays pickups
to respect ride times, in `insertion_schedule`). A candidate the exact schedule rejects
is skipped, so an answer is always a plan the verifier accepts. Of the unused vehicles
that differ only by depot, just the nearest few are screened, and a `ScreeningCache`
carries the data of unchanged routes from one insertion to the next.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from samfard.errors import InputError
from samfard.planning.insertion_schedule import (
    EPS,
    Timeline,
    promise_for,
    route_of,
    schedule,
    with_new,
)
from samfard.planning.insertion_screen import (
    CacheEntry,
    RouteView,
    ScreeningCache,
    route_view,
    screen,
)
from samfard.planning.model import (
    Problem,
    Request,
    Solution,
    Vehicle,
    Window,
)
from samfard.planning.native_insertion import NativeDay
from samfard.planning.verifier import route_cost, verify_route


@dataclass(frozen=True, slots=True)
class InsertionSettings:
    """`promise_tolerance` widens the promised pickup window around the planned time (in the
    problem's time unit; 900 s is the +-15 min färdtjänst tolerance of rules.md).
    `exact_candidates` is how many screened positions are scheduled exactly and priced
    before the cheapest is taken: 1 is fastest, more finds cheaper insertions when
    waiting time matters. `idle_per_kind` is how many unused vehicles of one kind (alike but
    for their depots) are screened: those with the cheapest drive from and back to the
    depot; with one depot per vehicle and times growing with distance, 1 loses nothing.
    `engine` is who chooses the place: "native" (the compiled core, exact over every
    position of every vehicle, in milliseconds) or "python" (the screening below, where
    `exact_candidates` and `idle_per_kind` apply)."""

    promise_tolerance: float = 900.0
    exact_candidates: int = 4
    idle_per_kind: int = 2
    engine: Literal["native", "python"] = "native"

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
        if self.engine not in ("native", "python"):
            raise InputError(
                f"engine must be 'native' or 'python', got {self.engine!r}", field="engine"
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
    problem.check_fits(request)
    if settings.engine == "native":
        placed = _native(problem, solution, request, settings, cache)
        if placed is not None:
            return placed
    requests = {r.id: r for r in problem.requests}
    reasons: Counter[str] = Counter()
    views = _candidate_views(
        problem, solution, request, requests, reasons, cache, settings.idle_per_kind
    )
    screened: list[tuple[float, int, int, int]] = []
    for index, view in enumerate(views):
        found = screen(problem, view, request, index)
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
    return _answer(problem, solution, request, views[index].vehicle, i, line, asap, delta, settings)


def _answer(
    problem: Problem,
    solution: Solution,
    request: Request,
    vehicle: Vehicle,
    i: int,
    line: Timeline,
    asap: list[float],
    delta: float,
    settings: InsertionSettings,
) -> Insertion:
    """The insertion with the pickup after visit `i` of `vehicle`'s route timed by `line`."""
    at = i + 1  # the pickup follows visit i
    promise = promise_for(request, line, asap, at, settings.promise_tolerance)
    routes = [r for r in solution.routes if r.vehicle_id != vehicle.id]
    routes.append(route_of(vehicle, line))
    order = {v.id: k for k, v in enumerate(problem.vehicles)}
    routes.sort(key=lambda r: order[r.vehicle_id])
    unserved = tuple([u for u in solution.unserved if u.request_id != request.id])
    return Insertion(
        request=dataclasses.replace(request, promised_pickup=promise),
        vehicle_id=vehicle.id,
        pickup_time=line.begin[at],
        promised_pickup=promise,
        added_cost=delta,
        solution=Solution(tuple(routes), unserved, solution.cost + delta),
    )


def _native(
    problem: Problem,
    solution: Solution,
    request: Request,
    settings: InsertionSettings,
    cache: ScreeningCache | None,
) -> Insertion | None:
    """The core's choice, scheduled in Python and judged by the verifier; None when the
    core finds no place, holds a route it cannot schedule, or its choice does not pass."""
    day = cache.native if cache is not None else None
    if day is None or not day.matches(problem):
        day = NativeDay(problem)
        if cache is not None:
            cache.native = day
    choice = day.choose(problem, solution, request)
    if choice is None or day.unschedulable:
        return None
    riders = choice.riders
    view = route_view(problem, choice.vehicle, choice.route, riders)
    timing = schedule(with_new(view.visits, request, choice.i, choice.j), choice.vehicle, problem)
    if timing is None:
        return None
    line, asap = timing
    old = route_cost(problem, choice.vehicle, choice.route, riders) if choice.route else 0.0
    judged = {**riders, request.id: request}
    delta = route_cost(problem, choice.vehicle, route_of(choice.vehicle, line), judged) - old
    answer = _answer(
        problem, solution, request, choice.vehicle, choice.i, line, asap, delta, settings
    )
    judged[request.id] = answer.request
    placed = next(r for r in answer.solution.routes if r.vehicle_id == choice.vehicle.id)
    if verify_route(problem, choice.vehicle, placed, judged):
        return None
    return answer


def with_request(problem: Problem, request: Request) -> Problem:
    """The problem with `request` added (or replacing the unrouted one of the same id).

    Only the request is checked: re-validating unchanged matrices, as building a new
    `Problem` does, costs about a second at 2 500 locations, far beyond a live answer.
    """
    problem.check_fits(request)
    others = tuple(r for r in problem.requests if r.id != request.id)
    extended = copy.copy(problem)  # a frozen dataclass copy skips __post_init__
    object.__setattr__(extended, "requests", (*others, request))
    return extended


def _candidate_views(
    problem: Problem,
    solution: Solution,
    request: Request,
    requests: dict[str, Request],
    reasons: Counter[str],
    cache: ScreeningCache | None,
    idle_per_kind: int,
) -> list[RouteView]:
    """Routes of vehicles that could carry the request, then one unused vehicle per kind."""
    vehicles = {v.id: v for v in problem.vehicles}
    views: list[RouteView] = []
    used: set[str] = set()
    kept: dict[int, CacheEntry] = {}
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
                view = route_view(problem, vehicle, route, requests)
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
    # Ties (free depot legs cost nothing) go to the nearest depot, which can reach in time.
    idle: dict[tuple[object, ...], list[tuple[float, float, int, Vehicle]]] = {}
    t, dist, w = problem.time, problem.distance, problem.objective
    for order, vehicle in enumerate(problem.vehicles):
        if vehicle.id in used or not _compatible(vehicle, request, reasons):
            continue
        s, e = vehicle.start_depot, vehicle.end_depot
        reach = w.fixed * (vehicle.cost_per_pickup + vehicle.cost_per_stretch)
        if not (vehicle.free_depot_legs or vehicle.billed_when_loaded):
            reach += w.distance * vehicle.cost_per_distance * (
                dist[s][request.pickup] + dist[request.dropoff][e]
            ) + w.distance * vehicle.cost_per_transit_time * (
                t[s][request.pickup] + t[request.dropoff][e]
            )
        reach += w.time * vehicle.cost_per_time * (t[s][request.pickup] + t[request.dropoff][e])
        near = t[s][request.pickup] + t[request.dropoff][e]
        idle.setdefault(_kind(vehicle)[4:], []).append((reach, near, order, vehicle))
    for group in idle.values():
        group.sort(key=lambda item: item[:3])
        views.extend(route_view(problem, v, None, requests) for *_, v in group[:idle_per_kind])
    return views


def _kind(v: Vehicle) -> tuple[object, ...]:
    """Everything about a vehicle but its id, depots first."""
    return (
        v.start_depot, v.end_depot, v.shift, v.capacity, v.type, v.cost_per_distance,
        v.cost_per_time, v.fixed_cost, v.max_duration, v.front_seats, v.cost_per_pickup,
        v.cost_per_transit_time, v.free_depot_legs, v.cost_per_stretch, v.billed_when_loaded,
    )  # fmt: skip


def _compatible(vehicle: Vehicle, request: Request, reasons: Counter[str]) -> bool:
    if not request.allows(vehicle):
        reasons[f"vehicle type is not {'/'.join(sorted(request.allowed_types))}"] += 1
        return False
    if not request.fits(vehicle):
        reasons["load or front seat does not fit the vehicle"] += 1
        return False
    return True
