"""Independent check of a plan against its problem.

The verifier shares only the model types with the engines: it recomputes every schedule
fact and the cost from the matrices, so a bug in an engine (or a hand-edited file) cannot
slip a broken plan past it. `samfard.planning.solve.plan` refuses to publish any solution
with a violation. Comparisons allow `eps` because engines compute in scaled integers.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from samfard.planning.model import (
    Problem,
    Request,
    Route,
    Solution,
    Stop,
    StopKind,
    Vehicle,
    arc_cost,
)

EPS = 1e-6


class ViolationKind(StrEnum):
    UNKNOWN_VEHICLE = "unknown_vehicle"
    VEHICLE_REUSED = "vehicle_reused"
    UNKNOWN_REQUEST = "unknown_request"
    NOT_ACCOUNTED = "not_accounted"
    NO_REASON = "no_reason"
    SERVED_TWICE = "served_twice"
    ROUTE_SHAPE = "route_shape"
    WRONG_LOCATION = "wrong_location"
    PAIRING = "pairing"
    TIME_WINDOW = "time_window"
    PROMISE = "promise"
    TRAVEL_TIME = "travel_time"
    CAPACITY = "capacity"
    MAX_RIDE = "max_ride"
    SHIFT = "shift"
    ROUTE_DURATION = "route_duration"
    COMPATIBILITY = "compatibility"
    RIDE_ALONE = "ride_alone"
    FRONT_SEAT = "front_seat"
    VEHICLE_COUNT = "vehicle_count"
    COST = "cost"


@dataclass(frozen=True, slots=True)
class Violation:
    kind: ViolationKind
    subject: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject}: {self.detail}"


@dataclass(frozen=True, slots=True)
class Report:
    """Every violation found, and the cost recomputed from the matrices."""

    violations: tuple[Violation, ...]
    cost: float

    @property
    def ok(self) -> bool:
        return not self.violations

    def kinds(self) -> set[ViolationKind]:
        return {v.kind for v in self.violations}


_Add = Callable[[ViolationKind, str, str], None]


def route_cost(
    problem: Problem, vehicle: Vehicle, route: Route, riders: dict[str, Request] | None = None
) -> float:
    """Objective cost of one route: arcs (distance, transit time, pickup fees), waits at
    pickups with someone on board, duration and fixed cost, weighted. `riders` (the
    route's requests by id) saves looking them up in the problem, which live insertion
    cannot afford on a day of thousands."""
    if not any(s.kind is StopKind.PICKUP for s in route.stops):
        return 0.0
    stops = route.stops
    waits = vehicle.cost_per_loaded_wait != 0.0
    # Service times matter only to transit-time and waiting costs; skip the lookup otherwise.
    ids = {s.request_id for s in stops} if vehicle.cost_per_transit_time or waits else set()
    if riders is not None:
        requests = {rid: riders[rid] for rid in ids if rid is not None}
    else:
        requests = {r.id: r for r in problem.requests if r.id in ids}

    arcs = loaded_wait = 0.0
    on_board = 0  # passengers aboard when leaving stop a
    for a, b in itertools.pairwise(stops):
        if a.kind is StopKind.PICKUP:
            on_board += 1
        elif a.kind is StopKind.DROPOFF:
            on_board -= 1
        if waits and on_board > 0 and b.kind is StopKind.PICKUP:
            arrival = a.time + stop_service(a, requests) + problem.time[a.location][b.location]
            loaded_wait += max(0.0, b.time - arrival)
        arcs += arc_cost(
            problem,
            vehicle,
            a.location,
            b.location,
            service=stop_service(a, requests),
            from_depot=a.kind is StopKind.START,
            to_depot=b.kind is StopKind.END,
            to_pickup=b.kind is StopKind.PICKUP,
            loaded=on_board > 0,
        )
    duration = stops[-1].time - stops[0].time
    w = problem.objective
    return (
        arcs
        + w.distance * vehicle.cost_per_loaded_wait * loaded_wait
        + w.time * vehicle.cost_per_time * duration
        + w.fixed * vehicle.fixed_cost
    )


def verify(problem: Problem, solution: Solution, *, eps: float = EPS) -> Report:
    """Check every constraint of `problem` on `solution`; never raises on a bad plan."""
    found: list[Violation] = []

    def add(kind: ViolationKind, subject: str, detail: str) -> None:
        found.append(Violation(kind, subject, detail))

    vehicles = {v.id: v for v in problem.vehicles}
    requests = {r.id: r for r in problem.requests}
    seen_vehicles: set[str] = set()
    served: dict[str, int] = {}
    cost = 0.0
    used = 0
    for route in solution.routes:
        vehicle = vehicles.get(route.vehicle_id)
        if vehicle is None:
            add(
                ViolationKind.UNKNOWN_VEHICLE,
                route.vehicle_id,
                "route for a vehicle not in the problem",
            )
            continue
        if route.vehicle_id in seen_vehicles:
            add(ViolationKind.VEHICLE_REUSED, route.vehicle_id, "vehicle has more than one route")
        seen_vehicles.add(route.vehicle_id)
        for rid in route.request_ids():
            served[rid] = served.get(rid, 0) + 1
        if _check_route(problem, vehicle, route, requests, add, eps):
            cost += route_cost(problem, vehicle, route)
        if route.request_ids():
            used += 1

    unserved_ids = [u.request_id for u in solution.unserved]
    unserved_count = Counter(unserved_ids)
    for missing in solution.unserved:
        if not missing.reason.strip():
            add(ViolationKind.NO_REASON, missing.request_id, "unserved without a reason")
    for rid in unserved_ids:
        if rid not in requests:
            add(ViolationKind.UNKNOWN_REQUEST, rid, "reported unserved but not in the problem")
        elif rid in served or unserved_count[rid] > 1:
            add(ViolationKind.SERVED_TWICE, rid, "reported unserved and also served or twice")
    for rid, count in served.items():
        if rid not in requests:
            add(ViolationKind.UNKNOWN_REQUEST, rid, "served but not in the problem")
        elif count > 1:
            add(ViolationKind.SERVED_TWICE, rid, f"picked up on {count} routes")
    for rid in requests:
        if rid not in served and rid not in unserved_count:
            add(ViolationKind.NOT_ACCOUNTED, rid, "neither served nor reported unserved")
    limit = problem.max_vehicles
    if limit is not None and used > limit:
        add(ViolationKind.VEHICLE_COUNT, "plan", f"{used} vehicles used, at most {limit} allowed")
    if abs(solution.cost - cost) > eps * max(1.0, abs(cost)):
        add(ViolationKind.COST, "plan", f"reported cost {solution.cost}, recomputed {cost}")
    return Report(tuple(found), cost)


def verify_route(
    problem: Problem,
    vehicle: Vehicle,
    route: Route,
    requests: dict[str, Request],
    *,
    eps: float = EPS,
) -> tuple[Violation, ...]:
    """Every violation within one route: shape, depots, travel times, shift, duration,
    windows, promises, loads, front seats, ride alone, ride times and pairing.

    What needs the whole plan (each request once, K, the total cost) is `verify`'s. Live
    insertion changes one route, so judging that route is judging the change.
    """
    found: list[Violation] = []

    def add(kind: ViolationKind, subject: str, detail: str) -> None:
        found.append(Violation(kind, subject, detail))

    _check_route(problem, vehicle, route, requests, add, eps)
    return tuple(found)


def _check_route(
    problem: Problem,
    vehicle: Vehicle,
    route: Route,
    requests: dict[str, Request],
    add: _Add,
    eps: float,
) -> bool:
    """Check one route; returns False when its shape is too broken to price."""
    vid = vehicle.id
    stops = route.stops
    if (
        len(stops) < 2
        or stops[0].kind is not StopKind.START
        or stops[-1].kind is not StopKind.END
        or any(s.kind in (StopKind.START, StopKind.END) for s in stops[1:-1])
    ):
        add(ViolationKind.ROUTE_SHAPE, vid, "route must run from one start stop to one end stop")
        return False
    places = problem.location_count()
    outside = [s.location for s in stops if not 0 <= s.location < places]
    if outside:  # no travel time to read there (and a negative index would wrap around)
        add(
            ViolationKind.WRONG_LOCATION,
            vid,
            f"stop at location {outside[0]}, not one of the problem's 0 to {places - 1}",
        )
        return False
    if stops[0].location != vehicle.start_depot or stops[-1].location != vehicle.end_depot:
        add(ViolationKind.WRONG_LOCATION, vid, "route does not start and end at its depots")
    _check_schedule(problem, vehicle, route, requests, add, eps)
    return True


def _check_schedule(
    problem: Problem,
    vehicle: Vehicle,
    route: Route,
    requests: dict[str, Request],
    add: _Add,
    eps: float,
) -> None:
    vid = vehicle.id
    stops = route.stops
    for a, b in itertools.pairwise(stops):
        service = stop_service(a, requests)
        earliest = a.time + service + problem.time[a.location][b.location]
        if b.time < earliest - eps:
            add(
                ViolationKind.TRAVEL_TIME,
                vid,
                f"stop at {b.location} at {b.time:g} but cannot be reached before {earliest:g}",
            )
    start, end = stops[0].time, stops[-1].time
    if not (vehicle.shift.contains(start, eps) and vehicle.shift.contains(end, eps)):
        add(ViolationKind.SHIFT, vid, f"route {start:g}-{end:g} outside shift {vehicle.shift}")
    if vehicle.max_duration is not None and end - start > vehicle.max_duration + eps:
        add(
            ViolationKind.ROUTE_DURATION,
            vid,
            f"duration {end - start:g} exceeds {vehicle.max_duration:g}",
        )

    on_board: dict[str, float] = {}  # request id -> pickup service start
    load = [0] * len(problem.dimensions)
    for stop in stops[1:-1]:
        rid = stop.request_id or ""
        request = requests.get(rid)
        if request is None:
            add(ViolationKind.UNKNOWN_REQUEST, rid, f"stop on vehicle {vid} for an unknown request")
            continue
        expected = request.pickup if stop.kind is StopKind.PICKUP else request.dropoff
        if stop.location != expected:
            add(
                ViolationKind.WRONG_LOCATION, rid, f"{stop.kind} at {stop.location}, not {expected}"
            )
        if stop.kind is StopKind.PICKUP:
            _check_pickup(vehicle, request, stop.time, on_board, requests, add, eps)
            on_board[rid] = stop.time
            load = [q + d for q, d in zip(load, request.load, strict=True)]
            if any(q > c for q, c in zip(load, vehicle.capacity, strict=True)):
                add(ViolationKind.CAPACITY, vid, f"load {load} exceeds {vehicle.capacity} at {rid}")
            fronts = sum(1 for o in on_board if requests[o].front_seat)
            if fronts > vehicle.front_seats:
                add(ViolationKind.FRONT_SEAT, rid, f"{fronts} front-seat riders on {vid}")
        else:
            if rid not in on_board:
                add(ViolationKind.PAIRING, rid, f"dropped off on {vid} without a pickup before")
                continue
            picked = on_board.pop(rid)
            load = [q - d for q, d in zip(load, request.load, strict=True)]
            if not request.dropoff_window.contains(stop.time, eps):
                add(
                    ViolationKind.TIME_WINDOW,
                    rid,
                    f"drop-off at {stop.time:g} outside {request.dropoff_window}",
                )
            ride = stop.time - (picked + request.pickup_service)
            if request.max_ride is not None and ride > request.max_ride + eps:
                add(ViolationKind.MAX_RIDE, rid, f"rides {ride:g}, limit {request.max_ride:g}")
    for rid in on_board:
        add(ViolationKind.PAIRING, rid, f"picked up on {vid} but never dropped off")


def _check_pickup(
    vehicle: Vehicle,
    request: Request,
    t: float,
    on_board: dict[str, float],
    requests: dict[str, Request],
    add: _Add,
    eps: float,
) -> None:
    rid = request.id
    if not request.pickup_window.contains(t, eps):
        add(ViolationKind.TIME_WINDOW, rid, f"pickup at {t:g} outside {request.pickup_window}")
    if request.promised_pickup is not None and not request.promised_pickup.contains(t, eps):
        add(ViolationKind.PROMISE, rid, f"pickup at {t:g} breaks promise {request.promised_pickup}")
    if not request.allows(vehicle):
        add(ViolationKind.COMPATIBILITY, rid, f"vehicle {vehicle.id} is a {vehicle.type}")
    # Ride alone (ensamåkning) is about people: goods on board never break it.
    riders = [] if request.goods else [o for o in on_board if not requests[o].goods]
    alone = [o for o in riders if requests[o].keeps_riders_out]
    if riders and (request.keeps_riders_out or alone):
        who = rid if request.keeps_riders_out else alone[0]
        add(ViolationKind.RIDE_ALONE, who, f"shares vehicle {vehicle.id} with another rider")


def stop_service(stop: Stop, requests: Mapping[str, Request]) -> float:
    """The time the vehicle stands at `stop` to board or set down its rider (0 at a depot
    or for a request not in `requests`)."""
    request = requests.get(stop.request_id or "")
    if request is None:
        return 0.0
    if stop.kind is StopKind.PICKUP:
        return request.pickup_service
    return request.dropoff_service if stop.kind is StopKind.DROPOFF else 0.0
