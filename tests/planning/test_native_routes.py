"""The compiled route check and the Python verifier agree, on thousands of generated routes.

Two properties, each over 5 000 routes (hypothesis draws 200 seeds, each seed makes a small
random problem and 25 routes on it):
- sound: whenever the core calls a route feasible, the schedule and cost it returns pass
  the independent verifier (windows, promises, ride times, loads in every dimension,
  ride alone, front seats, vehicle types, shift, duration, and the cost with every tariff
  term: distance, duration, fixed, per pickup, transit time, free depot legs, per
  stretch, billed when loaded, waits on board);
- complete: a route built around a known feasible schedule (windows, limits and
  capacities drawn to contain it) is called feasible, so the core does not throw away
  good routes;
- exact: with one of those limits then drawn tighter (a ride limit, the route's
  duration, a window, the shift), so that some routes still have a schedule and some no
  longer do, the core calls a route feasible exactly when a linear programme over the
  service times (OR-Tools' GLOP) finds a schedule. The eight-step scheduling is a
  heuristic in form; this is what shows it misses no schedule that exists;
- nobody waits on board needlessly: where a traveller sits in the parked car (for a later
  pickup, or for a drop-off window to open), the stretch could not have started later,
  in the core's schedules and in live insertion's;
- twins: live insertion's Python scheduler finds the core's schedule, or none where the
  core finds none.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp
from planning_days import placements

from samfard.planning.insertion_schedule import Timeline, route_of, route_visits, schedule
from samfard.planning.model import (
    Matrix,
    Objective,
    Problem,
    Request,
    Route,
    Solution,
    StopKind,
    Unserved,
    Vehicle,
    VehicleType,
    Window,
    matrix,
)
from samfard.planning.native_engine import CoreModel, build
from samfard.planning.verifier import route_cost, stop_service, verify

ROUTES_PER_PROBLEM = 25
SEEDS = 200
TYPES = (VehicleType.TAXI, VehicleType.MINIBUS, VehicleType.WHEELCHAIR)


def _matrices(rng: random.Random, places: int) -> tuple[Matrix, Matrix]:
    points = [(rng.uniform(0, 60), rng.uniform(0, 60)) for _ in range(places)]
    time = [[math.dist(a, b) for b in points] for a in points]
    dist = [[1.3 * math.dist(a, b) for b in points] for a in points]
    return matrix(time), matrix(dist)


def _random_problem(rng: random.Random) -> Problem:
    places = rng.randint(3, 8)
    time, dist = _matrices(rng, places)
    requests = []
    for k in range(rng.randint(1, 5)):
        pick, drop = rng.randrange(places), rng.randrange(places)
        early = rng.uniform(0, 200)
        window = Window(early, early + rng.uniform(0, 120))
        drop_early = early + rng.uniform(-20, 60)
        promised = None
        if rng.random() < 0.2:
            at = rng.uniform(window.earliest, window.latest)
            promised = Window(at - rng.uniform(0, 10), at + rng.uniform(0, 10))
        requests.append(
            Request(
                id=f"r{k}",
                pickup=pick,
                dropoff=drop,
                pickup_window=window,
                dropoff_window=Window(drop_early, drop_early + rng.uniform(0, 200)),
                pickup_service=rng.choice((0.0, 1.0, 2.5)),
                dropoff_service=rng.choice((0.0, 1.0)),
                load=(rng.randint(1, 3), rng.randint(0, 1)),
                max_ride=None if rng.random() < 0.3 else rng.uniform(5, 90),
                allowed_types=frozenset(rng.sample(TYPES, rng.randint(0, 2))),
                ride_alone=rng.random() < 0.1,
                front_seat=rng.random() < 0.2,
                promised_pickup=promised,
            )
        )
    vehicle = Vehicle(
        id="v",
        capacity=(rng.randint(3, 8), rng.randint(1, 2)),
        shift=Window(rng.uniform(0, 50), rng.uniform(250, 500)),
        start_depot=rng.randrange(places),
        end_depot=rng.randrange(places),
        type=rng.choice(TYPES),
        cost_per_distance=rng.uniform(0, 2),
        cost_per_time=rng.uniform(0, 2),
        fixed_cost=rng.uniform(0, 50),
        max_duration=None if rng.random() < 0.5 else rng.uniform(50, 400),
        front_seats=rng.randint(1, 2),
        cost_per_pickup=rng.choice((0.0, rng.uniform(0, 30))),
        cost_per_transit_time=rng.choice((0.0, rng.uniform(0, 3))),
        free_depot_legs=rng.random() < 0.5,
        cost_per_stretch=rng.choice((0.0, rng.uniform(0, 40))),
        billed_when_loaded=rng.random() < 0.5,
        cost_per_loaded_wait=rng.choice((0.0, rng.uniform(0, 2))),
    )
    return Problem(
        requests=tuple(requests),
        vehicles=(vehicle,),
        time=time,
        distance=dist,
        dimensions=("seats", "wheelchair"),
        objective=Objective(distance=rng.uniform(0.5, 1), time=rng.uniform(0, 1), fixed=1.0),
    )


def _random_sequence(rng: random.Random, count: int) -> list[int]:
    """Pickups and drop-offs of a random subset, mostly well paired, sometimes not."""
    chosen = rng.sample(range(count), rng.randint(1, count))
    nodes = [2 * i + side for i in chosen for side in (0, 1)]
    rng.shuffle(nodes)
    if rng.random() < 0.9:  # put each pickup before its drop-off
        for i in chosen:
            p, d = nodes.index(2 * i), nodes.index(2 * i + 1)
            if p > d:
                nodes[p], nodes[d] = nodes[d], nodes[p]
    return nodes


def _judge(core: CoreModel, nodes: list[int]) -> tuple[bool, bool]:
    """(core says feasible, verifier accepts the core's schedule and cost)."""
    feasible, cost, times, depart, arrive = core.model.evaluate(0, nodes)
    if not feasible:
        return False, False
    route = core.route((0, nodes, times, depart, arrive, cost))
    served = set(route.request_ids())
    others = tuple(Unserved(r.id, "left out") for r in core.requests if r.id not in served)
    report = verify(core.problem, Solution((route,), others, cost))
    return True, report.ok


@settings(max_examples=SEEDS, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=2**32))
def test_every_route_the_core_accepts_passes_the_verifier(seed: int) -> None:
    rng = random.Random(seed)
    prob = _random_problem(rng)
    core = build(prob, prob.requests)
    for _ in range(ROUTES_PER_PROBLEM):
        nodes = _random_sequence(rng, len(prob.requests))
        feasible, accepted = _judge(core, nodes)
        assert accepted or not feasible, (prob, nodes)


def _feasible_case(rng: random.Random) -> tuple[Problem, list[int]]:
    """A problem and a route with a feasible schedule drawn first, constraints around it."""
    places = rng.randint(3, 8)
    time, dist = _matrices(rng, places)
    count = rng.randint(1, 5)
    spots = [(rng.randrange(places), rng.randrange(places)) for _ in range(count)]
    service = [(rng.choice((0.0, 2.0)), rng.choice((0.0, 1.0))) for _ in range(count)]
    nodes = _random_sequence(rng, count)
    while any(nodes.index(2 * i) > nodes.index(2 * i + 1) for i in {n // 2 for n in nodes}):
        nodes = _random_sequence(rng, count)
    start, end = rng.randrange(places), rng.randrange(places)
    at = {}
    now, here = rng.uniform(0, 100), start
    depart = now
    for node in nodes:
        i, side = divmod(node, 2)
        place = spots[i][side]
        now += time[here][place] + rng.choice((0.0, 0.0, rng.uniform(0, 30)))
        at[node] = now
        now += service[i][side]
        here = place
    arrive = now + time[here][end]
    loads = [(rng.randint(1, 2), rng.randint(0, 1)) for _ in range(count)]
    peak = [0, 0]
    onboard = [0, 0]
    for node in nodes:
        sign = 1 if node % 2 == 0 else -1
        onboard = [q + sign * d for q, d in zip(onboard, loads[node // 2], strict=True)]
        peak = [max(p, q) for p, q in zip(peak, onboard, strict=True)]

    def around(t: float) -> Window:
        return Window(t - rng.uniform(0, 40), t + rng.uniform(0, 40))

    requests = []
    served = sorted({n // 2 for n in nodes})
    for i in range(count):
        pick_t = at.get(2 * i, 50.0)
        drop_t = at.get(2 * i + 1, 80.0)
        ride = drop_t - pick_t - service[i][0]
        requests.append(
            Request(
                id=f"r{i}",
                pickup=spots[i][0],
                dropoff=spots[i][1],
                pickup_window=around(pick_t),
                dropoff_window=around(drop_t),
                pickup_service=service[i][0],
                dropoff_service=service[i][1],
                load=loads[i],
                max_ride=None
                if i not in served
                else max(0.0, ride) + rng.choice((0.0, rng.uniform(0, 20))),
            )
        )
    vehicle = Vehicle(
        id="v",
        capacity=(max(peak[0], 2), max(peak[1], 1)),
        shift=Window(depart - rng.uniform(0, 50), arrive + rng.uniform(0, 50)),
        start_depot=start,
        end_depot=end,
        cost_per_time=rng.uniform(0, 1),
        max_duration=(arrive - depart) + rng.choice((0.0, rng.uniform(0, 60))),
    )
    prob = Problem(
        requests=tuple(requests),
        vehicles=(vehicle,),
        time=time,
        distance=dist,
        dimensions=("seats", "wheelchair"),
    )
    return prob, nodes


@settings(max_examples=SEEDS, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=2**32))
def test_routes_with_a_known_schedule_are_found_feasible(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(ROUTES_PER_PROBLEM):
        prob, nodes = _feasible_case(rng)
        core = build(prob, prob.requests)
        feasible, accepted = _judge(core, nodes)
        assert feasible and accepted, (prob, nodes)


def _tightened(rng: random.Random, prob: Problem, nodes: list[int]) -> Problem:
    """`prob` with one limit the route meets drawn tighter by up to about its slack."""
    vehicle, requests = prob.vehicles[0], list(prob.requests)
    i = rng.choice(sorted({n // 2 for n in nodes}))
    r = requests[i]
    what = rng.choice(("ride", "duration", "pickup", "dropoff", "shift"))
    cut = rng.uniform(0, 25)
    if what == "ride" and r.max_ride is not None:
        requests[i] = replace(r, max_ride=max(0.0, r.max_ride - cut))
    elif what == "duration" and vehicle.max_duration is not None:
        vehicle = replace(vehicle, max_duration=max(0.0, vehicle.max_duration - cut))
    elif what == "pickup":
        requests[i] = replace(r, pickup_window=_narrowed(rng, r.pickup_window, cut))
    elif what == "dropoff":
        requests[i] = replace(r, dropoff_window=_narrowed(rng, r.dropoff_window, cut))
    else:
        s = vehicle.shift
        vehicle = replace(vehicle, shift=Window(s.earliest, max(s.latest - cut, s.earliest)))
    return replace(prob, requests=tuple(requests), vehicles=(vehicle,))


def _narrowed(rng: random.Random, w: Window, cut: float) -> Window:
    """`w` opening up to `cut` later or closing up to `cut` earlier, never inside out."""
    if rng.random() < 0.5:
        return Window(min(w.earliest + cut, w.latest), w.latest)
    return Window(w.earliest, max(w.latest - cut, w.earliest))


def _schedule_exists(prob: Problem, nodes: list[int], margin: float) -> bool:
    """Whether service times meet every time constraint of the route, each with `margin`
    to spare (negative: that much over is allowed), as a linear programme."""
    vehicle, time = prob.vehicles[0], prob.time
    stops = [prob.requests[n // 2] for n in nodes]
    places = [
        vehicle.start_depot,
        *(r.pickup if n % 2 == 0 else r.dropoff for r, n in zip(stops, nodes, strict=True)),
        vehicle.end_depot,
    ]
    service = [
        0.0,
        *(
            r.pickup_service if n % 2 == 0 else r.dropoff_service
            for r, n in zip(stops, nodes, strict=True)
        ),
        0.0,
    ]
    lp = pywraplp.Solver.CreateSolver("GLOP")
    at = [lp.NumVar(-lp.infinity(), lp.infinity(), f"t{k}") for k in range(len(places))]
    lp.Add(at[0] >= vehicle.shift.earliest + margin)
    lp.Add(at[-1] <= vehicle.shift.latest - margin)
    for k in range(len(places) - 1):
        lp.Add(at[k + 1] >= at[k] + service[k] + time[places[k]][places[k + 1]] + margin)
    if vehicle.max_duration is not None:
        lp.Add(at[-1] - at[0] <= vehicle.max_duration - margin)
    position = {n: k for k, n in enumerate(nodes, start=1)}
    for n, r in zip(nodes, stops, strict=True):
        w = r.pickup_window if n % 2 == 0 else r.dropoff_window
        lp.Add(at[position[n]] >= w.earliest + margin)
        lp.Add(at[position[n]] <= w.latest - margin)
        if n % 2 == 0 and r.max_ride is not None:
            ride = at[position[n + 1]] - at[position[n]] - r.pickup_service
            lp.Add(ride <= r.max_ride - margin)
    return bool(lp.Solve() == pywraplp.Solver.OPTIMAL)


@settings(max_examples=SEEDS, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=2**32))
def test_the_core_finds_a_schedule_whenever_one_exists(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(ROUTES_PER_PROBLEM):
        prob, nodes = _feasible_case(rng)
        prob = _tightened(rng, prob, nodes)
        core = build(prob, prob.requests)
        feasible = core.model.evaluate(0, nodes)[0]
        if feasible:
            assert _schedule_exists(prob, nodes, margin=-1e-6), (prob, nodes)
        else:
            assert not _schedule_exists(prob, nodes, margin=1e-4), (prob, nodes)


def _stretches_starting_later(prob: Problem, route: Route) -> Iterator[Route]:
    """For each stretch of `route` (from a pickup into an empty car until it is empty
    again) with someone waiting on board in it, the route with that stretch started later
    by its waits (at most 30 units), the stops after its start pushed as driven."""
    requests = {r.id: r for r in prob.requests}
    stops = route.stops

    def waited(k: int) -> float:
        a, b = stops[k - 1], stops[k]
        return b.time - (a.time + stop_service(a, requests) + prob.time[a.location][b.location])

    aboard = 0  # on board before stop j
    for j, stop in enumerate(stops):
        starts = aboard == 0 and stop.kind is StopKind.PICKUP
        if stop.kind is StopKind.PICKUP:
            aboard += 1
        elif stop.kind is StopKind.DROPOFF:
            aboard -= 1
        if not starts:
            continue
        waits, on, k = 0.0, 1, j + 1
        while on > 0:
            waits += waited(k)
            on += 1 if stops[k].kind is StopKind.PICKUP else -1
            k += 1
        if waits <= 1e-3:
            continue
        later = [*stops]
        later[j] = replace(stop, time=stop.time + min(waits, 30.0))
        for p in range(j + 1, len(later)):
            a = later[p - 1]
            reach = a.time + stop_service(a, requests) + prob.time[a.location][later[p].location]
            later[p] = replace(later[p], time=max(later[p].time, reach))
        yield Route(route.vehicle_id, tuple(later))


def _waits_needlessly(prob: Problem, route: Route) -> bool:
    """Whether some stretch of `route` could start later, every window, ride time, the
    shift and the duration still met (the verifier judges), with less waiting on board."""
    for later in _stretches_starting_later(prob, route):
        served = set(later.request_ids())
        others = tuple(Unserved(r.id, "left out") for r in prob.requests if r.id not in served)
        cost = route_cost(prob, prob.vehicles[0], later)
        if verify(prob, Solution((later,), others, cost)).ok:
            return True
    return False


def _some_tightened(rng: random.Random) -> Iterator[tuple[Problem, list[int]]]:
    """Routes drawn around a feasible schedule, half of them with one limit then drawn
    tighter, so that some still have a schedule and some no longer do."""
    for _ in range(ROUTES_PER_PROBLEM):
        prob, nodes = _feasible_case(rng)
        if rng.random() < 0.5:
            prob = _tightened(rng, prob, nodes)
        yield prob, nodes


def _live_schedule(prob: Problem, nodes: list[int]) -> tuple[Timeline, list[float]] | None:
    """Live insertion's Python schedule of the core's route `nodes`."""
    stops = [
        (prob.requests[n // 2], StopKind.PICKUP if n % 2 == 0 else StopKind.DROPOFF) for n in nodes
    ]
    return schedule(route_visits(prob.vehicles[0], stops), prob.vehicles[0], prob)


@settings(max_examples=SEEDS, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=2**32))
def test_nobody_waits_on_board_where_the_stretch_could_start_later(seed: int) -> None:
    """A traveller in a parked car, waiting for a later pickup or for a drop-off window to
    open, waits only where starting the stretch later would break a window, a ride time,
    the shift or the duration: the core and live insertion move such waits to before the
    stretch, where the car is empty. Routes drawn around a feasible schedule with waits,
    some limits then drawn tighter. (Before 2026-12-05 only a vehicle paid for waiting
    did so, and only for waits at pickups: with that build this test fails.)"""
    for prob, nodes in _some_tightened(random.Random(seed)):
        core = build(prob, prob.requests)
        out = core.model.evaluate(0, nodes)
        if not out[0]:
            continue
        _, cost, times, depart, arrive = out
        assert not _waits_needlessly(prob, core.route((0, nodes, times, depart, arrive, cost)))
        timed = _live_schedule(prob, nodes)
        if timed is not None:
            live = route_of(prob.vehicles[0], timed[0])
            assert not _waits_needlessly(prob, live), (prob, nodes)


@settings(max_examples=SEEDS, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=2**32))
def test_live_insertion_times_every_route_as_the_core_does(seed: int) -> None:
    """The promise live insertion gives comes from its Python twin of the scheduler
    (`insertion_schedule`): it finds a schedule exactly when the core does, and the same
    one. (Until the fourth session of 2026-12-05 they repaired rides too long differently
    and told apart on about 1 % of these routes; the core also let a delay made for one
    ride limit be undone by a later one, which the verifier then found.)"""
    for prob, nodes in _some_tightened(random.Random(seed)):
        core = build(prob, prob.requests)
        feasible, _, times, depart, arrive = core.model.evaluate(0, nodes)
        timed = _live_schedule(prob, nodes)
        assert feasible == (timed is not None), (prob, nodes)
        if timed is not None:
            assert timed[0].begin == pytest.approx([depart, *times, arrive]), (prob, nodes)


def _brute_force_insertion(core: CoreModel, nodes: list[int], request: int) -> float | None:
    """The least added cost over every pickup and drop-off position the core schedules."""
    base = core.model.evaluate(0, nodes)
    old = base[1] if nodes else 0.0
    costs = []
    for seq in placements(nodes, request):
        feasible, cost, *_ = core.model.evaluate(0, seq)
        if feasible:
            costs.append(cost - old)
    return min(costs, default=None)


@settings(max_examples=SEEDS, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=2**32))
def test_insertion_screens_drop_only_positions_the_schedule_refuses(seed: int) -> None:
    """The core's insertion skips positions by windows (tightened by the ride limit and the
    direct trip), loads, the riders' ride times and the route's duration before it
    schedules; on routes whose ride limits and duration are drawn tight around a feasible
    schedule, what it finds equals trying every position, and the lower bound the repair
    ranks routes by is no more than that (and infinite only where nothing fits)."""
    rng = random.Random(seed)
    for _ in range(ROUTES_PER_PROBLEM):
        prob, nodes = _feasible_case(rng)
        core = build(prob, prob.requests)
        request = nodes[rng.randrange(len(nodes))] // 2
        rest = [n for n in nodes if n // 2 != request]
        if rest and not core.model.evaluate(0, rest)[0]:
            continue  # the route without it does not schedule: nothing to insert into
        expected = _brute_force_insertion(core, rest, request)
        found, delta, _, bound = core.model.insert(0, rest, request)
        assert found == (expected is not None), (prob, rest, request)
        if expected is not None:
            assert math.isclose(delta, expected, rel_tol=1e-9, abs_tol=1e-6), (prob, rest, request)
            assert bound <= expected + 1e-6, (prob, rest, request)


def test_a_detour_faster_than_the_direct_trip_keeps_its_insertions() -> None:
    """Travel times that break the triangle inequality (here the way from 1 to 3 through
    the other rider's pickup at 2 takes 20, the direct trip 100) must not tighten the windows
    by the direct trip: the only insertion drives through that pickup."""
    time = matrix(
        [
            [0.0, 50.0, 50.0, 50.0],
            [50.0, 0.0, 10.0, 100.0],
            [50.0, 10.0, 0.0, 10.0],
            [50.0, 100.0, 10.0, 0.0],
        ]
    )
    rider = Request("a", 2, 0, Window(0.0, 1000.0), Window(0.0, 1000.0), load=(1, 0))
    # Picked up at 1 (at 50 at the earliest) and set down at 3 by 80: only through 2.
    late = Request("b", 1, 3, Window(0.0, 80.0), Window(0.0, 80.0), load=(1, 0))
    vehicle = Vehicle(
        id="v", capacity=(4, 0), shift=Window(0.0, 1000.0), start_depot=0, end_depot=0
    )
    prob = Problem((rider, late), (vehicle,), time, time, dimensions=("seats", "wheelchair"))
    core = build(prob, prob.requests)
    found, _, route, bound = core.model.insert(0, [0, 1], 1)
    assert found and bound < math.inf
    assert route[1] == [2, 0, 3, 1]  # b's pickup, a's pickup, b's drop-off, a's drop-off
