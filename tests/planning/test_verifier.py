"""The verifier catches every kind of broken plan, one hand-made break at a time.

The base plan is valid and checked by hand: one taxi from place 0 picks up r1 at place 1,
r2 at place 2, drops r1 at place 3 and r2 at place 4, and drives home. Each case breaks one
thing, in the plan or in the problem it is judged against.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from planning_fixtures import DAY, problem, request, vehicle

from samfard.planning.model import (
    Problem,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    VehicleType,
    Window,
)
from samfard.planning.verifier import ViolationKind as K
from samfard.planning.verifier import verify

START, PICK, DROP, END = StopKind.START, StopKind.PICKUP, StopKind.DROPOFF, StopKind.END
BASE_COST = 0.01 * 10_000 * 8  # 8 legs of 10 km at 0.01 per metre


def base_problem(**request_fields: Any) -> Problem:
    return problem(
        [request("r1", 1, 3, **request_fields), request("r2", 2, 4)],
        [vehicle("v1"), vehicle("v2")],
    )


def base_stops() -> list[Stop]:
    return [
        Stop(START, 0, 0.0),
        Stop(PICK, 1, 600.0, "r1"),
        Stop(PICK, 2, 1200.0, "r2"),
        Stop(DROP, 3, 1800.0, "r1"),
        Stop(DROP, 4, 2400.0, "r2"),
        Stop(END, 0, 4800.0),
    ]


def base_solution(stops: list[Stop] | None = None, cost: float = BASE_COST) -> Solution:
    return Solution((Route("v1", tuple(stops or base_stops())),), (), cost)


def test_base_plan_is_valid_and_cost_recomputed() -> None:
    report = verify(base_problem(), base_solution())
    assert report.ok, report.violations
    assert report.cost == pytest.approx(BASE_COST)


def _replace(index: int, **changes: object) -> list[Stop]:
    stops = base_stops()
    stops[index] = dataclasses.replace(stops[index], **changes)  # type: ignore[arg-type]
    return stops


def _without(*indices: int) -> list[Stop]:
    return [s for i, s in enumerate(base_stops()) if i not in indices]


def _only_r1() -> list[Stop]:
    return [
        Stop(START, 0, 0.0),
        Stop(PICK, 1, 600.0, "r1"),
        Stop(DROP, 3, 1800.0, "r1"),
        Stop(END, 0, 3600.0),
    ]


Case = Callable[[], tuple[Problem, Solution]]

CASES: dict[K, Case] = {
    K.UNKNOWN_VEHICLE: lambda: (
        base_problem(),
        Solution((Route("ghost", tuple(base_stops())),), (), 0.0),
    ),
    K.VEHICLE_REUSED: lambda: (
        base_problem(),
        Solution((Route("v1", tuple(base_stops())),) * 2, (), 2 * BASE_COST),
    ),
    K.UNKNOWN_REQUEST: lambda: (
        base_problem(),
        Solution(base_solution().routes, (Unserved("r9", "?"),), BASE_COST),
    ),
    K.NOT_ACCOUNTED: lambda: (base_problem(), base_solution(_only_r1(), cost=0.01 * 60_000)),
    K.NO_REASON: lambda: (
        base_problem(),
        Solution((Route("v1", tuple(_only_r1())),), (Unserved("r2", " "),), 0.01 * 60_000),
    ),
    K.SERVED_TWICE: lambda: (
        base_problem(),
        Solution(base_solution().routes, (Unserved("r1", "?"),), BASE_COST),
    ),
    K.ROUTE_SHAPE: lambda: (base_problem(), base_solution(base_stops()[:-1])),
    K.WRONG_LOCATION: lambda: (base_problem(), base_solution(_replace(1, location=2))),
    K.PAIRING: lambda: (base_problem(), base_solution(_without(3))),
    K.TIME_WINDOW: lambda: (base_problem(earliest=700.0, latest=900.0), base_solution()),
    K.PROMISE: lambda: (base_problem(promised_pickup=Window(0.0, 500.0)), base_solution()),
    K.TRAVEL_TIME: lambda: (base_problem(), base_solution(_replace(1, time=300.0))),
    K.CAPACITY: lambda: (
        problem([request("r1", 1, 3), request("r2", 2, 4)], [vehicle("v1", capacity=(1, 0, 0))]),
        base_solution(),
    ),
    K.MAX_RIDE: lambda: (base_problem(max_ride=900.0), base_solution()),
    K.SHIFT: lambda: (
        problem([request("r1", 1, 3), request("r2", 2, 4)], [vehicle("v1", shift=Window(0, 4000))]),
        base_solution(),
    ),
    K.ROUTE_DURATION: lambda: (
        problem([request("r1", 1, 3), request("r2", 2, 4)], [vehicle("v1", max_duration=4000.0)]),
        base_solution(),
    ),
    K.COMPATIBILITY: lambda: (
        base_problem(allowed_types=frozenset({VehicleType.WHEELCHAIR})),
        base_solution(),
    ),
    K.RIDE_ALONE: lambda: (base_problem(ride_alone=True), base_solution()),
    K.FRONT_SEAT: lambda: (
        problem(
            [request("r1", 1, 3, front_seat=True), request("r2", 2, 4, front_seat=True)],
            [vehicle("v1")],
        ),
        base_solution(),
    ),
    K.VEHICLE_COUNT: lambda: (
        dataclasses.replace(base_problem(), max_vehicles=1),
        Solution(
            (
                Route(
                    "v1",
                    (
                        Stop(START, 0, 0.0),
                        Stop(PICK, 1, 600.0, "r1"),
                        Stop(DROP, 3, 1800.0, "r1"),
                        Stop(END, 0, 3600.0),
                    ),
                ),
                Route(
                    "v2",
                    (
                        Stop(START, 0, 0.0),
                        Stop(PICK, 2, 1200.0, "r2"),
                        Stop(DROP, 4, 2400.0, "r2"),
                        Stop(END, 0, 4800.0),
                    ),
                ),
            ),
            (),
            0.01 * (60_000 + 80_000),
        ),
    ),
    K.COST: lambda: (base_problem(), base_solution(cost=BASE_COST - 1)),
}


def test_every_violation_kind_has_a_case() -> None:
    """No kind of violation goes untested."""
    assert set(CASES) == set(K)


@pytest.mark.parametrize("kind", list(CASES), ids=str)
def test_verifier_catches_violation(kind: K) -> None:
    prob, solution = CASES[kind]()
    report = verify(prob, solution)
    assert kind in report.kinds(), report.violations
    assert not report.ok


def test_waiting_before_a_window_is_allowed() -> None:
    """Arriving early and starting service at the window opening is valid."""
    stops = _replace(1, time=900.0)
    stops = [*stops[:2], *(dataclasses.replace(s, time=s.time + 300) for s in stops[2:])]
    report = verify(base_problem(earliest=900.0, latest=DAY), base_solution(stops))
    assert report.ok, report.violations


def test_service_time_counts_before_leaving() -> None:
    """A stop's service time delays the next stop: leaving without it is a travel violation."""
    report = verify(base_problem(pickup_service=120.0), base_solution())
    assert report.kinds() == {K.TRAVEL_TIME}
