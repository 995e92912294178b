"""The planning JSON round-trips exactly and bad files name the request and field."""

from __future__ import annotations

import json

import pytest
from planning_fixtures import a2_16, problem, request, vehicle

from samfard.errors import InputError
from samfard.planning import cordeau, jsonio
from samfard.planning.model import (
    Objective,
    Problem,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    VehicleType,
    Window,
)
from samfard.planning.verifier import verify


def rich_problem() -> Problem:
    return problem(
        [
            request(
                "r1",
                1,
                3,
                pickup_service=120.0,
                dropoff_service=60.0,
                load=(2, 1, 0),
                max_ride=3600.0,
                allowed_types=frozenset({VehicleType.WHEELCHAIR}),
                ride_alone=True,
                front_seat=True,
                promised_pickup=Window(0.0, 4000.0),
            ),
            request("r2", 2, 4),
        ],
        [
            vehicle("w1", capacity=(4, 1, 0), type=VehicleType.WHEELCHAIR, fixed_cost=500.0),
            vehicle("t1", depot=5, max_duration=7200.0, front_seats=0, cost_per_time=0.2),
        ],
        objective=Objective(distance=1.0, time=0.5, fixed=2.0),
        max_vehicles=2,
    )


def test_problem_round_trip_is_exact() -> None:
    original = rich_problem()
    text = json.dumps(jsonio.problem_to_json(original))
    assert jsonio.problem_from_json(json.loads(text)) == original


def test_solution_round_trip_is_exact() -> None:
    original = Solution(
        (
            Route(
                "t1",
                (
                    Stop(StopKind.START, 5, 0.0),
                    Stop(StopKind.PICKUP, 2, 1800.5, "r2"),
                    Stop(StopKind.DROPOFF, 4, 3000.0, "r2"),
                    Stop(StopKind.END, 5, 3600.0),
                ),
            ),
        ),
        (Unserved("r1", "no vehicle of type stretcher"),),
        123.25,
    )
    text = json.dumps(jsonio.solution_to_json(original))
    assert jsonio.solution_from_json(json.loads(text)) == original


def test_cordeau_solution_round_trip_verifies() -> None:
    """The benchmark JSON keeps node ids and times; read back it still verifies."""
    prob = a2_16()
    n = len(prob.requests)
    stops = [Stop(StopKind.START, 0, 0.0)]
    t = 0.0
    for node in (1, n + 1):
        t = max(t + prob.time[stops[-1].location][node], prob.requests[0].pickup_window.earliest)
        kind = StopKind.PICKUP if node == 1 else StopKind.DROPOFF
        stops.append(Stop(kind, node, t, "1"))
    solution = Solution((Route("0", tuple(stops)),), (), 0.0)
    data = json.loads(json.dumps(cordeau.solution_to_json(solution)))
    back = cordeau.solution_from_json(prob, data)
    assert back.routes[0].stops == solution.routes[0].stops


def test_cordeau_reader_counts_node_lines_not_header() -> None:
    text = "2 99 480 3 30\n" + "\n".join(
        f"{i} {i}.0 0.0 1 {q} 0 1440" for i, q in enumerate([0, 1, 1, -1, -1, 0])
    )
    prob = cordeau.parse(text)
    assert [r.id for r in prob.requests] == ["1", "2"]
    assert prob.requests[1].dropoff == 4
    assert prob.vehicles[0].end_depot == 5


def _bad(data: dict, **changes: object) -> dict:  # type: ignore[type-arg]
    first = dict(data["requests"][0]) | changes
    return data | {"requests": [first, *data["requests"][1:]]}


def test_bad_window_names_request_and_field() -> None:
    data = _bad(jsonio.problem_to_json(rich_problem()), pickup_window=[900, 800])
    with pytest.raises(InputError, match="request r1: pickup_window") as caught:
        jsonio.problem_from_json(data)
    assert caught.value.field == "pickup_window"


def test_unknown_vehicle_type_names_request_and_field() -> None:
    data = _bad(jsonio.problem_to_json(rich_problem()), allowed_types=["hovercraft"])
    with pytest.raises(InputError, match="request r1: bad value for allowed_types"):
        jsonio.problem_from_json(data)


def test_missing_field_is_named() -> None:
    data = jsonio.problem_to_json(rich_problem())
    del data["requests"][1]["dropoff"]
    with pytest.raises(InputError, match="request r2: missing field dropoff"):
        jsonio.problem_from_json(data)


def test_verifier_accepts_a_round_tripped_valid_plan() -> None:
    prob = problem([request("r1", 1, 2)], [vehicle("v1")])
    plan = Solution(
        (
            Route(
                "v1",
                (
                    Stop(StopKind.START, 0, 0.0),
                    Stop(StopKind.PICKUP, 1, 600.0, "r1"),
                    Stop(StopKind.DROPOFF, 2, 1200.0, "r1"),
                    Stop(StopKind.END, 0, 2400.0),
                ),
            ),
        ),
        (),
        400.0,
    )
    back = jsonio.solution_from_json(json.loads(json.dumps(jsonio.solution_to_json(plan))))
    assert verify(prob, back).ok
