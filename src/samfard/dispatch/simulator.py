"""The day simulator: a demo day replayed through the real services, with the road's
noise, travellers who do not show or cancel late, bookings made during the day and
carriers who decline runs.

Each vehicle drives its run as stored in the plan at that moment (re-plans and live
insertions change it under way): it leaves so as to arrive at the planned time, takes
the model's travel time times a random factor (a driver leaves with a margin of a
quarter of the drive), waits for a promised window to open, and
reports each stop the way the driver's page does (`events.StopReported` with the
booking's own lifecycle move, in one transaction). Dispatch's handlers then forecast the
run, verify it and alert. A clock tick every `tick_min` minutes does what the clock does
in a centre: runs whose vehicle is overdue are forecast again, unanswered offers alert,
and the traffic controller re-plans the rest of the day when new promises are at risk
(at most every `replan_gap_min` minutes) and acknowledges what was alerted.

Everything random comes from one seeded generator, and events are handled in time order
(ties by the order they were made), so a seed gives the same day. `speed` > 0 paces the
replay against the wall clock (60: one simulated minute a second); 0 runs at full speed.
"""

from __future__ import annotations

import heapq
import math
import random
import tempfile
import time as wall
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from samfard import events
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.demo.generator import DemoDay, generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import alerts, delays, handoff, replan_live, store
from samfard.dispatch.live_models import ControllerAlert
from samfard.dispatch.models import PlanRun, Run, Stop, Vehicle
from samfard.dispatch.problem_builder import PlanningDefaults, service_seconds
from samfard.dispatch.sim_figures import Figures, Pickup, figures
from samfard.dispatch.sim_setup import CONTROLLER, DRIVER, Prepared, prepare
from samfard.errors import DomainError, InputError
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.timeutil import local


@dataclass(frozen=True, slots=True)
class SimSettings:
    """What the simulated day is like (shares are of trips; see the module)."""

    day: date
    seed: int = 1
    trips: int = 600
    speed: float = 0.0
    noise_sigma: float = 0.2
    noise_bias: float = 0.0
    margin: float = 0.25
    no_show: float = 0.03
    late_cancel: float = 0.05
    same_day: float = 0.10
    decline: float = 0.04
    tick_min: int = 15
    replan_gap_min: int = 90

    def __post_init__(self) -> None:
        if not 1 <= self.trips <= 5000:
            raise InputError(f"trips must be between 1 and 5000, got {self.trips}", field="trips")
        if not (math.isfinite(self.speed) and self.speed >= 0):
            raise InputError(f"speed must be 0 (full) or positive, got {self.speed}", field="speed")
        for name in ("no_show", "late_cancel", "same_day", "decline"):
            if not 0 <= getattr(self, name) <= 0.5:
                raise InputError(f"{name} must be a share between 0 and 0.5", field=name)


COUNTS = (
    "events",
    "verified_plans",
    "no_shows",
    "late_cancellations",
    "same_day_booked",
    "same_day_refused",
    "replans",
    "replan_moved",
    "replan_rejected",
    "declined_runs",
    "offers",
    "offer_overdue_alerts",
)


@dataclass
class _Vehicle:
    id: int
    at: Point
    free_at: datetime
    busy: bool = False  # an arrival is on the agenda


@dataclass
class _State:
    session: Session
    settings: SimSettings
    rng: random.Random
    provider: GeodesicProvider
    plan_id: int
    agenda: list[tuple[datetime, int, str, Any]] = field(default_factory=list)
    seq: int = 0
    vehicles: dict[int, _Vehicle] = field(default_factory=dict)
    done: set[tuple[int, int, str]] = field(default_factory=set)
    promises: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)
    pickups: list[Pickup] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    last_replan: datetime | None = None
    travel_cache: dict[tuple[Point, Point], float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per kind of event

    def push(self, at: datetime, kind: str, payload: Any) -> None:
        self.seq += 1
        heapq.heappush(self.agenda, (at, self.seq, kind, payload))

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


def simulate(settings: SimSettings, *, progress: Callable[[str], None] | None = None) -> Figures:
    """Run the simulated day and return its figures (see sim_figures)."""
    started = wall.monotonic()
    with tempfile.TemporaryDirectory(prefix="samfard-sim-") as directory:
        prepared, _ = prepare(
            Path(directory),
            day=settings.day,
            seed=settings.seed,
            trips=settings.trips,
            decline_share=settings.decline,
            progress=progress,
        )
        setup_s = wall.monotonic() - started
        if progress:
            progress(f"day booked, planned and handed over in {setup_s:.1f} s")
        with prepared.sessions() as session:
            state = _start(session, settings, prepared)
            _run(state, started_wall=wall.monotonic())
            result = figures(
                session,
                settings.day,
                pickups=state.pickups,
                counts=state.counts,
                morning_objective=prepared.morning_objective,
                setup_s=setup_s,
                total_s=wall.monotonic() - started,
                seconds_by_kind=state.seconds,
            )
        prepared.sessions.kw["bind"].dispose()
    return result


def _start(session: Session, settings: SimSettings, prepared: Prepared) -> _State:
    day = settings.day
    plan_run = store.latest_plan(session, day)
    assert plan_run is not None
    state = _State(
        session=session,
        settings=settings,
        rng=random.Random(f"simulate:{settings.seed}:{day.isoformat()}"),
        provider=GeodesicProvider(),
        plan_id=plan_run.id,
    )
    for name in COUNTS:
        state.counts[name] = 0
    state.count("declined_runs", prepared.declined)
    state.count("offers", prepared.offers)
    state.count("offer_overdue_alerts", prepared.overdue_alerts)
    for vehicle in session.scalars(select(Vehicle)):
        start = local(day, vehicle.shift_start)
        state.vehicles[vehicle.id] = _Vehicle(
            vehicle.id, Point(vehicle.depot_lat, vehicle.depot_lon), start
        )
    _remember_promises(state)
    _plan_cancellations(state)
    _plan_same_day(state)
    t = local(day, time(5, 0))
    while t.date() == day:
        state.push(t, "tick", None)
        t += timedelta(minutes=settings.tick_min)
    _wake(state, local(day, time(4, 0)))
    return state


def _remember_promises(state: _State) -> None:
    """The promise each traveller was given first: lateness is measured against it."""
    legs = state.session.execute(
        select(Leg.booking_id, Leg.seq, Leg.promised_pickup_from, Leg.promised_pickup_until)
        .join(Booking)
        .where(Booking.service_date == state.settings.day)
    )
    for booking_id, seq, start, end in legs:
        rid = f"b{booking_id}.{seq}"
        if start is not None and end is not None and rid not in state.promises:
            state.promises[rid] = (start, end)


def _plan_cancellations(state: _State) -> None:
    bookings = state.session.scalars(
        select(Booking)
        .where(
            Booking.service_date == state.settings.day,
            Booking.status.in_([BookingStatus.SCHEDULED.value, BookingStatus.ASSIGNED.value]),
        )
        .options(selectinload(Booking.legs))
        .order_by(Booking.id)
    )
    for booking in bookings:
        if state.rng.random() >= state.settings.late_cancel:
            continue
        first = min(
            (leg.promised_pickup_from for leg in booking.legs if leg.promised_pickup_from),
            default=None,
        )
        if first is not None:
            state.push(first - timedelta(minutes=state.rng.randint(15, 90)), "cancel", booking.id)


def _plan_same_day(state: _State) -> None:
    """Bookings made during the day itself, 1-3 hours before the trip."""
    wanted = round(state.settings.trips * state.settings.same_day)
    if wanted < 1:
        return
    extra = generate_day(state.settings.day, seed=state.settings.seed + 7919, trips=wanted)
    travellers = {t.key: t for t in extra.travellers}
    for index, booking in enumerate(extra.bookings):
        if booking.dialysis_weekdays:
            continue  # series are booked long before
        times = [t for leg in booking.legs for t in (leg.pickup_at or leg.appointment_at,) if t]
        if not times:
            continue
        first = min(times)
        at = first - timedelta(minutes=state.rng.randint(70, 180))
        if at.date() != state.settings.day:
            continue
        one = DemoDay(
            day=extra.day,
            seed=extra.seed,
            travellers=(travellers[booking.traveller_key],),
            bookings=(booking,),
        )
        state.push(at, "book", (index, one))


def _run(state: _State, *, started_wall: float) -> None:
    day_start = local(state.settings.day, time(4, 0))
    while state.agenda:
        at, _, kind, payload = heapq.heappop(state.agenda)
        if state.settings.speed > 0:
            due = started_wall + (at - day_start).total_seconds() / state.settings.speed
            pause = due - wall.monotonic()
            if pause > 0:
                wall.sleep(pause)
        begun = wall.monotonic()
        HANDLERS[kind](state, at, payload)
        state.seconds[kind] = state.seconds.get(kind, 0.0) + wall.monotonic() - begun


def _plan(state: _State) -> PlanRun:
    plan_run = state.session.get(PlanRun, state.plan_id)
    assert plan_run is not None
    return plan_run


def _run_of(state: _State, vehicle_id: int) -> Run | None:
    return state.session.scalar(
        select(Run)
        .where(Run.plan_run_id == state.plan_id, Run.vehicle_id == vehicle_id)
        .options(selectinload(Run.stops))
    )


def _next_stop(state: _State, run: Run) -> Stop | None:
    for stop in run.stops:
        if (stop.booking_id, stop.leg_seq, stop.kind) not in state.done:
            return stop
    return None


def _wake(state: _State, now: datetime) -> None:
    """Vehicles that have a stop to go to but nothing on the agenda set off."""
    for run in _plan(state).runs:
        vehicle = state.vehicles[run.vehicle_id]
        if not vehicle.busy and _next_stop(state, run) is not None:
            vehicle.busy = True
            state.push(max(now, vehicle.free_at), "step", vehicle.id)


def _point(state: _State, stop: Stop) -> Point:
    leg = state.session.get(Leg, stop.leg_id)
    assert leg is not None
    if stop.kind == "pickup":
        return Point(leg.origin_lat, leg.origin_lon)
    return Point(leg.destination_lat, leg.destination_lon)


def _travel_s(state: _State, a: Point, b: Point) -> float:
    key = (a, b)
    if key not in state.travel_cache:
        state.travel_cache[key] = float(state.provider.matrix([a, b]).durations[0][1])
    return state.travel_cache[key]


def _step(state: _State, now: datetime, vehicle_id: int) -> None:
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


def _arrive(state: _State, now: datetime, payload: tuple[int, int, int, str, Point]) -> None:
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
    with transaction(state.session):
        events.publish(
            state.session,
            events.StopReported(
                actor=DRIVER,
                at=now,
                run_id=run.id,
                stop_id=stop.id,
                booking_id=booking_id,
                status=status,
            ),
        )
        _lifecycle(state, booking, kind, status, now)
    state.count("events")
    state.count("verified_plans")
    if kind == "pickup":
        rid = f"b{booking_id}.{leg_seq}"
        state.pickups.append(Pickup(rid, now, state.promises.get(rid), status == "no_show"))
        if status == "no_show":
            state.done.add((booking_id, leg_seq, "dropoff"))
            service = 300.0  # the driver waits and calls before leaving
    vehicle.free_at = now + timedelta(seconds=service)
    state.push(vehicle.free_at, "step", vehicle_id)


def _status(state: _State, booking: Booking, kind: str) -> str:
    if kind == "dropoff":
        return "dropped_off"
    no_show = (
        booking.status == BookingStatus.ASSIGNED.value
        and state.rng.random() < state.settings.no_show
    )
    return "no_show" if no_show else "picked_up"


def _lifecycle(state: _State, booking: Booking, kind: str, status: str, now: datetime) -> None:
    """The booking's own moves the driver's report makes (assigned -> in progress ->
    completed, or no-show)."""
    current = BookingStatus(booking.status)
    if current is BookingStatus.SCHEDULED:
        apply_transition(
            state.session, booking, BookingStatus.ASSIGNED, actor=DRIVER, now=now,
            reason="run under way",
        )  # fmt: skip
        current = BookingStatus.ASSIGNED
    if status == "no_show":
        apply_transition(
            state.session, booking, BookingStatus.NO_SHOW, actor=DRIVER, now=now,
            reason="resenären kom inte",
        )  # fmt: skip
        state.count("no_shows")
    elif status == "picked_up" and current is BookingStatus.ASSIGNED:
        apply_transition(
            state.session, booking, BookingStatus.IN_PROGRESS, actor=DRIVER, now=now, reason=None
        )
    elif kind == "dropoff" and current is BookingStatus.IN_PROGRESS:
        legs = {leg.seq for leg in booking.legs}
        dropped = {seq for (b, seq, k) in state.done if b == booking.id and k == "dropoff"}
        if legs <= dropped:
            apply_transition(
                state.session, booking, BookingStatus.COMPLETED, actor=DRIVER, now=now,
                reason=None,
            )  # fmt: skip


def _cancel(state: _State, now: datetime, booking_id: int) -> None:
    booking = state.session.get(Booking, booking_id)
    if booking is None or booking.status not in (
        BookingStatus.SCHEDULED.value,
        BookingStatus.ASSIGNED.value,
    ):
        return
    runs = [r for r in _plan(state).runs if any(s.booking_id == booking_id for s in r.stops)]
    with transaction(state.session):
        apply_transition(
            state.session,
            booking,
            BookingStatus.CANCELLED,
            actor=CONTROLLER,
            now=now,
            reason="resenären avbokade sent",
            late_notice=timedelta(hours=2),
        )
        # The runs that lost stops are forecast and verified again.
        left = [r for r in runs if r in _plan(state).runs]
        delays.refresh_runs(state.session, _plan(state), left, now=now, actor=CONTROLLER)
    state.count("events")
    state.count("late_cancellations")
    state.count("verified_plans")


def _book(state: _State, now: datetime, payload: tuple[int, DemoDay]) -> None:
    """A booking made during the day: booked, assessed and (if approved) placed live."""
    _, one = payload
    try:
        load_day(session=state.session, demo=one, now=now)
    except DomainError:
        state.session.rollback()
        state.count("same_day_refused")
        return
    state.count("events")
    state.count("same_day_booked")
    state.count("verified_plans")
    _remember_promises(state)
    _wake(state, now)


def _tick(state: _State, now: datetime, _: object = None) -> None:
    """The clock: overdue runs, unanswered offers, the controller's re-plan."""
    plan_run = _plan(state)
    overdue = delays.overdue_runs(state.session, plan_run, now)
    if overdue:
        with transaction(state.session):
            delays.refresh_runs(state.session, plan_run, overdue, now=now, actor=CONTROLLER)
        state.count("verified_plans")
    state.count(
        "offer_overdue_alerts",
        handoff.check_deadlines(
            session=state.session, day=state.settings.day, actor=CONTROLLER, now=now
        ),
    )
    open_risks = list(
        state.session.scalars(
            select(ControllerAlert).where(
                ControllerAlert.service_date == state.settings.day,
                ControllerAlert.acknowledged_at.is_(None),
            )
        )
    )
    gap = timedelta(minutes=state.settings.replan_gap_min)
    wants = any(a.kind == "promise_at_risk" for a in open_risks)
    if wants and (state.last_replan is None or now - state.last_replan >= gap):
        with transaction(state.session):
            outcome = replan_live.replan_rest(state.session, plan_run, now=now, actor=CONTROLLER)
        state.last_replan = now
        state.count("replans")
        state.count("verified_plans")
        state.count("replan_moved", outcome.moved)
        state.count("replan_rejected", not outcome.saved)
        _remember_promises(state)
        for alert in open_risks:
            alerts.acknowledge(session=state.session, alert_id=alert.id, actor=CONTROLLER, now=now)
    _wake(state, now)


HANDLERS: dict[str, Callable[[_State, datetime, Any], None]] = {
    "tick": _tick,
    "arrive": _arrive,
    "step": _step,
    "cancel": _cancel,
    "book": _book,
}
