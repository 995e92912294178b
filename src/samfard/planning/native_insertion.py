"""Live insertion through the compiled core: which vehicle and positions take a new trip.

`insertion.insert` asks this module first. The core (`_core.Live`, live.hpp) holds the
day's vehicles, requests and routes with their screening caches, and finds the cheapest
feasible insertion over every vehicle with the engine's own screening and exact
scheduling. `NativeDay` keeps the core in step with the `Problem` and `Solution` it is
handed: requests and routes are compared by identity (as `ScreeningCache` does), so only
what changed since the previous insertion crosses into C++, and a booking desk that keeps
one `NativeDay` per day pays for the whole day once. The answer is only a choice of
vehicle and positions: `insertion.insert` schedules that one route again in Python, sets
the promise and has the verifier judge the route before it answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from samfard.errors import InputError
from samfard.planning._core._engine import Live
from samfard.planning.model import Problem, Request, Route, Solution, StopKind, Vehicle
from samfard.planning.native_engine import core_fleet, request_columns


@dataclass(frozen=True, slots=True)
class Choice:
    """Where the core would insert: the vehicle, its current route (None when unused) and
    the requests on it by id, pickup after visit `i` and drop-off after visit `j` (visit 0
    is the start depot)."""

    vehicle: Vehicle
    route: Route | None
    riders: dict[str, Request]
    i: int
    j: int


class NativeDay:
    """One day's plan as the core holds it between insertions.

    Built for one problem's matrices, vehicles and objective (`matches`); requests and
    routes are then brought up to date on every call. Requests gone from the problem stay
    in the core unused: nothing refers to them once no route carries them. One day serves
    one caller at a time (like the `ScreeningCache` that keeps it): the core releases the
    GIL while it searches, so two threads must not share one.
    """

    def __init__(self, problem: Problem) -> None:
        self._built_for = (problem.time, problem.distance, problem.vehicles)
        self._settings = (problem.objective, problem.dimensions, problem.max_vehicles)
        vehicles = problem.vehicles
        self._live = Live(
            time=problem.time.array,
            distance=problem.distance.array,
            ndim=len(problem.dimensions),
            fleet=core_fleet(problem),
        )
        self._vehicles = vehicles
        self._vehicle_index = {v.id: k for k, v in enumerate(vehicles)}
        self._index: dict[str, int] = {}
        self._requests: list[Request] = []
        self._routes: dict[str, Route] = {}  # vehicle id -> the route the core holds
        self._rides: dict[str, str] = {}  # request id -> vehicle id of the route carrying it
        self._stale: set[str] = set()  # vehicles carrying a request whose window changed
        # Every request object ever synced is kept alive so that ids stay unique; a request
        # whose object is the one the core holds (`_current`, by id) needs no look.
        self._held: list[Request] = []
        self._current: set[int] = set()
        self.unschedulable: set[str] = set()  # vehicles whose route the core cannot schedule

    def matches(self, problem: Problem) -> bool:
        """Whether this day was built for `problem`'s matrices, vehicles and objective."""
        time, distance, vehicles = self._built_for
        return (
            problem.time is time
            and problem.distance is distance
            and problem.vehicles is vehicles
            and (problem.objective, problem.dimensions, problem.max_vehicles) == self._settings
        )

    def choose(self, problem: Problem, solution: Solution, request: Request) -> Choice | None:
        """The cheapest feasible place for `request` in `solution`, or None when the core
        finds none. Raises InputError when the plan already carries the request."""
        self._sync_requests((*problem.requests, request))
        self._sync_routes(solution)
        if request.id in self._rides:
            raise InputError(f"request {request.id} is already in the plan", field="request_id")
        v, i, j, _ = self._live.best(self._index[request.id])
        if v < 0:
            return None
        vehicle = self._vehicles[v]
        route = self._routes.get(vehicle.id)
        ids = route.request_ids() if route is not None else ()
        riders = {rid: self._requests[self._index[rid]] for rid in ids}
        return Choice(vehicle, route, riders, i, j)

    def _sync_requests(self, requests: Sequence[Request]) -> None:
        index, known = self._index, self._requests
        other = set(map(id, requests)) - self._current  # at C speed: usually one or none
        if not other:
            return
        changed = {r.id: r for r in requests if id(r) in other}
        self._held += changed.values()
        at: list[int] = []
        for r in changed.values():
            k = index.get(r.id)
            if k is None:
                k = index[r.id] = len(known)
                known.append(r)
            else:
                self._current.discard(id(known[k]))
                known[k] = r
                carrier = self._rides.get(r.id)
                if carrier is not None:
                    self._stale.add(carrier)  # its caches hold the old window
            self._current.add(id(r))
            at.append(k)
        self._live.set_requests(index=at, **request_columns(list(changed.values())))

    def _sync_routes(self, solution: Solution) -> None:
        current = {route.vehicle_id: route for route in solution.routes}
        for vid in [vid for vid in self._routes if vid not in current]:
            self._set_route(vid, None)
        for vid, route in current.items():
            if self._routes.get(vid) is not route or vid in self._stale:
                self._set_route(vid, route)
        self._stale.clear()

    def _set_route(self, vehicle_id: str, route: Route | None) -> None:
        v = self._vehicle_index.get(vehicle_id)
        if v is None:
            raise InputError(
                f"route for vehicle {vehicle_id} not in the problem", field="vehicle_id"
            )
        held = self._routes.pop(vehicle_id, None)
        if held is not None:
            for rid in held.request_ids():
                if self._rides.get(rid) == vehicle_id:
                    del self._rides[rid]
        nodes: list[int] = []
        if route is not None:
            for stop in route.stops[1:-1]:
                k = self._index.get(stop.request_id or "")
                if k is None:
                    raise InputError(
                        f"vehicle {vehicle_id} carries request {stop.request_id}, which is "
                        "not in the problem",
                        field="request_id",
                    )
                nodes.append(2 * k + (0 if stop.kind is StopKind.PICKUP else 1))
                if stop.kind is StopKind.PICKUP:
                    self._rides[stop.request_id or ""] = vehicle_id
            self._routes[vehicle_id] = route
        if self._live.set_route(v, nodes):
            self.unschedulable.discard(vehicle_id)
        else:
            self.unschedulable.add(vehicle_id)
