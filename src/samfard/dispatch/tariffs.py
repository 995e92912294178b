"""A vehicle's planning costs from its carrier's contract: plan with what settlement pays.

Settlement (costs.pricing) bills a procured vehicle per stretch with passengers: start
fee, km, driving and waiting minutes, surcharges, supplements; and the own fleet for its
vehicle-day, its driver's whole paid shift with on-costs, and every km driven. The
planner's objective (planning.model) is per vehicle: fixed cost, cost per km, per pickup,
per minute of transit (service at a stop plus travel), optionally free depot legs. The
mapping, and where it is an approximation:

- Own fleet: per km = the cost model's; no fixed cost and no cost per minute. A rostered
  own vehicle's vehicle-day and its driver's whole shift are paid whether the plan uses
  the vehicle or not (settlement charges them to the day either way, and a scenario
  charges an unused one to its region), so they are sunk for the plan: only the km are
  what using the vehicle adds. Weighing the shift as a fixed cost the planner could
  avoid by leaving the vehicle idle made plans prefer procured vehicles and left own
  vehicles standing (docs/scenarios.md). The sunk part is kept as `sunk`, so for a
  route within its shift objective + sunk is what settlement charges the used vehicle,
  up to rounding to whole öre per stretch and component.
- Procured: per pickup = start fee, per km = the km rate, per transit minute = the
  driving-minute rate, free depot legs (a carrier does not bill the drive to its first
  pickup or home), no fixed cost (an idle taxi costs nothing). All × (1 + weekend
  surcharge) on a weekend-rate day. Approximations: a start fee is charged per pickup,
  once per stretch in the contract, so a stretch shared by k trips is over-estimated by
  k − 1 start fees; boarding and alighting are priced at the driving-minute rate, not
  the waiting rate; empty drives between stretches are charged; night surcharges and
  per-trip supplements are left out (they depend on the hour and the traveller, and a
  supplement is the same whichever vehicle of the kind carries the traveller).
  `tests/dispatch/test_tariff_costs.py` checks these bounds against settlement.
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
    per_pickup: Decimal = Decimal(0)
    per_transit_minute: Decimal = Decimal(0)
    free_depot_legs: bool = False
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
        per_pickup=Decimal(tariff.start_fee) * factor,
        per_transit_minute=tariff.per_driving_minute * factor,
        free_depot_legs=True,
        contract=contract.code,
    )
