"""Run cost and the standalone counterfactual on hand-computed cases."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from cost_fixtures import MONDAY_10, trip

from samfard.costs.contracts import Contract, Need, VehicleType
from samfard.costs.pricing import CostBasis, RunFacts, TripFacts, run_cost, standalone_cost
from samfard.errors import InputError
from samfard.timeutil import STOCKHOLM


def run_of(*trips: TripFacts, vehicle: VehicleType = VehicleType.TAXI, **kw: object) -> RunFacts:
    facts: dict[str, object] = {
        "run_id": "r1",
        "vehicle_type": vehicle,
        "start": MONDAY_10,
        "end": MONDAY_10 + timedelta(minutes=45),
        "driven_km": Decimal(30),
        "driving_minutes": Decimal(40),
        "waiting_minutes": Decimal(5),
        "trips": trips,
    }
    facts.update(kw)
    return RunFacts(**facts)  # type: ignore[arg-type]


def test_standalone_car_trip_on_a_weekday_is_the_plain_meter(taxi_2026: Contract) -> None:
    """45 kr + 20 km * 12 kr + 25 min * 3 kr = 360 kr."""
    alone = standalone_cost(taxi_2026, trip("a", "20", "25"))
    assert alone.vehicle_type is VehicleType.TAXI
    assert alone.total == 36000


def test_standalone_night_and_weekend_surcharges_add(taxi_2026: Contract) -> None:
    """Monday 23:00: 360 kr * 1.20; Saturday 23:00: 360 kr * 1.30 (not 1.20 * 1.10)."""
    monday_night = datetime(2026, 11, 23, 23, 0, tzinfo=STOCKHOLM)
    saturday_night = datetime(2026, 11, 21, 23, 0, tzinfo=STOCKHOLM)
    assert standalone_cost(taxi_2026, trip("a", "20", "25", at=monday_night)).total == 43200
    assert standalone_cost(taxi_2026, trip("a", "20", "25", at=saturday_night)).total == 46800


def test_surcharge_is_classified_in_swedish_local_time(taxi_2026: Contract) -> None:
    """21:30 UTC in November is 22:30 in Stockholm: night."""
    from datetime import UTC

    at = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)
    assert standalone_cost(taxi_2026, trip("a", "20", "25", at=at)).total == 43200


def test_wheelchair_trip_takes_cheapest_suitable_vehicle_with_supplement(
    taxi_2026: Contract,
) -> None:
    """90 kr + 20 * 15 kr + 25 * 4 kr + 100 kr supplement = 590 kr; a car cannot carry it."""
    alone = standalone_cost(taxi_2026, trip("w", "20", "25", needs=frozenset({Need.WHEELCHAIR})))
    assert alone.vehicle_type is VehicleType.WHEELCHAIR
    assert alone.total == 59000


def test_stretcher_trip_without_stretcher_price_is_refused(taxi_2026: Contract) -> None:
    no_stretcher = dataclasses.replace(taxi_2026, tariffs=taxi_2026.tariffs[:2])
    with pytest.raises(InputError, match="TX-2026.*trip s"):
        standalone_cost(no_stretcher, trip("s", "20", "25", needs=frozenset({Need.STRETCHER})))


def test_shared_run_cost_is_meter_of_driven_route(taxi_2026: Contract) -> None:
    """45 kr + 30 km * 12 kr + 40 min * 3 kr + 5 min * 5 kr waiting = 550 kr."""
    cost = run_cost(taxi_2026, run_of(trip("a", "20", "25"), trip("b", "15", "20")))
    assert cost.total == 55000
    assert cost.breakdown.waiting_time == 2500
    assert cost.contract_code == "TX-2026" and cost.basis is CostBasis.PLANNED


def test_actual_facts_price_the_same_way(taxi_2026: Contract) -> None:
    """A reported run 2 km longer and 10 min more waiting costs 24 + 50 kr more."""
    planned = run_cost(taxi_2026, run_of(trip("a", "20", "25")))
    actual = run_cost(
        taxi_2026,
        run_of(
            trip("a", "20", "25"),
            driven_km=Decimal(32),
            waiting_minutes=Decimal(15),
            basis=CostBasis.ACTUAL,
        ),
    )
    assert actual.total - planned.total == 2400 + 5000
    assert actual.basis is CostBasis.ACTUAL


def test_supplement_is_charged_per_trip_needing_it(taxi_2026: Contract) -> None:
    wheel = frozenset({Need.WHEELCHAIR})
    run = run_of(
        trip("a", "20", "25", needs=wheel),
        trip("b", "15", "20", needs=wheel),
        trip("c", "15", "20"),
        vehicle=VehicleType.WHEELCHAIR,
    )
    assert run_cost(taxi_2026, run).breakdown.supplements == 20000


def test_own_fleet_run_is_share_of_day_plus_driver_hours_plus_km(own_fleet_2026: Contract) -> None:
    """Half of 1 200 kr + 45 min at 360 kr/h + 30 km * 4 kr = 600 + 270 + 120 kr."""
    cost = run_cost(own_fleet_2026, run_of(trip("a", "20", "25"), vehicle_day_share=Decimal("0.5")))
    assert cost.breakdown.fixed == 60000
    assert cost.breakdown.driver == 27000
    assert cost.breakdown.distance == 12000
    assert cost.total == 99000


def test_run_outside_contract_period_is_refused_by_local_date(taxi_2026: Contract) -> None:
    """00:10 on 1 January 2027 in Stockholm is still 2026 in UTC, but the contract has ended."""
    last_evening = datetime(2026, 12, 31, 23, 30, tzinfo=STOCKHOLM)
    run_cost(
        taxi_2026,
        run_of(
            trip("a", "1", "1", at=last_evening),
            start=last_evening,
            end=last_evening + timedelta(minutes=5),
        ),
    )
    new_year = datetime(2027, 1, 1, 0, 10, tzinfo=STOCKHOLM)
    with pytest.raises(InputError, match="TX-2026.*2027-01-01"):
        run_cost(
            taxi_2026,
            run_of(
                trip("a", "1", "1", at=new_year),
                start=new_year,
                end=new_year + timedelta(minutes=5),
            ),
        )


def test_run_with_a_trip_the_vehicle_cannot_carry_is_refused() -> None:
    with pytest.raises(InputError, match="trip s needs stretcher"):
        run_of(trip("s", "1", "1", needs=frozenset({Need.STRETCHER})))


def test_naive_times_are_refused() -> None:
    with pytest.raises(InputError, match="time zone"):
        run_of(trip("a", "1", "1"), start=datetime(2026, 11, 23, 10, 0))


def test_same_run_priced_under_own_fleet_and_procured_contract(
    taxi_2026: Contract, own_fleet_2026: Contract
) -> None:
    """What-if own fleet versus procured: one run, two contracts. Taxi 550 kr (see above);
    own fleet with the run as the vehicle's only one that day: 1 200 + 270 + 120 kr."""
    run = run_of(trip("a", "20", "25"), trip("b", "15", "20"))
    assert run_cost(taxi_2026, run).total == 55000
    assert run_cost(own_fleet_2026, run).total == 159000


def test_pickup_outside_the_contract_area_is_refused(taxi_2026: Contract) -> None:
    """TX-2026 serves Östersund (2380) and Krokom (2309), not Sundsvall (2281)."""
    inside = dataclasses.replace(trip("a", "5", "10"), municipality="2380")
    outside = dataclasses.replace(trip("b", "5", "10"), municipality="2281")
    run_cost(taxi_2026, run_of(inside))
    with pytest.raises(InputError, match="TX-2026 does not serve municipality 2281") as caught:
        run_cost(taxi_2026, run_of(inside, outside))
    assert caught.value.field == "area"
    with pytest.raises(InputError, match="trip b"):
        standalone_cost(taxi_2026, outside)


def test_own_fleet_standalone_bears_the_runs_vehicle_day_share(own_fleet_2026: Contract) -> None:
    """Half of 1 200 kr + 25 min at 360 kr/h + 20 km * 4 kr = 600 + 150 + 80 kr."""
    run = run_of(trip("a", "20", "25"), vehicle_day_share=Decimal("0.5"))
    alone = standalone_cost(own_fleet_2026, trip("a", "20", "25"), run)
    assert alone.total == 83000


def test_own_fleet_standalone_bears_the_runs_idle_shift_and_empty_km(
    own_fleet_2026: Contract,
) -> None:
    """The driver is paid while idle and the vehicle drives empty to the depot: a trip
    driven alone would still bear the run's part of both. Half of 1 200 kr + (25 + 35) min
    at 360 kr/h + (20 + 5) km * 4 kr = 600 + 360 + 100 kr."""
    run = run_of(
        trip("a", "20", "25"),
        vehicle_day_share=Decimal("0.5"),
        idle_minutes=Decimal(35),
        empty_km=Decimal(5),
    )
    assert standalone_cost(own_fleet_2026, trip("a", "20", "25"), run).total == 106000
