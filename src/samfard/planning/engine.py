"""The solver interface and the checks every engine shares before it searches.

An engine is anything with `solve(problem, *, time_limit_s, seed, initial=None)`; Samfard's own
compiled engine is the default (`native_engine.NativeEngine`), OR-Tools the cross-check
(`ortools_engine.OrToolsEngine`). What no search can fix (no vehicle of the
needed type, a window no vehicle can reach within its shift) is found here, before the
search, so the operator gets a reason that says what to change rather than "not planned".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from samfard.planning.model import Problem, Request, Solution, Vehicle

NOT_INSERTED = "not inserted by the solver within the time limit"
NO_VEHICLE = "no vehicle available"


class Solver(Protocol):
    """A planning engine. `time_limit_s` is wall-clock; an engine that can also stop on a
    count (NativeSettings.iterations, OrToolsSettings.solution_limit) is reproducible for a
    fixed seed.
    `initial` is a plan to start from (re-optimisation); it may be incomplete."""

    def solve(
        self,
        problem: Problem,
        *,
        time_limit_s: float,
        seed: int,
        initial: Solution | None = None,
    ) -> Solution: ...


def unservable_reason(
    problem: Problem, request: Request, vehicles: Sequence[Vehicle] | None = None
) -> str | None:
    """Why no vehicle could carry `request` even alone, or None if some vehicle could;
    `vehicles`: those an engine can use (default: the problem's)."""
    fleet = problem.vehicles if vehicles is None else vehicles
    if not fleet:
        return NO_VEHICLE
    typed = [v for v in fleet if request.allows(v)]
    if not typed:
        kinds = "/".join(sorted(request.allowed_types))
        return f"no vehicle of type {kinds}"
    fitting = [v for v in typed if request.fits(v)]
    if not fitting:
        return "load larger than every vehicle of an allowed type"
    direct = problem.time[request.pickup][request.dropoff]
    if request.max_ride is not None and direct > request.max_ride:
        return f"max ride time {request.max_ride:g} shorter than the direct trip {direct:g}"
    if not any(_alone_fits(problem, v, request) for v in fitting):
        return "window unreachable from depot within shift"
    return None


def _alone_fits(problem: Problem, vehicle: Vehicle, request: Request) -> bool:
    """Can `vehicle` carry `request` and nothing else, within every window and its shift?"""
    t = problem.time
    pick_window = request.effective_pickup_window
    depart = vehicle.shift.earliest
    pick = max(depart + t[vehicle.start_depot][request.pickup], pick_window.earliest)
    if pick > pick_window.latest:
        return False
    arrive = pick + request.pickup_service + t[request.pickup][request.dropoff]
    drop = max(arrive, request.dropoff_window.earliest)
    if drop > request.dropoff_window.latest:
        return False
    if request.max_ride is not None and drop - pick - request.pickup_service > request.max_ride:
        # Waiting at the drop-off is forced; start the pickup later if its window allows.
        pick = drop - request.pickup_service - request.max_ride
        if pick > pick_window.latest:
            return False
    home = drop + request.dropoff_service + t[request.dropoff][vehicle.end_depot]
    if home > vehicle.shift.latest:
        return False
    leave = max(depart, pick - t[vehicle.start_depot][request.pickup])
    return vehicle.max_duration is None or home - leave <= vehicle.max_duration
