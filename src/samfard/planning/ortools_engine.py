"""OR-Tools routing with pickup-and-delivery pairs, kept for cross-checks (`--engine ortools`).

Settings follow what was measured on these problems (docs/planning.md):
- every pickup and drop-off is optional with a penalty larger than any plan's cost, so the
  search starts from a partial plan where the insertion heuristics find no full one;
- maximum ride time is a hard constraint on the time cumuls, plus the pair limit function
  that steers the local search;
- vehicle compatibility by removing values from each node's vehicle variable;
- guided local search, one thread.
OR-Tools works in integers: times are scaled by `time_scale` and rounded so that a schedule
feasible in integers is feasible in the problem's real numbers (travel rounded up, window
ends rounded inwards). The reported cost is recomputed from the real matrices.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from samfard.errors import InputError
from samfard.planning.engine import NO_VEHICLE, NOT_INSERTED, unservable_reason
from samfard.planning.model import (
    Problem,
    Request,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    Vehicle,
    Window,
)
from samfard.planning.verifier import route_cost

_ALONE = 1_000_000  # load a ride-alone request puts on the occupancy dimension


def _occupancy(request: Request | None) -> int:
    """What a node puts on the occupancy dimension: a ride-alone traveller fills it, any
    other passenger takes one, goods take none (they ride with anyone)."""
    if request is None or request.goods:
        return 0
    return _ALONE if request.keeps_riders_out else 1


_MAX_PENALTY = 10**15


_LAST_TICK = 2**62  # the clock's end: OR-Tools' integers are 64-bit


def _ticks(window: Window, scale: int) -> tuple[int, int]:
    """`window` on OR-Tools' integer clock (steps of 1/scale), its ends rounded inwards so
    that a time feasible in integers is feasible in the problem's real numbers, no earlier
    than 0, where the time cumuls start, and no later than the clock's end (a window that
    never closes). Empty (first > second) when the window holds no step: narrower than
    one between two steps, or wholly before 0."""
    first = min(max(window.earliest * scale, 0.0), _LAST_TICK + 1.0)
    last = min(max(window.latest * scale, -1.0), float(_LAST_TICK))
    return math.ceil(first - 1e-6), math.floor(last + 1e-6)


def _on_the_clock(window: Window, scale: int) -> bool:
    """Whether `window` holds a step of OR-Tools' integer clock (`_ticks`)."""
    first, last = _ticks(window, scale)
    return first <= last


def _horizon(vehicles: Sequence[Vehicle], scale: int) -> int:
    """The end of the time dimension: the latest step a shift that holds any reaches."""
    return max(
        (_ticks(v.shift, scale)[1] for v in vehicles if _on_the_clock(v.shift, scale)), default=0
    )


def _off_the_clock(request: Request, scale: int, horizon: int) -> str | None:
    """Why OR-Tools cannot time `request` at all, or None: a window of it holds no step of
    the integer clock up to `horizon` (the latest shift's end). Planned anyway, it would
    make the model fail as it is built."""
    for name, window in (
        ("pickup", request.effective_pickup_window),
        ("drop-off", request.dropoff_window),
    ):
        first, last = _ticks(window, scale)
        if first > min(last, horizon):
            return f"{name} window {window} holds no time on OR-Tools' clock (steps of 1/{scale})"
    return None


@dataclass(frozen=True, slots=True)
class OrToolsSettings:
    """Tuning of the OR-Tools engine; the defaults are the measured best on Cordeau.

    Each first-solution strategy gets an equal share of the time limit and the best plan
    (most requests carried, then lowest cost) wins: on tight instances one strategy can
    leave a request out where another carries it, and guided local search rarely moves far
    from where its start put it. `solution_limit` applies to each share. Problems with more
    than `split_up_to` plannable requests run only the first strategy with the whole time:
    on a 300-request day one first solution alone took about 10 s, and a search stopped
    before its first solution is complete leaves the rest unplanned.
    """

    time_scale: int = 1000
    cost_scale: int = 100_000
    first_solutions: tuple[str, ...] = (
        "LOCAL_CHEAPEST_COST_INSERTION",
        "PARALLEL_CHEAPEST_INSERTION",
    )
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"
    solution_limit: int | None = None
    split_up_to: int = 150

    def __post_init__(self) -> None:
        if self.time_scale < 1 or self.cost_scale < 1:
            raise InputError("time_scale and cost_scale must be >= 1", field="scale")
        strategies = routing_enums_pb2.FirstSolutionStrategy
        if not self.first_solutions:
            raise InputError(
                "first_solutions must name at least one strategy", field="first_solutions"
            )
        for name in self.first_solutions:
            if name not in strategies.Value.keys():  # noqa: SIM118
                raise InputError(f"unknown first solution strategy {name}", field="first_solutions")
        if self.metaheuristic not in routing_enums_pb2.LocalSearchMetaheuristic.Value.keys():  # noqa: SIM118
            raise InputError(f"unknown metaheuristic {self.metaheuristic}", field="metaheuristic")
        if self.solution_limit is not None and self.solution_limit < 1:
            raise InputError("solution_limit must be >= 1", field="solution_limit")
        if self.split_up_to < 0:
            raise InputError(
                f"split_up_to must be >= 0, got {self.split_up_to}", field="split_up_to"
            )


@dataclass(frozen=True, slots=True)
class _Node:
    location: int
    service: float
    request: Request | None
    kind: StopKind


class OrToolsEngine:
    """`Solver` on OR-Tools routing. `seed` permutes the order requests are given to OR-Tools
    (0 keeps the problem's order), which changes its tie-breaks and so the plan found."""

    def __init__(self, settings: OrToolsSettings | None = None) -> None:
        self.settings = settings or OrToolsSettings()

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int,
        initial: Solution | None = None,
    ) -> Solution:
        if not time_limit_s > 0:
            raise InputError(f"time limit must be positive, got {time_limit_s}", field="time_limit")
        scale = self.settings.time_scale
        # A shift with no step of the integer clock would make the model fail as it is
        # built; such a vehicle can carry nobody (_Model bans it from every request).
        off_clock = frozenset(
            k for k, v in enumerate(problem.vehicles) if not _on_the_clock(v.shift, scale)
        )
        usable = [v for k, v in enumerate(problem.vehicles) if k not in off_clock]
        horizon = _horizon(problem.vehicles, scale)
        reasons = {
            r.id: unservable_reason(problem, r, usable) or _off_the_clock(r, scale, horizon)
            for r in problem.requests
        }
        plannable = [r for r in problem.requests if reasons[r.id] is None]
        if seed:
            random.Random(seed).shuffle(plannable)
        unserved = [Unserved(rid, why) for rid, why in reasons.items() if why is not None]
        if not plannable or not usable or problem.max_vehicles == 0:
            unserved += [Unserved(r.id, NO_VEHICLE) for r in plannable]
            return Solution((), tuple(unserved), 0.0)
        vehicles = {v.id: v for v in problem.vehicles}
        best: tuple[int, float, list[Route], list[str]] | None = None
        strategies = self.settings.first_solutions
        if len(plannable) > self.settings.split_up_to:
            strategies = strategies[:1]
        share = time_limit_s / len(strategies)
        for k, strategy in enumerate(strategies):
            try:
                model = _Model(problem, plannable, self.settings, off_clock, horizon)
                routes, dropped = model.run(strategy, share, initial if k == 0 else None)
            except OverflowError as error:
                raise InputError(
                    "the problem's numbers do not fit OR-Tools' 64-bit integers (times are "
                    f"scaled by {self.settings.time_scale}, costs by "
                    f"{self.settings.cost_scale}): plan it with the native engine, or give "
                    "times and costs in smaller units",
                    field="engine",
                ) from error
            cost = sum(route_cost(problem, vehicles[r.vehicle_id], r) for r in routes)
            if best is None or (len(dropped), cost) < best[:2]:
                best = (len(dropped), cost, routes, dropped)
        assert best is not None
        _, cost, routes, dropped = best
        unserved += [Unserved(rid, NOT_INSERTED) for rid in dropped]
        return Solution(tuple(routes), tuple(unserved), cost)


class _Model:
    """One OR-Tools routing model built for one solve."""

    def __init__(
        self,
        problem: Problem,
        requests: list[Request],
        settings: OrToolsSettings,
        off_clock: frozenset[int],
        horizon: int,
    ):
        """`off_clock`: the vehicles whose shift holds no step of the integer clock;
        `horizon`: the end of the time dimension (`_horizon`); both as the solve found them."""
        self.problem, self.requests, self.settings = problem, requests, settings
        self.off_clock, self.horizon = off_clock, horizon
        vehicles = problem.vehicles
        nodes: list[_Node] = [_Node(v.start_depot, 0.0, None, StopKind.START) for v in vehicles]
        nodes += [_Node(v.end_depot, 0.0, None, StopKind.END) for v in vehicles]
        for r in requests:
            nodes.append(_Node(r.pickup, r.pickup_service, r, StopKind.PICKUP))
            nodes.append(_Node(r.dropoff, r.dropoff_service, r, StopKind.DROPOFF))
        self.nodes = nodes
        count = len(vehicles)
        self.manager = pywrapcp.RoutingIndexManager(
            len(nodes), count, list(range(count)), list(range(count, 2 * count))
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        self._keep: list[Callable[..., int]] = []  # callbacks must outlive the solve
        self._costs()
        self._time()
        self._loads()
        self._pairs()

    def _up(self, value: float) -> int:
        return math.ceil(value * self.settings.time_scale - 1e-6)

    def _down(self, value: float) -> int:
        return math.floor(value * self.settings.time_scale + 1e-6)

    def _costs(self) -> None:
        p, routing, scale = self.problem, self.routing, self.settings.cost_scale
        w = p.objective
        by_rate: dict[tuple[float, float, float, bool, float, bool], int] = {}
        self.max_arc = 0
        for v, vehicle in enumerate(p.vehicles):
            key = (
                vehicle.cost_per_distance,
                vehicle.cost_per_transit_time,
                vehicle.cost_per_pickup,
                vehicle.free_depot_legs,
                vehicle.cost_per_stretch,
                vehicle.billed_when_loaded,
            )
            if key not in by_rate:
                rows = self._arc_costs(vehicle)
                self.max_arc = max(self.max_arc, max(max(row) for row in rows))
                by_rate[key] = routing.RegisterTransitMatrix(rows)
            routing.SetArcCostEvaluatorOfVehicle(by_rate[key], v)
            routing.SetFixedCostOfVehicle(round(w.fixed * vehicle.fixed_cost * scale), v)
        if p.max_vehicles is not None and p.max_vehicles < len(p.vehicles):
            routing.SetMaximumNumberOfActiveVehicles(p.max_vehicles)

    def _arc_costs(self, vehicle: Vehicle) -> list[list[int]]:
        """The vehicle's arc costs between all nodes, scaled: `model.arc_cost` computed
        for every pair at once (numpy), as OR-Tools wants integers. An arc cost cannot see
        the load, so a vehicle billed per stretch or only when loaded is priced as if
        every pickup started a stretch and every arc were loaded: an upper bound (the
        plan's cost is recomputed exactly by the verifier's `route_cost`)."""
        p, w = self.problem, self.problem.objective
        where = np.array([n.location for n in self.nodes])
        dist = np.asarray(p.distance, dtype=np.float64)[np.ix_(where, where)]
        time = np.asarray(p.time, dtype=np.float64)[np.ix_(where, where)]
        service = np.array([n.service for n in self.nodes], dtype=np.float64)
        cost = w.distance * (
            vehicle.cost_per_distance * dist
            + vehicle.cost_per_transit_time * (service[:, None] + time)
        )
        if vehicle.free_depot_legs:
            cost[[n.kind is StopKind.START for n in self.nodes], :] = 0.0
            cost[:, [n.kind is StopKind.END for n in self.nodes]] = 0.0
        pickups = np.array([n.kind is StopKind.PICKUP for n in self.nodes])
        cost[:, pickups] += w.fixed * (vehicle.cost_per_pickup + vehicle.cost_per_stretch)
        scaled: list[list[int]] = np.rint(cost * self.settings.cost_scale).astype(np.int64).tolist()
        return scaled

    def _time(self) -> None:
        p, routing = self.problem, self.routing
        rows = [
            [self._up(a.service + p.time[a.location][b.location]) for b in self.nodes]
            for a in self.nodes
        ]
        transit = routing.RegisterTransitMatrix(rows)
        routing.AddDimension(transit, self.horizon, self.horizon, False, "time")
        dim = routing.GetDimensionOrDie("time")
        self.time = dim
        span_scale = self.settings.cost_scale / self.settings.time_scale
        self.span_bound = 0
        for v, vehicle in enumerate(p.vehicles):
            if v in self.off_clock:
                continue  # carries nobody (`_pairs`), so its cumuls need no window
            for index in (routing.Start(v), routing.End(v)):
                self._window(index, vehicle.shift)
            if vehicle.max_duration is not None:
                dim.SetSpanUpperBoundForVehicle(self._down(vehicle.max_duration), v)
            coef = round(p.objective.time * vehicle.cost_per_time * span_scale)
            if coef:
                dim.SetSpanCostCoefficientForVehicle(coef, v)
                self.span_bound += coef * self.horizon
            routing.AddVariableMaximizedByFinalizer(dim.CumulVar(routing.Start(v)))
            routing.AddVariableMinimizedByFinalizer(dim.CumulVar(routing.End(v)))

    def _window(self, index: int, window: Window) -> None:
        self.time.CumulVar(index).SetRange(*_ticks(window, self.settings.time_scale))

    def _loads(self) -> None:
        p, routing = self.problem, self.routing
        demands: list[tuple[str, list[int], list[int]]] = []
        for d, name in enumerate(p.dimensions):
            caps = [v.capacity[d] for v in p.vehicles]
            demands.append(
                (
                    name,
                    [self._sign(n) * (n.request.load[d] if n.request else 0) for n in self.nodes],
                    caps,
                )
            )
        if any(r.keeps_riders_out for r in self.requests):
            # Passengers only: goods (no rider) may share a ride-alone traveller's vehicle.
            occupancy = [self._sign(n) * _occupancy(n.request) for n in self.nodes]
            demands.append(("occupancy", occupancy, [_ALONE] * len(p.vehicles)))
        if any(r.front_seat for r in self.requests):
            front = [
                self._sign(n) * int(bool(n.request and n.request.front_seat)) for n in self.nodes
            ]
            demands.append(("front_seat", front, [v.front_seats for v in p.vehicles]))
        for name, vector, caps in demands:
            index = routing.RegisterUnaryTransitVector(vector)
            routing.AddDimensionWithVehicleCapacity(index, 0, caps, True, f"load:{name}")

    @staticmethod
    def _sign(node: _Node) -> int:
        return -1 if node.kind is StopKind.DROPOFF else 1

    def _pairs(self) -> None:
        p, routing, solver = self.problem, self.routing, self.routing.solver()
        node_index = self.manager.NodeToIndex
        penalty = min(
            _MAX_PENALTY,
            1
            + len(self.nodes) * self.max_arc
            + self.span_bound
            + sum(
                round(p.objective.fixed * v.fixed_cost * self.settings.cost_scale)
                for v in p.vehicles
            ),
        )
        first = 2 * len(p.vehicles)
        for k, request in enumerate(self.requests):
            pick = node_index(first + 2 * k)
            drop = node_index(first + 2 * k + 1)
            routing.AddPickupAndDelivery(pick, drop)
            routing.AddDisjunction([pick], penalty)
            routing.AddDisjunction([drop], penalty)
            solver.Add(routing.ActiveVar(pick) == routing.ActiveVar(drop))
            solver.Add(routing.VehicleVar(pick) == routing.VehicleVar(drop))
            cumul_pick, cumul_drop = self.time.CumulVar(pick), self.time.CumulVar(drop)
            solver.Add(cumul_pick <= cumul_drop)
            self._window(pick, request.effective_pickup_window)
            self._window(drop, request.dropoff_window)
            if request.max_ride is not None:
                limit = self._down(request.max_ride + request.pickup_service)
                solver.Add(cumul_drop - cumul_pick <= limit)
                self._limit(k, limit)
            banned = [
                v
                for v, vehicle in enumerate(p.vehicles)
                if v in self.off_clock or not (request.allows(vehicle) and request.fits(vehicle))
            ]
            if banned:
                routing.VehicleVar(pick).RemoveValues(banned)
                routing.VehicleVar(drop).RemoveValues(banned)

    def _limit(self, pair: int, limit: int) -> None:
        def steer(_pickup: int, _delivery: int) -> int:
            return limit

        self._keep.append(steer)
        self.time.SetPickupToDeliveryLimitFunctionForPair(steer, pair)

    def run(
        self, strategy: str, time_limit_s: float, initial: Solution | None
    ) -> tuple[list[Route], list[str]]:
        params = pywrapcp.DefaultRoutingSearchParameters()
        params.first_solution_strategy = getattr(routing_enums_pb2.FirstSolutionStrategy, strategy)
        params.local_search_metaheuristic = getattr(
            routing_enums_pb2.LocalSearchMetaheuristic, self.settings.metaheuristic
        )
        params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
        if self.settings.solution_limit is not None:
            params.solution_limit = self.settings.solution_limit
        start = self._initial(initial, params)
        if start is not None:
            found = self.routing.SolveFromAssignmentWithParameters(start, params)
        else:
            found = self.routing.SolveWithParameters(params)
        if found is None:
            return [], [r.id for r in self.requests]
        return self._extract(found)

    def _initial(self, initial: Solution | None, params: Any) -> Any:
        if initial is None:
            return None
        pickup_node = {
            r.id: 2 * len(self.problem.vehicles) + 2 * k for k, r in enumerate(self.requests)
        }
        vehicle_of = {v.id: i for i, v in enumerate(self.problem.vehicles)}
        routes: list[list[int]] = [[] for _ in self.problem.vehicles]
        for route in initial.routes:
            v = vehicle_of.get(route.vehicle_id)
            if v is None:
                continue
            for stop in route.stops:
                node = pickup_node.get(stop.request_id or "")
                if node is None or stop.kind not in (StopKind.PICKUP, StopKind.DROPOFF):
                    continue
                node += stop.kind is StopKind.DROPOFF
                routes[v].append(self.manager.NodeToIndex(node))
        self.routing.CloseModelWithParameters(params)
        return self.routing.ReadAssignmentFromRoutes(routes, True)

    def _extract(self, found: Any) -> tuple[list[Route], list[str]]:
        routing, manager, scale = self.routing, self.manager, self.settings.time_scale
        routes: list[Route] = []
        served: set[str] = set()
        for v, vehicle in enumerate(self.problem.vehicles):
            index = routing.Start(v)
            stops: list[Stop] = []
            while True:
                node = self.nodes[manager.IndexToNode(index)]
                t = found.Min(self.time.CumulVar(index)) / scale
                rid = node.request.id if node.request else None
                stops.append(Stop(node.kind, node.location, t, rid))
                if rid:
                    served.add(rid)
                if routing.IsEnd(index):
                    break
                index = found.Value(routing.NextVar(index))
            if len(stops) > 2:
                routes.append(Route(vehicle.id, tuple(stops)))
        return routes, [r.id for r in self.requests if r.id not in served]
