"""Live insertion: a booking approved after its day was planned goes straight into the plan.

Run (through `on_transition`, subscribed in dispatch/handlers.py) when
`booking.transitions.apply_transition` publishes that a booking became approved (by the
rules at creation or by an assessor), inside that transaction: the traveller hears the
promised pickup window in the same answer. The newest plan of the day is changed in place
(only the run that takes the booking gets new stops), because a new plan version per
booking would copy hundreds of stops for every phone call. Passengers already on that run
keep their promises: planning.insertion treats a promise as a hard window.

Nothing is written unless every leg of the booking fits; otherwise the booking stays
approved, the reason is added to the plan's unserved list, and the next `plan_day` (or an
operator) takes it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.transitions import apply_transition
from samfard.dispatch import alerts, store
from samfard.dispatch.live_state import runs_problem
from samfard.dispatch.models import PlanRun
from samfard.dispatch.planning_inputs import DayProblem, PlanningDefaults
from samfard.dispatch.replan_live import place_running, running
from samfard.dispatch.replan_save import booking_ids_taken, lifecycle_steps
from samfard.dispatch.unplanned_reasons import NO_RUN_FOR_EVERY_LEG
from samfard.errors import DomainError
from samfard.planning.insertion import Insertion, InsertionSettings, insert, with_request
from samfard.planning.model import Solution, StopKind

log = logging.getLogger(__name__)


# Cancelled or a no-show: nobody travels. Back to requested: a change waits for an assessor.
LEAVES_PLAN = frozenset({BookingStatus.CANCELLED, BookingStatus.NO_SHOW, BookingStatus.REQUESTED})


def on_transition(
    session: Session,
    booking: Booking,
    current: BookingStatus,
    target: BookingStatus,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    """Keep the day's newest plan in step with one booking's move (published by
    `booking.transitions.apply_transition`, handled inside its transaction).

    Newly approved (from requested or denied): inserted live. Cancelled, no-show or sent
    back to an assessor: its stops leave the plan, so no driver drives to it, and so does
    its row on the plan's unserved list, so the traffic controller is not asked to place a
    trip nobody takes. A move from scheduled back to approved is a dispatcher's or the
    planner's own decision and changes nothing here.
    """
    if target is BookingStatus.APPROVED and current in (
        BookingStatus.REQUESTED,
        BookingStatus.DENIED,
    ):
        insert_booking(session, booking, actor=actor, now=now)
    elif target in LEAVES_PLAN:
        plan_run = store.latest_plan(session, booking.service_date)
        if plan_run is not None:
            # A no-show is reported from a run under way: the run stays, even emptied.
            keep = target is BookingStatus.NO_SHOW
            store.drop_stops(plan_run, "booking_id", booking.id, keep_empty=keep)
            store.drop_unserved(plan_run, "booking_id", booking.id)


def on_change(
    session: Session,
    booking: Booking,
    *,
    fields: tuple[str, ...],
    status_when_changed: BookingStatus,
    actor: Actor,
    now: datetime,
) -> None:
    """Place again a booking changed after it was approved (its assessment has approved
    it again): taken off its run and inserted afresh, keeping its promised window where the
    day allows, else left approved on the unserved list for the traffic controller.

    Every change the rules weigh can change the plan: needs and companions the load and
    the time at the stops, a leg's new time its window (its old promise was cleared with
    it, so the insertion promises anew), any of them the mode (a bus instead of a car) and
    the ride-time limit (a dialysis purpose allows less extra ride). A booking approved
    only now, by the change, was inserted by its approval."""
    if status_when_changed is BookingStatus.REQUESTED:
        return
    reason = f"taken out of the plan to be placed again: its {', '.join(fields)} changed"
    for target in lifecycle_steps(BookingStatus(booking.status), placed=False):
        apply_transition(session, booking, target, actor=actor, now=now, reason=reason)
    if booking.status == BookingStatus.APPROVED:
        insert_booking(session, booking, actor=actor, now=now)


def insert_booking(
    session: Session,
    booking: Booking,
    *,
    actor: Actor,
    now: datetime,
    defaults: PlanningDefaults | None = None,
) -> bool:
    """Insert `booking`'s legs into the newest plan of its day; True when scheduled (or
    assigned, when a carrier has already taken a run it went into).

    False (and nothing changed but the plan's unserved list) when the day has no plan yet
    or some leg cannot be placed without breaking a promise, window or ride time; False,
    and its stops and unserved rows gone, when the booking goes by public transport, train,
    own car or flight.
    """
    plan_run = store.latest_plan(session, booking.service_date)
    if plan_run is None:
        return False
    session.flush()  # the booking's legs need their ids
    store.drop_stops(plan_run, "booking_id", booking.id)  # placed afresh, never twice
    if not store.by_vehicle(booking):
        # The traveller makes the journey (a change of needs may end in the bus): no car.
        store.drop_unserved(plan_run, "booking_id", booking.id)
        return False
    if running(session, booking.service_date):
        # Under way: stops done and vehicles on the road stay where they are.
        placed_live = place_running(session, plan_run, booking, actor=actor, now=now)
        if not placed_live.saved:
            _note_unserved(plan_run, booking, NO_RUN_FOR_EVERY_LEG, session=session, now=now)
        return placed_live.saved
    defaults = defaults or PlanningDefaults()
    try:
        placed = _place(session, plan_run, booking, defaults)
    except DomainError as error:
        log.warning("live insertion of booking %s failed: %s", booking.id, error)
        _note_unserved(plan_run, booking, str(error), session=session, now=now)
        return False
    if isinstance(placed, str):
        _note_unserved(plan_run, booking, placed, session=session, now=now)
        return False
    _write(session, plan_run, booking, placed, defaults, now)
    plan_run.note_change("booking", by=actor.username, at=now)
    reason = f"inserted live into plan version {plan_run.version}"
    taken = booking.id in booking_ids_taken(session, plan_run)
    for target in lifecycle_steps(BookingStatus(booking.status), placed=True, taken=taken):
        apply_transition(session, booking, target, actor=actor, now=now, reason=reason)
    return True


def _place(
    session: Session, plan_run: PlanRun, booking: Booking, defaults: PlanningDefaults
) -> tuple[DayProblem, Solution, list[Insertion]] | str:
    """The day's problem, the plan with the booking's legs inserted, and each insertion;
    or the reason they do not fit."""
    day = runs_problem(
        session,
        plan_run,
        plan_run.runs,
        store.read_fleet(session, booking.service_date),
        defaults,
        booking_ids=[booking.id],
    )
    new_ids = [rid for rid, leg in day.legs.items() if leg.booking_id == booking.id]
    for rid, reason in day.rejected:
        if rid in new_ids:
            return reason
    problem = day.problem
    solution = store.solution_of(plan_run, day)
    done: list[Insertion] = []
    for rid in new_ids:
        tolerance = store.pickup_tolerance_s(day.legs[rid], defaults.pickup_before_min)
        settings = InsertionSettings(promise_tolerance=tolerance)
        answer = insert(problem, solution, problem.request(rid), settings)
        if not isinstance(answer, Insertion):
            return answer.message
        done.append(answer)
        problem = with_request(problem, answer.request)
        solution = answer.solution
    return replace(day, problem=problem), solution, done


def _note_unserved(
    plan_run: PlanRun, booking: Booking, reason: str, *, session: Session, now: datetime
) -> None:
    """The booking's legs on the plan's unserved list with `reason`, once each, and an
    alert: the desk told the caller the traffic controller places the trip, so the
    controller must hear of it (the day page's list alone went unnoticed all day)."""
    alerts.raise_alert(
        session,
        kind="unserved",
        day=booking.service_date,
        subject=f"b{booking.id}.{min(leg.seq for leg in booking.legs)}",
        booking_id=booking.id,
        message=f"Bokning {booking.reference} fick inget fordon när den bokades. Flytta "
        "resan till en körning eller planera om resten av dagen.",
        at=now,
    )
    store.drop_unserved(plan_run, "booking_id", booking.id)
    store.note_unserved(
        plan_run,
        (
            {
                "request_id": f"b{booking.id}.{leg.seq}",
                "booking_id": booking.id,
                "leg_seq": leg.seq,
                "reason": reason,
            }
            for leg in booking.legs
        ),
    )


def _write(
    session: Session,
    plan_run: PlanRun,
    booking: Booking,
    placed: tuple[DayProblem, Solution, list[Insertion]],
    defaults: PlanningDefaults,
    now: datetime,
) -> None:
    """Promise windows on the legs (`store.promise_at`), and new stops on each run the
    insertions changed."""
    day, solution, done = placed
    legs = {leg.id: leg for leg in booking.legs}
    pickups = {
        stop.request_id: stop.time
        for route in solution.routes
        for stop in route.stops
        if stop.kind is StopKind.PICKUP
    }
    for answer in done:
        rid = answer.request.id
        leg = legs[day.legs[rid].leg_id]
        if leg.promised_pickup_from is not None and leg.promised_pickup_until is not None:
            continue  # placed again within the promise it has (a changed booking): it stands
        tolerance = store.pickup_tolerance_s(day.legs[rid], defaults.pickup_before_min)
        planned = pickups.get(rid, answer.pickup_time)
        promised = store.promise_at(day, answer.request, planned, tolerance, now=now)
        leg.promised_pickup_from, leg.promised_pickup_until = promised
    changed = {answer.vehicle_id for answer in done}
    routes = {route.vehicle_id: route for route in solution.routes}
    all_legs = store.legs_by_id(session, day)
    runs = {str(run.vehicle_id): run for run in plan_run.runs}
    for vehicle_id in changed:
        run = store.run_rows(day, routes[vehicle_id], all_legs, runs.get(vehicle_id))
        if vehicle_id not in runs:
            plan_run.runs.append(run)
    plan_run.objective = solution.cost
    store.drop_unserved(plan_run, "booking_id", booking.id)
