"""The planner weighs each vehicle by its contract, so what it plans cheapest is what
settlement pays least (dispatch.tariffs states where it approximates)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy.orm import Session

from helpers import fixed_solver
from samfard.booking.models import Booking, Leg
from samfard.costs.allocation import RunAllocation, settle_run
from samfard.costs.contracts import Contract, PriceList, VehicleType, find_contract
from samfard.costs.service import load_contract_files
from samfard.costs.stretches import minutes, run_facts, segments, shift_minutes
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.fleet import KINDS
from samfard.dispatch.leg_request import service_seconds
from samfard.dispatch.models import Run, Vehicle
from samfard.dispatch.planning_inputs import FleetVehicle, LegInput, PlanningDefaults
from samfard.dispatch.problem_builder import build_problem
from samfard.dispatch.tariffs import planning_costs
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.planning.model import Route, StopKind
from samfard.planning.model import Stop as PlanStop
from samfard.planning.solve import plan
from samfard.planning.verifier import route_cost
from samfard.timeutil import local
from shift_fixtures import (
    BRUNFLO,
    DAY,
    KROKOM,
    OSTERSUND,
    demo_contracts,
    route_of,
    two_trip_route,
    vehicle,
)

TAXI = "Demo Taxi Jämtland Härjedalen"
OWN = "Region Jämtland Härjedalen egen regi"


def _leg_input(leg: Leg, booking: Booking, at: datetime) -> LegInput:
    return LegInput(
        booking_id=booking.id,
        leg_id=leg.id,
        leg_seq=leg.seq,
        origin=Point(leg.origin_lat, leg.origin_lon),
        destination=Point(leg.destination_lat, leg.destination_lon),
        requested_pickup_at=at,
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


Routed = tuple[Run, dict[int, Leg], dict[int, Booking]]


def _objective_and_settled(
    carrier: str, routed: Routed | None = None, day: date = DAY
) -> tuple[float, list[RunAllocation], Routed]:
    """The planning objective of a stored route (the two-trip route unless given) and
    its settled stretches."""
    routed = routed or two_trip_route(vehicle(carrier))
    run, legs, bookings = routed
    v = run.vehicle
    provider = GeodesicProvider()
    contract = find_contract(
        demo_contracts(), carrier=carrier, vehicle_type=VehicleType(v.vehicle_type), day=day
    )
    pickups = {s.leg_id: s.planned_at for s in run.stops if s.kind == "pickup"}
    inputs = [_leg_input(leg, bookings[leg.booking_id], pickups[leg.id]) for leg in legs.values()]
    problem_day = build_problem(day, inputs, [_fleet_vehicle(v, contract, day)], provider)
    problem, planned = problem_day.problem, problem_day.problem.vehicles[0]
    where = {r.id: (r.pickup, r.dropoff) for r in problem.requests}
    stops = [PlanStop(StopKind.START, planned.start_depot, problem_day.seconds(run.start_at))]
    for stop in run.stops:
        pickup, dropoff = where[f"b{stop.booking_id}.{stop.leg_seq}"]
        kind = StopKind.PICKUP if stop.kind == "pickup" else StopKind.DROPOFF
        location = pickup if kind is StopKind.PICKUP else dropoff
        request_id = f"b{stop.booking_id}.{stop.leg_seq}"
        stops.append(PlanStop(kind, location, problem_day.seconds(stop.planned_at), request_id))
    stops.append(PlanStop(StopKind.END, planned.end_depot, problem_day.seconds(run.end_at)))
    objective = route_cost(problem, planned, Route(planned.id, tuple(stops)))
    own = contract.own_fleet
    settled = [
        settle_run(contract, facts)
        for facts in run_facts(run, legs, bookings, provider, own_fleet=own, day=day)
    ]
    return objective, settled, routed


def test_own_vehicle_route_objective_is_its_settled_cost_less_the_rostered_shift() -> None:
    """The planner weighs an own vehicle's km only; with the vehicle-day and the whole
    shift (sunk once rostered) added back it is what settlement charges, to within
    rounding (one öre per stretch and component)."""
    objective, settled, (run, _, _) = _objective_and_settled(OWN)
    assert shift_minutes(run, DAY) == 9 * 60
    total = sum(s.cost.total for s in settled)
    contract = find_contract(
        demo_contracts(), carrier=OWN, vehicle_type=VehicleType.WHEELCHAIR, day=DAY
    )
    costs = planning_costs(contract, VehicleType.WHEELCHAIR, DAY, Decimal(9 * 60))
    assert costs.fixed == 0 and costs.per_transit_minute == 0
    assert costs.sunk > 0
    assert abs(objective + float(costs.sunk) - total) <= 6
    assert objective < total / 2  # the km are a small part of an own vehicle's day


def _billed_boarding_minutes(run: Run, bookings: dict[int, Booking]) -> Decimal:
    """Minutes of boarding and alighting the planner prices at the driving rate: every
    stop's but the last alighting of each stretch (the vehicle is empty after it)."""
    return sum(
        (
            minutes(service_seconds(bookings[stop.booking_id].needs, PlanningDefaults()))
            for part in segments(run.stops)
            for stop in part[:-1]
        ),
        Decimal(0),
    )


def _procured_objective_is_settled(
    objective: float, settled: list[RunAllocation], routed: Routed, weekend: bool
) -> None:
    """The objective is what settlement bills for the stretches (start fee, km, driving
    minutes and the minutes standing with someone on board, each with the weekend
    surcharge on a weekend-rate day) plus the boarding the planner prices at the driving
    rate, to within rounding: one öre per stretch for each of the start fee's, km's and
    driving minutes' surcharge, for the km, driving and waiting minutes themselves."""
    run, _, bookings = routed
    kind = VehicleType(run.vehicle.vehicle_type)
    tariff = find_contract(demo_contracts(), carrier=TAXI, vehicle_type=kind, day=DAY).tariff_for(
        kind
    )
    assert isinstance(tariff, PriceList)
    factor = Decimal("1.1") if weekend else Decimal(1)
    metered = sum(
        s.cost.breakdown.start_fee + s.cost.breakdown.distance + s.cost.breakdown.driving_time
        for s in settled
    )
    boarding = tariff.per_driving_minute * _billed_boarding_minutes(run, bookings)
    expected = (metered + boarding + _waits_on_board(settled, tariff, run, bookings)) * factor
    assert abs(Decimal(objective) - expected) <= 4 * len(settled)


def _waits_on_board(
    settled: list[RunAllocation], tariff: PriceList, run: Run, bookings: dict[int, Booking]
) -> Decimal:
    """What settlement bills for standing with someone on board: its waiting minutes
    less every stop's boarding or alighting, at the waiting rate."""
    service = sum(
        (
            minutes(service_seconds(bookings[stop.booking_id].needs, PlanningDefaults()))
            for stop in run.stops
        ),
        Decimal(0),
    )
    return sum((s.cost.breakdown.waiting_time for s in settled), Decimal(0)) - (
        tariff.per_waiting_minute * service
    )


def test_procured_route_objective_is_what_settlement_bills_its_stretches() -> None:
    """Two stretches, one trip each, the vehicle empty from Brunflo to Brunflo in
    between: the objective is the two stretches' start fees, km and driving minutes,
    nothing for the empty drives (to the first pickup, between the stretches, home),
    plus the boarding it prices at the driving rate. So what the settled total has
    beyond the objective is the waiting rate's boarding and alighting and the wheelchair
    supplement. The per-pickup pricing before also billed the alighting in Brunflo on
    the empty drive after it."""
    objective, settled, routed = _objective_and_settled(TAXI)
    assert len(settled) == 2
    assert all(s.cost.breakdown.surcharge == 0 for s in settled)  # a Monday morning
    _procured_objective_is_settled(objective, settled, routed, weekend=False)


def _shared_route(kind: str, day: date = DAY) -> Routed:
    """Östersund to Brunflo at 08:00 alone; then two travellers board in Krokom at 10:00
    and ride together to Östersund: two stretches, the second shared, and 34 km of empty
    drive from Brunflo to Krokom between them."""
    return route_of(
        vehicle(TAXI, kind),
        [([], OSTERSUND, BRUNFLO), ([], KROKOM, OSTERSUND), ([], KROKOM, OSTERSUND)],
        [
            (1, "pickup", time(8, 0)),
            (1, "dropoff", time(8, 30)),
            (2, "pickup", time(10, 0)),
            (3, "pickup", time(10, 0)),
            (2, "dropoff", time(10, 40)),
            (3, "dropoff", time(10, 42)),
        ],
        day,
    )


def test_shared_stretch_is_charged_one_start_fee_and_no_empty_drive() -> None:
    """Three trips in two stretches bill two start fees, and the empty drive from Brunflo
    to Krokom is not billed: the objective is what settlement bills the stretches. The
    per-pickup pricing before charged three start fees and the empty km."""
    objective, settled, routed = _objective_and_settled(TAXI, _shared_route("taxi"))
    assert [len(s.trips) for s in settled] == [1, 2]
    assert sum(s.cost.breakdown.start_fee for s in settled) == 2 * 4800
    _procured_objective_is_settled(objective, settled, routed, weekend=False)


def test_a_wait_on_board_for_a_later_pickup_is_planned_at_the_waiting_rate() -> None:
    """The second traveller in Krokom is picked up 20 minutes after the first, who waits
    in the car: settlement bills those minutes at the waiting rate, and so does the
    planner (before, it left them out and planned such waits as free)."""
    routed = route_of(
        vehicle(TAXI, "taxi"),
        [([], KROKOM, OSTERSUND), ([], KROKOM, OSTERSUND)],
        [
            (1, "pickup", time(10, 0)),
            (2, "pickup", time(10, 20)),
            (1, "dropoff", time(11, 0)),
            (2, "dropoff", time(11, 2)),
        ],
    )
    objective, settled, routed = _objective_and_settled(TAXI, routed)
    run, _, bookings = routed
    kind = VehicleType.TAXI
    tariff = find_contract(demo_contracts(), carrier=TAXI, vehicle_type=kind, day=DAY).tariff_for(
        kind
    )
    assert isinstance(tariff, PriceList)
    waited = _waits_on_board(settled, tariff, run, bookings)
    assert waited >= tariff.per_waiting_minute * 15  # 20 minutes less the first boarding
    _procured_objective_is_settled(objective, settled, routed, weekend=False)


def test_weekend_rate_day_plans_with_the_surcharge() -> None:
    """On a Saturday settlement adds 10 % to the metered price; the planner weighs the
    start fee, km and driving minutes 10 % dearer too."""
    saturday = date(2026, 11, 28)
    objective, settled, routed = _objective_and_settled(
        TAXI, _shared_route("taxi", saturday), saturday
    )
    assert all(s.cost.breakdown.surcharge > 0 for s in settled)
    _procured_objective_is_settled(objective, settled, routed, weekend=True)


def test_procured_tariff_is_the_stretch_tariff() -> None:
    """A procured vehicle plans with a start fee per stretch, not per pickup, and is
    billed only while loaded; an own vehicle neither."""
    contracts = demo_contracts()
    taxi = find_contract(contracts, carrier=TAXI, vehicle_type=VehicleType.TAXI, day=DAY)
    procured = planning_costs(taxi, VehicleType.TAXI, DAY, Decimal(9 * 60))
    assert procured.per_stretch == 4800 and procured.billed_when_loaded
    assert procured.per_km == 1180 and procured.per_transit_minute == 590
    priced = taxi.tariff_for(VehicleType.TAXI)
    assert isinstance(priced, PriceList)
    assert procured.per_loaded_wait_minute == priced.per_waiting_minute > priced.per_driving_minute
    own = find_contract(contracts, carrier=OWN, vehicle_type=VehicleType.WHEELCHAIR, day=DAY)
    rostered = planning_costs(own, VehicleType.WHEELCHAIR, DAY, Decimal(9 * 60))
    assert rostered.per_stretch == 0 and not rostered.billed_when_loaded


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
        solution = plan(day.problem, time_limit_s=1.0, seed=1, solver=fixed_solver()).solution
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
    solution = plan(day.problem, time_limit_s=1.0, seed=1, solver=fixed_solver()).solution
    types = {v.id: v.type.value for v in day.problem.vehicles}
    assert not solution.unserved
    assert [types[r.vehicle_id] for r in solution.routes if r.request_ids()] == ["wheelchair"]
    own = next(v for v in fleet if v.vehicle_type == "wheelchair")
    assert own.tariff is not None and own.tariff.fixed == 0 and own.tariff.sunk > 0
