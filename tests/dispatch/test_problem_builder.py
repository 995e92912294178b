"""The problem builder turns booking legs into planner requests with the documented defaults."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from samfard.dispatch.leg_request import tolerance_minutes
from samfard.dispatch.planning_inputs import (
    FleetVehicle,
    LegInput,
    PlanningDefaults,
    moment_at,
    seconds_of,
)
from samfard.dispatch.problem_builder import build_problem
from samfard.errors import InputError
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.timeutil import local

DAY = date(2026, 11, 23)
OSTERSUND = Point(63.1767, 14.6361)
BRUNFLO = Point(63.0770, 14.8190)
SUNDSVALL = Point(62.3908, 17.3069)


def leg(**changes: object) -> LegInput:
    base: dict[str, object] = {
        "booking_id": 1,
        "leg_id": 10,
        "leg_seq": 0,
        "origin": BRUNFLO,
        "destination": OSTERSUND,
        "requested_pickup_at": local(DAY, time(9, 0)),
        "appointment_at": None,
        "promised_from": None,
        "promised_until": None,
        "needs": (),
        "companions": 0,
        "purpose": None,
        "same_municipality": True,
        "decision": None,
    }
    base.update(changes)
    return LegInput(**base)  # type: ignore[arg-type]


def vehicle(vehicle_id: int = 1, *, wheelchair: int = 0, stretcher: int = 0) -> FleetVehicle:
    return FleetVehicle(
        vehicle_id=vehicle_id,
        vehicle_type="stretcher" if stretcher else ("wheelchair" if wheelchair else "taxi"),
        seats=4,
        wheelchair_places=wheelchair,
        stretcher_places=stretcher,
        depot=OSTERSUND,
        shift_start=time(6),
        shift_end=time(20),
        cost_per_km_ore=1200,
        cost_per_hour_ore=42000,
        fixed_cost_ore=15000,
    )


def test_pickup_leg_gets_plus_minus_15_min_and_30_min_extra_ride_within_the_municipality() -> None:
    day = build_problem(DAY, [leg()], [vehicle()], GeodesicProvider())
    request = day.problem.requests[0]
    nine = seconds_of(DAY, local(DAY, time(9)))
    assert request.pickup_window.earliest == nine - 900
    assert request.pickup_window.latest == nine + 900
    direct = day.problem.time[request.pickup][request.dropoff]
    assert request.max_ride == direct + 30 * 60
    assert request.load == (1, 0, 0)


def test_extra_ride_is_60_min_beyond_the_municipality_and_45_for_dialysis() -> None:
    far = build_problem(DAY, [leg(same_municipality=False)], [vehicle()], GeodesicProvider())
    dialysis = build_problem(DAY, [leg(purpose="dialysis")], [vehicle()], GeodesicProvider())
    for day, extra in ((far, 60), (dialysis, 45)):
        r = day.problem.requests[0]
        assert r.max_ride == day.problem.time[r.pickup][r.dropoff] + extra * 60


def test_appointment_leg_arrives_within_30_minutes_before_the_appointment() -> None:
    appointment = local(DAY, time(10, 0))
    day = build_problem(
        DAY,
        [leg(requested_pickup_at=None, appointment_at=appointment)],
        [vehicle()],
        GeodesicProvider(),
    )
    r = day.problem.requests[0]
    at = seconds_of(DAY, appointment)
    assert r.dropoff_window.latest == at - r.dropoff_service
    assert r.dropoff_window.earliest == at - r.dropoff_service - 30 * 60
    direct = day.problem.time[r.pickup][r.dropoff]
    assert r.pickup_window.latest + r.pickup_service + direct <= r.dropoff_window.latest


def test_decision_tolerance_overrides_the_defaults_and_bad_values_fall_back() -> None:
    decision = {
        "tolerance": {"pickup_before_min": 5, "pickup_after_min": 10, "max_extra_ride_min": 20}
    }
    assert tolerance_minutes(decision) == (5, 10, 20)
    assert tolerance_minutes({"tolerance": {"pickup_before_min": "5"}}) is None
    assert tolerance_minutes(None) is None
    day = build_problem(DAY, [leg(decision=decision)], [vehicle()], GeodesicProvider())
    r = day.problem.requests[0]
    nine = seconds_of(DAY, local(DAY, time(9)))
    assert (r.pickup_window.earliest, r.pickup_window.latest) == (nine - 300, nine + 600)
    assert r.max_ride == day.problem.time[r.pickup][r.dropoff] + 20 * 60


def test_wheelchair_stretcher_and_companions_take_their_places_and_longer_service() -> None:
    fleet = [vehicle(1), vehicle(2, wheelchair=2), vehicle(3, stretcher=1)]
    legs = [
        leg(booking_id=1, needs=("wheelchair",), companions=1),
        leg(booking_id=2, needs=("stretcher",)),
        leg(booking_id=3, companions=2, needs=("ride_alone", "front_seat")),
    ]
    day = build_problem(DAY, legs, fleet, GeodesicProvider())
    wheel, stretcher, seated = day.problem.requests
    assert wheel.load == (1, 1, 0) and stretcher.load == (0, 0, 1) and seated.load == (3, 0, 0)
    assert stretcher.pickup_service > wheel.pickup_service > seated.pickup_service
    assert seated.ride_alone and seated.front_seat and not wheel.ride_alone


def test_leg_no_vehicle_can_carry_is_rejected_with_a_reason_not_an_error() -> None:
    day = build_problem(
        DAY, [leg(needs=("stretcher",)), leg(leg_seq=1)], [vehicle()], GeodesicProvider()
    )
    assert [r.id for r in day.problem.requests] == ["b1.1"]
    assert day.rejected[0][0] == "b1.0" and "stretcher" in day.rejected[0][1]


def test_an_existing_promise_is_kept_even_outside_todays_tolerance() -> None:
    promised = (local(DAY, time(8, 20)), local(DAY, time(8, 35)))
    day = build_problem(
        DAY,
        [leg(promised_from=promised[0], promised_until=promised[1])],
        [vehicle()],
        GeodesicProvider(),
    )
    r = day.problem.requests[0]
    assert r.promised_pickup is not None
    assert r.effective_pickup_window.earliest == seconds_of(DAY, promised[0])
    assert r.effective_pickup_window.latest == seconds_of(DAY, promised[1])


def test_same_coordinates_share_one_matrix_location() -> None:
    day = build_problem(DAY, [leg(), leg(leg_seq=1)], [vehicle()], GeodesicProvider())
    assert day.problem.location_count() == 2  # Östersund (depot and destination), Brunflo


def test_times_are_elapsed_seconds_on_a_daylight_saving_day() -> None:
    """On 29 March 2026 clocks jump 02:00 -> 03:00: 09:00 local is 8 h after midnight."""
    spring = date(2026, 3, 29)
    nine = local(spring, time(9))
    assert seconds_of(spring, nine) == 8 * 3600
    assert moment_at(spring, 8 * 3600) == nine
    assert isinstance(moment_at(spring, 0), datetime)


def test_empty_fleet_and_bad_defaults_are_refused_with_the_fix() -> None:
    with pytest.raises(InputError, match="samfard fleet-demo"):
        build_problem(DAY, [leg()], [], GeodesicProvider())
    with pytest.raises(InputError, match="arrival_slack_min"):
        PlanningDefaults(arrival_slack_min=-1)
