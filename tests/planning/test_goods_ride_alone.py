"""Goods ride with a ride-alone traveller (ensamåkning is about people), in the verifier,
in every engine and in live insertion (native core and the Python screen alike)."""

from __future__ import annotations

import pytest
from planning_fixtures import engine, native, problem, request, vehicle

from samfard.planning.insertion import Insertion, InsertionSettings, insert
from samfard.planning.insertion_engine import InsertionEngine
from samfard.planning.model import Problem, Request, Route, Solution, Stop, StopKind
from samfard.planning.verifier import ViolationKind, route_cost, verify

DIMENSIONS = ("seats", "wheelchair", "stretcher", "goods")
CAR = (3, 0, 0, 2)  # three seats and room for two goods units


def alone() -> Request:
    """A traveller who rides alone from place 1 to place 5, picked up 10-15 min."""
    return request("alone", 1, 5, earliest=600, latest=900, load=(1, 0, 0, 0), ride_alone=True)


def parcel(*, goods: bool = True) -> Request:
    """One unit from place 2 to place 4, loaded 20-23 min: only on the way of `alone`."""
    return request(
        "parcel",
        2,
        4,
        earliest=1200,
        latest=1400,
        load=(0, 0, 0, 1) if goods else (1, 0, 0, 0),
        goods=goods,
    )


def interleaved(*, goods: bool = True) -> tuple[Problem, Solution]:
    p = problem(
        [alone(), parcel(goods=goods)], [vehicle("car", capacity=CAR)], dimensions=DIMENSIONS
    )
    stops = (
        Stop(StopKind.START, 0, 0.0),
        Stop(StopKind.PICKUP, 1, 600.0, "alone"),
        Stop(StopKind.PICKUP, 2, 1200.0, "parcel"),
        Stop(StopKind.DROPOFF, 4, 2400.0, "parcel"),
        Stop(StopKind.DROPOFF, 5, 3000.0, "alone"),
        Stop(StopKind.END, 0, 6000.0),
    )
    route = Route("car", stops)
    return p, Solution((route,), (), route_cost(p, p.vehicles[0], route))


def carrying_only(p: Problem, rid: str, pickup: float, dropoff: float, home: float) -> Solution:
    """A plan whose one car carries request `rid` alone: picked up and set down at those
    times, back at the depot at `home`."""
    r = p.request(rid)
    route = Route(
        "car",
        (
            Stop(StopKind.START, 0, 0.0),
            Stop(StopKind.PICKUP, r.pickup, pickup, rid),
            Stop(StopKind.DROPOFF, r.dropoff, dropoff, rid),
            Stop(StopKind.END, 0, home),
        ),
    )
    return Solution((route,), (), route_cost(p, p.vehicles[0], route))


def test_the_verifier_lets_goods_ride_with_a_ride_alone_traveller() -> None:
    p, solution = interleaved(goods=True)
    report = verify(p, solution)
    assert report.ok, report.violations


def test_the_verifier_still_refuses_a_second_passenger_on_a_ride_alone_trip() -> None:
    p, solution = interleaved(goods=False)
    report = verify(p, solution)
    assert [v.kind for v in report.violations] == [ViolationKind.RIDE_ALONE]


ENGINES = {
    "native": lambda: native(300),
    "ortools": lambda: engine(200),
    "insertion": InsertionEngine,
}


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_engine_carries_the_parcel_during_the_ride_alone_trip(name: str) -> None:
    """One car, and the parcel's window opens only while the ride-alone traveller is on
    board: serving both needs goods on board with them."""
    p = problem(
        [alone(), parcel()],
        [vehicle("car", capacity=CAR)],
        dimensions=DIMENSIONS,
    )
    solution = ENGINES[name]().solve(p, time_limit_s=5.0, seed=1)
    report = verify(p, solution)
    assert report.ok, report.violations
    assert not solution.unserved, solution.unserved
    (route,) = solution.routes
    order = [(s.kind, s.request_id) for s in route.stops if s.request_id]
    # The parcel is loaded while the traveller rides (it may be unloaded after them).
    assert order[:2] == [(StopKind.PICKUP, "alone"), (StopKind.PICKUP, "parcel")]


def goods_marked_alone() -> Problem:
    """A consignment marked ride-alone from place 1 to place 5, and a passenger whose
    window opens only while it is on board: the mark restricts nobody, for the rule is
    about people (as the verifier reads it)."""
    consignment = request(
        "crate", 1, 5, earliest=600, latest=900, load=(0, 0, 0, 1), goods=True, ride_alone=True
    )
    passenger = request("rider", 2, 4, earliest=1200, latest=1400, load=(1, 0, 0, 0))
    return problem([consignment, passenger], [vehicle("car", capacity=CAR)], dimensions=DIMENSIONS)


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_engine_seats_a_passenger_beside_goods_marked_ride_alone(name: str) -> None:
    """The native core counted a consignment's ride-alone mark and left the passenger out
    (found by comparing the engines on random problems, 2026-12-05)."""
    p = goods_marked_alone()
    solution = ENGINES[name]().solve(p, time_limit_s=5.0, seed=1)
    assert verify(p, solution).ok
    assert not solution.unserved, solution.unserved


@pytest.mark.parametrize("core", ["native", "python"])
def test_live_insertion_seats_a_passenger_beside_goods_marked_ride_alone(core: str) -> None:
    p = goods_marked_alone()
    planned = carrying_only(p, "crate", 600.0, 3000.0, 6000.0)
    answer = insert(p, planned, p.request("rider"), InsertionSettings(engine=core))
    assert isinstance(answer, Insertion), answer
    assert verify(p, answer.solution).ok


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_no_engine_seats_a_passenger_beside_a_ride_alone_traveller(name: str) -> None:
    p = problem(
        [alone(), parcel(goods=False)],
        [vehicle("car", capacity=CAR)],
        dimensions=DIMENSIONS,
    )
    solution = ENGINES[name]().solve(p, time_limit_s=5.0, seed=1)
    assert verify(p, solution).ok
    assert len(solution.unserved) == 1


@pytest.mark.parametrize("core", ["native", "python"])
def test_live_insertion_loads_goods_into_a_ride_alone_trip(core: str) -> None:
    """The ride-alone trip is planned; the parcel is inserted into its route (the C++ core
    and the Python screen agree)."""
    p, _ = interleaved()
    planned = carrying_only(p, "alone", 600.0, 3000.0, 6000.0)
    answer = insert(p, planned, p.request("parcel"), InsertionSettings(engine=core))
    assert isinstance(answer, Insertion), answer
    assert verify(p, answer.solution).ok
    order = [s.request_id for s in answer.solution.routes[0].stops if s.request_id]
    assert order[:2] == ["alone", "parcel"]


@pytest.mark.parametrize("core", ["native", "python"])
def test_live_insertion_seats_a_ride_alone_traveller_around_goods_on_board(core: str) -> None:
    """The parcel is planned; the ride-alone traveller is inserted around it."""
    p, _ = interleaved()
    planned = carrying_only(p, "parcel", 1200.0, 2400.0, 4800.0)
    answer = insert(p, planned, p.request("alone"), InsertionSettings(engine=core))
    assert isinstance(answer, Insertion), answer
    assert verify(p, answer.solution).ok
    order = [s.request_id for s in answer.solution.routes[0].stops if s.request_id]
    assert order[:2] == ["alone", "parcel"]


def test_goods_count_on_their_own_dimension_only() -> None:
    """Three parcels of one unit do not fit a car with room for two, whatever its seats."""
    parcels = [
        request(f"p{k}", 2, 4, earliest=1200, latest=1400, load=(0, 0, 0, 1), goods=True)
        for k in range(3)
    ]
    p = problem(parcels, [vehicle("car", capacity=CAR)], dimensions=DIMENSIONS)
    solution = native(300).solve(p, time_limit_s=5.0, seed=1)
    assert verify(p, solution).ok
    assert len(solution.unserved) == 1
