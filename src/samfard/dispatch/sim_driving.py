"""The simulated vehicles: each drives its run as the plan stands at that moment and
reports its stops through the driver's page's own use case (dispatch.driver.service:
stored once, the booking moved through its lifecycle, StopReported published), see
dispatch.simulator."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.dispatch.driver.schemas import StopEventCreate
from samfard.dispatch.driver.service import record_report
from samfard.dispatch.leg_request import service_seconds
from samfard.dispatch.models import PlanRun, Run, Stop
from samfard.dispatch.planning_inputs import PlanningDefaults
from samfard.dispatch.sim_figures import Pickup
from samfard.dispatch.sim_state import State
from samfard.errors import DomainError
from samfard.geo.traveltime import Point


def plan(state: State) -> PlanRun:
    plan_run = state.session.get(PlanRun, state.plan_id)
    assert plan_run is not None
    return plan_run


def _run_of(state: State, vehicle_id: int) -> Run | None:
    return state.session.scalar(
        select(Run)
        .where(Run.plan_run_id == state.plan_id, Run.vehicle_id == vehicle_id)
        .options(selectinload(Run.stops))
    )


def _next_stop(state: State, run: Run) -> Stop | None:
    for stop in run.stops:
        if (stop.booking_id, stop.leg_seq, stop.kind) not in state.done:
            return stop
    return None


def wake(state: State, now: datetime) -> None:
    """Vehicles that have a stop to go to but nothing on the agenda set off."""
    for run in plan(state).runs:
        vehicle = state.vehicles[run.vehicle_id]
        if not vehicle.busy and _next_stop(state, run) is not None:
            vehicle.busy = True
            state.push(max(now, vehicle.free_at), "step", vehicle.id)


def _point(state: State, stop: Stop) -> Point:
    leg = state.session.get(Leg, stop.leg_id)
    assert leg is not None
    if stop.kind == "pickup":
        return Point(leg.origin_lat, leg.origin_lon)
    return Point(leg.destination_lat, leg.destination_lon)


def _travel_s(state: State, a: Point, b: Point) -> float:
    key = (a, b)
    if key not in state.travel_cache:
        state.travel_cache[key] = float(state.provider.matrix([a, b]).durations[0][1])
    return state.travel_cache[key]


def step(state: State, now: datetime, vehicle_id: int) -> None:
    """The vehicle sets off for its next stop (as the plan stands now)."""
    vehicle = state.vehicles[vehicle_id]
    run = _run_of(state, vehicle_id)
    stop = None if run is None else _next_stop(state, run)
    if stop is None:
        vehicle.busy = False
        return
    target = _point(state, stop)
    travel = _travel_s(state, vehicle.at, target)
    # Drivers leave with a margin (a quarter of the drive) and wait if they are early.
    leave = stop.planned_at - timedelta(seconds=travel * (1 + state.settings.margin))
    if leave > now + timedelta(seconds=30):
        state.push(leave, "step", vehicle_id)  # wait, and look at the plan again then
        return
    leave = max(now, leave)
    noise = math.exp(state.rng.gauss(state.settings.noise_bias, state.settings.noise_sigma))
    arrive = leave + timedelta(seconds=travel * noise)
    if stop.kind == "pickup" and stop.promised_from is not None:
        arrive = max(arrive, stop.promised_from)
    state.push(arrive, "arrive", (vehicle_id, stop.booking_id, stop.leg_seq, stop.kind, target))


def arrive(state: State, now: datetime, payload: tuple[int, int, int, str, Point]) -> None:
    """At the stop: report it as the driver's page would, then set off again."""
    vehicle_id, booking_id, leg_seq, kind, where = payload
    vehicle = state.vehicles[vehicle_id]
    vehicle.at = where
    run = _run_of(state, vehicle_id)
    stop = None
    if run is not None:
        stop = next(
            (
                s
                for s in run.stops
                if (s.booking_id, s.leg_seq, s.kind) == (booking_id, leg_seq, kind)
            ),
            None,
        )
    if stop is None or run is None:  # cancelled or re-planned away while driving there
        vehicle.free_at = now
        state.push(now, "step", vehicle_id)
        return
    booking = state.session.get(Booking, booking_id)
    assert booking is not None
    service = service_seconds(booking.needs or (), PlanningDefaults())
    status = _status(state, booking, kind)
    state.done.add((booking_id, leg_seq, kind))
    planned = stop.planned_at  # a report later than this makes dispatch forecast and verify
    reports = [(status, now)]
    if status == "no_show":
        # At the door first, and the no-show once the promised window has opened.
        opens = stop.promised_from or now
        reports = [("arrived", now), (status, max(now, opens))]
    for number, (reported, at) in enumerate(reports):
        report = StopEventCreate(
            client_event_id=f"sim-{state.seq:07d}-{booking_id}-{leg_seq}-{kind}-{number}",
            run_id=run.id,
            stop_id=stop.id,
            kind=reported,
            at=at,
        )
        try:
            # The driver's page's own use case: stored once, the booking moved, published.
            record_report(session=state.session, data=report, actor=driver(vehicle_id), now=at)
        except DomainError:
            state.count("reports_refused")
    if status == "no_show":
        state.count("no_shows")
    state.count("events")
    state.count("verified_plans", status == "no_show" or now > planned)
    if kind == "pickup":
        rid = f"b{booking_id}.{leg_seq}"
        state.pickups.append(Pickup(rid, now, state.promises.get(rid), status == "no_show"))
        if status == "no_show":
            state.done.add((booking_id, leg_seq, "dropoff"))
            service = 300.0  # the driver waits and calls before leaving
    vehicle.free_at = now + timedelta(seconds=service)
    state.push(vehicle.free_at, "step", vehicle_id)


def _status(state: State, booking: Booking, kind: str) -> str:
    if kind == "dropoff":
        return "dropped_off"
    no_show = (
        booking.status == BookingStatus.ASSIGNED.value
        and state.rng.random() < state.settings.no_show
    )
    return "no_show" if no_show else "picked_up"


def driver(vehicle_id: int) -> Actor:
    """The vehicle's driver, as the driver's page signs its reports."""
    return Actor(
        user_id=None, username=f"sim-forare-{vehicle_id}", role=Role.DRIVER, vehicle_id=vehicle_id
    )
