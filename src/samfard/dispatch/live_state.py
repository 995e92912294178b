"""The live day read from the database as planner data: runs as routes, stops done as
facts, and the bookings behind them whatever their state.

`store.read_bookings` reads only bookings still to plan (approved, scheduled, assigned);
during the day a traveller on board is `in_progress` and must stay on the vehicle, so the
live day reads the bookings on the runs by id, in any state but cancelled and no-show
(their stops leave the plan, dispatch.live). Only the vehicles asked for are put in the
problem, so a delay on one run computes travel times for that run's few places alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.dispatch import store
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.forecast import Done
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.models import PlanRun, Run
from samfard.dispatch.planning_inputs import (
    DayProblem,
    FleetVehicle,
    LegInput,
    PlanningDefaults,
    goods_request_id,
    seconds_of,
)
from samfard.dispatch.problem_builder import build_problem
from samfard.geo.models import Place
from samfard.goods.models import Consignment
from samfard.planning.model import Route, StopKind
from samfard.planning.model import Stop as PlanStop
from samfard.travellers.models import Traveller

GONE = frozenset({BookingStatus.CANCELLED.value, BookingStatus.NO_SHOW.value})


@dataclass(frozen=True, slots=True)
class LiveDay:
    """A day problem over some vehicles, their runs as routes, and what has happened."""

    day: DayProblem
    routes: dict[str, Route]  # planner vehicle id -> route as stored
    runs: dict[str, Run]  # planner vehicle id -> its run row
    done: Done
    no_shows: frozenset[str]  # request ids whose traveller did not show


def rid_of(booking_id: int, leg_seq: int) -> str:
    return f"b{booking_id}.{leg_seq}"


def goods_done(session: Session, consignment_ids: Iterable[int]) -> dict[tuple[str, str], datetime]:
    """When each goods stop of these consignments was first reported (arrived, loaded or
    unloaded), by (request id, stop kind). Goods have no dispatch summary (StopDone is per
    booking leg); the driver's event log is read directly, and they have no no-show."""
    ids = sorted(set(consignment_ids))
    if not ids:
        return {}
    rows = session.scalars(
        select(StopEvent)
        .where(StopEvent.consignment_id.in_(ids), StopEvent.stop_kind.is_not(None))
        .order_by(StopEvent.at_vehicle, StopEvent.id)
    )
    found: dict[tuple[str, str], datetime] = {}
    for row in rows:
        key = (goods_request_id(row.consignment_id or 0), row.stop_kind or "")
        found.setdefault(key, row.at_vehicle)
    return found


def read_done(session: Session, day: date, booking_ids: Iterable[int]) -> tuple[Done, set[str]]:
    """Stops done of these bookings in seconds of the day, and the no-shows."""
    ids = sorted(set(booking_ids))
    done: dict[tuple[str, str], float] = {}
    no_shows: set[str] = set()
    if not ids:
        return done, no_shows
    rows = session.scalars(select(StopDone).where(StopDone.booking_id.in_(ids)))
    for row in rows:
        rid = rid_of(row.booking_id, row.leg_seq)
        done[(rid, row.kind)] = seconds_of(day, row.at)
        if row.status == "no_show":
            no_shows.add(rid)
    return done, no_shows


def bookings_on_runs(session: Session, booking_ids: Iterable[int]) -> list[Booking]:
    """The bookings with these ids (those on a plan's runs) in any state but cancelled and
    no-show, whose stops have left the plan: a run rebuilt from them keeps every stop."""
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.id.in_(sorted(set(booking_ids))), Booking.status.not_in(sorted(GONE)))
            .options(selectinload(Booking.legs))
            .order_by(Booking.id)
        )
    )


def leg_inputs_on(session: Session, booking_ids: Iterable[int]) -> list[LegInput]:
    """`store.leg_inputs(session, bookings_on_runs(session, booking_ids))`, leg for leg,
    read as rows of the columns planning needs rather than as whole bookings and legs: the
    move form reads the legs of every booking on every run of the day (1 500 bookings on
    a 3 000-trip day), and loading them whole took a quarter of a second. Each leg's
    `decision` holds the decision's `tolerance` alone (None without one), the one part
    of a decision planning reads (`leg_request.tolerance_minutes`, `waiting_included`,
    `store.pickup_tolerance_s`): a decision is some 4 kB of JSON, and decoding them whole
    was most of the rest. The requests made from these legs are the same."""
    bookings = session.execute(
        select(
            Booking.id,
            Booking.traveller_id,
            Booking.needs,
            Booking.companions,
            Booking.purpose,
            Booking.decision["tolerance"].label("tolerance"),
        )
        .where(Booking.id.in_(sorted(set(booking_ids))), Booking.status.not_in(sorted(GONE)))
        .order_by(Booking.id)
    ).all()
    if not bookings:
        return []
    legs: dict[int, list[Any]] = {}  # booking -> its legs' rows, by seq
    for leg in session.execute(
        select(
            Leg.booking_id,
            Leg.id,
            Leg.seq,
            Leg.origin_place_id,
            Leg.destination_place_id,
            Leg.origin_lat,
            Leg.origin_lon,
            Leg.destination_lat,
            Leg.destination_lon,
            Leg.requested_pickup_at,
            Leg.appointment_at,
            Leg.promised_pickup_from,
            Leg.promised_pickup_until,
        )
        .where(Leg.booking_id.in_([b.id for b in bookings]))
        .order_by(Leg.booking_id, Leg.seq)
    ):
        legs.setdefault(leg.booking_id, []).append(leg)
    travellers = select(Traveller.id, Traveller.municipality_code).where(
        Traveller.id.in_({b.traveller_id for b in bookings})
    )
    # Pairs from the rows: dict() would take a Result for a mapping (it has keys()).
    homes: dict[int, str] = {tid: code for tid, code in session.execute(travellers)}  # noqa: C416
    place_ids = {
        pid
        for found in legs.values()
        for leg in found
        for pid in (leg.origin_place_id, leg.destination_place_id)
        if pid is not None
    }
    places = select(Place.id, Place.municipality_code).where(Place.id.in_(place_ids))
    municipality: dict[int, str] = {pid: code for pid, code in session.execute(places)}  # noqa: C416
    return [
        store.leg_input(
            b,
            leg,
            homes.get(b.traveller_id, ""),
            municipality,
            None if b.tolerance is None else {"tolerance": b.tolerance},
        )
        for b in bookings
        for leg in legs.get(b.id, ())
    ]


def booking_ids_on(runs: Iterable[Run]) -> set[int]:
    """The bookings with a stop on `runs`."""
    return {s.booking_id for run in runs for s in run.stops if s.booking_id is not None}


def runs_problem(
    session: Session,
    plan_run: PlanRun,
    runs: Sequence[Run],
    fleet: Sequence[FleetVehicle],
    defaults: PlanningDefaults | None = None,
    *,
    booking_ids: Iterable[int] = (),
    consignments: Sequence[Consignment] = (),
) -> DayProblem:
    """The problem of `runs` as they are stored, over `fleet`: every booking and every
    consignment on them whatever its state (a run rewritten from the problem keeps every
    stop), and `booking_ids` and `consignments` to place as well."""
    goods = store.consignments_on(session, runs)
    on_runs = {g.consignment_id for g in goods}
    goods += store.consignment_inputs([c for c in consignments if c.id not in on_runs])
    return build_problem(
        plan_run.service_date,
        store.leg_inputs(
            session, bookings_on_runs(session, booking_ids_on(runs) | set(booking_ids))
        ),
        fleet,
        store.provider_for(plan_run.settings.get("osrm_url")),
        defaults,
        consignments=goods,
    )


def live_day(
    session: Session,
    plan_run: PlanRun,
    runs: Sequence[Run],
    *,
    extra_booking_ids: Iterable[int] = (),
    extra_consignment_ids: Iterable[int] = (),
    vehicle_ids: Iterable[int] | None = None,
    defaults: PlanningDefaults | None = None,
    priced: bool = False,
) -> LiveDay:
    """The live problem of `runs` (and of `extra_booking_ids` and `extra_consignment_ids`,
    trips and goods to place) over the runs' vehicles, or over `vehicle_ids` when given
    (a re-plan may use idle vehicles).
    `priced` prices vehicles by their contracts as planning does (slower: contracts are
    parsed), for comparing costs; times and feasibility do not depend on it."""
    day = plan_run.service_date
    extra_bookings = set(extra_booking_ids)
    wanted = set(vehicle_ids) if vehicle_ids is not None else {run.vehicle_id for run in runs}
    fleet = [
        v for v in store.read_fleet(session, day if priced else None) if v.vehicle_id in wanted
    ]
    extra_goods = set(extra_consignment_ids)
    day_p = runs_problem(
        session,
        plan_run,
        runs,
        fleet,
        defaults,
        booking_ids=extra_bookings,
        consignments=store.read_consignments(session, day, extra_goods) if extra_goods else (),
    )
    done, no_shows = read_done(session, day, booking_ids_on(runs) | extra_bookings)
    loaded = goods_done(session, (g.consignment_id for g in day_p.consignments.values()))
    done = {**done, **{key: seconds_of(day, at) for key, at in loaded.items()}}
    routes: dict[str, Route] = {}
    by_vehicle: dict[str, Run] = {}
    requests = {r.id: r for r in day_p.problem.requests}
    vehicles = {v.id: v for v in day_p.problem.vehicles}
    for run in runs:
        vid = str(run.vehicle_id)
        vehicle = vehicles.get(vid)
        if vehicle is None:
            continue
        stops = [PlanStop(StopKind.START, vehicle.start_depot, day_p.seconds(run.start_at))]
        for stop in run.stops:
            rid = store.request_id_of(stop)
            request = requests.get(rid)
            if request is None:
                continue  # cancelled or no-show since: its stops leave the run
            kind = StopKind(stop.kind)
            if rid in no_shows:
                continue  # nobody on board: the trip leaves the run
            where = request.pickup if kind is StopKind.PICKUP else request.dropoff
            stops.append(PlanStop(kind, where, day_p.seconds(stop.planned_at), rid))
        stops.append(PlanStop(StopKind.END, vehicle.end_depot, day_p.seconds(run.end_at)))
        routes[vid] = Route(vid, tuple(stops))
        by_vehicle[vid] = run
    return LiveDay(day_p, routes, by_vehicle, done, frozenset(no_shows))
