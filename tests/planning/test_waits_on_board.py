"""Waiting with someone on board, paid per minute (`Vehicle.cost_per_loaded_wait`).

On the straight road of planning_fixtures (10 minutes between neighbouring places): the car
must pick C up at place 1 at exactly 10 minutes, so it cannot leave the depot later; after
C it picks A up at place 3 and then B at place 4, whose window opens at 100 minutes. Picked
up as early as possible, A would sit in the car for an hour while it waits for B; the
scheduler picks A up an hour later instead, whether the wait is paid or not, and the
verifier prices what is left. The same holds for a wait for a drop-off window to open.
"""

from __future__ import annotations

import dataclasses

import pytest
from planning_fixtures import DAY, problem, request, vehicle

from samfard.planning.insertion_schedule import route_visits, schedule
from samfard.planning.model import Problem, Route, Solution, Stop, StopKind, Window
from samfard.planning.native_engine import build
from samfard.planning.verifier import route_cost, verify

RATE = 0.5  # per second waiting with someone on board
ORDER = [0, 1, 2, 4, 3, 5]  # C picked up, C dropped, A picked up, B picked up, A, B dropped


def _problem(rate: float) -> Problem:
    c = request("C", 1, 2, earliest=600.0, latest=600.0)
    a = request("A", 3, 6)
    b = request("B", 4, 6, earliest=6000.0, latest=6600.0)
    taxi = vehicle("v", cost_per_transit_time=0.1, cost_per_loaded_wait=rate)
    return problem([c, a, b], [taxi])


def _route(prob: Problem, a_pickup: float) -> Route:
    stops = (
        Stop(StopKind.START, 0, 0.0),
        Stop(StopKind.PICKUP, 1, 600.0, "C"),
        Stop(StopKind.DROPOFF, 2, 1200.0, "C"),
        Stop(StopKind.PICKUP, 3, a_pickup, "A"),
        Stop(StopKind.PICKUP, 4, 6000.0, "B"),
        Stop(StopKind.DROPOFF, 6, 7200.0, "A"),
        Stop(StopKind.DROPOFF, 6, 7200.0, "B"),
        Stop(StopKind.END, 0, 10800.0),
    )
    return Route("v", stops)


def test_the_verifier_prices_every_second_waited_with_someone_on_board() -> None:
    prob = _problem(RATE)
    early, late = _route(prob, 1800.0), _route(prob, 5400.0)
    taxi = prob.vehicles[0]
    # Picked up at 30 min, A waits 60 min at B's place; the two routes differ by that wait
    # (and nothing else: A's transit time is priced per arc, not per ride).
    assert route_cost(prob, taxi, early) - route_cost(prob, taxi, late) == pytest.approx(
        RATE * 3600.0
    )
    unpaid = dataclasses.replace(taxi, cost_per_loaded_wait=0.0)
    assert route_cost(prob, unpaid, early) == pytest.approx(route_cost(prob, unpaid, late))
    # An empty car waiting costs nothing: C's pickup at 10 min after a start at 0 is exact.
    for route in (early, late):
        solution = Solution((route,), (), route_cost(prob, taxi, route))
        assert verify(prob, solution).ok


@pytest.mark.parametrize("rate", [RATE, 0.0])
def test_the_core_moves_a_wait_on_board_to_before_the_stretch(rate: float) -> None:
    """A is picked up at 90 min, just in time for B, whether the carrier bills the wait or
    not: a traveller does not sit in a parked car where the stretch could start later.
    Either way the core's cost is the verifier's."""
    prob = _problem(rate)
    core = build(prob, prob.requests)
    feasible, cost, times, depart, arrive = core.model.evaluate(0, ORDER)
    assert feasible
    assert times[2] == pytest.approx(5400.0)  # A's pickup, third stop
    assert times[3] == pytest.approx(6000.0)  # B's window opens
    route = core.route((0, ORDER, times, depart, arrive, cost))
    assert cost == pytest.approx(route_cost(prob, prob.vehicles[0], route))


@pytest.mark.parametrize("rate", [RATE, 0.0])
def test_live_insertion_schedules_the_route_as_the_core_does(rate: float) -> None:
    """Live insertion times the chosen route again in Python (`insertion_schedule`): it
    starts A's stretch as late as the core does, so the promise it gives is the core's."""
    prob = _problem(rate)
    taxi = prob.vehicles[0]
    c, a, b = prob.requests
    pickup, dropoff = StopKind.PICKUP, StopKind.DROPOFF
    stops = [(c, pickup), (c, dropoff), (a, pickup), (b, pickup), (a, dropoff), (b, dropoff)]
    visits = route_visits(taxi, stops)
    timed = schedule(visits, taxi, prob)
    assert timed is not None
    line, _ = timed
    assert line.begin[3] == pytest.approx(5400.0)
    assert line.begin[4] == pytest.approx(6000.0)


@pytest.mark.parametrize("rate", [RATE, 0.0])
def test_nobody_waits_in_the_car_for_a_drop_off_window_to_open(rate: float) -> None:
    """A is due at place 6 no earlier than 100 min (an appointment's arrival window).
    Picked up as early as the route allows, at 30 min, A would reach place 6 at 60 min and
    sit in the parked car for 40 minutes; the core and live insertion pick A up at 70 min
    instead, and A arrives as the window opens."""
    c = request("C", 1, 2, earliest=600.0, latest=600.0)
    a = dataclasses.replace(request("A", 3, 6), dropoff_window=Window(6000.0, DAY))
    taxi = vehicle("v", cost_per_transit_time=0.1, cost_per_loaded_wait=rate)
    prob = problem([c, a], [taxi])
    order = [0, 1, 2, 3]
    core = build(prob, prob.requests)
    feasible, cost, times, depart, arrive = core.model.evaluate(0, order)
    assert feasible
    assert times[2:] == pytest.approx([4200.0, 6000.0])
    route = core.route((0, order, times, depart, arrive, cost))
    assert cost == pytest.approx(route_cost(prob, taxi, route))
    pickup, dropoff = StopKind.PICKUP, StopKind.DROPOFF
    stops = [(c, pickup), (c, dropoff), (a, pickup), (a, dropoff)]
    timed = schedule(route_visits(taxi, stops), taxi, prob)
    assert timed is not None
    assert timed[0].begin[3:5] == pytest.approx([4200.0, 6000.0])


def test_a_wait_the_windows_force_is_paid() -> None:
    """A's own window ends at 40 min: the car must wait with A until B's window opens, and
    the core and the verifier both charge the 50 minutes."""
    prob = _problem(RATE)
    a = dataclasses.replace(prob.requests[1], pickup_window=Window(0.0, 2400.0))
    prob = dataclasses.replace(prob, requests=(prob.requests[0], a, prob.requests[2]))
    core = build(prob, prob.requests)
    feasible, cost, times, depart, arrive = core.model.evaluate(0, ORDER)
    assert feasible and times[2] == pytest.approx(2400.0)
    route = core.route((0, ORDER, times, depart, arrive, cost))
    taxi = prob.vehicles[0]
    unpaid = dataclasses.replace(taxi, cost_per_loaded_wait=0.0)
    assert cost == pytest.approx(route_cost(prob, taxi, route))
    assert cost - route_cost(prob, unpaid, route) == pytest.approx(RATE * 3000.0)


@pytest.mark.parametrize("rate", [RATE, 0.0])
def test_a_ride_too_long_later_in_the_route_keeps_nobody_waiting_on_board(rate: float) -> None:
    """A is picked up at place 1 at exactly 10 min and B at the same place; B is set down
    at place 2 (by 50 min), A at place 3. Much later C is due at place 5 no earlier than
    150 min and may ride 20 min at most, so C's pickup must wait: the earliest schedule has
    C riding 50 min. Only C's pickup needs delaying. Delaying every pickup before it, as
    Cordeau and Laporte's procedure does, also picked B up half an hour late, with A
    waiting in the car (found by comparing the engines on random problems, 2026-12-05)."""
    a = request("A", 1, 3, earliest=600.0, latest=600.0)
    b = dataclasses.replace(request("B", 1, 2, earliest=600.0), dropoff_window=Window(0.0, 3000.0))
    c = dataclasses.replace(
        request("C", 4, 5, earliest=6000.0, latest=9000.0),
        dropoff_window=Window(9000.0, DAY),
        max_ride=1200.0,
    )
    taxi = vehicle("v", cost_per_transit_time=0.1, cost_per_loaded_wait=rate)
    prob = problem([a, b, c], [taxi])
    order = [0, 2, 3, 1, 4, 5]  # A and B picked up, B and A set down, C
    core = build(prob, prob.requests)
    feasible, cost, times, depart, arrive = core.model.evaluate(0, order)
    assert feasible
    assert times == pytest.approx([600.0, 600.0, 1200.0, 1800.0, 8400.0, 9000.0])
    route = core.route((0, order, times, depart, arrive, cost))
    unpaid = dataclasses.replace(taxi, cost_per_loaded_wait=0.0)
    assert cost == pytest.approx(route_cost(prob, taxi, route))
    assert cost == pytest.approx(route_cost(prob, unpaid, route))  # no wait on board
    pickup, dropoff = StopKind.PICKUP, StopKind.DROPOFF
    stops = [(a, pickup), (b, pickup), (b, dropoff), (a, dropoff), (c, pickup), (c, dropoff)]
    timed = schedule(route_visits(taxi, stops), taxi, prob)
    assert timed is not None
    assert timed[0].begin[1:-1] == pytest.approx(times)
