"""Whether the vehicles that alone can take a kind of trip can take all of them in a day.

A stretcher vehicle carries one stretcher at a time. When the day's stretcher trips
overlap more than the stretcher vehicles can take, no search carries them all, and a plan
that leaves one out is short of vehicles, not of time: the controller should hire a
vehicle or move a trip, not plan the day again. This module proves that where it can.

For a request that only some vehicles may carry, the group is every request those
vehicles alone may carry, and the proof applies when they take at most one of the group
at a time (two loads of the group exceed their capacity in some dimension). Those
vehicles' day is then a sequence of whole trips of the group: an exact model (CP-SAT)
with windows, ride limits, service, shifts and route durations, and none of the other
requests (they can only make it harder), bounds how many of the group can be carried.
Windows are widened to whole seconds and every drive is taken 5 s shorter than the
matrix says: a vehicle may reach the next trip by way of other stops, which is never
quicker than driving there directly when the travel times keep the triangle inequality,
and matrices of rounded times miss it by about a second a stop (the geodesic provider's
by one, OSRM's by its rounding), less than the minute or more a stop takes. So the model
allows a plan everything the real day does, and its bound holds for the real day.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from samfard.planning.engine import NOT_INSERTED
from samfard.planning.model import Problem, Request, Solution, Unserved, Vehicle

FLEET_SHORT = "fleet short"
# Seconds a planning spends at most, after its search, on proving its left-out requests
# beyond the fleet: the groups here take a few seconds (27 stretcher trips on six
# vehicles: 2 s), and a proof not found in time only leaves the reason as it was.
PROOF_LIMIT_S = 10.0
_DRIVE_MARGIN_S = 5
# Groups whose model would hold more vehicle-trip-trip arcs than this are not judged: the
# model is built before the solver's time limit applies (a region's 27 stretcher trips on
# six vehicles make about 4 400 and build in 0.06 s; 100 000 took 1.4 s, 300 000 4.2 s).
_MAX_ARCS = 100_000


@dataclass(frozen=True)
class Shortfall:
    """At most `at_most` of the group's requests can be carried by its vehicles."""

    request_ids: tuple[str, ...]
    vehicle_ids: tuple[str, ...]
    at_most: int

    def reason(self) -> str:
        """The unserved reason of the group's requests a plan leaves out while carrying
        `at_most` of them: the most any plan can."""
        return (
            f"{FLEET_SHORT}: at most {self.at_most} of the {len(self.request_ids)} trips "
            f"that only vehicles {', '.join(self.vehicle_ids)} can carry fit in their day"
        )


def applies(problem: Problem) -> bool:
    """Whether some request belongs to a group the proof can judge (a static check), so
    that `samfard solve` keeps time for a proof only when one will run."""
    carriers = _carriers(problem)
    return any(_judged(*_group(problem, carriers, key)) for key in set(carriers.values()) if key)


def shortfalls(
    problem: Problem, request_ids: Iterable[str], *, time_limit_s: float = PROOF_LIMIT_S
) -> list[Shortfall]:
    """The proven shortfalls of the groups the given requests belong to.

    A group appears only when its bound is below its size; a group the proof does not
    apply to, too big to model at once, or not settled within what is left of
    `time_limit_s` (for all groups together), does not.
    """
    deadline = time.monotonic() + time_limit_s
    carriers = _carriers(problem)
    found: list[Shortfall] = []
    seen: set[frozenset[str]] = set()
    for rid in request_ids:
        key = carriers[rid]
        if not key or key in seen:
            continue
        seen.add(key)
        group, vehicles = _group(problem, carriers, key)
        left = deadline - time.monotonic()
        if left <= 0 or not _judged(group, vehicles):
            continue
        bound = _most_carried(problem, group, vehicles, carriers, left)
        if bound < len(group):
            found.append(
                Shortfall(tuple(r.id for r in group), tuple(v.id for v in vehicles), bound)
            )
    return found


def explain_left_out(problem: Problem, solution: Solution, *, time_limit_s: float) -> Solution:
    """`solution` with the requests it left out for lack of time relabelled where the
    fleet is proven short: in a group whose bound the plan reaches, every request left
    out could only be carried instead of another, so the reason is the fleet's.
    `time_limit_s` is shared by the groups; a plan with nothing left out costs nothing."""
    late = [u.request_id for u in solution.unserved if u.reason == NOT_INSERTED]
    if not late or time_limit_s <= 0:
        return solution
    served = {rid for route in solution.routes for rid in route.request_ids()}
    reasons: dict[str, str] = {}
    for shortfall in shortfalls(problem, late, time_limit_s=time_limit_s):
        if sum(rid in served for rid in shortfall.request_ids) < shortfall.at_most:
            continue  # a better plan could carry one more: time, not the fleet, is short
        reasons |= dict.fromkeys(shortfall.request_ids, shortfall.reason())
    if not reasons:
        return solution
    unserved = tuple(
        Unserved(u.request_id, reasons[u.request_id])
        if u.reason == NOT_INSERTED and u.request_id in reasons
        else u
        for u in solution.unserved
    )
    return Solution(solution.routes, unserved, solution.cost)


def _carriers(problem: Problem) -> dict[str, frozenset[str]]:
    """Per request, the vehicles that may carry it (type and load)."""
    return {
        r.id: frozenset(v.id for v in problem.vehicles if r.allows(v) and r.fits(v))
        for r in problem.requests
    }


def _group(
    problem: Problem, carriers: dict[str, frozenset[str]], key: frozenset[str]
) -> tuple[list[Request], list[Vehicle]]:
    """The requests that only the vehicles in `key` (or some of them) may carry, and those
    vehicles."""
    group = [r for r in problem.requests if carriers[r.id] and carriers[r.id] <= key]
    return group, [v for v in problem.vehicles if v.id in key]


def _judged(group: list[Request], vehicles: list[Vehicle]) -> bool:
    """The proof applies to the group and its model is small enough to build."""
    return len(group) ** 2 * len(vehicles) <= _MAX_ARCS and _one_at_a_time(group, vehicles)


def _one_at_a_time(group: list[Request], vehicles: list[Vehicle]) -> bool:
    """True when some dimension keeps every vehicle to one request of the group at once."""
    dimensions = min(len(r.load) for r in group)
    for k in range(dimensions):
        least = min(r.load[k] for r in group)
        if least > 0 and all(2 * least > v.capacity[k] for v in vehicles):
            return True
    return False


def _most_carried(
    problem: Problem,
    group: list[Request],
    vehicles: list[Vehicle],
    carriers: dict[str, frozenset[str]],
    time_limit_s: float,
) -> int:
    """An upper bound on how many of `group` the vehicles carry, one at a time."""
    from ortools.sat.python import cp_model

    def drive(a: int, b: int) -> int:
        return max(0, math.floor(problem.time[a][b]) - _DRIVE_MARGIN_S)

    model = cp_model.CpModel()
    pick, drop = [], []
    for i, r in enumerate(group):
        window = r.effective_pickup_window
        p = model.new_int_var(math.floor(window.earliest), math.ceil(window.latest), f"p{i}")
        d = model.new_int_var(
            math.floor(r.dropoff_window.earliest), math.ceil(r.dropoff_window.latest), f"d{i}"
        )
        leave = p + math.floor(r.pickup_service)
        model.add(d >= leave + drive(r.pickup, r.dropoff))
        if r.max_ride is not None:
            model.add(d - leave <= math.ceil(r.max_ride))
        pick.append(p)
        drop.append(d)
    carried = [[model.new_bool_var(f"x{k}_{i}") for i in range(len(group))] for k in vehicles]
    for k, v in enumerate(vehicles):
        shift = (math.floor(v.shift.earliest), math.ceil(v.shift.latest))
        start = model.new_int_var(*shift, f"start{k}")
        end = model.new_int_var(*shift, f"end{k}")
        if v.max_duration is not None:
            model.add(end - start <= math.ceil(v.max_duration))
        used = model.new_bool_var(f"used{k}")
        arcs = [(0, 0, ~used)]  # node 0: the depots; node i + 1: the whole trip i
        for i, r in enumerate(group):
            on = carried[k][i]
            arcs.append((i + 1, i + 1, ~on))
            if v.id not in carriers[r.id]:
                model.add(on == 0)
            first, last = model.new_bool_var(""), model.new_bool_var("")
            arcs += [(0, i + 1, first), (i + 1, 0, last)]
            model.add(pick[i] >= start + drive(v.start_depot, r.pickup)).only_enforce_if(first)
            back = math.floor(r.dropoff_service) + drive(r.dropoff, v.end_depot)
            model.add(end >= drop[i] + back).only_enforce_if(last)
            for j, s in enumerate(group):
                gap = math.floor(r.dropoff_service) + drive(r.dropoff, s.pickup)
                if j == i or r.dropoff_window.earliest + gap > s.effective_pickup_window.latest:
                    continue
                then = model.new_bool_var("")
                arcs.append((i + 1, j + 1, then))
                model.add(pick[j] >= drop[i] + gap).only_enforce_if(then)
        model.add_circuit(arcs)
    for i in range(len(group)):
        model.add(sum(carried[k][i] for k in range(len(vehicles))) <= 1)
    model.maximize(sum(x for row in carried for x in row))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return len(group)
    return min(len(group), math.floor(solver.best_objective_bound + 1e-6))
