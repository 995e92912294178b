"""Turn a day's booking legs and the fleet into the planner's Problem, and back.

Pure: takes frozen inputs (read from the database by `dispatch.service`), a travel-time
provider and the defaults, returns a `DayProblem`. Times in the problem are seconds since
local midnight of the service day (elapsed seconds, so a DST change day stays correct);
`DayProblem.at` and `DayProblem.seconds` convert at the edge.

Goods (docs/goods.md) ride in the same vehicles: when the day has consignments the problem
gets a fourth load dimension, `goods` (in goods units, 0 for every passenger), each vehicle
a goods capacity by its type, and each consignment one request with its own pickup and
drop-off windows, marked `goods` so a ride-alone traveller allows it on board.

Where a booking's decision carries a time tolerance (assessment writes
`decision["tolerance"]` with `pickup_before_min`, `pickup_after_min`,
`max_extra_ride_min` and `waiting_included`), it wins; otherwise the defaults below apply
(docs/dispatch.md). With `waiting_included` (sjukresor: "extra ride time plus waiting")
the extra ride time is one budget for riding and waiting together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from samfard.dispatch.tariffs import PlanningCosts
from samfard.errors import InputError
from samfard.geo.traveltime import Point, TravelTimeProvider
from samfard.planning.model import (
    DEFAULT_DIMENSIONS,
    Objective,
    Problem,
    Request,
    Vehicle,
    VehicleType,
    Window,
)
from samfard.timeutil import local, require_aware

MINUTE = 60.0
GOODS_DIMENSION = "goods"


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


def tolerance_minutes(decision: Mapping[str, Any] | None) -> tuple[int, int, int] | None:
    """(pickup before, pickup after, max extra ride) from a decision, or None.

    Read defensively: decisions are JSON written by another module and may predate
    tolerances, so anything missing or malformed means "use the defaults".
    """
    raw = (decision or {}).get("tolerance")
    if not isinstance(raw, Mapping):
        return None
    keys = ("pickup_before_min", "pickup_after_min", "max_extra_ride_min")
    values = [raw.get(k) for k in keys]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        return None
    before, after, extra = (int(v) for v in values if isinstance(v, int))
    return before, after, extra


def waiting_included(decision: Mapping[str, Any] | None) -> bool:
    """Whether the decision's extra ride time also covers waiting: at the destination
    before an appointment, and for a pickup later than asked.

    Only a literal true counts: a decision stored before the field existed reads as ride
    time alone, which is how it was planned.
    """
    raw = (decision or {}).get("tolerance")
    return isinstance(raw, Mapping) and raw.get("waiting_included") is True


def _extra_ride_min(leg: LegInput, defaults: PlanningDefaults) -> int:
    if leg.purpose == "dialysis":
        return defaults.extra_ride_dialysis_min
    if leg.same_municipality:
        return defaults.extra_ride_home_min
    return defaults.extra_ride_beyond_min


def service_seconds(needs: Iterable[str], defaults: PlanningDefaults) -> float:
    """Time the vehicle stands still at a pickup or drop-off for a traveller with these
    needs (boarding or alighting); settlement uses the same figure."""
    kinds = set(needs)
    if "stretcher" in kinds:
        return defaults.service_stretcher_min * MINUTE
    if "wheelchair" in kinds:
        return defaults.service_wheelchair_min * MINUTE
    return defaults.service_seated_min * MINUTE


def _load(leg: LegInput) -> tuple[int, int, int]:
    """Seats for the traveller (unless lying or in a wheelchair) and companions."""
    if "stretcher" in leg.needs:
        return (leg.companions, 0, 1)
    if "wheelchair" in leg.needs:
        return (leg.companions, 1, 0)
    return (1 + leg.companions, 0, 0)


def _hull(a: Window, b: Window) -> Window:
    return Window(min(a.earliest, b.earliest), max(a.latest, b.latest))


def _reachable(
    dropoff: Window, pickup_end: float, service: float, direct: float, max_ride: float
) -> Window:
    """The drop-off window widened just enough that a pickup at `pickup_end` (the end of a
    promise) then the direct ride is on time, and waiting for the window to open stays
    within the ride limit. A promise made under older windows stands."""
    return Window(
        min(dropoff.earliest, pickup_end + service + max_ride),
        max(dropoff.latest, pickup_end + service + direct),
    )


def leg_request(
    leg: LegInput,
    pickup: int,
    dropoff: int,
    direct: float,
    defaults: PlanningDefaults,
    day: date,
) -> Request:
    """One booking leg as a planning request: windows from its decision's tolerance (or
    the defaults), service time, load and ride limit. Every path that plans a leg builds
    it here, the service-day benchmark too, so a rule holds wherever a leg is planned."""
    tolerance = tolerance_minutes(leg.decision)
    if tolerance is None:
        before = defaults.pickup_before_min * MINUTE
        after = defaults.pickup_after_min * MINUTE
        extra = _extra_ride_min(leg, defaults) * MINUTE
        waiting = False
    else:
        before, after, extra = (m * MINUTE for m in tolerance)
        waiting = waiting_included(leg.decision)
    service = service_seconds(leg.needs, defaults)
    if leg.requested_pickup_at is not None:
        t = seconds_of(day, leg.requested_pickup_at)
        # With waiting included, minutes picked up after t come out of the extra ride time,
        # so the drop-off is due by t + direct + extra however late the pickup. An early
        # pickup is no wait: the ride limit alone holds it.
        pickup_window = Window(t - before, t + (min(after, extra) if waiting else after))
        due = t if waiting else pickup_window.latest
        dropoff_window = Window(
            pickup_window.earliest + service + direct,
            due + service + direct + extra,
        )
    elif leg.appointment_at is not None:
        a = seconds_of(day, leg.appointment_at)
        latest_drop = a - service
        dropoff_window = Window(latest_drop - defaults.arrival_slack_min * MINUTE, latest_drop)
        # Arriving early is waiting too: with waiting included, the pickup opens only the
        # extra ride time before the latest direct start, so earliness and extra ride
        # together stay within it. Otherwise each has its own allowance.
        opens = dropoff_window.latest if waiting else dropoff_window.earliest
        pickup_window = Window(
            opens - direct - extra - service,
            latest_drop - direct - service,
        )
    else:
        raise InputError(
            f"leg {leg.leg_seq} of booking {leg.booking_id} has neither a pickup time nor an "
            "appointment time",
            field="legs",
        )
    promise = None
    if leg.promised_from is not None and leg.promised_until is not None:
        promise = Window(seconds_of(day, leg.promised_from), seconds_of(day, leg.promised_until))
        # A promise given to a traveller stands even if the tolerance rules changed since.
        pickup_window = _hull(pickup_window, promise)
        dropoff_window = _reachable(dropoff_window, promise.latest, service, direct, direct + extra)
    return Request(
        id=leg.request_id,
        pickup=pickup,
        dropoff=dropoff,
        pickup_window=pickup_window,
        dropoff_window=dropoff_window,
        pickup_service=service,
        dropoff_service=service,
        load=_load(leg),
        max_ride=direct + extra,
        ride_alone="ride_alone" in leg.needs,
        front_seat="front_seat" in leg.needs,
        promised_pickup=promise,
    )


def _goods_request(
    goods: ConsignmentInput, pickup: int, dropoff: int, defaults: PlanningDefaults, day: date
) -> Request:
    service = defaults.service_goods_min * MINUTE
    return Request(
        id=goods.request_id,
        pickup=pickup,
        dropoff=dropoff,
        pickup_window=Window(
            seconds_of(day, goods.pickup_from), seconds_of(day, goods.pickup_until)
        ),
        dropoff_window=Window(
            seconds_of(day, goods.dropoff_from), seconds_of(day, goods.dropoff_until)
        ),
        pickup_service=service,
        dropoff_service=service,
        load=(0, 0, 0, goods.units),
        goods=True,
    )


def _with_goods(request: Request) -> Request:
    """A passenger's request in a problem with a goods dimension: no goods units."""
    return replace(request, load=(*request.load, 0))


def _vehicle(v: FleetVehicle, depot: int, day: date, *, with_goods: bool) -> Vehicle:
    start = seconds_of(day, local(day, v.shift_start))
    end = seconds_of(day, local(day, v.shift_end))
    if end <= start:
        raise InputError(
            f"vehicle {v.vehicle_id}: shift end {v.shift_end} is not after start {v.shift_start}",
            field="shift_end",
        )
    return Vehicle(
        id=str(v.vehicle_id),
        capacity=(v.seats, v.wheelchair_places, v.stretcher_places)
        + ((v.goods_units,) if with_goods else ()),
        shift=Window(start, end),
        start_depot=depot,
        end_depot=depot,
        type=VehicleType(v.vehicle_type),
        **_costs(v),
    )


def _costs(v: FleetVehicle) -> dict[str, Any]:
    """The vehicle's objective weights per metre, per second and per use."""
    if v.tariff is None:
        return {
            "cost_per_distance": v.cost_per_km_ore / 1000.0,
            "cost_per_time": v.cost_per_hour_ore / 3600.0,
            "fixed_cost": float(v.fixed_cost_ore),
        }
    t = v.tariff
    return {
        "cost_per_distance": float(t.per_km / 1000),
        "cost_per_time": 0.0,
        "fixed_cost": float(t.fixed),
        "cost_per_stretch": float(t.per_stretch),
        "cost_per_transit_time": float(t.per_transit_minute / 60),
        "cost_per_loaded_wait": float(t.per_loaded_wait_minute / 60),
        "billed_when_loaded": t.billed_when_loaded,
    }


def build_problem(
    day: date,
    legs: Sequence[LegInput],
    fleet: Sequence[FleetVehicle],
    provider: TravelTimeProvider,
    defaults: PlanningDefaults | None = None,
    consignments: Sequence[ConsignmentInput] = (),
) -> DayProblem:
    """The planning problem of `legs` and `consignments` on `fleet`, costs in öre, times
    in seconds.

    Identical coordinates share one matrix location, so a hospital visited by thirty
    travellers costs one row, not thirty.
    """
    defaults = defaults or PlanningDefaults()
    if not fleet:
        raise InputError(
            f"no active vehicles to plan {day} with: load a fleet first "
            "(`samfard fleet-demo` for the demo fleet)",
            field="fleet",
        )
    points: list[Point] = []
    index: dict[Point, int] = {}

    def locate(p: Point) -> int:
        if p not in index:
            index[p] = len(points)
            points.append(p)
        return index[p]

    depots = [locate(v.depot) for v in fleet]
    ends = [(locate(leg.origin), locate(leg.destination)) for leg in legs]
    goods_ends = [(locate(g.pickup), locate(g.dropoff)) for g in consignments]
    with_goods = bool(consignments)
    m = provider.matrix(points)
    time_m = tuple(tuple(float(x) for x in row) for row in m.durations.tolist())
    dist_m = tuple(tuple(float(x) for x in row) for row in m.distances.tolist())
    vehicles = tuple(
        _vehicle(v, depot, day, with_goods=with_goods)
        for v, depot in zip(fleet, depots, strict=True)
    )
    requests: list[Request] = []
    rejected: list[tuple[str, str]] = []
    for leg, (p, d) in zip(legs, ends, strict=True):
        request = leg_request(leg, p, d, time_m[p][d], defaults, day)
        if with_goods:
            request = _with_goods(request)
        if any(request.fits(v) for v in vehicles):
            requests.append(request)
        else:
            needs = ", ".join(leg.needs) or "seated"
            rejected.append(
                (
                    request.id,
                    f"no vehicle in the fleet can carry load {request.load} "
                    f"(seats, wheelchair, stretcher; needs: {needs})",
                )
            )
    for goods, (p, d) in zip(consignments, goods_ends, strict=True):
        request = _goods_request(goods, p, d, defaults, day)
        if any(request.fits(v) for v in vehicles):
            requests.append(request)
        else:
            rejected.append(
                (request.id, f"no vehicle in the fleet has room for {goods.units} goods units")
            )
    dimensions = (*DEFAULT_DIMENSIONS, GOODS_DIMENSION) if with_goods else DEFAULT_DIMENSIONS
    problem = Problem(
        tuple(requests), vehicles, time_m, dist_m, dimensions=dimensions, objective=Objective()
    )
    return DayProblem(
        day=day,
        problem=problem,
        legs={leg.request_id: leg for leg in legs},
        vehicles={str(v.vehicle_id): v.vehicle_id for v in fleet},
        provider=provider.name,
        rejected=tuple(rejected),
        consignments={g.request_id: g for g in consignments},
    )
