"""The clock-free engine: plans by cheapest insertion, verified, the same every run."""

from __future__ import annotations

from planning_fixtures import a2_16, problem, request, vehicle

from samfard.errors import InputError
from samfard.planning.insertion_engine import InsertionEngine
from samfard.planning.model import Solution, VehicleType
from samfard.planning.solve import ENGINES, plan, solver_named
from samfard.planning.verifier import verify


def test_plans_a_cordeau_instance_that_the_verifier_accepts_the_same_every_time() -> None:
    instance = a2_16()
    first = plan(instance, time_limit_s=1, seed=3, solver=InsertionEngine())
    again = plan(instance, time_limit_s=1, seed=3, solver=InsertionEngine())
    assert first.report.ok and first.solution == again.solution
    assert len(first.solution.unserved) < len(instance.requests)
    other = plan(instance, time_limit_s=1, seed=4, solver=InsertionEngine())
    assert other.solution != first.solution  # the seed changes the insertion order


def test_the_time_limit_does_not_change_the_plan() -> None:
    instance = a2_16()
    short = InsertionEngine().solve(instance, time_limit_s=0.001, seed=1)
    long = InsertionEngine().solve(instance, time_limit_s=600, seed=1)
    assert short == long


def test_shares_a_car_going_the_same_way_and_says_why_a_trip_is_left_out() -> None:
    day = problem(
        [
            request("a", 1, 5),
            request("b", 2, 4),
            request("w", 1, 3, allowed_types=frozenset({VehicleType.WHEELCHAIR})),
        ],
        [vehicle("car", depot=0), vehicle("spare", depot=9)],
    )
    solution = InsertionEngine().solve(day, time_limit_s=1, seed=0)
    assert [r.request_ids() for r in solution.routes] == [("a", "b")]
    assert [(u.request_id, u.reason) for u in solution.unserved] == [
        ("w", "no vehicle of type wheelchair")
    ]
    assert verify(day, solution).ok
    assert solution.cost == verify(day, solution).cost


def test_starts_from_an_initial_plan_and_keeps_its_routes() -> None:
    day = problem([request("a", 1, 5), request("b", 6, 8)], [vehicle("car"), vehicle("van")])
    only_a = InsertionEngine().solve(
        problem([request("a", 1, 5)], [vehicle("car"), vehicle("van")]), time_limit_s=1, seed=0
    )
    grown = InsertionEngine().solve(day, time_limit_s=1, seed=0, initial=only_a)
    assert {rid for r in grown.routes for rid in r.request_ids()} == {"a", "b"}
    assert verify(day, grown).ok
    assert InsertionEngine().solve(day, time_limit_s=1, seed=0, initial=Solution(())).routes


def test_engines_by_name() -> None:
    assert isinstance(solver_named("insertion"), InsertionEngine)
    assert "insertion" in ENGINES and "ortools" in ENGINES
    try:
        solver_named("simplex")
    except InputError as error:
        assert "choose one of native, ortools, insertion" in error.message
    else:
        raise AssertionError("an unknown engine must be refused")
