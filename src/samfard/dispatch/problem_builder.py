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
from dataclasses import fields, replace
from datetime import date
from typing import Any

from samfard.dispatch.leg_order import InOrder, one_after_another
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
    Matrix,
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
    return ProblemBuilder(day, provider, defaults, keep=False).build(legs, fleet, consignments)


class ProblemBuilder:
    """Builds problems of one day, each exactly as `build_problem` builds it, keeping the
    requests and vehicles it made for the next: the move form builds one small problem per
    run of the day (the leg's own run and one other), and the leg's own run's requests,
    the same in every one, are made once.

    A request depends on its leg, the direct travel time and the defaults alone, not on
    the other legs, so it is made once per leg and only given the problem's location
    indices (a copy with `pickup` and `dropoff` set; nothing else differs). A traveller's
    legs are split one after another (`leg_order`) each traveller alone, so the split is
    kept per traveller for the same requests. A vehicle is kept per depot index. What is
    kept is used again only for the very same input object (`is`) and travel time, so a
    problem built here equals the one `build_problem` builds from scratch (`keep=False`:
    nothing kept, `one_after_another` over all the legs at once); the move form's tests
    compare the two for every run of a demo day (tests/dispatch/test_move_form_fits.py).
    """

    def __init__(
        self,
        day: date,
        provider: TravelTimeProvider,
        defaults: PlanningDefaults | None = None,
        *,
        keep: bool = True,
    ) -> None:
        self.day = day
        self.provider = provider
        self.defaults = defaults or PlanningDefaults()
        self.keep = keep
        self._requests: dict[tuple[str, bool], tuple[LegInput, float, Request]] = {}
        self._in_order: dict[tuple[str, ...], tuple[tuple[Request, ...], InOrder]] = {}
        self._vehicles: dict[tuple[int, int, bool], tuple[FleetVehicle, Vehicle]] = {}

    def build(
        self,
        legs: Sequence[LegInput],
        fleet: Sequence[FleetVehicle],
        consignments: Sequence[ConsignmentInput] = (),
    ) -> DayProblem:
        """The problem of `legs` and `consignments` on `fleet` (see `build_problem`)."""
        day, defaults = self.day, self.defaults
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
        m = self.provider.matrix(points)
        time_m = matrix(m.durations, name="time")
        dist_m = matrix(m.distances, name="distance")
        vehicles = tuple(
            self._vehicle(v, depot, with_goods=with_goods)
            for v, depot in zip(fleet, depots, strict=True)
        )
        requests: list[Request] = []
        rejected: list[tuple[str, str]] = []
        at: dict[str, tuple[int, int]] = {}
        for leg, (p, d) in zip(legs, ends, strict=True):
            request = self._request(leg, time_m[p][d], with_goods=with_goods)
            if any(request.fits(v) for v in vehicles):
                requests.append(request)
                at[request.id] = (p, d)
            else:
                needs = ", ".join(leg.needs) or "seated"
                rejected.append(
                    (
                        request.id,
                        f"{NO_ROOM_IN_FLEET} {request.load} "
                        f"(seats, wheelchair, stretcher; needs: {needs})",
                    )
                )
        in_order = self._one_after_another(legs, requests)
        requests = [
            _located(in_order.requests[r.id], *at[r.id])
            for r in requests
            if r.id in in_order.requests
        ]
        rejected.extend(in_order.refused)
        for goods, (p, d) in zip(consignments, goods_ends, strict=True):
            request = _goods_request(goods, p, d, defaults, day)
            if any(request.fits(v) for v in vehicles):
                requests.append(request)
            else:
                rejected.append((request.id, f"{NO_ROOM_FOR_GOODS} {goods.units} goods units"))
        dimensions = (*DEFAULT_DIMENSIONS, GOODS_DIMENSION) if with_goods else DEFAULT_DIMENSIONS
        problem = (_checked_once if self.keep else Problem)(
            tuple(requests), vehicles, time_m, dist_m, dimensions=dimensions, objective=Objective()
        )
        return DayProblem(
            day=day,
            problem=problem,
            legs={leg.request_id: leg for leg in legs},
            vehicles={str(v.vehicle_id): v.vehicle_id for v in fleet},
            provider=self.provider.name,
            rejected=tuple(rejected),
            consignments={g.request_id: g for g in consignments},
        )

    def _request(self, leg: LegInput, direct: float, *, with_goods: bool) -> Request:
        """The leg's request (`leg_request`), at the locations of the problem it was first
        made for: `build` gives it this problem's."""
        key = (leg.request_id, with_goods)
        kept = self._requests.get(key)
        if kept is not None and kept[0] is leg and kept[1] == direct:
            return kept[2]
        request = leg_request(leg, 0, 1, direct, self.defaults, self.day)
        if with_goods:
            request = _with_goods(request)
        if self.keep:
            self._requests[key] = (leg, direct, request)
        return request

    def _one_after_another(self, legs: Sequence[LegInput], requests: Sequence[Request]) -> InOrder:
        """`leg_order.one_after_another` over `requests`, asked per traveller (it splits each
        traveller's legs alone, grouped as `_traveller` groups them) and kept for the same
        requests."""
        made = {r.id: r for r in requests}
        if not self.keep:
            return one_after_another(legs, made)
        groups: dict[tuple[str, int], list[LegInput]] = {}
        for leg in legs:
            if leg.request_id in made:
                groups.setdefault(_traveller(leg), []).append(leg)
        ordered = dict(made)
        refused: list[tuple[str, str]] = []
        for group in groups.values():
            if len(group) == 1:
                continue  # one leg alone is left as it is
            ids = tuple(leg.request_id for leg in group)
            given = tuple(made[rid] for rid in ids)
            kept = self._in_order.get(ids)
            if kept is None or any(a is not b for a, b in zip(kept[0], given, strict=True)):
                kept = (given, one_after_another(group, dict(zip(ids, given, strict=True))))
                self._in_order[ids] = kept
            split = kept[1]
            for rid in ids:
                if rid in split.requests:
                    ordered[rid] = split.requests[rid]
                else:
                    del ordered[rid]
            refused.extend(split.refused)
        return InOrder(ordered, tuple(refused))

    def _vehicle(self, v: FleetVehicle, depot: int, *, with_goods: bool) -> Vehicle:
        key = (v.vehicle_id, depot, with_goods)
        kept = self._vehicles.get(key)
        if kept is not None and kept[0] is v:
            return kept[1]
        vehicle = _vehicle(v, depot, self.day, with_goods=with_goods)
        if self.keep:
            self._vehicles[key] = (v, vehicle)
        return vehicle


def _checked_once(
    requests: tuple[Request, ...],
    vehicles: tuple[Vehicle, ...],
    time_m: Matrix,
    dist_m: Matrix,
    *,
    dimensions: tuple[str, ...],
    objective: Objective,
) -> Problem:
    """`Problem(...)` without `Problem.__post_init__` checking it all again, for a builder
    that keeps its parts: the matrices were checked as they were made (`matrix`), each
    request and vehicle when it was first made, each request's places against the
    vehicles in `build`, and ids, capacities and depots are whole by construction. The
    move form builds some 200 problems of the same legs, and the checks were a tenth of
    the building."""
    problem = object.__new__(Problem)
    for name, value in (
        ("requests", requests),
        ("vehicles", vehicles),
        ("time", time_m),
        ("distance", dist_m),
        ("dimensions", dimensions),
        ("objective", objective),
        ("max_vehicles", None),
    ):
        object.__setattr__(problem, name, value)
    return problem


def _traveller(leg: LegInput) -> tuple[str, int]:
    """Whose legs `leg_order.one_after_another` splits together: the traveller's, or the
    booking's when the traveller is not known."""
    if leg.traveller_id is not None:
        return ("traveller", leg.traveller_id)
    return ("booking", leg.booking_id)


def _located(request: Request, pickup: int, dropoff: int) -> Request:
    """`request` at these locations: a copy with the two indices set (`moved_request`)."""
    if request.pickup == pickup and request.dropoff == dropoff:
        return request
    return moved_request(request, pickup=pickup, dropoff=dropoff)


REQUEST_FIELDS = tuple(f.name for f in fields(Request))


def moved_request(request: Request, **changes: object) -> Request:
    """`dataclasses.replace(request, **changes)` without `__post_init__`, for changes that
    pass every check the request passed (other location indices, no ride limit): a copy
    in a few microseconds, where `replace` checks every field again and `copy.copy` of a
    frozen slotted dataclass is slower still."""
    moved = object.__new__(Request)
    for name in REQUEST_FIELDS:
        value = changes[name] if name in changes else getattr(request, name)
        object.__setattr__(moved, name, value)
    return moved
