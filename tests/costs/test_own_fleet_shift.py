"""The own fleet pays its driver for the whole shift and drives the empty legs too."""

from __future__ import annotations

from decimal import Decimal

from samfard.costs.allocation import settle_run
from samfard.costs.contracts import FleetCostModel, VehicleType, find_contract
from samfard.costs.stretches import route_km, run_facts
from samfard.geo.traveltime import GeodesicProvider
from samfard.money import times
from shift_fixtures import DAY, demo_contracts, two_trip_route, vehicle

OWN = "Region Jämtland Härjedalen egen regi"


def test_an_own_vehicle_costs_its_whole_shift_with_on_costs_and_every_km() -> None:
    """Two trips on a 07-16 shift: the stretches together cost the vehicle-day, nine paid
    driver hours with the employer's on-cost and every km depot to depot, to within one
    öre per stretch and component (each is rounded on its own)."""
    v = vehicle(OWN)
    run, legs, bookings = two_trip_route(v)
    provider = GeodesicProvider()
    contract = find_contract(
        demo_contracts(), carrier=OWN, vehicle_type=VehicleType.WHEELCHAIR, day=DAY
    )
    tariff = contract.tariff_for(VehicleType.WHEELCHAIR)
    assert isinstance(tariff, FleetCostModel) and tariff.driver_on_cost_pct > 0
    stretches = run_facts(run, legs, bookings, provider, own_fleet=True, day=DAY)
    assert len(stretches) == 2
    settled = [settle_run(contract, facts) for facts in stretches]
    driver = sum(s.cost.breakdown.driver for s in settled)
    fixed = sum(s.cost.breakdown.fixed for s in settled)
    distance = sum(s.cost.breakdown.distance for s in settled)
    nine_hours = times(tariff.driver_per_hour * (1 + tariff.driver_on_cost_pct / 100), 9)
    assert abs(driver - nine_hours) <= 2
    assert abs(fixed - tariff.fixed_per_vehicle_day) <= 2
    km = route_km(run, legs, provider)
    assert abs(distance - times(tariff.per_km, km)) <= 2
    assert sum(f.driven_km + f.empty_km for f in stretches) == km
    total = sum(s.cost.total for s in settled)
    whole_shift = tariff.fixed_per_vehicle_day + nine_hours + times(tariff.per_km, km)
    assert abs(total - whole_shift) <= 6
    assert sum(f.vehicle_day_share for f in stretches) == Decimal(1)


def test_a_procured_vehicle_bills_only_its_stretches() -> None:
    v = vehicle("Demo Taxi Jämtland Härjedalen")
    run, legs, bookings = two_trip_route(v)
    stretches = run_facts(run, legs, bookings, GeodesicProvider(), own_fleet=False, day=DAY)
    assert [(f.idle_minutes, f.empty_km) for f in stretches] == [(0, 0), (0, 0)]
