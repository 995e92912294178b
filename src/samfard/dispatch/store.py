"""Reading planner inputs from the database and writing plans back.

Kept apart from the use cases (`service`, `live`) so both read legs, rebuild a stored
plan as a planner Solution and write routes the same way; a stored plan can therefore be
re-verified from the database alone.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.costs.contracts import Contract, VehicleType, find_contract
from samfard.costs.stored_contracts import load_contracts
from samfard.dispatch.leg_request import tolerance_minutes
from samfard.dispatch.models import PlanRun, Run, Stop, Vehicle
from samfard.dispatch.offer_states import DECLINED, vehicles_answered
from samfard.dispatch.planning_inputs import (
    ConsignmentInput,
    DayProblem,
    FleetVehicle,
    LegInput,
    goods_request_id,
)
from samfard.dispatch.tariffs import PlanningCosts, planning_costs
from samfard.dispatch.unplanned_reasons import NOT_IN_STORED_PLAN
from samfard.errors import NotFound
from samfard.geo.models import Place
from samfard.geo.traveltime import GeodesicProvider, Point, TravelTimeProvider
from samfard.goods.capacity import goods_units
from samfard.goods.models import Consignment
from samfard.goods.schemas import ConsignmentStatus
from samfard.planning.model import Request, Route, Solution, StopKind, Unserved, Window
from samfard.planning.model import Stop as PlanStop
from samfard.planning.verifier import route_cost
from samfard.rules.facts import VEHICLE_MODES
from samfard.timeutil import local
from samfard.travellers.models import Traveller

PlanKey = Literal["booking_id", "consignment_id"]
"""What a stop and an unserved row belong to: a booking or a consignment of goods."""

# Assigned bookings (a carrier accepted the run) keep their place when a day is re-planned.
PLANNABLE = (
    BookingStatus.APPROVED.value,
    BookingStatus.SCHEDULED.value,
    BookingStatus.ASSIGNED.value,
)


def provider_for(osrm_url: str | None) -> TravelTimeProvider:
    """OSRM when a server is configured (SAMFARD_OSRM_URL), else the offline geodesic model."""
    if osrm_url:
        from samfard.geo.osrm import OsrmProvider

        return OsrmProvider(osrm_url)
    return GeodesicProvider()


def read_fleet(session: Session, day: date | None = None) -> list[FleetVehicle]:
    """The active vehicles; with a `day`, each priced by its carrier's contract of that day
    (dispatch.tariffs), so the plan the planner finds cheapest is the cheapest to pay, and
    none whose carrier declined that day's run (a plan or an insertion must not hand a
    carrier the day it said no to)."""
    statement = select(Vehicle).where(Vehicle.active).order_by(Vehicle.id)
    if day is not None:
        statement = statement.where(Vehicle.id.not_in(vehicles_answered(session, day, DECLINED)))
    rows = session.scalars(statement)
    contracts = load_contracts(session) if day is not None else []
    return [
        FleetVehicle(
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
            tariff=None if day is None else _tariff(v, contracts, day),
            goods_units=goods_units(v.vehicle_type),
        )
        for v in rows
    ]


def _tariff(vehicle: Vehicle, contracts: Sequence[Contract], day: date) -> PlanningCosts | None:
    kind = VehicleType(vehicle.vehicle_type)
    try:
        contract = find_contract(
            contracts, carrier=vehicle.carrier_name, vehicle_type=kind, day=day
        )
    except NotFound:
        return None
    shift = local(day, vehicle.shift_end) - local(day, vehicle.shift_start)
    return planning_costs(contract, kind, day, Decimal(shift.total_seconds()) / 60)


def by_vehicle(booking: Booking) -> bool:
    """Whether the centre drives the booking in a carrier's vehicle (see read_bookings)."""
    return booking.mode is None or booking.mode in VEHICLE_MODES


def read_bookings(
    session: Session, day: date, booking_ids: Iterable[int] | None = None
) -> list[Booking]:
    """The day's approved, scheduled and assigned bookings that go by vehicle (or
    `booking_ids` among them). A booking by public transport, train, own car or flight is
    the traveller's own journey and never reaches the planner; one without a mode (stored
    before bookings had one) goes by the vehicle its needs call for."""
    statement = (
        select(Booking)
        .where(
            Booking.service_date == day,
            Booking.status.in_(PLANNABLE),
            or_(Booking.mode.is_(None), Booking.mode.in_(sorted(m.value for m in VEHICLE_MODES))),
        )
        .options(selectinload(Booking.legs))
        .order_by(Booking.id)
    )
    if booking_ids is not None:
        statement = statement.where(Booking.id.in_(list(booking_ids)))
    return list(session.scalars(statement))


def leg_inputs(session: Session, bookings: Sequence[Booking]) -> list[LegInput]:
    """Planner inputs of the bookings' legs; an address without a place counts as home."""
    homes = {
        t.id: t.municipality_code
        for t in session.scalars(
            select(Traveller).where(Traveller.id.in_({b.traveller_id for b in bookings}))
        )
    }
    place_ids = {
        pid
        for b in bookings
        for leg in b.legs
        for pid in (leg.origin_place_id, leg.destination_place_id)
        if pid is not None
    }
    municipality = {
        p.id: p.municipality_code
        for p in session.scalars(select(Place).where(Place.id.in_(place_ids)))
    }
    return [
        leg_input(b, leg, homes.get(b.traveller_id, ""), municipality, b.decision)
        for b in bookings
        for leg in b.legs
    ]


def leg_input(
    booking: Any,
    leg: Any,
    home: str,
    municipality: Mapping[int, str],
    decision: dict[str, Any] | None,
) -> LegInput:
    """The planner input of one leg from its booking and leg, whole records or rows of
    their columns (`live_state.leg_inputs_on` reads rows): `home` is the traveller's
    municipality, which an address without a place counts as, and `municipality` each
    place's."""
    start = municipality.get(leg.origin_place_id or -1, home)
    end = municipality.get(leg.destination_place_id or -1, home)
    return LegInput(
        booking_id=booking.id,
        leg_id=leg.id,
        leg_seq=leg.seq,
        origin=Point(leg.origin_lat, leg.origin_lon),
        destination=Point(leg.destination_lat, leg.destination_lon),
        requested_pickup_at=leg.requested_pickup_at,
        appointment_at=leg.appointment_at,
        promised_from=leg.promised_pickup_from,
        promised_until=leg.promised_pickup_until,
        needs=tuple(booking.needs or ()),
        companions=len(booking.companions or ()),
        purpose=booking.purpose,
        same_municipality=start == end,
        decision=decision,
        traveller_id=booking.traveller_id,
    )


# Goods still to carry: booked, or planned and so already on a run of an earlier plan.
GOODS_PLANNABLE = (ConsignmentStatus.BOOKED.value, ConsignmentStatus.PLANNED.value)


def read_consignments(
    session: Session, day: date, consignment_ids: Iterable[int] | None = None
) -> list[Consignment]:
    """The day's consignments still to carry (or `consignment_ids` among them)."""
    statement = (
        select(Consignment)
        .where(Consignment.service_date == day, Consignment.status.in_(GOODS_PLANNABLE))
        .order_by(Consignment.id)
    )
    if consignment_ids is not None:
        statement = statement.where(Consignment.id.in_(list(consignment_ids)))
    return list(session.scalars(statement))


def consignment_inputs(rows: Sequence[Consignment]) -> list[ConsignmentInput]:
    return [
        ConsignmentInput(
            consignment_id=c.id,
            units=c.units,
            pickup=Point(c.pickup_lat, c.pickup_lon),
            dropoff=Point(c.dropoff_lat, c.dropoff_lon),
            pickup_from=c.pickup_from,
            pickup_until=c.pickup_until,
            dropoff_from=c.dropoff_from,
            dropoff_until=c.dropoff_until,
        )
        for c in rows
    ]


def consignments_on(session: Session, runs: Iterable[Run]) -> list[ConsignmentInput]:
    """The goods on `runs` that are not cancelled, whatever else their state (goods on
    board stay on their vehicle): a change to a run must keep them on it."""
    ids = {s.consignment_id for run in runs for s in run.stops if s.consignment_id is not None}
    if not ids:
        return []
    rows = session.scalars(
        select(Consignment)
        .where(
            Consignment.id.in_(sorted(ids)),
            Consignment.status != ConsignmentStatus.CANCELLED.value,
        )
        .order_by(Consignment.id)
    )
    return consignment_inputs(list(rows))


def request_id_of(stop: Stop) -> str:
    """The planner's request id of a stored stop: a leg's or a consignment's."""
    if stop.consignment_id is not None:
        return goods_request_id(stop.consignment_id)
    return f"b{stop.booking_id}.{stop.leg_seq}"


def legs_by_id(session: Session, day: DayProblem) -> dict[int, Leg]:
    """The leg rows behind `day`'s requests, to write promises and addresses on."""
    ids = [leg.leg_id for leg in day.legs.values()]
    return {leg.id: leg for leg in session.scalars(select(Leg).where(Leg.id.in_(ids)))}


def latest_plan(session: Session, day: date) -> PlanRun | None:
    return session.scalar(
        select(PlanRun)
        .where(PlanRun.service_date == day)
        .order_by(PlanRun.version.desc())
        .options(selectinload(PlanRun.runs).selectinload(Run.stops))
        .limit(1)
    )


def solution_of(plan: PlanRun, day: DayProblem) -> Solution:
    """The stored plan as a planner Solution over `day`'s problem.

    Stops of legs no longer in the problem (cancelled since) are left out, and runs of
    vehicles no longer in the fleet are dropped, so re-planning starts from what still
    holds; leaving a pickup and its drop-off out never makes a route late.
    """
    requests = {r.id: r for r in day.problem.requests}
    vehicles = {v.id: v for v in day.problem.vehicles}
    routes: list[Route] = []
    for run in plan.runs:
        vehicle = vehicles.get(str(run.vehicle_id))
        if vehicle is None:
            continue
        stops = [PlanStop(StopKind.START, vehicle.start_depot, day.seconds(run.start_at))]
        for stop in run.stops:
            rid = request_id_of(stop)
            request = requests.get(rid)
            if request is None:
                continue
            kind = StopKind(stop.kind)
            where = request.pickup if kind is StopKind.PICKUP else request.dropoff
            stops.append(PlanStop(kind, where, day.seconds(stop.planned_at), rid))
        stops.append(PlanStop(StopKind.END, vehicle.end_depot, day.seconds(run.end_at)))
        if len(stops) > 2:
            routes.append(Route(vehicle.id, tuple(stops)))
    routed = {rid for route in routes for rid in route.request_ids()}
    reasons = {row["request_id"]: str(row["reason"]) for row in plan.unserved}
    unserved = tuple(
        Unserved(rid, reasons.get(rid, NOT_IN_STORED_PLAN)) for rid in requests if rid not in routed
    )
    cost = sum(route_cost(day.problem, vehicles[r.vehicle_id], r) for r in routes)
    return Solution(tuple(routes), unserved, cost)


def run_rows(day: DayProblem, route: Route, legs: Mapping[int, Leg], run: Run | None = None) -> Run:
    """A Run row for one planner route: a new one, or `run` with its stops replaced."""
    distance = day.problem.distance
    metres = sum(distance[a.location][b.location] for a, b in itertools.pairwise(route.stops))
    run = run or Run(vehicle_id=day.vehicles[route.vehicle_id])
    run.start_at = day.at(route.stops[0].time)
    run.end_at = day.at(route.stops[-1].time)
    run.distance_km = round(metres / 1000.0, 3)
    stops: list[Stop] = []
    for seq, stop in enumerate(s for s in route.stops if s.request_id is not None):
        goods = day.consignments.get(stop.request_id or "")
        if goods is not None:
            stops.append(
                Stop(
                    seq=seq,
                    consignment_id=goods.consignment_id,
                    kind=stop.kind.value,
                    planned_at=day.at(stop.time),
                )
            )
            continue
        leg_input = day.legs[stop.request_id or ""]
        leg = legs[leg_input.leg_id]
        pickup = stop.kind is StopKind.PICKUP
        stops.append(
            Stop(
                seq=seq,
                booking_id=leg_input.booking_id,
                leg_id=leg_input.leg_id,
                leg_seq=leg_input.leg_seq,
                kind=stop.kind.value,
                planned_at=day.at(stop.time),
                promised_from=leg.promised_pickup_from if pickup else None,
                promised_until=leg.promised_pickup_until if pickup else None,
            )
        )
    run.stops = stops
    return run


def promise_at(
    day: DayProblem, request: Request, planned: float, tolerance_s: float, *, now: datetime
) -> tuple[datetime, datetime]:
    """The promise of a leg just placed at `planned` (a plan, a live insertion, a move, a
    re-plan) at `now`: `promise_window` in the leg's own pickup window, from `now`'s
    minute at the earliest (a re-plan's new window, told by SMS, could start before the
    message was sent), in whole minutes as the traveller is told it. Not the window the
    insertion offers (`Insertion.promised_pickup`), which it cuts to what the route could
    do around the planned time: with no slack there, a desk booking was told "Bilen kommer
    mellan 15:42 och 15:42", a promise 24 seconds long."""
    kept = promise_window(request.pickup_window, planned, tolerance_s)
    start, end = day.at(kept.earliest), day.at(kept.latest)
    start = max(start, now.replace(second=0, microsecond=0))
    return start, max(end, start + timedelta(minutes=1))


def promise_window(window: Window, planned: float, tolerance_s: float) -> Window:
    """The pickup window a traveller is promised: the planned time +- tolerance (15
    minutes unless the rulebook's decision says otherwise, docs/dispatch.md), inside the
    leg's pickup window, always holding the planned time. So it is never narrower than
    the tolerance or the window, whichever is less. Its ends are whole minutes, the start
    rounded down and the end up, and it spans at least a minute: a window narrower than a
    minute (a return squeezed by its outward trip, dispatch.leg_order) is promised as the
    minute around it, "mellan 15:42 och 15:43", never "mellan 15:42 och 15:42"."""
    low = min(max(window.earliest, planned - tolerance_s), planned)
    high = max(min(window.latest, planned + tolerance_s), planned)
    start = math.floor((low + _ROUNDING_EPS) / 60.0) * 60.0
    end = math.ceil((high - _ROUNDING_EPS) / 60.0) * 60.0
    return Window(start, max(end, start + 60.0))


_ROUNDING_EPS = 1e-6  # seconds of float noise that do not make another minute


def pickup_tolerance_s(leg: LegInput, default_min: int) -> float:
    """The +- a traveller is promised around the planned pickup, in seconds."""
    tolerance = tolerance_minutes(leg.decision)
    minutes = default_min if tolerance is None else max(tolerance[0], tolerance[1])
    return timedelta(minutes=minutes).total_seconds()


def unserved_rows(day: DayProblem, solution: Solution) -> list[dict[str, Any]]:
    reasons = [*day.rejected, *((u.request_id, u.reason) for u in solution.unserved)]
    return once_per_request([unserved_row(day, rid, reason) for rid, reason in reasons])


def once_per_request(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """An unserved list with one row per request (a leg, or goods): a later row for a
    request already listed replaces it where it stood, so the newest reason is kept. Each
    re-plan appended its own row for a leg still without a vehicle, and /trafik listed one
    leg six times ("6 resor oplanerade" for two legs); lists stored so are read through
    this too."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        found[str(row["request_id"])] = dict(row)
    return list(found.values())


def note_unserved(plan: PlanRun, rows: Iterable[Mapping[str, Any]]) -> None:
    """Add `rows` to the plan's unserved list, replacing the row of a request already on
    it (`once_per_request`); the list is written only when it changes."""
    merged = once_per_request([*plan.unserved, *rows])
    if merged != list(plan.unserved):
        plan.unserved = merged


def goods_follow_runs(
    session: Session, day: DayProblem, served: set[str], *, now: datetime
) -> None:
    """Goods follow the runs as bookings do: planned when on a run, booked again when the
    plan left them out (they are then on its unserved list). Goods already picked up or
    delivered keep their state."""
    ids = {g.consignment_id: rid for rid, g in day.consignments.items()}
    if not ids:
        return
    for row in session.scalars(select(Consignment).where(Consignment.id.in_(sorted(ids)))):
        if row.status not in GOODS_PLANNABLE:
            continue
        target = ConsignmentStatus.PLANNED if ids[row.id] in served else ConsignmentStatus.BOOKED
        if row.status != target.value:
            row.status = target.value
            row.updated_at = now


def unserved_row(day: DayProblem, rid: str, reason: str) -> dict[str, Any]:
    """A plan's unserved-list row: the leg's booking and seq, or the consignment."""
    goods = day.consignments.get(rid)
    if goods is not None:
        return {"request_id": rid, "consignment_id": goods.consignment_id, "reason": reason}
    leg = day.legs[rid]
    return {
        "request_id": rid,
        "booking_id": leg.booking_id,
        "leg_seq": leg.leg_seq,
        "reason": reason,
    }


def drop_stops(plan: PlanRun, key: PlanKey, value: int, *, keep_empty: bool = False) -> None:
    """The stops of one booking or consignment leave the plan's runs (a run left with no
    stop goes too, unless `keep_empty`); runs without them are not touched, since
    reassigning their lists would rewrite every stop."""
    for run in list(plan.runs):
        gone = [s for s in run.stops if getattr(s, key) == value]
        if not gone:
            continue
        for stop in gone:
            run.stops.remove(stop)
        if not run.stops and not keep_empty:
            plan.runs.remove(run)


def drop_unserved(plan: PlanRun, key: PlanKey, value: int) -> None:
    """One booking's or consignment's rows leave the plan's unserved list (the list is
    written only when it had some)."""
    if any(row.get(key) == value for row in plan.unserved):
        plan.unserved = [row for row in plan.unserved if row.get(key) != value]
