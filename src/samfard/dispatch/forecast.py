"""What the rest of a run will look like now that some of it has happened (pure).

A driver's reports say when the vehicle really was at a stop. From there the run is
forecast forward: each stop still ahead starts no earlier than it was planned, than the
previous stop's start plus its service plus the travel time, or than `now` (a stop not yet
reported cannot have happened before now). A delay therefore moves down the run exactly
as far as the slack between stops fails to absorb it.

The forecast is an ordinary planner `Solution`, so the independent verifier judges it.
Against what? Not against windows already in the past: a pickup that has happened keeps no
promise to check (it was kept or broken when it happened, and counted then), so
`judged_problem` drops the promise of a leg picked up and widens the windows of stops done
to the time they were done. What remains are the promises, appointments and ride times
still ahead; a violation of one of them is a promise at risk (`at_risk`).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from samfard.planning.model import Problem, Request, Route, Solution, Stop, StopKind, Window
from samfard.planning.verifier import Report, Violation, ViolationKind, route_cost

# A stop that happened, by (request id, "pickup" | "dropoff"): when service started.
Done = Mapping[tuple[str, str], float]
# A stop planned this long before now and never reported is taken as passed without a
# report (a driver who does not report), not as still ahead of the vehicle: otherwise a
# morning's unreported stops were all forecast for now, and a re-plan found them no vehicle.
STALE_S = 3600.0


def stale(planned: float, now: float) -> bool:
    """Whether a stop planned at `planned` and not reported by `now` was passed unreported."""
    return planned < now - STALE_S


OVERTIME_KINDS = frozenset({ViolationKind.SHIFT, ViolationKind.ROUTE_DURATION})
AT_RISK_KINDS = frozenset(
    {ViolationKind.PROMISE, ViolationKind.TIME_WINDOW, ViolationKind.MAX_RIDE}
)


def service_of(request: Request | None, kind: StopKind) -> float:
    if request is None:
        return 0.0
    if kind is StopKind.PICKUP:
        return request.pickup_service
    return request.dropoff_service if kind is StopKind.DROPOFF else 0.0


def forecast_route(problem: Problem, route: Route, done: Done, now: float) -> Route:
    """`route` with every stop's time as it now stands (see the module's docstring).

    A stop that happened keeps the time it happened, unless the model's travel times say
    the vehicle could not have been there yet (reality beat the matrix): then the model's
    earliest time is kept, so the forecast stays a schedule the verifier can check.
    """
    requests = {r.id: r for r in problem.requests}
    stops = list(route.stops)
    # A report from a stop says the vehicle got there: the stops before it that nobody
    # reported were passed on the way (as planned, or as soon as the drive allows), not
    # still ahead of it now; before, one late Framme sent the forecast back to the first.
    # So were stops planned long before now (STALE_S).
    passed = max(
        (i for i, s in enumerate(stops) if (s.request_id or "", s.kind.value) in done),
        default=0,
    )
    out: list[Stop] = [stops[0]]
    for index, stop in enumerate(stops[1:], start=1):
        prev = out[-1]
        reach = (
            prev.time
            + service_of(requests.get(prev.request_id or ""), prev.kind)
            + problem.time[prev.location][stop.location]
        )
        happened = done.get((stop.request_id or "", stop.kind.value))
        if happened is not None:
            t = max(happened, reach)
        elif index < passed or stale(stop.time, now):
            t = max(stop.time, reach)
        else:
            t = max(stop.time, reach, now if stop.kind is not StopKind.END else reach)
        out.append(dataclasses.replace(stop, time=t))
    return Route(route.vehicle_id, tuple(out))


def judged_problem(problem: Problem, routes: Iterable[Route], done: Done) -> Problem:
    """The problem the forecast is judged against: stops done no longer have windows to
    keep (their times are history), and only the requests on `routes` are in it."""
    times = {
        (stop.request_id, stop.kind.value): stop.time
        for route in routes
        for stop in route.stops
        if stop.request_id is not None
    }
    on_routes = {rid for rid, _ in times}
    kept: list[Request] = []
    for request in problem.requests:
        if request.id not in on_routes:
            continue
        picked = (request.id, "pickup") in done
        dropped = (request.id, "dropoff") in done
        if picked:
            t = times.get((request.id, "pickup"), request.pickup_window.earliest)
            request = dataclasses.replace(
                request, pickup_window=_hull(request.pickup_window, t), promised_pickup=None
            )
        if dropped:
            t = times.get((request.id, "dropoff"), request.dropoff_window.earliest)
            request = dataclasses.replace(
                request, dropoff_window=_hull(request.dropoff_window, t), max_ride=None
            )
        kept.append(request)
    judged = copy.copy(problem)  # a frozen dataclass copy skips the O(n^2) validation
    object.__setattr__(judged, "requests", tuple(kept))
    return judged


def solution_of_routes(problem: Problem, routes: Iterable[Route]) -> Solution:
    """A solution of `routes` with its cost recomputed (the verifier checks the cost)."""
    vehicles = {v.id: v for v in problem.vehicles}
    listed = tuple(r for r in routes if r.request_ids())
    cost = sum(route_cost(problem, vehicles[r.vehicle_id], r) for r in listed)
    return Solution(listed, (), cost)


@dataclass(frozen=True, slots=True)
class Risk:
    """A promise, appointment or ride time still ahead that the forecast breaks."""

    request_id: str
    kind: ViolationKind
    detail: str


def at_risk(report: Report, vehicle_of: Mapping[str, str]) -> Findings:
    """The verifier's findings sorted for the controller (`vehicle_of` maps request ids
    to the vehicle that carries them): risks to travellers, vehicles driving past their
    shift (caused by what happened: the vehicle cannot stop mid-run, so it is an alert,
    not a refusal) and anything else, a plan error, by vehicle."""
    found = Findings()
    for violation in report.violations:
        if violation.kind in AT_RISK_KINDS and violation.subject in vehicle_of:
            found.risks.append(Risk(violation.subject, violation.kind, violation.detail))
        elif violation.kind in OVERTIME_KINDS:
            found.overtime[violation.subject] = violation.detail
        else:
            vid = vehicle_of.get(violation.subject, violation.subject)
            found.errors.setdefault(vid, []).append(violation)
    return found


@dataclass
class Findings:
    risks: list[Risk] = field(default_factory=list)
    overtime: dict[str, str] = field(default_factory=dict)  # vehicle id -> detail
    errors: dict[str, list[Violation]] = field(default_factory=dict)  # vehicle id -> findings


def _hull(window: Window, t: float) -> Window:
    return Window(min(window.earliest, t), max(window.latest, t))
