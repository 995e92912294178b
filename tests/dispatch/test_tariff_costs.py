"""The planner weighs each vehicle by its contract, so what it plans cheapest is what
settlement pays least (dispatch.tariffs states where it approximates)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from sqlalchemy.orm import Session

from samfard.booking.models import Booking, Leg
from samfard.costs.allocation import settle_run
from samfard.costs.contracts import Contract, VehicleType, find_contract
from samfard.costs.service import load_contract_files
from samfard.costs.stretches import run_facts, shift_minutes
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.fleet import KINDS
from samfard.dispatch.models import Run, Vehicle
from samfard.dispatch.problem_builder import FleetVehicle, LegInput, build_problem
from samfard.dispatch.tariffs import planning_costs
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.planning.model import Route, StopKind
from samfard.planning.model import Stop as PlanStop
from samfard.planning.solve import plan
from samfard.planning.verifier import route_cost
from samfard.timeutil import local
from shift_fixtures import BRUNFLO, DAY, OSTERSUND, demo_contracts, two_trip_route, vehicle

TAXI = "Demo Taxi Jämtland Härjedalen"
OWN = "Region Jämtland Härjedalen egen regi"


def _leg_input(leg: Leg, booking: Booking, at: time) -> LegInput:
    return LegInput(
        booking_id=booking.id,
        leg_id=leg.id,
        leg_seq=leg.seq,
        origin=Point(leg.origin_lat, leg.origin_lon),
        destination=Point(leg.destination_lat, leg.destination_lon),
        requested_pickup_at=local(DAY, at),
        appointment_at=None,
        promised_from=None,
        promised_until=None,
        needs=tuple(booking.needs),
        companions=0,
        purpose=None,
        same_municipality=False,
    )


def _fleet_vehicle(v: Vehicle, contract: Contract, day: date) -> FleetVehicle:
    kind = VehicleType(v.vehicle_type)
    return FleetVehicle(
        vehicle_id=v.id,
        vehicle_type=v.vehicle_type,
        seats=v.seats,
        wheelchair_places=v.wheelchair_places,
        stretcher_places=v.stretcher_places,
        depot=Point(v.depot_lat, v.depot_lon),
        shift_start=v.shift_start,
        shift_end=v.shift_end,
        cost_per_km_ore=v.cost_per_km_ore,
        cost_per_hour_ore=v.cost_per_hour_ore,
        fixed_cost_ore=v.fixed_cost_ore,
        tariff=planning_costs(contract, kind, day, Decimal(9 * 60)),
    )


def _objective_and_settled(carrier: str) -> tuple[float, list[object], Run]:
    """The planning objective of the two-trip route and its settled stretches."""
    v = vehicle(carrier)
    run, legs, bookings = two_trip_route(v)
    provider = GeodesicProvider()
    contract = find_contract(
        demo_contracts(), carrier=carrier, vehicle_type=VehicleType.WHEELCHAIR, day=DAY
    )
    inputs = [
        _leg_input(legs[10], bookings[1], time(8, 0)),
        _leg_input(legs[20], bookings[2], time(10, 0)),
    ]
    day = build_problem(DAY, inputs, [_fleet_vehicle(v, contract, DAY)], provider)
    problem, planned = day.problem, day.problem.vehicles[0]
    where = {r.id: (r.pickup, r.dropoff) for r in problem.requests}
    stops = [PlanStop(StopKind.START, planned.start_depot, day.seconds(run.start_at))]
    for stop in run.stops:
        pickup, dropoff = where[f"b{stop.booking_id}.{stop.leg_seq}"]
        kind = StopKind.PICKUP if stop.kind == "pickup" else StopKind.DROPOFF
        location = pickup if kind is StopKind.PICKUP else dropoff
        request_id = f"b{stop.booking_id}.{stop.leg_seq}"
        stops.append(PlanStop(kind, location, day.seconds(stop.planned_at), request_id))
    stops.append(PlanStop(StopKind.END, planned.end_depot, day.seconds(run.end_at)))
    objective = route_cost(problem, planned, Route(planned.id, tuple(stops)))
    own = contract.own_fleet
    settled = [
        settle_run(contract, facts)
        for facts in run_facts(run, legs, bookings, provider, own_fleet=own, day=DAY)
    ]
    return objective, settled, run


def test_own_vehicle_route_objective_is_its_settled_cost_less_the_rostered_shift() -> None:
    """The planner weighs an own vehicle's km only; with the vehicle-day and the whole
    shift (sunk once rostered) added back it is what settlement charges, to within
    rounding (one öre per stretch and component)."""
    objective, settled, run = _objective_and_settled(OWN)
    assert shift_minutes(run, DAY) == 9 * 60
    total = sum(s.cost.total for s in settled)  # type: ignore[attr-defined]
    contract = find_contract(
        demo_contracts(), carrier=OWN, vehicle_type=VehicleType.WHEELCHAIR, day=DAY
    )
    costs = planning_costs(contract, VehicleType.WHEELCHAIR, DAY, Decimal(9 * 60))
    assert costs.fixed == 0 and costs.per_transit_minute == 0
    assert costs.sunk > 0
    assert abs(objective + float(costs.sunk) - total) <= 6
    assert objective < total / 2  # the km are a small part of an own vehicle's day


def test_procured_route_objective_bounds_its_settled_cost() -> None:
    """Procured: the objective leaves out supplements, night surcharges and the waiting
    rate's excess over the driving rate, so the settled cost is at most that much above
    it; and with no shared stretch and no empty drive between stretches it is not
    below it."""
    objective, settled, _ = _objective_and_settled(TAXI)
    total = sum(s.cost.total for s in settled)  # type: ignore[attr-defined]
    left_out = sum(
        s.cost.breakdown.waiting_time + s.cost.breakdown.supplements + s.cost.breakdown.surcharge  # type: ignore[attr-defined]
        for s in settled
    )
    assert total - left_out - 4 <= objective <= total + 4
    assert left_out < total * 0.2  # the approximation leaves out a small part


def test_ordinary_trip_goes_by_taxi_not_by_a_stretcher_vehicle(session: Session) -> None:
    """A stretcher vehicle takes a patient to Brunflo; an ordinary traveller goes from
    Brunflo to Östersund 45 minutes later. Under the old per-vehicle weights the
    stretcher vehicle, driving home anyway, looked free; under the contracts it bills a
    stretch at stretcher rates, while a taxi bills only its loaded km at taxi rates."""
    load_contract_files(session)
    with transaction(session):
        for kind in ("taxi", "stretcher"):
            k = KINDS[kind]
            session.add(
                Vehicle(
                    code=f"t-{kind}",
                    carrier_name=TAXI,
                    carrier_id=1,
                    county_code="23",
                    vehicle_type=kind,
                    seats=k.seats,
                    wheelchair_places=k.wheelchair,
                    stretcher_places=k.stretcher,
                    depot_name="Östersund",
                    depot_lat=OSTERSUND.lat,
                    depot_lon=OSTERSUND.lon,
                    shift_start=time(6),
                    shift_end=time(20),
                    cost_per_km_ore=k.per_km_ore,
                    cost_per_hour_ore=k.per_hour_ore,
                    fixed_cost_ore=k.fixed_ore,
                )
            )
    legs = [
        LegInput(1, 10, 0, OSTERSUND, BRUNFLO, local(DAY, time(8)), None, None, None,
                 ("stretcher",), 0, None, False),
        LegInput(2, 20, 0, BRUNFLO, OSTERSUND, local(DAY, time(8, 50)), None, None, None,
                 (), 0, None, False),
    ]  # fmt: skip
    provider = GeodesicProvider()

    def carrier_of_ordinary(fleet: list[FleetVehicle]) -> str:
        day = build_problem(DAY, legs, fleet, provider)
        solution = plan(day.problem, time_limit_s=1.0, seed=1).solution
        types = {v.id: v.type.value for v in day.problem.vehicles}
        assert not solution.unserved
        return next(types[r.vehicle_id] for r in solution.routes if "b2.0" in r.request_ids())

    assert carrier_of_ordinary(store.read_fleet(session, DAY)) == "taxi"
    # The stored per-vehicle weights (the planner's costs before contracts) got it wrong.
    assert carrier_of_ordinary(store.read_fleet(session)) == "stretcher"


def test_rostered_own_vehicle_carries_a_trip_a_taxi_could_take(session: Session) -> None:
    """A rostered own wheelchair vehicle and a procured taxi wait in Östersund; an
    ordinary traveller goes to Brunflo. The own vehicle's day and its driver's shift are
    paid either way, so using it costs only its km and the plan takes it. Weighed as a
    fixed cost the planner could avoid (the old tariff), the same trip went by taxi."""
    load_contract_files(session)
    with transaction(session):
        for kind, carrier in (("taxi", TAXI), ("wheelchair", OWN)):
            k = KINDS[kind]
            session.add(
                Vehicle(
                    code=f"r-{kind}", carrier_name=carrier, carrier_id=None, county_code="23",
                    vehicle_type=kind, seats=k.seats, wheelchair_places=k.wheelchair,
                    stretcher_places=k.stretcher, depot_name="Östersund",
                    depot_lat=OSTERSUND.lat, depot_lon=OSTERSUND.lon, shift_start=time(7),
                    shift_end=time(16), cost_per_km_ore=k.per_km_ore,
                    cost_per_hour_ore=k.per_hour_ore, fixed_cost_ore=k.fixed_ore,
                )
            )  # fmt: skip
    legs = [
        LegInput(1, 10, 0, OSTERSUND, BRUNFLO, local(DAY, time(9)), None, None, None,
                 (), 0, None, False),
    ]  # fmt: skip
    fleet = store.read_fleet(session, DAY)
    day = build_problem(DAY, legs, fleet, GeodesicProvider())
    solution = plan(day.problem, time_limit_s=1.0, seed=1).solution
    types = {v.id: v.type.value for v in day.problem.vehicles}
    assert not solution.unserved
    assert [types[r.vehicle_id] for r in solution.routes if r.request_ids()] == ["wheelchair"]
    own = next(v for v in fleet if v.vehicle_type == "wheelchair")
    assert own.tariff is not None and own.tariff.fixed == 0 and own.tariff.sunk > 0
