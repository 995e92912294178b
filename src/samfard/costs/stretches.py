"""A stored vehicle run cut into the runs a carrier bills, with their facts.

A plan's run is a vehicle's whole shift, depot to depot. A carrier bills the stretches it
drives with passengers on board (from a pickup into an empty vehicle until it is empty
again), so each stretch becomes one `RunFacts`. The stretch is timed as driven: it starts
at its first planned pickup, each stop takes its boarding or alighting time (the
planner's service time for the traveller's needs), the vehicle waits only where it comes
to a pickup before its planned time, and it delivers on arrival (a drop-off window bounds
the arrival, nobody idles outside the hospital with a traveller on board). A trip's
`boarding_minutes` is its own pickup and drop-off time, so a stretch carrying one trip has
exactly the facts of that trip driven alone, and saves exactly nothing.

Goods (docs/goods.md) on board make a stretch as passengers do (the vehicle carries
them, the carrier bills it); each consignment rides along as `GoodsFacts` at its contract
price, and loading or unloading it takes the planner's goods service time.

The own fleet (egen regi) pays its driver for the whole shift and drives the empty legs
too: a vehicle's paid shift minutes not spent in a stretch, and its km without
passengers, are shared evenly by its stretches (`idle_minutes`, `empty_km`), as is the
vehicle-day (`vehicle_day_share`); each is split by largest remainder, so the shares add
up exactly to the shift.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from samfard.booking.models import Booking, Leg
from samfard.costs.allocation import largest_remainder
from samfard.costs.contracts import Need, VehicleType
from samfard.costs.pricing import GoodsFacts, RunFacts, TripFacts
from samfard.dispatch.leg_request import service_seconds
from samfard.dispatch.models import Run, Stop
from samfard.dispatch.planning_inputs import PlanningDefaults, goods_request_id
from samfard.geo.traveltime import Point, TravelTimeProvider
from samfard.goods.models import Consignment
from samfard.timeutil import local

CENTI = Decimal("0.01")


def needs_of(booking: Booking) -> frozenset[Need]:
    values = {n.value for n in Need}
    return frozenset(Need(n) for n in booking.needs or () if n in values)


def minutes(seconds: float) -> Decimal:
    return (Decimal(seconds) / 60).quantize(CENTI)


def segments(stops: Sequence[Stop]) -> list[list[Stop]]:
    """The stops split where the vehicle becomes empty: each part is one occupied trip."""
    parts: list[list[Stop]] = []
    on_board = 0
    for stop in stops:
        if on_board == 0:
            parts.append([])
        parts[-1].append(stop)
        on_board += 1 if stop.kind == "pickup" else -1
    return [part for part in parts if any(s.kind == "pickup" for s in part)]


def _leg_point(leg: Leg, *, pickup: bool) -> Point:
    if pickup:
        return Point(leg.origin_lat, leg.origin_lon)
    return Point(leg.destination_lat, leg.destination_lon)


def _goods_point(goods: Consignment, *, pickup: bool) -> Point:
    if pickup:
        return Point(goods.pickup_lat, goods.pickup_lon)
    return Point(goods.dropoff_lat, goods.dropoff_lon)


class Carried:
    """What the stops of one plan carry: the legs and bookings of passengers' stops and
    the consignments of goods stops, read once per settled day."""

    def __init__(
        self,
        legs: Mapping[int, Leg],
        bookings: Mapping[int, Booking],
        goods: Mapping[int, Consignment] | None = None,
    ) -> None:
        self.legs, self.bookings, self.goods = legs, bookings, goods or {}

    def where(self, stop: Stop) -> Point:
        """Where the vehicle is at the stop."""
        pickup = stop.kind == "pickup"
        if stop.consignment_id is not None:
            return _goods_point(self.goods[stop.consignment_id], pickup=pickup)
        return _leg_point(self.leg(stop), pickup=pickup)

    def end(self, stop: Stop) -> Point:
        """Where what is picked up at `stop` is dropped off (its direct route's end)."""
        if stop.consignment_id is not None:
            return _goods_point(self.goods[stop.consignment_id], pickup=False)
        return _leg_point(self.leg(stop), pickup=False)

    def service_minutes(self, stop: Stop, defaults: PlanningDefaults) -> Decimal:
        if stop.consignment_id is not None:
            return minutes(defaults.service_goods_min * 60)
        return minutes(service_seconds(self.booking(stop).needs or (), defaults))

    def leg(self, stop: Stop) -> Leg:
        assert stop.leg_id is not None  # a passenger's stop carries its leg
        return self.legs[stop.leg_id]

    def booking(self, stop: Stop) -> Booking:
        assert stop.booking_id is not None  # a passenger's stop carries its booking
        return self.bookings[stop.booking_id]


def _same_load(a: Stop, b: Stop) -> bool:
    """Whether two stops pick up and drop off the same leg or consignment."""
    if a.consignment_id is not None:
        return a.consignment_id == b.consignment_id
    return a.leg_id is not None and a.leg_id == b.leg_id


def _stretch(
    run: Run,
    number: int,
    stretch: Sequence[Stop],
    carried: Carried,
    provider: TravelTimeProvider,
    defaults: PlanningDefaults,
) -> RunFacts:
    points = [carried.where(stop) for stop in stretch]
    pickups = [(i, s) for i, s in enumerate(stretch) if s.kind == "pickup"]
    ends = [carried.end(s) for _, s in pickups]
    matrix = provider.matrix(points + ends)
    service = [carried.service_minutes(s, defaults) for s in stretch]
    driving = [minutes(matrix.duration(i, i + 1)) for i in range(len(stretch) - 1)]
    # Timed as driven, in minutes after the first pickup: wait only for a pickup's time.
    clock = service[0]
    waited = Decimal(0)
    for k in range(1, len(stretch)):
        arrive = clock + driving[k - 1]
        begin = arrive
        if stretch[k].kind == "pickup":
            planned = minutes((stretch[k].planned_at - stretch[0].planned_at).total_seconds())
            begin = max(arrive, planned)
        waited += begin - arrive
        clock = begin + service[k]
    trips = []
    goods = []
    for n, (i, stop) in enumerate(pickups):
        if stop.consignment_id is not None:
            consignment = carried.goods[stop.consignment_id]
            goods.append(
                GoodsFacts(
                    goods_request_id(consignment.id),
                    consignment.principal_code,
                    consignment.price_ore,
                )
            )
            continue
        booking = carried.booking(stop)
        drop = next(k for k, s in enumerate(stretch) if s.kind == "dropoff" and _same_load(s, stop))
        trips.append(
            TripFacts(
                trip_id=f"b{stop.booking_id}.{stop.leg_seq}",
                principal=booking.principal_code,
                service=booking.service,
                pickup_at=stop.planned_at,
                direct_km=Decimal(matrix.distance(i, len(points) + n)) / 1000,
                direct_minutes=minutes(matrix.duration(i, len(points) + n)),
                passengers=1 + len(booking.companions or ()),
                needs=needs_of(booking),
                boarding_minutes=service[i] + service[drop],
            )
        )
    start = stretch[0].planned_at
    return RunFacts(
        run_id=f"p{run.plan_run_id}.r{run.id}.{number}",
        vehicle_type=VehicleType(run.vehicle.vehicle_type),
        start=start,
        end=start + timedelta(minutes=float(clock)),
        driven_km=Decimal(sum(matrix.distance(i, i + 1) for i in range(len(stretch) - 1))) / 1000,
        driving_minutes=sum(driving, Decimal(0)),
        waiting_minutes=sum(service, Decimal(0)) + waited,
        trips=tuple(trips),
        goods=tuple(goods),
    )


def shift_minutes(run: Run, day: date) -> Decimal:
    """The vehicle's paid shift on the day in minutes (at least the planned route's span)."""
    vehicle = run.vehicle
    shift = local(day, vehicle.shift_end) - local(day, vehicle.shift_start)
    route = run.end_at - run.start_at
    return minutes(max(shift, route).total_seconds())


def route_km(
    run: Run,
    legs: Mapping[int, Leg],
    provider: TravelTimeProvider,
    goods: Mapping[int, Consignment] | None = None,
) -> Decimal:
    """Km the vehicle drives on its whole route, depot to depot."""
    carried = Carried(legs, {}, goods)
    depot = Point(run.vehicle.depot_lat, run.vehicle.depot_lon)
    points = [depot, *(carried.where(stop) for stop in run.stops), depot]
    matrix = provider.matrix(points)
    return Decimal(sum(matrix.distance(i, i + 1) for i in range(len(points) - 1))) / 1000


def _even(total: int, n: int) -> list[int]:
    parts = largest_remainder(total, [(f"{k:06d}", 1) for k in range(n)])
    return [parts[f"{k:06d}"] for k in range(n)]


def run_facts(
    run: Run,
    legs: Mapping[int, Leg],
    bookings: Mapping[int, Booking],
    provider: TravelTimeProvider,
    *,
    own_fleet: bool = False,
    day: date | None = None,
    defaults: PlanningDefaults | None = None,
    goods: Mapping[int, Consignment] | None = None,
) -> list[RunFacts]:
    """A stored vehicle run's priced runs: one per stretch with passengers on board.

    For the own fleet (`own_fleet`, with the service `day`), the stretches also share the
    shift's idle paid minutes, its empty km and the vehicle-day evenly.
    """
    defaults = defaults or PlanningDefaults()
    carried = Carried(legs, bookings, goods)
    stretches = [
        _stretch(run, k + 1, part, carried, provider, defaults)
        for k, part in enumerate(segments(run.stops))
    ]
    if not own_fleet or not stretches:
        return stretches
    service_day = day or run.start_at.date()
    busy = sum((f.driving_minutes + f.waiting_minutes for f in stretches), Decimal(0))
    idle = max(Decimal(0), shift_minutes(run, service_day) - busy)
    empty = max(
        Decimal(0), route_km(run, legs, provider, goods) - sum(f.driven_km for f in stretches)
    )
    n = len(stretches)
    idle_parts = _even(int((idle * 100).to_integral_value()), n)
    empty_parts = _even(int((empty * 1000).to_integral_value()), n)
    shares = _even(10_000, n)
    return [
        replace(
            facts,
            idle_minutes=Decimal(idle_parts[k]) / 100,
            empty_km=Decimal(empty_parts[k]) / 1000,
            vehicle_day_share=Decimal(shares[k]) / 10_000,
        )
        for k, facts in enumerate(stretches)
    ]
