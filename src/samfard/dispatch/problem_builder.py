"""Turn a day's booking legs and the fleet into the planner's Problem.

Pure: takes frozen inputs (`dispatch.planning_inputs`, read from the database by
`dispatch.service`), a travel-time provider and the defaults, returns a `DayProblem`.
Each leg becomes a request in `dispatch.leg_request`, and each traveller's legs are put
one after another in `dispatch.leg_order`; each vehicle's shift and contract become a
planner vehicle here.

Goods (docs/goods.md) ride in the same vehicles: when the day has consignments the problem
gets a fourth load dimension, `goods` (in goods units, 0 for every passenger), each vehicle
a goods capacity by its type, and each consignment one request with its own pickup and
drop-off windows, marked `goods` so a ride-alone traveller allows it on board.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from samfard.dispatch.leg_order import one_after_another
from samfard.dispatch.leg_request import leg_request
from samfard.dispatch.planning_inputs import (
    MINUTE,
    ConsignmentInput,
    DayProblem,
    FleetVehicle,
    LegInput,
    PlanningDefaults,
    seconds_of,
)
from samfard.dispatch.unplanned_reasons import NO_ROOM_FOR_GOODS, NO_ROOM_IN_FLEET
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
    matrix,
)
from samfard.timeutil import local

GOODS_DIMENSION = "goods"


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
    time_m = matrix(m.durations, name="time")
    dist_m = matrix(m.distances, name="distance")
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
                    f"{NO_ROOM_IN_FLEET} {request.load} "
                    f"(seats, wheelchair, stretcher; needs: {needs})",
                )
            )
    in_order = one_after_another(legs, {r.id: r for r in requests})
    requests = [in_order.requests[r.id] for r in requests if r.id in in_order.requests]
    rejected.extend(in_order.refused)
    for goods, (p, d) in zip(consignments, goods_ends, strict=True):
        request = _goods_request(goods, p, d, defaults, day)
        if any(request.fits(v) for v in vehicles):
            requests.append(request)
        else:
            rejected.append((request.id, f"{NO_ROOM_FOR_GOODS} {goods.units} goods units"))
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
