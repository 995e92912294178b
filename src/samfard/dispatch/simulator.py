"""The day simulator: a demo day replayed through the real services, with the road's
noise, travellers who do not show or cancel late, bookings made during the day and
carriers who decline runs.

Each vehicle drives its run as stored in the plan at that moment (re-plans and live
insertions change it under way): it leaves so as to arrive at the planned time, takes
the model's travel time times a random factor (a driver leaves with a margin of a
quarter of the drive), waits for a promised window to open, and
reports each stop through the driver's page's own use case (dispatch.driver.service: the
report stored, the booking moved through its lifecycle, `events.StopReported` published,
in one transaction). Dispatch's handlers then forecast the
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
import random
import tempfile
import time as wall
from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.demo.generator import DemoDay, generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import alerts, delays, handoff, replan_live, store
from samfard.dispatch.live_models import ControllerAlert
from samfard.dispatch.models import Vehicle
from samfard.dispatch.sim_driving import arrive, plan, step, wake
from samfard.dispatch.sim_figures import Figures, figures
from samfard.dispatch.sim_setup import CONTROLLER, Prepared, prepare
from samfard.dispatch.sim_state import COUNTS, SimSettings, State, VehicleState
from samfard.errors import DomainError
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.timeutil import local


def simulate(
    settings: SimSettings,
    *,
    progress: Callable[[str], None] | None = None,
    clock: Callable[[float, datetime], None] | None = None,
) -> Figures:
    """Run the simulated day and return its figures (see sim_figures). `progress` hears
    each step of the setup; `clock` hears, at each new simulated hour, the share of the
    day replayed and the simulated time (a job's progress bar follows it)."""
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
            _run(state, started_wall=wall.monotonic(), clock=clock)
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


# From the first vehicle out (04:00) to midnight: what `clock` counts as the whole day.
DAY_LENGTH = timedelta(hours=20)


def _start(session: Session, settings: SimSettings, prepared: Prepared) -> State:
    day = settings.day
    plan_run = store.latest_plan(session, day)
    assert plan_run is not None
    state = State(
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
        state.vehicles[vehicle.id] = VehicleState(
            vehicle.id, Point(vehicle.depot_lat, vehicle.depot_lon), start
        )
    _remember_promises(state)
    _plan_cancellations(state)
    _plan_same_day(state)
    t = local(day, time(5, 0))
    while t.date() == day:
        state.push(t, "tick", None)
        t += timedelta(minutes=settings.tick_min)
    wake(state, local(day, time(4, 0)))
    return state


def _remember_promises(state: State) -> None:
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


def _plan_cancellations(state: State) -> None:
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


def _plan_same_day(state: State) -> None:
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


def _run(
    state: State, *, started_wall: float, clock: Callable[[float, datetime], None] | None
) -> None:
    day_start = local(state.settings.day, time(4, 0))
    hour = day_start
    while state.agenda:
        at, _, kind, payload = heapq.heappop(state.agenda)
        if clock is not None and at >= hour + timedelta(hours=1):
            hour = at.replace(minute=0, second=0, microsecond=0)
            clock(min(1.0, (at - day_start) / DAY_LENGTH), at)
        if state.settings.speed > 0:
            due = started_wall + (at - day_start).total_seconds() / state.settings.speed
            pause = due - wall.monotonic()
            if pause > 0:
                wall.sleep(pause)
        begun = wall.monotonic()
        HANDLERS[kind](state, at, payload)
        state.seconds[kind] = state.seconds.get(kind, 0.0) + wall.monotonic() - begun


def _cancel(state: State, now: datetime, booking_id: int) -> None:
    booking = state.session.get(Booking, booking_id)
    if booking is None or booking.status not in (
        BookingStatus.SCHEDULED.value,
        BookingStatus.ASSIGNED.value,
    ):
        return
    runs = [r for r in plan(state).runs if any(s.booking_id == booking_id for s in r.stops)]
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
        left = [r for r in runs if r in plan(state).runs]
        delays.refresh_runs(state.session, plan(state), left, now=now, actor=CONTROLLER)
    state.count("events")
    state.count("late_cancellations")
    state.count("verified_plans")


def _book(state: State, now: datetime, payload: tuple[int, DemoDay]) -> None:
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
    wake(state, now)


def _tick(state: State, now: datetime, _: object = None) -> None:
    """The clock: overdue runs, unanswered offers, the controller's re-plan."""
    plan_run = plan(state)
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
    wake(state, now)


HANDLERS: dict[str, Callable[[State, datetime, Any], None]] = {
    "tick": _tick,
    "arrive": arrive,
    "step": step,
    "cancel": _cancel,
    "book": _book,
}

__all__ = ["SimSettings", "simulate"]
