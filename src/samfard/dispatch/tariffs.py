"""A vehicle's planning costs from its carrier's contract: plan with what settlement pays.

Settlement (costs.pricing) bills a procured vehicle per stretch with passengers: start
fee, km, driving and waiting minutes, surcharges, supplements; and the own fleet for its
vehicle-day, its driver's whole paid shift with on-costs, and every km driven. The
planner's objective (planning.model) is per vehicle: fixed cost, cost per km, per pickup,
per stretch, per minute of transit (service at a stop plus travel), optionally only while
someone is on board. The mapping, and where it is an approximation:

- Own fleet: per km = the cost model's; no fixed cost and no cost per minute. A rostered
  own vehicle's vehicle-day and its driver's whole shift are paid whether the plan uses
  the vehicle or not (settlement charges them to the day either way, and a scenario
  charges an unused one to its region), so they are sunk for the plan: only the km are
  what using the vehicle adds. Weighing the shift as a fixed cost the planner could
  avoid by leaving the vehicle idle made plans prefer procured vehicles and left own
  vehicles standing (docs/scenarios.md). The sunk part is kept as `sunk`, so for a
  route within its shift objective + sunk is what settlement charges the used vehicle,
  up to rounding to whole öre per stretch and component.
- Procured: the contract's stretch tariff as the model states it. A stretch runs from a
  pickup into an empty vehicle until the vehicle is empty again (costs.stretches cuts a
  route so), and settlement bills each one start fee, km and driving minutes between its
  stops, and waiting minutes for boarding, alighting and any wait for a later pickup on
  board. So: per stretch = start fee (`Vehicle.cost_per_stretch`: once however many trips
  share the stretch), per km = the km rate and per transit minute = the driving-minute
  rate, both only while someone is on board (`Vehicle.billed_when_loaded`: the drive to
  the first pickup, the empty drives between stretches and the drive home cost nothing,
  as the carrier does not bill them), per minute standing at a pickup with someone on
  board = the waiting-minute rate (`Vehicle.cost_per_loaded_wait`: a passenger waiting in
  the car for a later pickup; the planner starts a stretch late enough to keep such
  waits short), no fixed cost (an idle taxi costs nothing). All ×
  (1 + weekend surcharge) on a weekend-rate day, as settlement adds it to the metered
  price. What remains approximate, all of it per stretch or per trip:
  boarding and alighting are priced at the driving-minute rate where settlement uses the
  waiting rate (the model has one rate for a stop's service and the travel after it), and
  the last alighting of a stretch, after which the vehicle is empty, is not priced; night
  surcharges and per-trip supplements are left out (they depend on the hour and on the
  traveller, and a supplement is the same whichever vehicle of the kind carries the
  traveller). With these added back the objective is what settlement bills, up to
  rounding to whole öre per stretch and component; `tests/dispatch/test_tariff_costs.py`
  checks that on single and shared stretches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from samfard.costs.contracts import (
    Contract,
    FleetCostModel,
    VehicleType,
    is_weekend_rate_day,
)


@dataclass(frozen=True, slots=True)
class PlanningCosts:
    """A vehicle's costs as the planner weighs them, in öre (per km, per minute)."""

    fixed: Decimal
    per_km: Decimal
    per_stretch: Decimal = Decimal(0)  # start fee, once per stretch with passengers
    per_transit_minute: Decimal = Decimal(0)
    per_loaded_wait_minute: Decimal = Decimal(0)  # standing with someone on board
    billed_when_loaded: bool = False  # km and minutes cost only with someone on board
    contract: str | None = None
    sunk: Decimal = Decimal(0)  # paid once rostered (own fleet's vehicle-day and shift)


def planning_costs(
    contract: Contract, vehicle_type: VehicleType, day: date, shift_minutes: Decimal
) -> PlanningCosts:
    """What planning charges for a vehicle of `vehicle_type` under `contract` on `day`."""
    tariff = contract.tariff_for(vehicle_type)
    if isinstance(tariff, FleetCostModel):
        return PlanningCosts(
            fixed=Decimal(0),
            per_km=tariff.per_km,
            contract=contract.code,
            sunk=tariff.fixed_per_vehicle_day + tariff.driver_cost_per_hour * shift_minutes / 60,
        )
    factor = 1 + (tariff.weekend_surcharge_pct / 100 if is_weekend_rate_day(day) else 0)
    return PlanningCosts(
        fixed=Decimal(0),
        per_km=tariff.per_km * factor,
        per_stretch=Decimal(tariff.start_fee) * factor,
        per_transit_minute=tariff.per_driving_minute * factor,
        per_loaded_wait_minute=tariff.per_waiting_minute * factor,
        billed_when_loaded=True,
        contract=contract.code,
    )
