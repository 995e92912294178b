"""Whether the vehicles that alone can take a kind of trip can take all of them in a day.

A stretcher vehicle carries one stretcher at a time, a wheelchair vehicle two wheelchairs.
When the day's trips of a kind overlap more than their vehicles can take, no search
carries them all, and a plan that leaves one out is short of vehicles, not of time: the
controller should hire a vehicle or move a trip, not plan the day again. This module
proves that where it can.

For a request that only some vehicles may carry, the group is every request those
vehicles alone may carry. A vehicle may carry a request when the request allows its type,
it has room for the load, and it could reach the pickup from its depot, make the ride
within its limit and the windows, and be home by the shift's end, with the least drives
below: no route with other stops does better than that, so a vehicle that cannot carry a
request alone cannot carry it at all. A plain trip early in the morning, far from every
depot but one, thus has the vehicles of that depot for its group, as a stretcher trip has
the stretcher vehicles. Each request left out is judged with the vehicles that may carry
it and with every vehicle of the types it allows, whichever proves the shortfall. An exact
model (CP-SAT) of those vehicles' day with windows,
ride limits, service, shifts, route durations and the group's loads, and none of the other
requests (they can only make it harder), bounds how many of the group can be carried.
When the vehicles take at most one of the group at a time (two loads of the group exceed
their capacity in some dimension), a vehicle's day is a sequence of whole trips and the
model links trips; otherwise it links pickups and drop-offs and counts the load on board.
Windows are widened to whole seconds, and a drive between two stops of the group is the
least time a vehicle can take between them: a vehicle may get there by way of other
stops, and a matrix of rounded times need not keep the triangle inequality, so the way
through other stops (each taking at least the problem's shortest service) can be quicker
than the matrix's time. Up to `_CLOSURE_MAX_PLACES` places that least time is computed
exactly (shortest paths over the matrix); beyond, every drive is taken 5 s shorter than
the matrix says, which covers matrices that miss the triangle inequality by about a
second a stop (the geodesic provider's by one, OSRM's by its rounding). So the model
allows a plan everything the real day does, and its bound holds for the real day.
"""

from __future__ import annotations

import importlib
import math
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from samfard.planning.engine import NOT_INSERTED, Solver
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
from samfard.planning.reoptimise import promises_lost
from samfard.planning.verifier import verify

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

FLEET_SHORT = "fleet short"
# Seconds a planning spends at most, after its search, on proving its left-out requests
# beyond the fleet: the groups here take a few seconds (27 stretcher trips on six
# vehicles: 2 s; 10 wheelchair trips on three vehicles with two places: 0.5 s), and a
# proof not found in time only leaves the reason as it was.
PROOF_LIMIT_S = 10.0
_DRIVE_MARGIN_S = 5
# Problems with at most this many places get the exact least drives (Floyd-Warshall in
# numpy: 400 places took 0.05 s, 800 0.4 s, 1 200 1.7 s).
_CLOSURE_MAX_PLACES = 1000
# The model counts whole seconds; a group whose day reaches beyond this many from time 0
# (about 35 000 years) is not judged (CP-SAT counts in 64 bits, and sums of such times
# must stay within them).
_MAX_TIME = 2**40
# Groups whose model would hold more arcs (vehicles x nodes x nodes, a node a trip or a
# stop) than this are not judged: the model is built before the solver's time limit
# applies (a region's 27 stretcher trips on six vehicles make about 4 400 and build in
# 0.06 s; 100 000 took 1.4 s linking trips, 0.5 s linking stops).
_MAX_ARCS = 100_000


# Per vehicle id, the group's stops in order: (request id, True at its pickup).
Witness = tuple[tuple[str, tuple[tuple[str, bool], ...]], ...]


@dataclass(frozen=True)
class Shortfall:
    """At most `at_most` of the group's requests can be carried by its vehicles.

    `witness` is the plan of the group's vehicles that carried the most in the model: a
    start for the search when a plan carries fewer, not a plan to keep as it is (its
    times are whole seconds and its drives the least ones)."""

    request_ids: tuple[str, ...]
    vehicle_ids: tuple[str, ...]
    at_most: int
    witness: Witness = ()

    def reason(self) -> str:
        """The unserved reason of the group's requests a plan leaves out while carrying
        `at_most` of them: the most any plan can (read back by `read_reason`)."""
        return (
            f"{FLEET_SHORT}: at most {self.at_most} of the {len(self.request_ids)} trips "
            f"that only vehicles {', '.join(self.vehicle_ids)} can carry fit in their day"
        )


@dataclass(frozen=True)
class ShortReason:
    """What a stored "fleet short" reason says, for pages that word it in Swedish with
    the vehicles' names."""

    at_most: int
    trips: int
    vehicle_ids: tuple[str, ...]


_REASON = re.compile(
    rf"^{FLEET_SHORT}: at most (\d+) of the (\d+) trips that only vehicles (.+) can carry "
)


def read_reason(reason: str) -> ShortReason | None:
    """The counts and vehicles of a reason `Shortfall.reason` wrote, else None."""
    found = _REASON.match(reason)
    if found is None:
        return None
    return ShortReason(int(found[1]), int(found[2]), tuple(found[3].split(", ")))


def applies(problem: Problem, carriers: Carriers | None = None) -> bool:
    """Whether some request belongs to a group the proof can judge (a static check), so
    that `samfard solve` keeps time for a proof only when one will run. `carriers`, when
    given, are `problem`'s, kept for the proof so that its drives are computed once."""
    carriers = carriers or Carriers(problem, Drives(problem))
    return any(_judged(*carriers.group(key), carriers.drives) for key in carriers.every_key())


def shortfalls(
    problem: Problem,
    request_ids: Iterable[str],
    *,
    time_limit_s: float = PROOF_LIMIT_S,
    carriers: Carriers | None = None,
) -> list[Shortfall]:
    """The proven shortfalls of the groups the given requests belong to.

    A request is judged with the vehicles that may carry it first, then with every
    vehicle of its types (`Carriers.keys_of`), until one proves a shortfall. A group
    appears only when its bound is below its size; a group the proof does not apply to,
    too big to model at once, or not settled within what is left of `time_limit_s` (for
    all groups together, loading CP-SAT included: about a second the first time), does
    not.
    """
    deadline = time.monotonic() + time_limit_s
    carriers = carriers or Carriers(problem, Drives(problem))
    found: list[Shortfall] = []
    seen: set[frozenset[str]] = set()
    proven: set[frozenset[str]] = set()
    for rid in request_ids:
        for key in carriers.keys_of(rid):
            if key in proven:
                break
            if key in seen:
                continue
            seen.add(key)
            group, vehicles = carriers.group(key)
            if not _judged(group, vehicles, carriers.drives):
                continue
            if not _cp_sat_loaded(deadline):
                return found  # no time left to load the solver, so none to judge
            left = deadline - time.monotonic()
            if left <= 0:
                continue
            bound, witness = _most_carried(group, vehicles, carriers, left)
            if bound < len(group):
                found.append(
                    Shortfall(
                        tuple(r.id for r in group), tuple(v.id for v in vehicles), bound, witness
                    )
                )
                proven.add(key)
                break
    return found


_CP_SAT = "ortools.sat.python.cp_model"


def load_solver() -> None:
    """Load CP-SAT now (about a second of imports, more on a busy machine), so that a
    caller with a time limit can count it before its search rather than after."""
    importlib.import_module(_CP_SAT)


def _cp_sat_loaded(deadline: float) -> bool:
    """CP-SAT is loaded (imported now if it was not, the time counted against the proof's)
    and time is left before `deadline`."""
    if _CP_SAT not in sys.modules:
        load_solver()
    return time.monotonic() < deadline


class Drives:
    """Whole seconds a vehicle takes at least from one place to the next stop at another,
    directly or by way of other stops (see the module's docstring): one pair at a time
    for the model, or a whole block of pairs at once for the vehicles' reach."""

    def __init__(self, problem: Problem) -> None:
        self._time = problem.time.array
        self._least: np.ndarray | None = None
        places = len(self._time)
        if places <= _CLOSURE_MAX_PLACES:
            least = self._time.astype(np.float64)
            stop = min(
                (min(r.pickup_service, r.dropoff_service) for r in problem.requests), default=0.0
            )
            # A matrix may hold any finite number: a sum past the largest float is no
            # shorter way, and np.minimum keeps the direct drive.
            with np.errstate(over="ignore"):
                for k in range(places):
                    np.minimum(least, least[:, k : k + 1] + stop + least[k : k + 1, :], out=least)
            self._least = np.floor(least)

    def __call__(self, a: int, b: int) -> int:
        return int(self.between(a, b))

    def between(self, a: np.ndarray | int, b: np.ndarray | int) -> np.ndarray:
        """The drives from each place of `a` to the place at the same position of `b`
        (arrays of place indices that broadcast together), whole seconds as floats: a
        matrix of finite numbers may still hold more than 64-bit integers do."""
        if self._least is not None:
            return np.asarray(np.maximum(0.0, self._least[a, b]))
        whole = np.floor(self._time[a, b].astype(np.float64))
        return np.asarray(np.maximum(0.0, whole - _DRIVE_MARGIN_S))


def explain_left_out(
    problem: Problem,
    solution: Solution,
    *,
    time_limit_s: float,
    solver: Solver | None = None,
    seed: int = 0,
    carriers: Carriers | None = None,
) -> Solution:
    """`solution` with the requests it left out for lack of time relabelled where the
    fleet is proven short: in a group whose bound the plan reaches, every request left
    out could only be carried instead of another, so the reason is the fleet's.

    Where the plan carries fewer of a group than the proof's own plan of its vehicles,
    `solver` (when given) starts again from that plan, the other vehicles keeping their
    routes, and its plan is taken if it verifies, carries more requests in all and keeps
    every promised traveller: the search can miss a plan with one traveller more that the
    model finds. `time_limit_s` is shared by the groups and the new starts; a plan with
    nothing left out costs nothing. `carriers`: as for `applies`."""
    deadline = time.monotonic() + time_limit_s
    late = [u.request_id for u in solution.unserved if u.reason == NOT_INSERTED]
    if not late or time_limit_s <= 0:
        return solution
    reasons: dict[str, str] = {}
    for shortfall in shortfalls(problem, late, time_limit_s=time_limit_s, carriers=carriers):
        left = deadline - time.monotonic()
        if _carried(solution, shortfall) < shortfall.at_most and solver is not None and left > 0:
            solution = _start_from_witness(problem, solution, shortfall, solver, seed, left)
        if _carried(solution, shortfall) < shortfall.at_most:
            continue  # a better plan could carry one more: time, not the fleet, is short
        for rid in shortfall.request_ids:
            reasons.setdefault(rid, shortfall.reason())
    if not reasons:
        return solution
    unserved = tuple(
        Unserved(u.request_id, reasons[u.request_id])
        if u.reason == NOT_INSERTED and u.request_id in reasons
        else u
        for u in solution.unserved
    )
    return Solution(solution.routes, unserved, solution.cost)


def _carried(solution: Solution, shortfall: Shortfall) -> int:
    return len(solution.served_ids().intersection(shortfall.request_ids))


def _start_from_witness(
    problem: Problem,
    solution: Solution,
    shortfall: Shortfall,
    solver: Solver,
    seed: int,
    time_limit_s: float,
) -> Solution:
    """The solver's plan from the shortfall's witness on its vehicles and `solution`'s
    routes on the others, if it verifies, carries more requests and still carries every
    traveller `solution` carries with a promised pickup; else `solution`."""
    if not shortfall.witness:
        return solution
    vehicles = {v.id: v for v in problem.vehicles}
    requests = {r.id: r for r in problem.requests}
    witness_routes = tuple(
        Route(
            vid,
            (
                Stop(StopKind.START, vehicles[vid].start_depot, 0.0),
                *(
                    Stop(StopKind.PICKUP, requests[rid].pickup, 0.0, rid)
                    if pickup
                    else Stop(StopKind.DROPOFF, requests[rid].dropoff, 0.0, rid)
                    for rid, pickup in stops
                ),
                Stop(StopKind.END, vehicles[vid].end_depot, 0.0),
            ),
        )
        for vid, stops in shortfall.witness
    )
    others = tuple(r for r in solution.routes if r.vehicle_id not in shortfall.vehicle_ids)
    start = Solution(others + witness_routes, (), 0.0)
    found = solver.solve(problem, time_limit_s=time_limit_s, seed=seed, initial=start)

    if len(found.served_ids()) <= len(solution.served_ids()):
        return solution
    if promises_lost(problem, solution, found):
        return solution
    return found if verify(problem, found).ok else solution


class Carriers:
    """Per request, the vehicles that may carry it: of a type it allows, with room for its
    load, and able to carry it alone under the least drives (see the module's docstring).

    Alone means: from the depot at the shift's start to the pickup by the close of its
    window, the drop-off within its window, a ride within the limit (the pickup as late
    as its window allows where the drop-off window makes the vehicle wait), and back at
    the depot by the shift's end. Each is a condition every route carrying the request
    meets, so the model (which keeps them all, and the shift's length too) loses no plan.
    Kept as one row of booleans over the vehicles per request, so a group is found for
    thousands of requests at once; the drives they were judged with are kept too, for the
    proof's model."""

    def __init__(self, problem: Problem, drives: Drives) -> None:
        self.problem = problem
        self.drives = drives
        self.vehicles = problem.vehicles
        requests = problem.requests
        pickups = np.array([r.pickup for r in requests], dtype=np.int64)
        dropoffs = np.array([r.dropoff for r in requests], dtype=np.int64)
        windows = [r.effective_pickup_window for r in requests]
        # Whole seconds kept as floats: a window that never closes (1e300) is a number
        # like any other here. A comparison that cannot be made (a sum past the largest
        # float) is taken as "may carry", so the mask never leaves out a vehicle that can.
        pick_open = np.floor([w.earliest for w in windows])
        pick_close = np.ceil([w.latest for w in windows])
        drop_open = np.floor([r.dropoff_window.earliest for r in requests])
        drop_close = np.ceil([r.dropoff_window.latest for r in requests])
        boarding = np.floor([r.pickup_service for r in requests])
        alighting = np.floor([r.dropoff_service for r in requests])
        limit = np.ceil([math.inf if r.max_ride is None else r.max_ride for r in requests])
        ride = drives.between(pickups, dropoffs)
        with np.errstate(over="ignore", invalid="ignore"):
            rideable = ~(ride > limit) & ~(drop_open - pick_close - boarding > limit)
        # The type and the load per kind of vehicle: a fleet has few kinds, thousands of
        # vehicles.
        kinds: dict[tuple[object, ...], np.ndarray] = {}
        self.by_type = np.zeros((len(requests), len(self.vehicles)), dtype=bool)
        self.mask = np.zeros_like(self.by_type)
        for k, v in enumerate(self.vehicles):
            kind = (v.type, v.capacity, v.front_seats >= 1)
            if kind not in kinds:
                kinds[kind] = np.array([r.allows(v) and r.fits(v) for r in requests], dtype=bool)
            self.by_type[:, k] = kinds[kind]
            with np.errstate(over="ignore", invalid="ignore"):
                pick = np.maximum(
                    np.floor(v.shift.earliest) + drives.between(v.start_depot, pickups),
                    pick_open,
                )
                drop = np.maximum(pick + boarding + ride, drop_open)
                home = drop + alighting + drives.between(dropoffs, v.end_depot)
                self.mask[:, k] = (
                    kinds[kind]
                    & rideable
                    & ~(pick > pick_close)
                    & ~(drop > drop_close)
                    & ~(home > np.ceil(v.shift.latest))
                )
        self._index = {r.id: i for i, r in enumerate(requests)}
        self._ids = [v.id for v in self.vehicles]
        self._vehicle_index = {vid: k for k, vid in enumerate(self._ids)}

    def carries(self, request_id: str, vehicle_id: str) -> bool:
        """Whether the vehicle may carry the request."""
        return bool(self.mask[self._index[request_id], self._vehicle_index[vehicle_id]])

    def keys_of(self, request_id: str) -> list[frozenset[str]]:
        """The vehicle sets to judge a left-out request with: those that may carry it,
        then every vehicle of its types with room for it (the group of the latter is
        larger, and may be short where the former is not)."""
        i = self._index[request_id]
        keys = []
        for row in (self.mask[i], self.by_type[i]):
            key = frozenset(self._ids[k] for k in np.flatnonzero(row))
            if key and key not in keys:
                keys.append(key)
        return keys

    def every_key(self) -> list[frozenset[str]]:
        """Every request's keys, without repeats, the fewest vehicles first."""
        packed = np.unique(np.packbits(np.concatenate([self.mask, self.by_type]), axis=1), axis=0)
        rows = np.unpackbits(packed, axis=1, count=len(self.vehicles)).astype(bool)
        rows = rows[rows.any(axis=1)]
        rows = rows[np.argsort(rows.sum(axis=1), kind="stable")]
        return [frozenset(self._ids[k] for k in np.flatnonzero(row)) for row in rows]

    def group(self, key: frozenset[str]) -> tuple[list[Request], list[Vehicle]]:
        """The requests that only the vehicles in `key` (or some of them) may carry, and
        those vehicles."""
        inside = np.array([v.id in key for v in self.vehicles], dtype=bool)
        only = self.mask.any(axis=1) & ~(self.mask & ~inside).any(axis=1)
        requests = self.problem.requests
        return [requests[i] for i in np.flatnonzero(only)], [
            v for v, kept in zip(self.vehicles, inside, strict=True) if kept
        ]


def _judged(group: list[Request], vehicles: list[Vehicle], drives: Drives) -> bool:
    """The group's model is worth building: it has a request, it is small enough (arcs
    between whole trips when its vehicles take one at a time, between pickups and
    drop-offs otherwise), and its day fits in the integers the model counts in
    (`_Clock`)."""
    if not group or not vehicles:
        return False
    nodes = len(group) if _one_at_a_time(group, vehicles) else 2 * len(group)
    return nodes**2 * len(vehicles) <= _MAX_ARCS and _Clock.of(group, vehicles, drives) is not None


def _one_at_a_time(group: list[Request], vehicles: list[Vehicle]) -> bool:
    """True when some dimension keeps every vehicle to one request of the group at once."""
    dimensions = min((len(r.load) for r in group), default=0)
    for k in range(dimensions):
        least = min(r.load[k] for r in group)
        if least > 0 and all(2 * least > v.capacity[k] for v in vehicles):
            return True
    return False


@dataclass(frozen=True)
class _Clock:
    """The whole seconds the group's model counts in: from `low`, the earliest any of its
    vehicles may leave, to `high`, past which no plan needs a stop.

    After the latest moment anything of the group opens (a window, a shift), a plan can
    drop every wait without breaking a limit (a stop moved earlier never rides longer than
    the stops before it allow, and a route only gets shorter), so some plan that carries
    the most has every stop by that moment plus all the group's services and a longest
    drive per stop and depot. Windows, shifts, ride limits, route lengths and drives are
    cut to that span, so a window that never closes (1e300) costs the model nothing; a
    group whose span is beyond `_MAX_TIME` (a service of 1e300 s, a shift from -1e300) is
    not judged."""

    low: int
    high: int

    @classmethod
    def of(cls, group: list[Request], vehicles: list[Vehicle], drives: Drives) -> _Clock | None:
        low = min(math.floor(v.shift.earliest) for v in vehicles)
        opens = [math.floor(v.shift.earliest) for v in vehicles]
        for r in group:
            opens.append(math.floor(r.effective_pickup_window.earliest))
            opens.append(math.floor(r.dropoff_window.earliest))
        places = np.array(
            [p for r in group for p in (r.pickup, r.dropoff)]
            + [p for v in vehicles for p in (v.start_depot, v.end_depot)],
            dtype=np.int64,
        )
        longest = float(drives.between(places[:, None], places[None, :]).max())
        services = sum(math.floor(r.pickup_service) + math.floor(r.dropoff_service) for r in group)
        if not math.isfinite(longest):
            return None
        high = max(low, *opens) + services + (2 * len(group) + 1) * math.ceil(longest)
        if low < -_MAX_TIME or high > _MAX_TIME:
            return None
        return cls(low, high)

    def at(self, value: float, *, up: bool) -> int:
        """A moment (rounded up or down to whole seconds) within the span."""
        whole = math.ceil(value) if up else math.floor(value)
        return min(self.high, max(self.low, whole))

    def length(self, value: float) -> int:
        """A duration (rounded up) cut to the span's length."""
        return min(self.high - self.low, math.ceil(value))


def _most_carried(
    group: list[Request],
    vehicles: list[Vehicle],
    carriers: Carriers,
    time_limit_s: float,
) -> tuple[int, Witness]:
    """An upper bound on how many of `group` the vehicles carry, and the model's plan
    that carried the most (empty when it found none)."""
    from ortools.sat.python import cp_model

    clock = _Clock.of(group, vehicles, carriers.drives)
    if clock is None:  # not judged (`_judged`)
        return len(group), ()
    day = _GroupDay(group, vehicles, carriers, clock)
    if _one_at_a_time(group, vehicles):
        for k, v in enumerate(vehicles):
            day.route_whole_trips(k, v)
    else:
        stops = day.stops()
        for k, v in enumerate(vehicles):
            day.route_stops(k, v, stops)
    model = day.model
    model.maximize(sum(day.served))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return len(group), ()
    bound = min(len(group), math.floor(solver.best_objective_bound + 1e-6))
    return bound, day.witness(solver, vehicles)


class _GroupDay:
    """The CP-SAT model of the group's day: when each trip is picked up and dropped off,
    which vehicle carries it (at most one), and each vehicle's route as a circuit through
    its depot. A trip left out has no times to meet, so the model always has a plan (the
    empty one) and a trip no vehicle can reach only lowers the bound. Every time and
    duration is cut to the group's `_Clock`."""

    def __init__(
        self,
        group: list[Request],
        vehicles: list[Vehicle],
        carriers: Carriers,
        clock: _Clock,
    ) -> None:
        from ortools.sat.python import cp_model

        self.drives = carriers.drives
        self.clock = clock
        self.group = group
        self.model = model = cp_model.CpModel()
        self.pick: list[cp_model.IntVar] = []
        self.drop: list[cp_model.IntVar] = []
        self.served: list[cp_model.IntVar] = []
        for i, r in enumerate(group):
            window = r.effective_pickup_window
            p = model.new_int_var(*self.window(window), f"p{i}")
            d = model.new_int_var(*self.window(r.dropoff_window), f"d{i}")
            served = model.new_bool_var(f"served{i}")
            leave = p + math.floor(r.pickup_service)
            model.add(d >= leave + self.drive(r.pickup, r.dropoff)).only_enforce_if(served)
            if r.max_ride is not None:
                model.add(d - leave <= clock.length(r.max_ride)).only_enforce_if(served)
            self.pick.append(p)
            self.drop.append(d)
            self.served.append(served)
        self.carried = [
            [model.new_bool_var(f"x{k}_{i}") for i in range(len(group))] for k in vehicles
        ]
        for k, v in enumerate(vehicles):
            for i, r in enumerate(group):
                if not carriers.carries(r.id, v.id):
                    model.add(self.carried[k][i] == 0)
        for i in range(len(group)):
            model.add(sum(row[i] for row in self.carried) == self.served[i])

    def window(self, window: Window) -> tuple[int, int]:
        """A window widened to whole seconds and cut to the clock."""
        return self.clock.at(window.earliest, up=False), self.clock.at(window.latest, up=True)

    def drive(self, a: int, b: int) -> int:
        """The least drive from `a` to `b`; one longer than the clock's span is as good as
        none, and is cut to one second more than it."""
        return min(self.clock.high - self.clock.low + 1, self.drives(a, b))

    def shift(self, k: int, v: Vehicle) -> tuple[cp_model.IntVar, cp_model.IntVar]:
        """The vehicle's departure and return within its shift and its longest day."""
        window = self.window(v.shift)
        start = self.model.new_int_var(*window, f"start{k}")
        end = self.model.new_int_var(*window, f"end{k}")
        if v.max_duration is not None:
            self.model.add(end - start <= self.clock.length(v.max_duration))
        return start, end

    def route_whole_trips(self, k: int, v: Vehicle) -> None:
        """Vehicle k's day as a sequence of whole trips: node 0 the depots, node i + 1
        trip i from its pickup to its drop-off."""
        model, group = self.model, self.group
        start, end = self.shift(k, v)
        used = model.new_bool_var(f"used{k}")
        arcs = [(0, 0, ~used)]
        for i, r in enumerate(group):
            arcs.append((i + 1, i + 1, ~self.carried[k][i]))
            first, last = model.new_bool_var(""), model.new_bool_var("")
            arcs += [(0, i + 1, first), (i + 1, 0, last)]
            model.add(self.pick[i] >= start + self.drive(v.start_depot, r.pickup)).only_enforce_if(
                first
            )
            back = math.floor(r.dropoff_service) + self.drive(r.dropoff, v.end_depot)
            model.add(end >= self.drop[i] + back).only_enforce_if(last)
            for j, s in enumerate(group):
                gap = math.floor(r.dropoff_service) + self.drive(r.dropoff, s.pickup)
                if (
                    j == i
                    or self.window(r.dropoff_window)[0] + gap
                    > self.window(s.effective_pickup_window)[1]
                ):
                    continue
                then = model.new_bool_var("")
                arcs.append((i + 1, j + 1, then))
                model.add(self.pick[j] >= self.drop[i] + gap).only_enforce_if(then)
        model.add_circuit(arcs)

    def route_stops(self, k: int, v: Vehicle, stops: list[_Stop]) -> None:
        """Vehicle k's day as a sequence of stops, for vehicles that carry several of the
        group at once: node 0 the depots, 2i + 1 trip i's pickup, 2i + 2 its drop-off, and
        on board after each stop the group's load, within the vehicle's capacity (the other
        requests' loads left out, which only lets more of the group on board)."""
        model = self.model
        dimensions = [d for d in range(len(v.capacity)) if any(r.load[d] for r in self.group)]
        start, end = self.shift(k, v)
        used = model.new_bool_var(f"used{k}")
        arcs = [(0, 0, ~used)]
        for stop in stops:
            on = self.carried[k][stop.trip]
            arcs.append((stop.node, stop.node, ~on))
            aboard = [stop.aboard[d] for d in dimensions]
            for d, load in zip(dimensions, aboard, strict=True):
                model.add(load <= v.capacity[d]).only_enforce_if(on)
            if stop.pickup:
                first = model.new_bool_var("")
                arcs.append((0, stop.node, first))
                model.add(
                    stop.at >= start + self.drive(v.start_depot, stop.location)
                ).only_enforce_if(first)
                for d, load in zip(dimensions, aboard, strict=True):
                    model.add(load == stop.change[d]).only_enforce_if(first)
            else:
                last = model.new_bool_var("")
                arcs.append((stop.node, 0, last))
                back = stop.service + self.drive(stop.location, v.end_depot)
                model.add(end >= stop.at + back).only_enforce_if(last)
            for after in stops:
                gap = stop.service + self.drive(stop.location, after.location)
                if (
                    after is stop
                    or (after.trip == stop.trip and after.pickup)
                    or stop.earliest + gap > after.latest
                ):
                    continue
                then = model.new_bool_var("")
                arcs.append((stop.node, after.node, then))
                model.add(after.at >= stop.at + gap).only_enforce_if(then)
                for d in dimensions:
                    model.add(after.aboard[d] == stop.aboard[d] + after.change[d]).only_enforce_if(
                        then
                    )
        model.add_circuit(arcs)

    def witness(self, solver: cp_model.CpSolver, vehicles: list[Vehicle]) -> Witness:
        """Each vehicle's stops of the group in the order of the solver's times (a pickup
        before a drop-off at the same second)."""
        routes = []
        for k, v in enumerate(vehicles):
            visits = []
            for i, r in enumerate(self.group):
                if solver.boolean_value(self.carried[k][i]):
                    visits.append((solver.value(self.pick[i]), 0, r.id, True))
                    visits.append((solver.value(self.drop[i]), 1, r.id, False))
            if visits:
                routes.append((v.id, tuple((rid, pickup) for *_, rid, pickup in sorted(visits))))
        return tuple(routes)

    def stops(self) -> list[_Stop]:
        """The group's pickups and drop-offs, each with the group's load on board after it
        (one variable per stop and dimension, shared by the vehicles: one carries it)."""
        found: list[_Stop] = []
        for i, r in enumerate(self.group):
            window = r.effective_pickup_window
            for pickup in (True, False):
                found.append(
                    _Stop(
                        node=2 * i + (1 if pickup else 2),
                        trip=i,
                        pickup=pickup,
                        location=r.pickup if pickup else r.dropoff,
                        at=self.pick[i] if pickup else self.drop[i],
                        service=math.floor(r.pickup_service if pickup else r.dropoff_service),
                        earliest=self.window(window if pickup else r.dropoff_window)[0],
                        latest=self.window(window if pickup else r.dropoff_window)[1],
                        change=[q if pickup else -q for q in r.load],
                        aboard=[
                            self.model.new_int_var(0, sum(s.load[d] for s in self.group), "")
                            for d in range(len(r.load))
                        ],
                    )
                )
        return found


@dataclass(frozen=True)
class _Stop:
    """A pickup or drop-off of the group in the stop model."""

    node: int
    trip: int
    pickup: bool
    location: int
    at: cp_model.IntVar
    service: int
    earliest: int
    latest: int
    change: list[int]
    aboard: list[cp_model.IntVar]
