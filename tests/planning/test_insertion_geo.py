"""Live insertion on real places with geodesic travel times (the offline default)."""

from __future__ import annotations

from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.planning.insertion import Insertion, Refusal, ScreeningCache, insert, with_request
from samfard.planning.model import Problem, Request, Solution, Vehicle, VehicleType, Window, matrix
from samfard.planning.verifier import verify

PLACES = {
    "Östersund": Point(63.1767, 14.6361),
    "Frösön": Point(63.1900, 14.5700),
    "Brunflo": Point(63.0770, 14.8190),
    "Lit": Point(63.3160, 14.8500),
    "Östersunds sjukhus": Point(63.1710, 14.6590),
    "Funäsdalen": Point(62.5440, 12.5470),
}
NAMES = list(PLACES)
H = 3600.0


def at(name: str) -> int:
    return NAMES.index(name)


def jamtland() -> Problem:
    m = GeodesicProvider().matrix(list(PLACES.values()))
    day = Window(6 * H, 20 * H)
    vehicles = (
        Vehicle("taxi-ost", (4, 0, 0), day, at("Östersund"), at("Östersund"), fixed_cost=30_000),
        Vehicle(
            "rullstol-ost",
            (3, 1, 0),
            day,
            at("Östersund"),
            at("Östersund"),
            type=VehicleType.WHEELCHAIR,
            fixed_cost=30_000,
        ),
    )
    return Problem((), vehicles, matrix(m.durations.tolist()), matrix(m.distances.tolist()))


def to_hospital(rid: str, home: str, arrive_h: float, **kw: object) -> Request:
    """Arrive at the hospital within the 45 minutes before the appointment."""
    arrive = arrive_h * H
    fields: dict[str, object] = {
        "pickup_window": Window(arrive - 3 * H, arrive - 0.25 * H),
        "dropoff_window": Window(arrive - 0.75 * H, arrive),
        "pickup_service": 120.0,
        "max_ride": 1.5 * H,
    }
    fields.update(kw)
    return Request(rid, at(home), at("Östersunds sjukhus"), **fields)  # type: ignore[arg-type]


def test_trips_to_the_hospital_share_a_taxi_where_cheaper_and_every_plan_verifies() -> None:
    """With a second vehicle costing as much as 30 km of driving, the Brunflo patient joins
    the Lit patient's taxi (a small detour); Frösön, on the other side of town, would cost
    a detour of over 40 km and gets the second vehicle."""
    problem, solution, cache = jamtland(), Solution(()), ScreeningCache()
    for rid, home in (("lit", "Lit"), ("brunflo", "Brunflo"), ("froson", "Frösön")):
        result = insert(problem, solution, to_hospital(rid, home, 10), cache=cache)
        assert isinstance(result, Insertion), result
        problem, solution = with_request(problem, result.request), result.solution
        report = verify(problem, solution)
        assert report.ok, [str(v) for v in report.violations]
    assert {r.vehicle_id: set(r.request_ids()) for r in solution.routes} == {
        "taxi-ost": {"lit", "brunflo"},
        "rullstol-ost": {"froson"},
    }


def test_funasdalen_trip_that_cannot_arrive_in_time_is_refused_with_a_reason() -> None:
    """Funäsdalen is 2.6 h from Östersund: an 07:00 appointment cannot be reached from a
    06:00 shift start, and the refusal says windows are the obstacle."""
    result = insert(jamtland(), Solution(()), to_hospital("far", "Funäsdalen", 7))
    assert isinstance(result, Refusal)
    assert "window" in result.message
