"""What the planner is given for one service day, and the day's clock.

Frozen inputs read from the database by `dispatch.service` (legs, consignments, vehicle
shifts), the defaults that apply where a decision is silent, and the `DayProblem` that
carries the way back from the planner's ids to rows. Times in a problem are seconds since
local midnight of the service day (elapsed seconds, so a DST change day stays correct);
`moment_at` and `seconds_of` convert at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from samfard.dispatch.tariffs import PlanningCosts
from samfard.errors import InputError
from samfard.geo.traveltime import Point
from samfard.planning.model import Problem
from samfard.timeutil import local, require_aware

MINUTE = 60.0


@dataclass(frozen=True, slots=True)
class PlanningDefaults:
    """Windows and ride times used when a booking's decision does not set them.

    Values from rules.md [O]: pickup +-15 min; extra ride time (omresetid) 30 min within
    the municipality, 60 min beyond, 45 min for dialysis. An appointment leg arrives at
    most `arrival_slack_min` before the appointment.
    """

    pickup_before_min: int = 15
    pickup_after_min: int = 15
    extra_ride_home_min: int = 30
    extra_ride_beyond_min: int = 60
    extra_ride_dialysis_min: int = 45
    arrival_slack_min: int = 30
    service_seated_min: float = 2.0
    service_wheelchair_min: float = 5.0
    service_stretcher_min: float = 10.0
    service_goods_min: float = 2.0  # loading or unloading a consignment

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            if getattr(self, name) < 0:
                raise InputError(
                    f"planning default {name} must be >= 0 minutes, got {getattr(self, name)}",
                    field=name,
                )


@dataclass(frozen=True, slots=True)
class LegInput:
    """One booking leg to plan, as read from the database."""

    booking_id: int
    leg_id: int
    leg_seq: int
    origin: Point
    destination: Point
    requested_pickup_at: datetime | None
    appointment_at: datetime | None
    promised_from: datetime | None
    promised_until: datetime | None
    needs: tuple[str, ...]
    companions: int
    purpose: str | None
    same_municipality: bool
    decision: Mapping[str, Any] | None = None
    # Whose legs they are: one traveller's legs of the day are planned one after another
    # (`leg_order`); None groups them by booking only.
    traveller_id: int | None = None

    @property
    def request_id(self) -> str:
        return f"b{self.booking_id}.{self.leg_seq}"


@dataclass(frozen=True, slots=True)
class ConsignmentInput:
    """One consignment of goods to plan, as read from the database: its two windows are
    the orderer's (no tolerance is added, no ride time limit applies)."""

    consignment_id: int
    units: int
    pickup: Point
    dropoff: Point
    pickup_from: datetime
    pickup_until: datetime
    dropoff_from: datetime
    dropoff_until: datetime

    @property
    def request_id(self) -> str:
        return goods_request_id(self.consignment_id)


def goods_request_id(consignment_id: int) -> str:
    """The planner's id of a consignment's request (a leg's is `b<booking>.<seq>`)."""
    return f"g{consignment_id}"


@dataclass(frozen=True, slots=True)
class FleetVehicle:
    """One vehicle's shift as the planner sees it (costs in öre).

    `tariff` is the planning cost of the vehicle's contract on the day (dispatch.tariffs);
    when it is given it wins over the stored per-vehicle costs, which remain for a vehicle
    whose carrier has no contract stored.
    """

    vehicle_id: int
    vehicle_type: str
    seats: int
    wheelchair_places: int
    stretcher_places: int
    depot: Point
    shift_start: time
    shift_end: time
    cost_per_km_ore: int
    cost_per_hour_ore: int
    fixed_cost_ore: int
    tariff: PlanningCosts | None = None
    goods_units: int = 0  # goods space (dispatch.fleet.GOODS_UNITS by vehicle type)


@dataclass(frozen=True, slots=True)
class DayProblem:
    """A Problem for one service day with the way back to booking legs and vehicles."""

    day: date
    problem: Problem
    legs: Mapping[str, LegInput]  # request id -> leg
    vehicles: Mapping[str, int]  # planner vehicle id -> vehicle row id
    provider: str
    rejected: tuple[tuple[str, str], ...] = ()  # (request id, reason) left out before solving
    consignments: Mapping[str, ConsignmentInput] = field(default_factory=dict)

    def at(self, seconds: float) -> datetime:
        return moment_at(self.day, seconds)

    def seconds(self, moment: datetime) -> float:
        return seconds_of(self.day, moment)


def moment_at(day: date, seconds: float) -> datetime:
    """The aware moment (UTC) `seconds` after local midnight of `day`, to the microsecond."""
    # Add in UTC: adding to a Stockholm datetime moves the wall clock, not elapsed time.
    return local(day, time(0, 0)).astimezone(UTC) + timedelta(seconds=seconds)


def seconds_of(day: date, moment: datetime) -> float:
    """Elapsed seconds from local midnight of `day` to `moment`."""
    require_aware(moment, field="time")
    return (moment.astimezone(UTC) - local(day, time(0, 0)).astimezone(UTC)).total_seconds()
