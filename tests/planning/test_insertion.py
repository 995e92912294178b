"""Live insertion: cheapest feasible placement, promises kept, every constraint respected.

Fixtures are places on a straight road: location k sits at `KM[k]` kilometres, the car
drives a kilometre a minute, so travel times are easy to check by hand.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from samfard.errors import InputError
from samfard.planning import insertion as ins
from samfard.planning import insertion_schedule as sched
from samfard.planning.insertion import (
    Insertion,
    InsertionSettings,
    Refusal,
    ScreeningCache,
    insert,
    with_request,
)
from samfard.planning.model import (
    Problem,
    Request,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    Vehicle,
    VehicleType,
    Window,
    matrix,
)
from samfard.planning.verifier import route_cost, verify

KM = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
DAY = Window(6 * 3600, 22 * 3600)


def road(km: list[int] = KM) -> tuple[tuple[tuple[float, ...], ...], tuple[tuple[float, ...], ...]]:
    time = matrix([[abs(a - b) * 60 for b in km] for a in km])
    dist = matrix([[abs(a - b) * 1000 for b in km] for a in km])
    return time, dist


def taxi(vid: str = "taxi", depot: int = 0, **kw: object) -> Vehicle:
    fields: dict[str, object] = {"capacity": (4, 0, 0), "shift": DAY}
    fields.update(kw)
    return Vehicle(vid, start_depot=depot, end_depot=depot, **fields)  # type: ignore[arg-type]


def trip(rid: str, pickup: int, dropoff: int, at_h: float, **kw: object) -> Request:
    """A trip asking to be picked up within 30 min after `at_h` o'clock, ride at most 2 h."""
    start = at_h * 3600
    fields: dict[str, object] = {
        "pickup_window": Window(start, start + 1800),
        "dropoff_window": Window(start, start + 4 * 3600),
        "max_ride": 7200.0,
    }
    fields.update(kw)
    return Request(rid, pickup=pickup, dropoff=dropoff, **fields)  # type: ignore[arg-type]


def problem_of(vehicles: list[Vehicle], requests: list[Request] = ()) -> Problem:  # type: ignore[assignment]
    time, dist = road()
    return Problem(tuple(requests), tuple(vehicles), time, dist)


def accept(problem: Problem, solution: Solution, request: Request) -> tuple[Problem, Insertion]:
    """Insert and check the verifier accepts the new plan with the promised request."""
    result = insert(problem, solution, request)
    assert isinstance(result, Insertion), result
    new_problem = with_request(problem, result.request)
    report = verify(new_problem, result.solution)
    assert report.ok, [str(v) for v in report.violations]
    return new_problem, result


def route_of(result: Insertion) -> list[tuple[StopKind, str | None]]:
    route = next(r for r in result.solution.routes if r.vehicle_id == result.vehicle_id)
    return [(s.kind, s.request_id) for s in route.stops]


def test_inserts_into_an_empty_plan_and_promises_a_window_around_the_pickup() -> None:
    problem = problem_of([taxi()])
    _, result = accept(problem, Solution(()), trip("r1", 2, 5, 9))
    assert route_of(result) == [
        (StopKind.START, None),
        (StopKind.PICKUP, "r1"),
        (StopKind.DROPOFF, "r1"),
        (StopKind.END, None),
    ]
    assert result.pickup_time == 9 * 3600
    promise = result.promised_pickup
    assert promise.contains(result.pickup_time)
    assert promise == Window(9 * 3600, 9 * 3600 + 900)  # +15 min, not before the window
    assert result.request.promised_pickup == promise


def test_picks_the_vehicle_that_adds_least_cost() -> None:
    """A taxi stationed beside the trip beats one 80 km away."""
    problem = problem_of([taxi("far", depot=10), taxi("near", depot=3)])
    _, result = accept(problem, Solution(()), trip("r1", 4, 2, 9))
    assert result.vehicle_id == "near"
    assert result.added_cost == pytest.approx(10_000 + 20_000 + 10_000)  # 30-40-20-30 km


def test_shares_a_route_going_the_same_way_instead_of_a_new_vehicle() -> None:
    problem = problem_of([taxi("a", fixed_cost=50_000), taxi("b", fixed_cost=50_000)])
    problem, first = accept(problem, Solution(()), trip("r1", 1, 8, 9))
    _, second = accept(problem, first.solution, trip("r2", 2, 7, 9))
    assert second.vehicle_id == first.vehicle_id == "a"
    assert [rid for _, rid in route_of(second)] == [None, "r1", "r2", "r2", "r1", None]
    assert second.added_cost == pytest.approx(0.0)


def test_a_carrier_paid_per_stretch_is_billed_for_loaded_driving_once_per_stretch() -> None:
    """r1 rides km 10-40 with r2 (km 20-30) aboard on the way, r3 km 60-70 later: two
    stretches, 30 + 10 loaded km; the drives from the depot, between and home are free."""
    vehicle = taxi("p", cost_per_stretch=4500.0, billed_when_loaded=True)
    requests = [trip("r1", 1, 4, 9), trip("r2", 2, 3, 9), trip("r3", 6, 7, 11)]
    problem = problem_of([vehicle], requests)
    kinds = [(StopKind.START, 0, None)]
    for loc, kind, rid in [(1, "p", "r1"), (2, "p", "r2"), (3, "d", "r2"), (4, "d", "r1")]:
        kinds.append((StopKind.PICKUP if kind == "p" else StopKind.DROPOFF, loc, rid))
    kinds += [(StopKind.PICKUP, 6, "r3"), (StopKind.DROPOFF, 7, "r3"), (StopKind.END, 0, None)]
    stops = tuple(Stop(kind, loc, 0.0, rid) for kind, loc, rid in kinds)
    assert route_cost(problem, vehicle, Route("p", stops)) == 2 * 4500 + 30_000 + 10_000


def test_a_trip_on_the_way_joins_a_stretch_at_no_cost_with_a_carrier_paid_per_stretch() -> None:
    problem = problem_of(
        [taxi(f"p{k}", cost_per_stretch=4500.0, billed_when_loaded=True) for k in (1, 2)]
    )
    problem, first = accept(problem, Solution(()), trip("r1", 1, 8, 9))
    assert first.added_cost == pytest.approx(4500 + 70_000)
    _, second = accept(problem, first.solution, trip("r2", 2, 7, 9))
    assert second.vehicle_id == first.vehicle_id
    assert [rid for _, rid in route_of(second)] == [None, "r1", "r2", "r2", "r1", None]
    assert second.added_cost == pytest.approx(0.0)


def test_refuses_rather_than_break_a_promise() -> None:
    """r1 is promised a pickup at 09:00-09:02 at km 60. Fetching r2 at km 10 first would make
    r1 late; the only taxi is busy, so the insertion must refuse. Without the promise the
    same insertion succeeds, so the refusal is the promise's doing."""
    r1 = trip("r1", 6, 9, 9, max_ride=None, pickup_window=Window(8 * 3600, 10 * 3600))
    r2 = trip("r2", 1, 9, 9, pickup_window=Window(9 * 3600 - 1800, 9 * 3600 - 1200))
    base = problem_of([taxi(shift=Window(8 * 3600, 12 * 3600))])
    planned, first = accept(base, Solution(()), r1)
    assert first.pickup_time == 8 * 3600 + 3600  # leaves at 08:00, reaches km 60 at 09:00
    tight = with_request(planned, dataclasses.replace(r1, promised_pickup=Window(32400, 32520)))
    refused = insert(tight, first.solution, r2)
    assert isinstance(refused, Refusal)
    assert "promise" in refused.message
    loose = with_request(planned, dataclasses.replace(r1, promised_pickup=None))
    assert isinstance(insert(loose, first.solution, r2), Insertion)


def test_promises_of_earlier_insertions_hold_in_later_plans() -> None:
    """Insert 40 random trips one by one; after each, every earlier promise still holds."""
    rng = random.Random(7)
    problem = problem_of([taxi(f"t{k}", depot=rng.randrange(11)) for k in range(4)])
    solution = Solution(())
    for k in range(40):
        pickup, dropoff = rng.sample(range(11), 2)
        result = insert(problem, solution, trip(f"r{k}", pickup, dropoff, rng.uniform(7, 18)))
        if isinstance(result, Insertion):
            problem = with_request(problem, result.request)
            solution = result.solution
        else:
            problem = with_request(problem, trip(f"r{k}", pickup, dropoff, 7))
            solution = dataclasses.replace(
                solution, unserved=(*solution.unserved, Unserved(f"r{k}", result.message))
            )
        report = verify(problem, solution)
        assert report.ok, [str(v) for v in report.violations]
    assert sum(len(r.request_ids()) for r in solution.routes) > 20


def test_wheelchair_trip_goes_to_a_wheelchair_vehicle_even_if_a_taxi_is_nearer() -> None:
    wheelchair = taxi("wc", depot=10, capacity=(4, 1, 0), type=VehicleType.WHEELCHAIR)
    problem = problem_of([taxi("taxi", depot=2), wheelchair])
    request = trip("r1", 2, 3, 9, load=(0, 1, 0), allowed_types=frozenset({VehicleType.WHEELCHAIR}))
    _, result = accept(problem, Solution(()), request)
    assert result.vehicle_id == "wc"
    only_taxis = problem_of([taxi("taxi", depot=2)])
    refused = insert(only_taxis, Solution(()), request)
    assert isinstance(refused, Refusal)
    assert "wheelchair" in refused.message


def test_stretcher_needs_stretcher_capacity() -> None:
    """A stretcher load does not fit a vehicle without a stretcher place, whatever its type."""
    stretcher = taxi("s", depot=9, capacity=(2, 0, 1), type=VehicleType.STRETCHER)
    problem = problem_of([taxi("wc", depot=1, capacity=(4, 2, 0)), stretcher])
    _, result = accept(problem, Solution(()), trip("r1", 1, 2, 9, load=(0, 0, 1)))
    assert result.vehicle_id == "s"


def test_ride_alone_trips_never_share_the_vehicle() -> None:
    """r1 rides alone from km 10 to 80; r2 (km 20 to 70, same time) would fit on the way but
    must not be picked up while r1 is on board, in either order of booking."""
    for alone_first in (True, False):
        problem = problem_of([taxi("a"), taxi("b", fixed_cost=1e6)])
        r1 = trip("r1", 1, 8, 9, ride_alone=alone_first)
        r2 = trip("r2", 2, 7, 9, ride_alone=not alone_first)
        problem, first = accept(problem, Solution(()), r1)
        _, second = accept(problem, first.solution, r2)
        a = route_of(second) if second.vehicle_id == "a" else []
        if a:  # sharing vehicle a is allowed only one after the other
            order = [rid for _, rid in a[1:-1]]
            assert order in (["r1", "r1", "r2", "r2"], ["r2", "r2", "r1", "r1"])


def test_capacity_per_dimension_is_respected() -> None:
    """Two wheelchairs on board would exceed the single wheelchair place."""
    wc: dict[str, object] = {"capacity": (3, 1, 0), "type": VehicleType.WHEELCHAIR}
    problem = problem_of([taxi("w1", **wc), taxi("w2", fixed_cost=1e6, **wc)])
    problem, first = accept(problem, Solution(()), trip("r1", 1, 8, 9, load=(0, 1, 0)))
    _, second = accept(problem, first.solution, trip("r2", 2, 7, 9, load=(0, 1, 0)))
    assert second.vehicle_id == "w2"
    _, third = accept(problem, first.solution, trip("r3", 2, 7, 9, load=(2, 0, 0)))
    assert third.vehicle_id == "w1"  # seats are free, so sharing is fine


def test_detour_that_exceeds_an_on_board_passengers_ride_time_is_refused() -> None:
    problem = problem_of([taxi("a"), taxi("b", depot=10, fixed_cost=1e6)])
    problem, first = accept(problem, Solution(()), trip("r1", 5, 6, 9, max_ride=700.0))
    _, second = accept(problem, first.solution, trip("r2", 10, 6, 9))
    assert second.vehicle_id == "b" or route_of(second)[1:3] != [
        (StopKind.PICKUP, "r1"),
        (StopKind.PICKUP, "r2"),
    ]


def test_same_input_gives_the_same_answer() -> None:
    problem = problem_of([taxi(f"t{k}", depot=k) for k in range(5)])
    problem, first = accept(problem, Solution(()), trip("r1", 1, 9, 9))
    request = trip("r2", 3, 6, 9)
    assert insert(problem, first.solution, request) == insert(problem, first.solution, request)


def test_finds_the_cheapest_position_the_exact_schedule_accepts() -> None:
    """Screening only drops positions that cannot work: with every screened candidate priced,
    the answer equals brute force over all positions of all routes."""
    rng = random.Random(3)
    settings = InsertionSettings(exact_candidates=10**9)
    for _ in range(20):
        problem = problem_of([taxi(f"t{k}", depot=rng.randrange(11)) for k in range(2)])
        solution = Solution(())
        for k in range(8):
            pickup, dropoff = rng.sample(range(11), 2)
            request = trip(f"r{k}", pickup, dropoff, rng.uniform(8, 10), max_ride=3000.0)
            result = insert(problem, solution, request, settings)
            best = _brute_force(problem, solution, request)
            if best is None:
                assert isinstance(result, Refusal)
                continue
            assert isinstance(result, Insertion)
            assert result.added_cost == pytest.approx(best)
            problem, solution = with_request(problem, result.request), result.solution


def _brute_force(problem: Problem, solution: Solution, request: Request) -> float | None:
    from collections import Counter

    views = ins._candidate_views(
        problem, solution, request, {r.id: r for r in problem.requests}, Counter(), None, 10**9
    )
    costs = []
    for view in views:
        last = len(view.visits) - 1
        for i in range(last):
            for j in range(i, last):
                visits = sched.with_new(view.visits, request, i, j)
                if not _loads_ok(visits, view.vehicle):
                    continue
                timing = sched.schedule(visits, view.vehicle, problem)
                if timing is None:
                    continue
                route = sched.route_of(view.vehicle, timing[0])
                old = ins.route_cost(problem, view.vehicle, view.route) if view.route else 0.0
                costs.append(ins.route_cost(problem, view.vehicle, route) - old)
    return min(costs) if costs else None


def _loads_ok(visits: list[sched.Visit], vehicle: Vehicle) -> bool:
    load = [0, 0, 0]
    for v in visits:
        if v.request is not None:
            sign = 1 if v.kind is StopKind.PICKUP else -1
            load = [q + sign * d for q, d in zip(load, v.request.load, strict=True)]
            if any(q > c for q, c in zip(load, vehicle.capacity, strict=True)):
                return False
    return True


def test_request_already_planned_or_off_the_matrix_is_an_input_error() -> None:
    problem = problem_of([taxi()])
    problem, first = accept(problem, Solution(()), trip("r1", 1, 2, 9))
    with pytest.raises(InputError, match="already in the plan"):
        insert(problem, first.solution, trip("r1", 1, 2, 9))
    with pytest.raises(InputError, match="not a location of the 11x11 matrices"):
        insert(problem, first.solution, trip("r2", 1, 42, 9))


def test_settings_are_validated() -> None:
    with pytest.raises(InputError, match="promise_tolerance"):
        InsertionSettings(promise_tolerance=-1)
    with pytest.raises(InputError, match="exact_candidates"):
        InsertionSettings(exact_candidates=0)
    with pytest.raises(InputError, match="engine"):
        InsertionSettings(engine="fortran")  # type: ignore[arg-type]


def test_with_request_equals_a_freshly_validated_problem() -> None:
    """The fast copy adds (or replaces) the request exactly as building a Problem would."""
    problem = problem_of([taxi()], [trip("r1", 1, 2, 9)])
    replaced = with_request(problem, trip("r1", 3, 4, 9))
    added = with_request(replaced, trip("r2", 5, 6, 9))
    assert added == Problem(
        (trip("r1", 3, 4, 9), trip("r2", 5, 6, 9)), problem.vehicles, problem.time, problem.distance
    )
    assert problem.requests == (trip("r1", 1, 2, 9),)  # the original is untouched
    with pytest.raises(InputError, match="load has 2 values"):
        with_request(problem, trip("r3", 1, 2, 9, load=(1, 0)))


@pytest.mark.parametrize("engine", ["native", "python"])
def test_screening_cache_changes_speed_not_answers(engine: str) -> None:
    """Thirty insertions with one cache give exactly the answers of uncached insertions,
    and unchanged routes are served from the cache (the core's copy of the day, or the
    Python screening data)."""
    settings = InsertionSettings(engine=engine)  # type: ignore[arg-type]
    rng = random.Random(11)
    problem = problem_of([taxi(f"t{k}", depot=rng.randrange(11)) for k in range(5)])
    solution = Solution(())
    cache = ScreeningCache()
    days = set()
    for k in range(30):
        pickup, dropoff = rng.sample(range(11), 2)
        request = trip(f"r{k}", pickup, dropoff, rng.uniform(7, 12))
        cached = insert(problem, solution, request, settings, cache=cache)
        assert cached == insert(problem, solution, request, settings)
        days.add(id(cache.native))
        if isinstance(cached, Insertion):
            problem, solution = with_request(problem, cached.request), cached.solution
    if engine == "python":
        assert cache.hits > cache.misses > 0
    else:
        assert cache.native is not None and len(days) == 1  # one copy of the day, kept


def test_native_choice_is_verified_and_never_dearer_than_python_screening() -> None:
    """Random days on the road: each insertion the core chooses passes the verifier with
    every earlier promise, and adds no more cost than the Python screening's choice (the
    core prices every position exactly; Python prices the first few it screens)."""
    python = InsertionSettings(engine="python")
    for seed in range(12):
        rng = random.Random(seed)
        vehicles = [
            taxi(f"t{k}", depot=rng.randrange(11), fixed_cost=rng.choice([0, 20_000]))
            for k in range(4)
        ]
        vehicles.append(
            taxi("w", depot=rng.randrange(11), type=VehicleType.WHEELCHAIR, capacity=(4, 1, 0))
        )
        vehicles.append(  # a carrier paid per stretch with passengers
            taxi("s", depot=rng.randrange(11), cost_per_stretch=9000.0, billed_when_loaded=True)
        )
        problem = problem_of(vehicles)
        solution = Solution(())
        cache = ScreeningCache()
        for k in range(25):
            pickup, dropoff = rng.sample(range(11), 2)
            extra: dict[str, object] = {}
            if rng.random() < 0.2:
                extra = {"load": (0, 1, 0), "allowed_types": frozenset({VehicleType.WHEELCHAIR})}
            if rng.random() < 0.1:
                extra["ride_alone"] = True
            request = trip(f"r{k}", pickup, dropoff, rng.uniform(7, 10), **extra)
            native = insert(problem, solution, request, cache=cache)
            slow = insert(problem, solution, request, python)
            assert isinstance(native, Insertion) == isinstance(slow, Insertion)
            if not isinstance(native, Insertion):
                continue
            assert isinstance(slow, Insertion)
            assert native.added_cost <= slow.added_cost + 1e-6
            problem, solution = with_request(problem, native.request), native.solution
            report = verify(problem, solution)
            assert report.ok, [str(v) for v in report.violations]
