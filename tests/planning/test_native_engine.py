"""The native engine: best-known costs on small Cordeau instances, reproducibility, starts
from a given plan, and the same input errors as before.

Instances a2-16, a4-16 and b2-16 in tests/planning/data are copied unchanged from the
Cordeau (2006) set (see benchmarks/data/darp/README.md); their best-known costs are proven
optima. gn-96 is generated (`benchmarks/darp_generated.py --series n --sizes 96 --write
DIR`). Every run is bounded by an iteration count, so the clock never decides a result.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest
from planning_fixtures import DATA, DAY, engine, native, problem, request, vehicle

from samfard.errors import InputError
from samfard.planning import cordeau
from samfard.planning._core._engine import Fleet
from samfard.planning.model import Problem, Request, Solution, Vehicle, VehicleType, Window
from samfard.planning.native_engine import NativeEngine, NativeSettings, build, core_fleet
from samfard.planning.solve import make_solver, plan
from samfard.planning.verifier import verify

BEST_KNOWN = {"a2-16": 294.25, "b2-16": 309.41, "a4-16": 282.68}


@pytest.mark.parametrize("name", sorted(BEST_KNOWN))
def test_small_instances_reach_the_best_known_cost(name: str) -> None:
    prob = cordeau.read(DATA / f"{name}.txt")
    result = plan(prob, time_limit_s=600.0, seed=1, solver=native(5000))
    assert not result.solution.unserved
    assert result.report.ok
    assert result.solution.cost == pytest.approx(BEST_KNOWN[name], abs=0.005)


def test_a_fleet_that_only_just_suffices_carries_everyone() -> None:
    """gn-96: 96 requests over 24 h for nine vehicles of 8 h each, whose cheapest plans
    leave one request out. 4 000 iterations carry everyone on seeds 3, 4, 5 and 6 of 1-10
    with the historical node-pair removal (10 s of CPU: 8 seeds of 10, against 9 before).
    Earlier builds at 4 000 iterations: 1, 3 and 5 once the removals shrank over the run;
    1, 2, 5, 6 and 9 with the neighbours found by the tightened windows; 1, 2, 4, 5, 7 and
    9 before them; 3, 5 and 7 before the ejection search put in every left-out request
    that fits after each ejection; with 1 500 iterations and before the tail exchange
    only seed 2 of 1-20."""
    prob = cordeau.read(DATA / "gn-96.txt")
    result = plan(prob, time_limit_s=600.0, seed=3, solver=native(4000))
    assert not result.solution.unserved
    assert result.report.ok


def test_same_seed_and_iterations_give_the_same_plan() -> None:
    prob = cordeau.read(DATA / "b2-16.txt")
    first = native(400).solve(prob, time_limit_s=600.0, seed=3)
    second = native(400).solve(prob, time_limit_s=600.0, seed=3)
    assert first == second
    assert verify(prob, first).ok


def test_native_fixed_ignores_the_clock_and_gives_the_same_plan() -> None:
    """The demo's engine: a time limit far too short for 300 iterations does not stop it,
    so the plan is the one the seed and the iteration count give, on any machine."""
    prob = cordeau.read(DATA / "b2-16.txt")
    solver = make_solver("native-fixed", iterations=300)
    first = solver.solve(prob, time_limit_s=1e-9, seed=3)
    second = solver.solve(prob, time_limit_s=1e-9, seed=3)
    assert first == second == native(300).solve(prob, time_limit_s=600.0, seed=3)
    assert not first.unserved and verify(prob, first).ok


def test_threads_keep_the_best_of_the_seeds_and_stay_reproducible() -> None:
    """Two searches at once (seeds 3 and 4): the plan is the better of the two single
    searches, the same on every run."""
    prob = cordeau.read(DATA / "a4-16.txt")
    both = NativeEngine(NativeSettings(iterations=150, threads=2))
    first = both.solve(prob, time_limit_s=600.0, seed=3)
    assert first == both.solve(prob, time_limit_s=600.0, seed=3)
    singles = [native(150).solve(prob, time_limit_s=600.0, seed=s) for s in (3, 4)]
    assert first.cost == pytest.approx(min(s.cost for s in singles))
    assert verify(prob, first).ok


def test_cpu_clock_stops_the_search_too() -> None:
    prob = cordeau.read(DATA / "a2-16.txt")
    engine_cpu = NativeEngine(NativeSettings(clock="cpu"))
    result = plan(prob, time_limit_s=0.2, seed=1, solver=engine_cpu)
    assert not result.solution.unserved


def test_zero_iterations_keep_a_given_plan() -> None:
    """Re-optimisation starts from the current plan: with no search it comes back whole."""
    prob = cordeau.read(DATA / "a2-16.txt")
    start = plan(prob, time_limit_s=600.0, seed=2, solver=native(300)).solution
    again = native(0).solve(prob, time_limit_s=600.0, seed=9, initial=start)
    assert {r.vehicle_id: r.request_ids() for r in again.routes} == {
        r.vehicle_id: r.request_ids() for r in start.routes
    }
    assert again.cost <= start.cost + 1e-9


def test_search_never_returns_worse_than_its_start() -> None:
    prob = cordeau.read(DATA / "a4-16.txt")
    start = plan(prob, time_limit_s=600.0, seed=2, solver=native(50)).solution
    better = plan(prob, time_limit_s=600.0, seed=5, initial=start, solver=native(500))
    assert better.solution.cost <= start.cost + 1e-9


def test_partial_start_is_completed() -> None:
    prob = cordeau.read(DATA / "a2-16.txt")
    full = native(300).solve(prob, time_limit_s=600.0, seed=2)
    partial = Solution(full.routes[:1], (), 0.0)
    result = plan(prob, time_limit_s=600.0, seed=2, initial=partial, solver=native(300))
    assert not result.solution.unserved


@pytest.mark.parametrize("limit", [0.0, -1.0, float("nan")])
def test_bad_time_limit_gives_the_same_error_on_both_engines(limit: float) -> None:
    prob = problem([request("r1", 1, 2)], [vehicle("v1")])
    messages = []
    for solver in (native(), engine()):
        with pytest.raises(InputError) as error:
            solver.solve(prob, time_limit_s=limit, seed=0)
        messages.append(str(error.value))
    assert messages[0] == messages[1]
    assert "time limit must be positive" in messages[0]


def test_bad_settings_and_engine_names_are_input_errors() -> None:
    with pytest.raises(InputError, match="iterations must be >= 0"):
        NativeSettings(iterations=-1)
    with pytest.raises(InputError, match="threads must be at least 1"):
        NativeSettings(threads=0)
    with pytest.raises(InputError, match="needs an iteration limit"):
        NativeSettings(clock="none")
    with pytest.raises(InputError, match="clock must be"):
        NativeSettings(clock="sundial")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown planning engine .fast."):
        make_solver("fast")


def test_no_vehicle_leaves_everyone_unserved_with_a_reason() -> None:
    prob = problem([request("r1", 1, 2)], [vehicle("v1")], max_vehicles=0)
    solution = native().solve(prob, time_limit_s=5.0, seed=0)
    assert [(u.request_id, u.reason) for u in solution.unserved] == [("r1", "no vehicle available")]
    assert verify(prob, solution).ok


def test_core_fleet_names_a_missing_unknown_or_short_field() -> None:
    """The core's Fleet is read by keyword: a field left out, one it does not know, or a
    list of the wrong length is refused with the field's name, before any search."""
    prob = cordeau.read(DATA / "a2-16.txt")
    fields: dict[str, Any] = {
        "vehicle_type": [0],
        "start": [0],
        "end": [0],
        "shift_early": [0.0],
        "shift_late": [100.0],
        "max_duration": [100.0],
        "cost_distance": [1.0],
        "cost_time": [0.0],
        "cost_fixed": [0.0],
        "capacity": [3, 0, 0],
        "front_seats": [1],
        "max_vehicles": 1,
        "cost_pickup": [0.0],
        "cost_transit": [0.0],
        "free_depot_legs": [0],
        "cost_stretch": [0.0],
        "billed_when_loaded": [0],
        "cost_wait": [0.0],
    }
    Fleet(**fields)  # complete: accepted
    core_fleet(prob)  # what the engine builds: accepted
    missing = {k: v for k, v in fields.items() if k != "cost_stretch"}
    with pytest.raises(ValueError, match="fleet: missing cost_stretch"):
        Fleet(**missing)
    with pytest.raises(ValueError, match="fleet: unknown field cost_per_hour"):
        Fleet(**fields, cost_per_hour=[0.0])  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="billed_when_loaded: expected 1 values, got 2"):
        Fleet(**{**fields, "billed_when_loaded": [0, 1]})


def _appointment_and_return_day() -> str:
    """Twelve trips between the same two places, in Cordeau's layout (minutes of the day):
    an appointment trip (drop-off 10:00-10:15, pickup any time), a trip from the same door
    with a pickup window (09:20-09:35, drop-off any time), and ten more appointment trips
    an hour apart from 11:00 on."""
    windows = [((0, 1440), (600, 615)), ((560, 575), (0, 1440))]
    windows += [((0, 1440), (600 + 60 * j, 615 + 60 * j)) for j in range(1, 11)]
    n = len(windows)
    lines = [f"2 {n} 480 6 90", "0 0 0 0 0 0 1440"]
    lines += [f"{i + 1} 5 5 10 1 {p[0]} {p[1]}" for i, (p, _) in enumerate(windows)]
    lines += [f"{n + i + 1} 6 6 10 -1 {d[0]} {d[1]}" for i, (_, d) in enumerate(windows)]
    lines.append(f"{2 * n + 1} 0 0 0 0 0 1440")
    return "\n".join(lines) + "\n"


def test_trips_of_the_same_hour_are_neighbours_whichever_end_has_the_window() -> None:
    """The search's neighbours (related and string removal, pair moves, tail exchange) are
    the trips nearest in place and time. The appointment trip's nearest is the trip
    leaving the same door in the same hour, not the appointment trips an hour and more
    later. Compared by the windows as given, each trip's whole-day window at its other end
    made the two a day apart (a build with that relatedness fails here)."""
    prob = cordeau.parse(_appointment_and_return_day(), name="same-hour")
    model = build(prob, prob.requests).model
    neighbours = model.neighbours(3)
    assert neighbours[0][0] == 1
    assert neighbours[1][0] == 0
    assert neighbours[0][1:] == [2, 3]
    assert model.neighbours(40)[0] == list(range(1, 12))


_HOUR = 3600.0


def _on_a_line(*rides: tuple[str, int, int, float], km: list[float]) -> Problem:
    """Trips (id, pickup, drop-off, asked pickup hour) between places `km` km along a road
    driven at 72 km/h, for one vehicle with its depot at the first place that is billed
    only while loaded, in öre: 1 000 a stretch and 0.015 a metre (15 öre a km)."""
    along = np.array(km, dtype=np.float64)
    metres = np.abs(along[:, None] - along[None, :]) * 1000
    trips = tuple(
        Request(
            id=rid,
            pickup=pickup,
            dropoff=dropoff,
            pickup_window=Window(at * _HOUR, at * _HOUR + 600),
            dropoff_window=Window(0.0, DAY),
        )
        for rid, pickup, dropoff, at in rides
    )
    carrier = Vehicle(
        id="v",
        capacity=(1, 0, 0),
        shift=Window(4 * _HOUR, 23 * _HOUR),
        start_depot=0,
        end_depot=0,
        cost_per_distance=0.015,
        cost_per_stretch=1000.0,
        billed_when_loaded=True,
    )
    return Problem(trips, (carrier,), metres / 20, metres)


def _served_on_seeds_1_to_3(prob: Problem) -> list[set[str]]:
    return [
        plan(prob, time_limit_s=600.0, seed=seed, solver=native(500)).solution.served_ids()
        for seed in (1, 2, 3)
    ]


def test_trips_a_carrier_bills_alike_weigh_alike_when_left_out() -> None:
    """One vehicle, billed only while loaded, can carry three short trips near its depot or
    one as short 300 km away, never both. Counting the depot legs it never bills, the far
    trip weighed ten times each near one when left out, and the search left the three out
    to carry it; priced as the tariff prices it, it carries the three."""
    prob = _on_a_line(
        ("a1", 1, 2, 8.0),
        ("a2", 3, 4, 8.5),
        ("a3", 5, 6, 9.0),
        ("x", 7, 8, 8.5),
        km=[0, 1, 2, 3, 4, 5, 6, 300, 301],
    )
    assert _served_on_seeds_1_to_3(prob) == [{"a1", "a2", "a3"}] * 3


def test_the_search_carries_more_trips_before_it_carries_dearer_ones() -> None:
    """One vehicle can carry three short trips, or the first of them and one 99 km long,
    whose return leaves no time for the other two. Weighed by what each costs alone, the
    long trip's penalty outweighed two short ones' and the search left two travellers
    without a ride to carry one; counting trips first, it leaves out only the long one."""
    prob = _on_a_line(
        ("a1", 1, 2, 7.75),
        ("a2", 3, 4, 8.75),
        ("a3", 5, 6, 9.25),
        ("x", 1, 7, 8.5),
        km=[0, 1, 2, 3, 4, 5, 6, 100],
    )
    assert _served_on_seeds_1_to_3(prob) == [{"a1", "a2", "a3"}] * 3


def test_two_trips_on_two_cars_go_together_on_a_bus_that_carries_both_for_less() -> None:
    """Trip x from place 1 to 2 at 08:00 and y from 7 to 8 at 09:00. A car at place 1
    carries x for 200 (20 km at 10 a km, depot legs paid) and a car at place 7 carries y
    for 200; a bus at place 4 (fixed fee 200, 1 a km) carries x alone for 260, y alone for
    280, and both for 340. Each trip is cheaper on its own car and each car dearer with the
    other trip, so no move of one request, nor a whole route to the bus, finds the plan;
    the two routes run as one do (merge.hpp, 2026-12-05)."""
    trips = [
        request("x", 1, 2, earliest=8 * _HOUR, latest=8 * _HOUR + 600.0),
        request("y", 7, 8, earliest=9 * _HOUR, latest=9 * _HOUR + 1800.0),
    ]
    fleet = [
        vehicle("car at 1", depot=1),
        vehicle("car at 7", depot=7),
        vehicle("bus", depot=4, cost_per_distance=0.001, fixed_cost=200.0),
    ]
    p = problem(trips, fleet)
    for seed in (1, 2, 3):
        solution = native(300).solve(p, time_limit_s=10.0, seed=seed)
        assert verify(p, solution).ok
        assert [r.vehicle_id for r in solution.routes] == ["bus"]
        assert solution.cost == pytest.approx(340.0)


@pytest.mark.parametrize(("on_the_car", "on_the_van"), [(1, 2), (3, 4)])
def test_a_plan_allowed_one_vehicle_takes_the_one_that_carries_the_most_trips(
    on_the_car: int, on_the_van: int
) -> None:
    """One vehicle may be used. A stretcher car alone can carry the short trips x, two
    hours apart; only a wheelchair van can carry the y trips, one more of them. Every
    repair puts the x trips in first (each has one vehicle to go to and is the cheapest),
    which spends the one vehicle, and ejecting requests from the car's route never made
    room for a y trip, which that car cannot carry. Giving up the car's whole route for a
    vehicle left unused carries the more travellers (ejection.hpp, 2026-12-05; the first
    version gave up routes of at most two requests, and a mid-size random problem then
    kept three where four would go)."""

    def trip(rid: str, pickup: int, dropoff: int, hour: int, kind: VehicleType) -> Request:
        return request(
            rid,
            pickup,
            dropoff,
            earliest=hour * _HOUR,
            latest=(hour + 1) * _HOUR,
            allowed_types=frozenset({kind}),
        )

    short = [trip(f"x{k}", 1, 2, 6 + 2 * k, VehicleType.STRETCHER) for k in range(on_the_car)]
    longer = [
        trip(f"y{k}", 1 + 4 * (k % 2), 5 - 4 * (k % 2), 7 + 3 * k, VehicleType.WHEELCHAIR)
        for k in range(on_the_van)
    ]
    fleet = [
        vehicle("car", type=VehicleType.STRETCHER),
        vehicle("van", type=VehicleType.WHEELCHAIR, fixed_cost=100.0),
    ]
    p = problem(short + longer, fleet, max_vehicles=1)
    for seed in (1, 2, 3):
        solution = native(300).solve(p, time_limit_s=10.0, seed=seed)
        assert verify(p, solution).ok
        assert solution.served_ids() == {r.id for r in longer}
        assert [r.vehicle_id for r in solution.routes] == ["van"]


def test_a_day_of_trips_goes_to_the_vehicle_cheapest_for_all_of_them() -> None:
    """Eight trips from place 1 to 2, one an hour, each due within 30 minutes. A taxi paid
    by the hour (36 an hour, 10 a leg) carries one of them for 64 and each next one for 56
    more; a bus with a fixed fee of 150 (and the same 10 a leg) carries one for 190, all
    eight for 330 against the taxi's 450. Trip by trip the taxi is always cheaper, so
    destroy and repair, which puts back one request at a time, kept the day on the taxi;
    moving the whole route to the bus finds the plan (vehicles.hpp, 2026-12-05)."""
    trips = [
        dataclasses.replace(
            request(f"h{k}", 1, 2, earliest=3600.0 * k, latest=3600.0 * k + 600.0),
            dropoff_window=Window(0.0, 3600.0 * k + 1800.0),
        )
        for k in range(1, 9)
    ]
    taxi = vehicle("taxi", cost_per_distance=0.001, cost_per_time=0.01)
    bus = vehicle("bus", cost_per_distance=0.001, fixed_cost=150.0)
    p = problem(trips, [taxi, bus])
    solution = native(300).solve(p, time_limit_s=10.0, seed=1)
    assert verify(p, solution).ok
    assert not solution.unserved
    assert [r.vehicle_id for r in solution.routes] == ["bus"]
    assert solution.cost == pytest.approx(330.0)
