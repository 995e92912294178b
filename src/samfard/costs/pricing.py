"""Run cost and the standalone counterfactual, from a contract and the run's facts.

The same function prices a run from its plan and, once the driver has reported, from its
actual times and distances: the caller builds `RunFacts` from either and says which in
`basis`. The standalone cost of a trip is what the same contract would have charged to
drive that trip alone, by the direct route, in the cheapest vehicle type that meets its
needs. It is the counterfactual against which coordination is measured and the weight by
which a shared run's cost is split (see allocation).

Rounding: each component is rounded half up to whole öre (samfard.money.times), and the
total is the sum of the rounded components, so an invoice line adds up as printed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from samfard.costs.contracts import (
    Contract,
    FleetCostModel,
    Need,
    PriceList,
    Tariff,
    VehicleType,
    is_weekend_rate_day,
    suitable,
)
from samfard.errors import InputError
from samfard.money import Ore, times
from samfard.timeutil import STOCKHOLM, require_aware


class CostBasis(enum.StrEnum):
    """Whether run facts come from the plan or from the driver's reports."""

    PLANNED = "planned"
    ACTUAL = "actual"


@dataclass(frozen=True)
class TripFacts:
    """A passenger trip (resa) on board a run, with its direct route and its payer."""

    trip_id: str
    principal: str
    service: str
    pickup_at: datetime
    direct_km: Decimal
    direct_minutes: Decimal
    passengers: int = 1
    needs: frozenset[Need] = frozenset()
    municipality: str | None = None  # where the trip is picked up, checked against the area
    # Minutes the vehicle stands still for this trip alone (boarding at the pickup and
    # alighting at the drop-off); what a run driving it alone bills as waiting.
    boarding_minutes: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        where = f"trip {self.trip_id}"
        require_aware(self.pickup_at, field="pickup_at")
        if self.direct_km < 0 or self.direct_minutes < 0 or self.boarding_minutes < 0:
            raise InputError(
                f"{where}: direct_km, direct_minutes and boarding_minutes must be zero or "
                f"more, got {self.direct_km} km, {self.direct_minutes} min and "
                f"{self.boarding_minutes} min",
                field="direct_km",
            )
        if self.passengers < 1:
            raise InputError(
                f"{where}: passengers must be at least 1, got {self.passengers}",
                field="passengers",
            )


@dataclass(frozen=True)
class GoodsFacts:
    """A consignment of goods on board a run (docs/goods.md): its payer and its contract
    price, which is its standalone cost: what the orderer agreed to pay to send it, so
    goods share a run with passengers by the same rule as passengers share it."""

    goods_id: str
    principal: str
    price: Ore

    def __post_init__(self) -> None:
        if self.price < 0:
            raise InputError(
                f"goods {self.goods_id}: price must be zero or more öre, got {self.price}",
                field="price",
            )


@dataclass(frozen=True)
class RunFacts:
    """A run (körning): one vehicle's tour with the trips it carried.

    `vehicle_day_share` is the fraction of the own-fleet vehicle-day fixed cost this run
    bears (1 if it is the vehicle's only run that day); procured runs ignore it.
    `idle_minutes` and `empty_km` are this run's part of the own-fleet shift that no run
    carries passengers in: the driver is paid for the whole shift and the vehicle drives
    empty to and from the depot, so those costs are shared by the shift's runs. A carrier
    bills only the stretches with passengers, so procured runs ignore them too.
    """

    run_id: str
    vehicle_type: VehicleType
    start: datetime
    end: datetime
    driven_km: Decimal
    driving_minutes: Decimal
    waiting_minutes: Decimal
    trips: tuple[TripFacts, ...]
    basis: CostBasis = CostBasis.PLANNED
    vehicle_day_share: Decimal = Decimal(1)
    idle_minutes: Decimal = Decimal(0)
    empty_km: Decimal = Decimal(0)
    goods: tuple[GoodsFacts, ...] = ()

    def __post_init__(self) -> None:
        where = f"run {self.run_id}"
        require_aware(self.start, field="start")
        require_aware(self.end, field="end")
        if self.end < self.start:
            raise InputError(
                f"{where}: end {self.end.isoformat()} is before start {self.start.isoformat()}",
                field="end",
            )
        for name in ("driven_km", "driving_minutes", "waiting_minutes", "idle_minutes", "empty_km"):
            if getattr(self, name) < 0:
                raise InputError(
                    f"{where}: {name} must be zero or more, got {getattr(self, name)}",
                    field=name,
                )
        if not 0 <= self.vehicle_day_share <= 1:
            raise InputError(
                f"{where}: vehicle_day_share must be between 0 and 1, got {self.vehicle_day_share}",
                field="vehicle_day_share",
            )
        if not self.trips and not self.goods:
            raise InputError(f"{where}: carries no trip and no goods", field="trips")
        ids = [t.trip_id for t in self.trips] + [g.goods_id for g in self.goods]
        if len(set(ids)) != len(ids):
            raise InputError(f"{where}: a trip or goods appears twice on board", field="trips")
        for trip in self.trips:
            if not suitable(self.vehicle_type, trip.needs):
                needs = ", ".join(sorted(n.value for n in trip.needs))
                raise InputError(
                    f"{where}: trip {trip.trip_id} needs {needs}, which vehicle type "
                    f"'{self.vehicle_type.value}' cannot carry",
                    field="vehicle_type",
                )


@dataclass(frozen=True)
class CostBreakdown:
    """The components of a cost, in öre; `total` is their sum."""

    start_fee: Ore = 0
    distance: Ore = 0
    driving_time: Ore = 0
    waiting_time: Ore = 0
    surcharge: Ore = 0
    supplements: Ore = 0
    fixed: Ore = 0
    driver: Ore = 0

    @property
    def total(self) -> Ore:
        return (
            self.start_fee
            + self.distance
            + self.driving_time
            + self.waiting_time
            + self.surcharge
            + self.supplements
            + self.fixed
            + self.driver
        )


@dataclass(frozen=True)
class RunCost:
    """What a run cost under its contract, with the components an invoice line shows."""

    run_id: str
    contract_code: str
    vehicle_type: VehicleType
    basis: CostBasis
    breakdown: CostBreakdown

    @property
    def total(self) -> Ore:
        return self.breakdown.total


@dataclass(frozen=True)
class StandaloneCost:
    """The counterfactual: a trip driven alone, direct route, cheapest suitable vehicle."""

    trip_id: str
    vehicle_type: VehicleType
    breakdown: CostBreakdown

    @property
    def total(self) -> Ore:
        return self.breakdown.total


def surcharge_pct(price_list: PriceList, at: datetime) -> Decimal:
    """Night and weekend surcharges that apply at a moment, added (local Swedish time)."""
    moment = require_aware(at, field="start").astimezone(STOCKHOLM)
    pct = Decimal(0)
    if price_list.is_night(moment.time()):
        pct += price_list.night_surcharge_pct
    if is_weekend_rate_day(moment.date()):
        pct += price_list.weekend_surcharge_pct
    return pct


def _supplements(price_list: PriceList, trips: tuple[TripFacts, ...]) -> Ore:
    total = 0
    for trip in trips:
        if Need.WHEELCHAIR in trip.needs:
            total += price_list.wheelchair_supplement
        if Need.STRETCHER in trip.needs:
            total += price_list.stretcher_supplement
    return total


def _price(
    tariff: Tariff,
    *,
    at: datetime,
    km: Decimal,
    driving: Decimal,
    waiting: Decimal,
    trips: tuple[TripFacts, ...],
    vehicle_day_share: Decimal,
    idle: Decimal,
    empty_km: Decimal,
) -> CostBreakdown:
    if isinstance(tariff, FleetCostModel):
        return CostBreakdown(
            distance=times(tariff.per_km, km + empty_km),
            fixed=times(tariff.fixed_per_vehicle_day, vehicle_day_share),
            driver=times(tariff.driver_cost_per_hour, (driving + waiting + idle) / 60),
        )
    start_fee = tariff.start_fee
    distance = times(tariff.per_km, km)
    driving_time = times(tariff.per_driving_minute, driving)
    waiting_time = times(tariff.per_waiting_minute, waiting)
    metered = start_fee + distance + driving_time + waiting_time
    return CostBreakdown(
        start_fee=start_fee,
        distance=distance,
        driving_time=driving_time,
        waiting_time=waiting_time,
        surcharge=times(metered, surcharge_pct(tariff, at) / 100),
        supplements=_supplements(tariff, trips),
    )


def _require_valid(contract: Contract, at: datetime, what: str) -> None:
    day = at.astimezone(STOCKHOLM).date()
    if not contract.covers(day):
        end = contract.valid_to.isoformat() if contract.valid_to else "open"
        raise InputError(
            f"contract {contract.code} is valid {contract.valid_from.isoformat()} to {end}, "
            f"not on {day.isoformat()} when {what} starts",
            field="valid_from",
        )


def _require_served(contract: Contract, trip: TripFacts) -> None:
    if trip.municipality is not None and not contract.serves(trip.municipality):
        served = ", ".join(sorted(contract.area))
        raise InputError(
            f"contract {contract.code} does not serve municipality {trip.municipality} "
            f"where trip {trip.trip_id} is picked up (it serves: {served})",
            field="area",
        )


def run_cost(contract: Contract, run: RunFacts) -> RunCost:
    """Price a run: metered price plus surcharges (classified at the run's start) plus a
    supplement per trip on board that needs a wheelchair or stretcher place; for the own
    fleet, vehicle-day share plus driver hours plus kilometres."""
    _require_valid(contract, run.start, f"run {run.run_id}")
    for trip in run.trips:
        _require_served(contract, trip)
    tariff = contract.tariff_for(run.vehicle_type)
    breakdown = _price(
        tariff,
        at=run.start,
        km=run.driven_km,
        driving=run.driving_minutes,
        waiting=run.waiting_minutes,
        trips=run.trips,
        vehicle_day_share=run.vehicle_day_share,
        idle=run.idle_minutes,
        empty_km=run.empty_km,
    )
    return RunCost(run.run_id, contract.code, run.vehicle_type, run.basis, breakdown)


def alone(trip: TripFacts, like: RunFacts | None = None, *, vehicle_type: VehicleType) -> RunFacts:
    """The run that drives one trip alone: its direct route, its boarding time as waiting,
    starting at its pickup; for the own fleet it bears the same part of the vehicle-day
    and of the shift's idle time and empty km as `like` (driven alone, the trip would
    still have tied up the vehicle and its driver for that part of the day)."""
    minutes = trip.direct_minutes + trip.boarding_minutes
    return RunFacts(
        run_id=f"{trip.trip_id} alone",
        vehicle_type=vehicle_type,
        start=trip.pickup_at,
        end=trip.pickup_at + timedelta(minutes=float(minutes)),
        driven_km=trip.direct_km,
        driving_minutes=trip.direct_minutes,
        waiting_minutes=trip.boarding_minutes,
        trips=(trip,),
        vehicle_day_share=like.vehicle_day_share if like else Decimal(1),
        idle_minutes=like.idle_minutes if like else Decimal(0),
        empty_km=like.empty_km if like else Decimal(0),
    )


def standalone_cost(
    contract: Contract, trip: TripFacts, run: RunFacts | None = None
) -> StandaloneCost:
    """The trip driven alone under the same contract, priced by `run_cost` itself, so a
    run that carries one trip by its direct route costs exactly its standalone cost.

    With the `run` the trip rode, the trip is driven alone by that run's vehicle type
    (the coordination saving measures sharing, not the choice of vehicle, which the
    planner prices) with the run's own-fleet shares. Without a run (a what-if), by the
    cheapest vehicle type that meets its needs; ties go to the vehicle type named first
    alphabetically, so the answer is deterministic.
    """
    _require_valid(contract, trip.pickup_at, f"trip {trip.trip_id}")
    _require_served(contract, trip)
    if run is not None:
        kinds = [run.vehicle_type]
    else:
        kinds = [t.vehicle_type for t in contract.tariffs if suitable(t.vehicle_type, trip.needs)]
    if not kinds:
        needs = ", ".join(sorted(n.value for n in trip.needs))
        raise InputError(
            f"contract {contract.code} prices no vehicle type that meets the needs of "
            f"trip {trip.trip_id} ({needs})",
            field="vehicle_type",
        )
    priced = [
        StandaloneCost(
            trip.trip_id, kind, run_cost(contract, alone(trip, run, vehicle_type=kind)).breakdown
        )
        for kind in kinds
    ]
    return min(priced, key=lambda s: (s.total, s.vehicle_type.value))
