"""The standalone counterfactual is the run pricing of the trip driven alone.

Property: a run that carries one trip by its direct route, standing still for the trip's
boarding and alighting, costs exactly what the trip would cost alone, so it saves exactly
nothing, under any tariff (procured or own fleet), at any hour, in any suitable vehicle.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from samfard.costs.allocation import settle_run
from samfard.costs.contracts import (
    Contract,
    FleetCostModel,
    Need,
    PriceList,
    VehicleType,
    suitable,
)
from samfard.costs.pricing import RunFacts, TripFacts, run_cost, standalone_cost
from samfard.timeutil import STOCKHOLM

KINDS = tuple(VehicleType)
rate = st.decimals(min_value=0, max_value=5000, places=2)
pct = st.decimals(min_value=0, max_value=50, places=1)
ore = st.integers(min_value=0, max_value=100_000)
quantity = st.decimals(min_value=0, max_value=400, places=2)


@st.composite
def price_list(draw: st.DrawFn, kind: VehicleType) -> PriceList:
    return PriceList(
        kind,
        start_fee=draw(ore),
        per_km=draw(rate),
        per_driving_minute=draw(rate),
        per_waiting_minute=draw(rate),
        night_surcharge_pct=draw(pct),
        weekend_surcharge_pct=draw(pct),
        wheelchair_supplement=draw(ore),
        stretcher_supplement=draw(ore),
    )


@st.composite
def fleet_model(draw: st.DrawFn, kind: VehicleType) -> FleetCostModel:
    return FleetCostModel(
        kind,
        fixed_per_vehicle_day=draw(st.integers(0, 300_000)),
        driver_per_hour=draw(st.integers(0, 80_000)),
        per_km=draw(rate),
        driver_on_cost_pct=draw(pct),
    )


@st.composite
def contract(draw: st.DrawFn) -> Contract:
    own = draw(st.booleans())
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True))
    make = fleet_model if own else price_list
    return Contract(
        code="C",
        carrier="Carrier",
        valid_from=date(2025, 1, 1),
        valid_to=None,
        area=frozenset(),
        tariffs=tuple(draw(make(k)) for k in kinds),
        own_fleet=own,
    )


@st.composite
def single_trip_run(draw: st.DrawFn) -> tuple[Contract, RunFacts]:
    chosen = draw(contract())
    kind = draw(st.sampled_from([t.vehicle_type for t in chosen.tariffs]))
    needs = frozenset(
        n
        for n in draw(st.sets(st.sampled_from((Need.WHEELCHAIR, Need.STRETCHER)), max_size=1))
        if suitable(kind, {n})
    )
    day = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)))
    clock = draw(st.times(min_value=time(0, 0), max_value=time(23, 59)))
    pickup = datetime.combine(day, clock, tzinfo=STOCKHOLM)
    km, driving, boarding = draw(quantity), draw(quantity), draw(quantity)
    trip = TripFacts(
        trip_id="t1",
        principal="23",
        service="sjukresa",
        pickup_at=pickup,
        direct_km=km,
        direct_minutes=driving,
        passengers=draw(st.integers(1, 4)),
        needs=needs,
        boarding_minutes=boarding,
    )
    run = RunFacts(
        run_id="r1",
        vehicle_type=kind,
        start=pickup,
        end=pickup + timedelta(minutes=float(driving + boarding)),
        driven_km=km,
        driving_minutes=driving,
        waiting_minutes=boarding,
        trips=(trip,),
        vehicle_day_share=draw(st.decimals(min_value=0, max_value=1, places=4)),
        idle_minutes=draw(quantity),
        empty_km=draw(quantity),
    )
    return chosen, run


@settings(max_examples=400, deadline=None)
@given(single_trip_run())
def test_a_trip_driven_alone_saves_exactly_nothing(case: tuple[Contract, RunFacts]) -> None:
    chosen, run = case
    settled = settle_run(chosen, run)
    assert settled.trips[0].standalone == settled.cost.total
    assert settled.saving == 0
    assert settled.trips[0].saving == 0
    alone = standalone_cost(chosen, run.trips[0], run)
    assert alone.breakdown == run_cost(chosen, run).breakdown


def test_boarding_time_is_part_of_the_standalone_cost() -> None:
    """Taxi 45 kr + 11 kr/km + 5.50 kr/min driving + 7 kr/min waiting; 10 km, 12 min,
    4 min boarding and alighting: 45 + 110 + 66 + 28 = 249 kr."""
    taxi = Contract(
        code="T",
        carrier="Taxi",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        area=frozenset(),
        tariffs=(PriceList(VehicleType.TAXI, 4500, Decimal(1100), Decimal(550), Decimal(700)),),
    )
    trip = TripFacts(
        trip_id="t",
        principal="23",
        service="sjukresa",
        pickup_at=datetime(2026, 11, 23, 10, tzinfo=STOCKHOLM),
        direct_km=Decimal(10),
        direct_minutes=Decimal(12),
        boarding_minutes=Decimal(4),
    )
    assert standalone_cost(taxi, trip).total == 24900
