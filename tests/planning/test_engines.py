"""Both engines (native, OR-Tools) honour every constraint, and each constraint really binds.

Each small case is solved twice, with and without the constraint; the plan with it must
verify and must differ from (cost more than) the plan without it, so a constraint the engine
silently ignored would fail the test. Every case runs on each engine with a count limit
(iterations, solutions), never the clock, deciding where the search stops.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from planning_fixtures import DAY, KM, LEG, a2_16, engine, native, problem, request, vehicle

from samfard.errors import InputError
from samfard.planning.engine import NOT_INSERTED, Solver
from samfard.planning.model import Problem, Solution, VehicleType, Window, matrix
from samfard.planning.ortools_engine import OrToolsEngine
from samfard.planning.solve import plan

WHEELCHAIR = VehicleType.WHEELCHAIR
STRETCHER = VehicleType.STRETCHER


@pytest.fixture(params=["native", "ortools"])
def solver(request: pytest.FixtureRequest) -> Solver:
    return native() if request.param == "native" else engine()


def solve(prob: Problem, solver: Solver) -> Solution:
    return plan(prob, time_limit_s=20.0, seed=0, solver=solver).solution


def vehicle_of(solution: Solution, rid: str) -> str:
    return next(r.vehicle_id for r in solution.routes if rid in r.request_ids())


@pytest.mark.slow
def test_a2_16_solved_to_optimum_and_verified() -> None:
    """a2-16's proven optimum is 294.25; plan() only returns verified solutions."""
    result = plan(a2_16(), time_limit_s=10.0, seed=0)
    assert not result.solution.unserved
    assert result.solution.cost == pytest.approx(294.25, abs=0.01)
    assert result.report.ok


def test_wheelchair_user_gets_a_wheelchair_vehicle_even_if_far(solver: Solver) -> None:
    taxi = vehicle("taxi", capacity=(3, 1, 0))
    wheelchair_bus = vehicle("wc", depot=8, capacity=(3, 1, 0), type=WHEELCHAIR)
    free = problem([request("r1", 1, 2, load=(0, 1, 0))], [taxi, wheelchair_bus])
    assert vehicle_of(solve(free, solver), "r1") == "taxi"
    bound = problem(
        [request("r1", 1, 2, load=(0, 1, 0), allowed_types=frozenset({WHEELCHAIR}))],
        [taxi, wheelchair_bus],
    )
    assert vehicle_of(solve(bound, solver), "r1") == "wc"


def test_stretcher_without_stretcher_vehicle_is_unserved_with_reason(solver: Solver) -> None:
    prob = problem(
        [
            request("r1", 1, 2, load=(0, 0, 1), allowed_types=frozenset({STRETCHER})),
            request("r2", 1, 2),
        ],
        [vehicle("taxi", capacity=(3, 1, 1))],
    )
    solution = solve(prob, solver)
    assert [(u.request_id, u.reason) for u in solution.unserved] == [
        ("r1", "no vehicle of type stretcher")
    ]
    assert vehicle_of(solution, "r2") == "taxi"


def _shared_trip(**first: Any) -> Problem:
    """Two travellers from place 1 to place 5 at the same time: sharing is cheapest."""
    return problem(
        [request("r1", 1, 5, **first), request("r2", 1, 5)],
        [vehicle("v1"), vehicle("v2")],
    )


def _assert_binds(free: Problem, bound: Problem, solver: Solver) -> tuple[Solution, Solution]:
    loose, tight = solve(free, solver), solve(bound, solver)
    assert not loose.unserved and not tight.unserved
    assert tight.cost > loose.cost + 1e-6
    return loose, tight


def test_ride_alone_keeps_others_off_board(solver: Solver) -> None:
    loose, tight = _assert_binds(_shared_trip(), _shared_trip(ride_alone=True), solver)
    assert len(loose.routes) == 1


def test_front_seat_is_one_per_vehicle(solver: Solver) -> None:
    free = _shared_trip(front_seat=True)
    both = problem(
        [request("r1", 1, 5, front_seat=True), request("r2", 1, 5, front_seat=True)],
        [vehicle("v1"), vehicle("v2")],
    )
    _assert_binds(free, both, solver)


def test_wheelchair_places_limit_sharing(solver: Solver) -> None:
    """Two wheelchair users and one wheelchair place per vehicle: they cannot ride together."""
    cars = [vehicle("v1", capacity=(3, 1, 0)), vehicle("v2", capacity=(3, 1, 0))]
    free = problem([request("r1", 1, 5, load=(0, 1, 0)), request("r2", 1, 5)], cars)
    bound = problem(
        [request("r1", 1, 5, load=(0, 1, 0)), request("r2", 1, 5, load=(0, 1, 0))], cars
    )
    _assert_binds(free, bound, solver)


def test_max_ride_time_forbids_long_detours(solver: Solver) -> None:
    """From the depot 0, A (1) and C (3) are near each other and both 3 legs from B (2).
    Sharing A->C->B costs the first rider a one-leg detour; a limit of 3.5 legs forbids it."""
    legs = [[0, 1, 3, 1], [1, 0, 3, 1], [3, 3, 0, 3], [1, 1, 3, 0]]

    def case(ride: float | None) -> Problem:
        return Problem(
            requests=(request("r1", 1, 2, max_ride=ride), request("r2", 3, 2, max_ride=ride)),
            vehicles=(vehicle("v1"), vehicle("v2")),
            time=matrix([[LEG * x for x in row] for row in legs]),
            distance=matrix([[KM * x for x in row] for row in legs]),
        )

    loose, tight = _assert_binds(case(None), case(3.5 * LEG), solver)
    assert loose.cost == pytest.approx(0.01 * KM * 8)


def test_shift_end_moves_the_trip_to_another_vehicle(solver: Solver) -> None:
    late = [request("r1", 1, 2, earliest=30_000.0, latest=31_000.0)]
    near_short = vehicle("near", depot=1, shift=Window(0.0, 20_000.0))
    far = vehicle("far", depot=9)
    assert vehicle_of(solve(problem(late, [vehicle("near", depot=1), far]), solver), "r1") == "near"
    assert vehicle_of(solve(problem(late, [near_short, far]), solver), "r1") == "far"


def test_unreachable_window_is_reported_with_reason(solver: Solver) -> None:
    prob = problem(
        [request("r1", 9, 8, earliest=0.0, latest=3000.0), request("r2", 1, 2)],
        [vehicle("v1", shift=Window(0.0, DAY))],
    )
    solution = solve(prob, solver)
    assert [(u.request_id, u.reason) for u in solution.unserved] == [
        ("r1", "window unreachable from depot within shift")
    ]


def test_a_window_of_one_instant_or_before_the_clock_starts_is_planned_or_explained(
    solver: Solver,
) -> None:
    """A drop-off due at exactly 1 800.0004 s (a window of one instant between two steps of
    OR-Tools' millisecond clock), a trip wholly before time 0, and a vehicle whose shift is
    over before 0: each is carried or left out with its reason, never a failed model. The
    native engine times the instant exactly; OR-Tools cannot, and says so. (OR-Tools
    failed as the model was built, "CP Solver fail", before 2026-12-05.)"""
    instant = Window(1800.0004, 1800.0004)
    prob = problem(
        [
            replace(request("due", 1, 2), dropoff_window=instant),
            request("past", 3, 4, earliest=-900.0, latest=-300.0),
            request("plain", 5, 6),
        ],
        [vehicle("v1"), vehicle("gone", shift=Window(-3600.0, -60.0))],
    )
    solution = solve(prob, solver)
    reasons = {u.request_id: u.reason for u in solution.unserved}
    assert "plain" in solution.served_ids()
    assert reasons["past"] == "window unreachable from depot within shift"
    if isinstance(solver, OrToolsEngine):
        assert reasons["due"].startswith("drop-off window") and "1/1000" in reasons["due"]
    else:
        assert "due" in solution.served_ids()
    assert all(r.vehicle_id == "v1" for r in solution.routes)


def test_numbers_at_the_edge_of_the_clock_are_planned_or_refused_with_a_reason(
    solver: Solver,
) -> None:
    """A vehicle limit K far beyond the fleet limits nothing, a shift ending at 1e300 s is
    a shift without end, and a window from -1e308 to 1e308 is always open: all plan on
    either engine (they made the native core fail on its 32-bit integers, and OR-Tools on
    its 64-bit ones). A fixed cost of 1e300 fits no
    64-bit integer once OR-Tools scales it, so OR-Tools refuses the problem with an
    InputError that names the native engine; the native engine plans it."""
    endless = vehicle("v1", shift=Window(0.0, 1e300))
    always = request("r2", 3, 4, earliest=-1e308, latest=1e308)
    prob = problem([request("r1", 1, 2), always], [endless], max_vehicles=10**30)
    assert solve(prob, solver).served_ids() == {"r1", "r2"}
    dear = problem([request("r1", 1, 2)], [vehicle("v1", fixed_cost=1e300)])
    if isinstance(solver, OrToolsEngine):
        with pytest.raises(InputError, match="native engine") as caught:
            solve(dear, solver)
        assert caught.value.field == "engine"
    else:
        assert solve(dear, solver).served_ids() == {"r1"}


def test_route_duration_limit_splits_routes(solver: Solver) -> None:
    trips = [
        request("r1", 1, 2, earliest=0.0, latest=1000.0),
        request("r2", 1, 2, earliest=20_000.0),
    ]
    free = problem(trips, [vehicle("v1", fixed_cost=1.0), vehicle("v2", fixed_cost=1.0)])
    bound = problem(
        trips,
        [vehicle(v, fixed_cost=1.0, max_duration=10_000.0) for v in ("v1", "v2")],
    )
    assert len(solve(free, solver).routes) == 1
    assert len(solve(bound, solver).routes) == 2


def test_vehicle_limit_k_is_respected(solver: Solver) -> None:
    trips = [
        request("r1", 1, 2, earliest=0.0, latest=600.0),
        request("r2", 8, 9, earliest=0.0, latest=700.0),
    ]
    cars = [vehicle("v1", depot=1), vehicle("v2", depot=8)]
    assert len(solve(problem(trips, cars), solver).routes) == 2
    limited = solve(problem(trips, cars, max_vehicles=1), solver)
    assert len(limited.routes) <= 1
    assert len(limited.unserved) == 1 and limited.unserved[0].reason == NOT_INSERTED


def test_same_seed_and_limits_give_identical_plans() -> None:
    """Reproducible: with a solution limit the clock does not decide where the search stops."""
    trips = [
        request(
            f"r{k}",
            k % 9 + 1,
            (3 * k) % 9 + 1 if k % 3 else (k + 4) % 9 + 1,
            earliest=900.0 * k,
            latest=900.0 * k + 1800.0,
            max_ride=3600.0,
        )
        for k in range(9)
    ]
    prob = problem(trips, [vehicle("v1"), vehicle("v2", depot=9), vehicle("v3", depot=5)])
    for make in (lambda: engine(30), lambda: native(300)):
        first = plan(prob, time_limit_s=60.0, seed=7, solver=make()).solution
        second = plan(prob, time_limit_s=60.0, seed=7, solver=make()).solution
        assert not first.unserved
        assert first == second
