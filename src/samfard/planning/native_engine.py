"""Samfard's own dial-a-ride engine: the compiled core (`_core`) behind the `Solver` face.

The Python side does what needs the model types: it screens out requests no vehicle could
carry (`engine.unservable_reason`), flattens the rest into arrays (request i becomes nodes
2i and 2i+1), lets the C++ search run, and turns its routes back into `Route`s whose cost
is recomputed by the verifier's own `route_cost`. The time limit counts from the call, so
building the arrays is inside it. With `iterations` set, a seed gives the same plan on
every machine as long as the limit is reached before the time runs out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict

from samfard.errors import InputError
from samfard.planning._core._engine import Fleet, Model
from samfard.planning.engine import NO_VEHICLE, NOT_INSERTED, unservable_reason
from samfard.planning.model import (
    Problem,
    Request,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    VehicleType,
)
from samfard.planning.verifier import route_cost

_SEED_MASK = (1 << 64) - 1
TYPE_INDEX = {t: k for k, t in enumerate(VehicleType)}
ALL_TYPES = (1 << len(TYPE_INDEX)) - 1
# A route from the core: (vehicle, nodes, start of service per node, departure, arrival, cost)
RouteOut = tuple[int, list[int], list[float], float, float, float]


@dataclass(frozen=True, slots=True)
class NativeSettings:
    """`iterations` stops the search after that many destroy-and-repair steps (None: run
    until the time limit); the time limit always stops it too. `clock` is what the time
    limit counts: "wall" (the default: a caller waiting for an answer), "cpu" (the
    search thread's CPU time: what a dedicated core would give in that time, for
    benchmarks on a shared machine; the wall time is then longer) or "none" (the time
    limit is ignored and only `iterations` stops the search: the same plan for a seed on
    any machine under any load, as the demo needs). `threads` runs that many independent
    searches (seeds seed, seed + 1, ...) at once and keeps the best plan (most served,
    then cheapest; a tie goes to the lowest seed): more cores, better plans in the same
    wall time, and still one plan per seed with an iteration limit."""

    iterations: int | None = None
    clock: Literal["wall", "cpu", "none"] = "wall"
    threads: int = 1

    def __post_init__(self) -> None:
        if self.iterations is not None and self.iterations < 0:
            raise InputError(f"iterations must be >= 0, got {self.iterations}", field="iterations")
        if self.clock not in ("wall", "cpu", "none"):
            raise InputError(
                f"clock must be 'wall', 'cpu' or 'none', got {self.clock!r}", field="clock"
            )
        if self.threads < 1:
            raise InputError(f"threads must be at least 1, got {self.threads}", field="threads")
        if self.clock == "none" and self.iterations is None:
            raise InputError("a search without a clock needs an iteration limit", field="clock")


@dataclass(frozen=True, slots=True)
class CoreModel:
    """A problem flattened for the core: `requests[i]` owns nodes 2i (pickup) and 2i+1."""

    model: Model
    problem: Problem
    requests: tuple[Request, ...]

    def node(self, request_index: int, kind: StopKind) -> int:
        return 2 * request_index + (0 if kind is StopKind.PICKUP else 1)

    def route(self, out: RouteOut) -> Route:
        """A route of the core as model stops (depots at departure and arrival times)."""
        v, nodes, times, depart, arrive, _ = out
        vehicle = self.problem.vehicles[v]
        stops = [Stop(StopKind.START, vehicle.start_depot, depart)]
        for node, at in zip(nodes, times, strict=True):
            request = self.requests[node // 2]
            if node % 2 == 0:
                stops.append(Stop(StopKind.PICKUP, request.pickup, at, request.id))
            else:
                stops.append(Stop(StopKind.DROPOFF, request.dropoff, at, request.id))
        stops.append(Stop(StopKind.END, vehicle.end_depot, arrive))
        return Route(vehicle.id, tuple(stops))

    def nodes_of(self, route: Route) -> list[int] | None:
        """The core's node sequence of a model route, or None if it carries a request the
        model does not hold."""
        index = {r.id: i for i, r in enumerate(self.requests)}
        nodes: list[int] = []
        for stop in route.stops:
            if stop.kind in (StopKind.START, StopKind.END):
                continue
            i = index.get(stop.request_id or "")
            if i is None:
                return None
            nodes.append(self.node(i, stop.kind))
        return nodes


def build(problem: Problem, requests: Sequence[Request]) -> CoreModel:
    """Flatten `problem` with only `requests` into the core's arrays."""
    model = Model(
        time=problem.time.array,
        distance=problem.distance.array,
        ndim=len(problem.dimensions),
        fleet=core_fleet(problem),
        **request_columns(requests),
    )
    return CoreModel(model, problem, tuple(requests))


class RequestColumns(TypedDict):
    """A request's two nodes (pickup, drop-off) and its own limits, as the core takes them."""

    node_location: list[int]
    node_early: list[float]
    node_late: list[float]
    node_service: list[float]
    load: list[int]
    max_ride: list[float]
    ride_alone: list[int]
    front_seat: list[int]
    goods: list[int]
    allowed: list[int]


def request_columns(requests: Sequence[Request]) -> RequestColumns:
    """`requests` as the core's columns, two nodes (pickup, drop-off) a request: the
    keyword arguments of `Model` and of `Live.set_requests`, built in one place so that a
    search and live insertion read a request alike."""
    locations: list[int] = []
    early: list[float] = []
    late: list[float] = []
    service: list[float] = []
    load: list[int] = []
    for r in requests:
        window = r.effective_pickup_window
        locations += [r.pickup, r.dropoff]
        early += [window.earliest, r.dropoff_window.earliest]
        late += [window.latest, r.dropoff_window.latest]
        service += [r.pickup_service, r.dropoff_service]
        load += r.load
    return RequestColumns(
        node_location=locations,
        node_early=early,
        node_late=late,
        node_service=service,
        load=load,
        max_ride=[math.inf if r.max_ride is None else r.max_ride for r in requests],
        ride_alone=[int(r.keeps_riders_out) for r in requests],
        front_seat=[int(r.front_seat) for r in requests],
        goods=[int(r.goods) for r in requests],
        allowed=[allowed_mask(r) for r in requests],
    )


def core_fleet(problem: Problem) -> Fleet:
    """The vehicles and the objective's weights on them as the core's `Fleet`; the same
    for a whole search (`Model`) and for live insertion (`Live`), so both price alike."""
    vehicles = problem.vehicles
    w = problem.objective
    return Fleet(
        vehicle_type=[TYPE_INDEX[v.type] for v in vehicles],
        start=[v.start_depot for v in vehicles],
        end=[v.end_depot for v in vehicles],
        shift_early=[v.shift.earliest for v in vehicles],
        shift_late=[v.shift.latest for v in vehicles],
        max_duration=[math.inf if v.max_duration is None else v.max_duration for v in vehicles],
        cost_distance=[w.distance * v.cost_per_distance for v in vehicles],
        cost_time=[w.time * v.cost_per_time for v in vehicles],
        cost_fixed=[w.fixed * v.fixed_cost for v in vehicles],
        capacity=[c for v in vehicles for c in v.capacity],
        front_seats=[v.front_seats for v in vehicles],
        # K beyond the fleet limits nothing (and may not fit the core's integers).
        max_vehicles=len(vehicles)
        if problem.max_vehicles is None
        else min(len(vehicles), problem.max_vehicles),
        cost_pickup=[w.fixed * v.cost_per_pickup for v in vehicles],
        cost_transit=[w.distance * v.cost_per_transit_time for v in vehicles],
        free_depot_legs=[int(v.free_depot_legs) for v in vehicles],
        cost_stretch=[w.fixed * v.cost_per_stretch for v in vehicles],
        billed_when_loaded=[int(v.billed_when_loaded) for v in vehicles],
        cost_wait=[w.distance * v.cost_per_loaded_wait for v in vehicles],
    )


def allowed_mask(request: Request) -> int:
    """The vehicle types that may carry `request` as bits of `TYPE_INDEX` (all when none is
    named); the core adds the load and front-seat checks of `Request.fits`."""
    if not request.allowed_types:
        return ALL_TYPES
    return sum(1 << TYPE_INDEX[t] for t in request.allowed_types)


class NativeEngine:
    """`Solver` on the compiled ALNS engine (the default engine)."""

    def __init__(self, settings: NativeSettings | None = None) -> None:
        self.settings = settings or NativeSettings()

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int,
        initial: Solution | None = None,
    ) -> Solution:
        cpu = self.settings.clock == "cpu"
        started = time.process_time() if cpu else time.monotonic()
        if not time_limit_s > 0:
            raise InputError(f"time limit must be positive, got {time_limit_s}", field="time_limit")
        reasons = {r.id: unservable_reason(problem, r) for r in problem.requests}
        plannable = [r for r in problem.requests if reasons[r.id] is None]
        unserved = [Unserved(rid, why) for rid, why in reasons.items() if why is not None]
        if not plannable or not problem.vehicles or problem.max_vehicles == 0:
            unserved += [Unserved(r.id, NO_VEHICLE) for r in plannable]
            return Solution((), tuple(unserved), 0.0)
        core = build(problem, plannable)
        start_routes: list[tuple[int, list[int]]] = []
        if initial is not None:
            index = {v.id: i for i, v in enumerate(problem.vehicles)}
            for route in initial.routes:
                nodes = core.nodes_of(route)
                if route.vehicle_id in index and nodes:
                    start_routes.append((index[route.vehicle_id], nodes))
        spent = (time.process_time() if cpu else time.monotonic()) - started
        remaining = math.inf if self.settings.clock == "none" else max(0.001, time_limit_s - spent)
        iterations = -1 if self.settings.iterations is None else self.settings.iterations
        found, _, _ = core.model.solve(
            start_routes,
            seed & _SEED_MASK,
            iterations,
            remaining,
            cpu_clock=cpu,
            threads=self.settings.threads,
        )
        routes = tuple(core.route(out) for out in found)
        served = {rid for route in routes for rid in route.request_ids()}
        unserved += [Unserved(r.id, NOT_INSERTED) for r in plannable if r.id not in served]
        vehicles = {v.id: v for v in problem.vehicles}
        cost = sum(route_cost(problem, vehicles[r.vehicle_id], r) for r in routes)
        return Solution(routes, tuple(unserved), cost)
