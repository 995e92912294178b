"""The proof that the vehicles that alone may carry a kind of trip cannot take them all:
whole trips one after another where they take one at a time, stop by stop where they take
several."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from planning_fixtures import DAY, PLACES, native, problem, request, road, vehicle

from samfard.cli import main
from samfard.dispatch.day_view import reason_sv
from samfard.planning import jsonio
from samfard.planning.engine import NOT_INSERTED
from samfard.planning.fleet_bound import (
    FLEET_SHORT,
    Carriers,
    Drives,
    applies,
    explain_left_out,
    shortfalls,
)
from samfard.planning.model import Problem, Solution, Unserved, VehicleType, Window, matrix
from samfard.planning.solve import plan
from samfard.planning.verifier import verify

STRETCHER = (1, 0, 1)  # one seat, no wheelchair place, one stretcher
HOUR = 3600.0


def stretcher_day(
    starts: list[float], vehicles: int = 2, capacity: tuple[int, ...] = STRETCHER
) -> Problem:
    """Stretcher trips from place 1 to place 5 (40 min) with 10-minute pickup windows, a
    taxi that cannot take a stretcher, and `vehicles` stretcher vehicles at place 0."""
    trips = [
        request(f"s{k}", 1, 5, earliest=at, latest=at + 600, load=(0, 0, 1), max_ride=HOUR)
        for k, at in enumerate(starts)
    ]
    fleet = [
        vehicle(f"stretcher-{k}", capacity=capacity, type=VehicleType.STRETCHER)
        for k in range(vehicles)
    ]
    return problem(trips, [*fleet, vehicle("taxi")])


def test_three_trips_at_once_on_two_vehicles_prove_one_too_many() -> None:
    day = stretcher_day([2 * HOUR, 2 * HOUR, 2 * HOUR])
    assert applies(day)
    (short,) = shortfalls(day, ["s2"])
    assert short.at_most == 2
    assert short.request_ids == ("s0", "s1", "s2")
    assert short.vehicle_ids == ("stretcher-0", "stretcher-1")
    assert short.reason().startswith(FLEET_SHORT)


def test_trips_one_after_another_fit_and_prove_nothing() -> None:
    # One vehicle drives 1 -> 5 and back to 1 in 80 min: each trip starts 2 h after the last.
    day = stretcher_day([2 * HOUR, 4 * HOUR, 6 * HOUR], vehicles=1)
    assert shortfalls(day, ["s0", "s1", "s2"]) == []


def test_the_drive_between_trips_counts() -> None:
    # The second trip starts 60 min after the first: 40 min to drop off, 40 min back to
    # the pickup, so one vehicle cannot take both, although the rides do not overlap.
    day = stretcher_day([2 * HOUR, 3 * HOUR], vehicles=1)
    (short,) = shortfalls(day, ["s1"])
    assert short.at_most == 1


def test_vehicles_that_take_two_at_a_time_are_judged_stop_by_stop() -> None:
    # One vehicle with two stretcher places takes two of three simultaneous trips together.
    day = stretcher_day([2 * HOUR] * 3, vehicles=1, capacity=(1, 0, 2))
    assert applies(day)
    (short,) = shortfalls(day, ["s2"])
    assert short.at_most == 2
    assert short.vehicle_ids == ("stretcher-0",)


def test_two_trips_sharing_a_vehicle_with_two_places_prove_nothing() -> None:
    day = stretcher_day([2 * HOUR] * 2, vehicles=1, capacity=(1, 0, 2))
    assert shortfalls(day, ["s0", "s1"]) == []


def test_trips_that_cannot_share_count_stop_by_stop() -> None:
    # Two places, but the second trip runs the other way (5 -> 1) at the same time: the
    # vehicle cannot carry both, and the stop model sees it.
    trips = [
        request(
            "s0", 1, 5, earliest=2 * HOUR, latest=2 * HOUR + 600, load=(0, 0, 1), max_ride=HOUR
        ),
        request(
            "s1", 5, 1, earliest=2 * HOUR, latest=2 * HOUR + 600, load=(0, 0, 1), max_ride=HOUR
        ),
    ]
    day = problem(trips, [vehicle("stretcher", capacity=(1, 0, 2), type=VehicleType.STRETCHER)])
    (short,) = shortfalls(day, ["s1"])
    assert short.at_most == 1


def test_a_plan_at_the_bound_gets_the_fleet_reason() -> None:
    day = stretcher_day([2 * HOUR, 2 * HOUR, 2 * HOUR])
    result = plan(day, time_limit_s=30, seed=1, solver=native(300))
    assert [u.reason for u in result.solution.unserved] == [NOT_INSERTED]
    explained = explain_left_out(day, result.solution, time_limit_s=10)
    (left_out,) = explained.unserved
    assert left_out.reason.startswith(FLEET_SHORT)
    assert "at most 2 of the 3 trips" in left_out.reason
    assert explained.routes == result.solution.routes
    assert reason_sv(left_out.reason, {"stretcher-0": "Liggande 1"}) == (
        "Fordonen som kan ta resan (Liggande 1, stretcher-1) hinner högst 2 av dagens 3 "
        "sådana resor (bevisat); boka ett fordon till eller flytta en resa."
    )


def test_a_plan_below_the_bound_keeps_lack_of_time() -> None:
    day = stretcher_day([2 * HOUR, 2 * HOUR, 2 * HOUR])
    nothing = Solution((), tuple(Unserved(f"s{k}", NOT_INSERTED) for k in range(3)), 0.0)
    assert explain_left_out(day, nothing, time_limit_s=10) == nothing


@pytest.mark.parametrize("places", [1, 2])
def test_a_plan_below_the_bound_is_started_again_from_the_proofs_plan(places: int) -> None:
    """Given a solver, a plan that carries fewer than the bound is planned again from the
    model's plan of the group's vehicles: it then carries as many as the bound, and the
    rest are the fleet's. The seated traveller the stretcher vehicles were not asked to
    carry in the proof is still carried."""
    trips = [2 * HOUR] * (2 * places + 1)
    day = stretcher_day(trips, capacity=(1, 0, places))
    day = Problem(
        (*day.requests, request("seated", 2, 3, load=(1, 0, 0))),
        day.vehicles,
        day.time,
        day.distance,
    )
    ids = [f"s{k}" for k in range(len(trips))]
    (short,) = shortfalls(day, ids)
    assert short.at_most == 2 * places
    assert {rid for _, stops in short.witness for rid, _ in stops} <= set(ids)
    few = Solution((), tuple(Unserved(rid, NOT_INSERTED) for rid in [*ids, "seated"]), 0.0)
    explained = explain_left_out(day, few, time_limit_s=10, solver=native(300), seed=1)
    assert verify(day, explained).ok
    carried = explained.served_ids()
    assert len(carried & set(ids)) == 2 * places and "seated" in carried
    (left_out,) = explained.unserved
    assert left_out.reason.startswith(FLEET_SHORT)


def test_solve_exits_0_when_the_fleet_is_what_is_short(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(jsonio.problem_to_json(stretcher_day([2 * HOUR] * 3))))
    out = tmp_path / "solution.json"
    assert (
        main(["solve", str(path), "-o", str(out), "--time-limit", "20", "--iterations", "300"]) == 0
    )
    printed = capsys.readouterr().out
    assert "unserved 1 (0 for lack of time, 1 beyond what the fleet can carry)" in printed
    (left_out,) = json.loads(out.read_text())["unserved"]
    assert left_out["reason"].startswith(FLEET_SHORT)


def random_day(seed: int, places: int) -> Problem:
    """Seven stretcher trips at random places and times on one or two vehicles with
    `places` stretcher places each."""
    rng = random.Random(seed)
    trips = [
        request(
            f"s{k}",
            pickup,
            rng.choice([p for p in range(10) if p != pickup]),
            earliest=(at := rng.uniform(HOUR, 5 * HOUR)),
            latest=at + rng.choice([300.0, 900.0, 1800.0]),
            load=(0, 0, 1),
            max_ride=rng.choice([None, 2 * HOUR]),
            pickup_service=rng.choice([0.0, 120.0]),
        )
        for k, pickup in enumerate(rng.choice(range(10)) for _ in range(7))
    ]
    fleet = [
        vehicle(
            f"stretcher-{k}",
            depot=rng.randrange(10),
            capacity=(places, 0, places),
            type=VehicleType.STRETCHER,
            max_duration=rng.choice([None, 3 * HOUR]),
        )
        for k in range(rng.choice([1, 2]))
    ]
    return problem(trips, fleet)


@pytest.mark.parametrize("places", [1, 2])
@pytest.mark.parametrize("seed", range(12))
def test_no_plan_carries_more_than_the_bound(seed: int, places: int) -> None:
    """Random stretcher days: what the engine carries (a verified plan) never exceeds the
    proven bound, so the proof never calls a fleet short that could carry one more."""
    day = random_day(seed, places)
    carried = {
        rid
        for route in plan(day, time_limit_s=30, seed=seed, solver=native(400)).solution.routes
        for rid in route.request_ids()
    }
    bound = {s.request_ids: s.at_most for s in shortfalls(day, [t.id for t in day.requests])}
    for group, at_most in bound.items():
        assert len(carried & set(group)) <= at_most


def test_random_days_do_prove_shortfalls() -> None:
    """The bound is not only safe but finds what the random days above leave out: on some
    of them the fleet is proven short, for vehicles with one place and with two."""
    for places in (1, 2):
        proven = [
            seed
            for seed in range(12)
            if shortfalls(random_day(seed, places), [f"s{k}" for k in range(7)])
        ]
        assert proven, f"no shortfall proven with {places} places"


def test_a_group_too_big_to_model_is_not_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    day = stretcher_day([2 * HOUR, 2 * HOUR, 2 * HOUR])
    assert applies(day)
    monkeypatch.setattr("samfard.planning.fleet_bound._MAX_ARCS", 3 * 3 * 2 - 1)
    assert shortfalls(day, ["s0"]) == []
    assert not applies(day)  # so `samfard solve` keeps no time for it


def shortcut_day() -> Problem:
    """A road whose matrix breaks the triangle inequality: straight from place 2 to place 5
    takes 10 000 s, by way of a stop at place 3 or 4 under 2 000 s. One stretcher vehicle
    takes a stretcher from 1 to 2, a seated traveller from 3 to 5 on the way (a taxi could
    too), and a second stretcher from 5 within the hour."""
    time, distance = road()
    rows = [list(row) for row in time]
    rows[2][5] = rows[5][2] = 10_000.0
    service = {"pickup_service": 60.0, "dropoff_service": 60.0}
    trips = [
        request("s0", 1, 2, earliest=0.0, latest=600.0, load=(0, 0, 1), **service),
        request("r", 3, 5, load=(1, 0, 0), **service),
        request("s1", 5, 6, earliest=3200.0, latest=3600.0, load=(0, 0, 1), **service),
    ]
    fleet = [
        vehicle("stretcher", capacity=STRETCHER, type=VehicleType.STRETCHER),
        vehicle("taxi", depot=9),  # so the seated traveller is not of the stretchers' group
    ]
    return Problem(tuple(trips), tuple(fleet), matrix(rows), distance)


def test_least_drives_go_by_way_of_other_stops() -> None:
    day = shortcut_day()
    drives = Drives(day)
    assert drives(2, 5) == 600 + 60 + 1200  # through place 3 (or 4), 60 s of service there
    assert drives(1, 2) == 600


def test_a_matrix_too_big_for_shortest_paths_takes_every_drive_5_s_shorter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("samfard.planning.fleet_bound._CLOSURE_MAX_PLACES", PLACES - 1)
    drives = Drives(shortcut_day())
    assert drives(2, 5) == 10_000 - 5
    assert drives(1, 2) == 600 - 5


def test_a_way_through_another_stop_is_not_called_a_shortfall() -> None:
    """Straight from the first stretcher's drop-off the vehicle cannot reach the second in
    time; by way of the seated traveller's stops it can, and the engine's plan does: the
    proof must see that way too."""
    day = shortcut_day()
    carried = plan(day, time_limit_s=30, seed=1, solver=native(300)).solution
    # Each once: a list, not a set, so a request on two routes would fail here too.
    assert sorted(rid for route in carried.routes for rid in route.request_ids()) == [
        "r",
        "s0",
        "s1",
    ]
    assert shortfalls(day, ["s0", "s1"]) == []


def far_end_day(*, far_shift_start: float = 5 * HOUR) -> Problem:
    """Two seated trips from the far end of the road (place 9 to 8) at 05:00 with
    10-minute windows. The vehicle stationed there takes one traveller at a time; a taxi
    with room for three waits at place 0, 90 min away, from `far_shift_start`."""
    trips = [
        request(rid, 9, 8, earliest=5 * HOUR, latest=5 * HOUR + 600, max_ride=HOUR)
        for rid in ("a", "b")
    ]
    fleet = [
        vehicle("near", depot=9, capacity=(1, 0, 0), shift=Window(5 * HOUR, DAY)),
        vehicle("far", shift=Window(far_shift_start, DAY)),
    ]
    return problem(trips, fleet)


def test_trips_only_one_vehicle_reaches_in_time_prove_one_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Any taxi may carry a seated traveller, but only the one at the far end gets there
    in time: the group is what that vehicle alone may carry. On a region's day the group
    of every taxi is thousands of trips, too many to model; here the limit on the model's
    size is lowered below the two taxis' group (4 stops, 2 vehicles: 32 arcs) and above
    the one's (16)."""
    monkeypatch.setattr("samfard.planning.fleet_bound._MAX_ARCS", 20)
    day = far_end_day()
    carriers = Carriers(day, Drives(day))
    assert carriers.keys_of("a") == [frozenset({"near"}), frozenset({"near", "far"})]
    assert applies(day)
    (short,) = shortfalls(day, ["a", "b"])
    assert (short.request_ids, short.vehicle_ids, short.at_most) == (("a", "b"), ("near",), 1)
    result = plan(day, time_limit_s=30, seed=1, solver=native(300))
    explained = explain_left_out(day, result.solution, time_limit_s=10)
    (left_out,) = explained.unserved
    assert left_out.reason == short.reason()


def test_a_vehicle_that_reaches_in_time_is_among_the_carriers() -> None:
    # From 03:00 the taxi at place 0 reaches place 9 by 04:30 and takes both at once.
    day = far_end_day(far_shift_start=3 * HOUR)
    carriers = Carriers(day, Drives(day))
    assert carriers.keys_of("a") == [frozenset({"near", "far"})]
    assert shortfalls(day, ["a", "b"]) == []
    assert plan(day, time_limit_s=30, seed=1, solver=native(300)).solution.unserved == ()


def test_a_way_through_another_stop_counts_for_the_carriers() -> None:
    """The stretcher reaches the second stretcher only by way of the seated traveller's
    stops (the straight drive is too long): it is still among that trip's carriers."""
    day = shortcut_day()
    assert Carriers(day, Drives(day)).keys_of("s1") == [frozenset({"stretcher"})]


def reach_day(seed: int) -> Problem:
    """Seven seated trips along the road in the early morning with short windows, and two
    or three vehicles at random depots starting between 04:00 and 06:00, one place or
    three each: many trips are within reach of one or two vehicles only."""
    rng = random.Random(seed)
    trips = [
        request(
            f"t{k}",
            pickup,
            rng.choice([p for p in range(PLACES) if p != pickup]),
            earliest=(at := rng.uniform(5 * HOUR, 6 * HOUR)),
            latest=at + rng.choice([300.0, 900.0]),
            max_ride=rng.choice([None, 2 * HOUR]),
            pickup_service=rng.choice([0.0, 120.0]),
        )
        for k, pickup in enumerate(rng.randrange(PLACES) for _ in range(7))
    ]
    fleet = [
        vehicle(
            f"v{k}",
            depot=rng.randrange(PLACES),
            capacity=(rng.choice([1, 3]), 0, 0),
            shift=Window(rng.uniform(4 * HOUR, 6 * HOUR), DAY),
        )
        for k in range(rng.choice([2, 3]))
    ]
    return problem(trips, fleet)


@pytest.mark.parametrize("seed", range(12))
def test_no_plan_carries_more_than_a_bound_by_reach(seed: int) -> None:
    """Random early mornings: a verified plan never carries more of a group than its
    proven bound, with groups drawn by which vehicles reach which trips."""
    day = reach_day(seed)
    ids = [t.id for t in day.requests]
    solution = plan(day, time_limit_s=30, seed=seed, solver=native(400)).solution
    carried = solution.served_ids()
    for short in shortfalls(day, ids):
        assert len(carried & set(short.request_ids)) <= short.at_most


def test_reach_days_do_prove_shortfalls_of_fewer_vehicles_than_the_type() -> None:
    """The bound by reach is not idle: on some of the random mornings above a group of
    fewer vehicles than every taxi is proven short."""
    proven = [
        short
        for seed in range(12)
        for short in shortfalls(reach_day(seed), [f"t{k}" for k in range(7)])
        if len(short.vehicle_ids) < len(reach_day(seed).vehicles)
    ]
    assert proven
