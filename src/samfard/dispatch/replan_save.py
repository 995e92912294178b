"""Writing a live re-plan back: the changed runs, new promises, booking states, alerts
and traveller notices, in the caller's transaction (dispatch.replan_live decides, this
module records).

Runs whose order did not change only get their new times; a run whose stops changed is
rewritten (`store.run_rows`), so drivers' manifests follow. A booking's lifecycle follows
its runs: one left with no leg on any run goes back to approved (via scheduled when a
carrier had been assigned); one with a leg on a run is scheduled, also when another of its
legs found no place (that leg is on the unserved list), so its driver can pick it up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.transitions import apply_transition
from samfard.dispatch import alerts, notices, store
from samfard.dispatch.live_state import LiveDay, booking_ids_on
from samfard.dispatch.models import PlanRun, Run
from samfard.dispatch.offer_states import ACCEPTED, vehicles_answered
from samfard.dispatch.planning_inputs import DayProblem, PlanningDefaults
from samfard.dispatch.unplanned_reasons import NO_VEHICLE_REST_OF_DAY
from samfard.planning.model import Problem, Route, StopKind


@dataclass
class ReplanOutcome:
    """What a re-plan did, for the controller and the simulator."""

    moved: int = 0  # legs whose vehicle or position changed
    kept: int = 0  # legs placed again within their promise
    broken: list[str] = field(default_factory=list)  # placed, but later than promised
    unserved: list[str] = field(default_factory=list)
    fixed_stops: int = 0  # stops that did not move (done, or the next stop en route)
    saved: bool = True


def save(
    session: Session,
    plan_run: PlanRun,
    live: LiveDay,
    stitched: list[Route],
    final: Problem,
    outcome: ReplanOutcome,
    declined: set[str],
    *,
    now: datetime,
    actor: Actor,
) -> None:
    """Write the changed runs (a declined vehicle's run goes), promises, statuses, alerts."""
    day = live.day
    legs = store.legs_by_id(session, day)
    requests = {r.id: r for r in final.requests}
    newly_promised = [
        rid
        for rid, r in requests.items()
        if r.promised_pickup is not None
        and rid in day.legs  # goods are promised nothing
        and day.legs[rid].promised_from is None
    ] + [rid for rid in outcome.broken if rid in day.legs]
    pickups = {
        stop.request_id: stop.time
        for route in stitched
        for stop in route.stops
        if stop.kind is StopKind.PICKUP
    }
    for rid in newly_promised:
        if requests[rid].promised_pickup is None or rid not in pickups:
            continue
        leg = legs[day.legs[rid].leg_id]
        tolerance = store.pickup_tolerance_s(day.legs[rid], PlanningDefaults().pickup_before_min)
        promised = store.promise_at(day, requests[rid], pickups[rid], tolerance, now=now)
        leg.promised_pickup_from, leg.promised_pickup_until = promised
    runs = {str(run.vehicle_id): run for run in plan_run.runs}
    new_routes = {r.vehicle_id: r for r in stitched}
    in_problem = set(live.routes) | {v.id for v in day.problem.vehicles}
    for vid, run in runs.items():
        if vid not in new_routes and (vid in in_problem or vid in declined):
            plan_run.runs.remove(run)
    for vid, route in new_routes.items():
        old = live.routes.get(vid)
        if old is None or _sequence(old) != _sequence(route):
            outcome.moved += len(
                set(route.request_ids()) - set(() if old is None else old.request_ids())
            )
            run = store.run_rows(day, route, legs, runs.get(vid))
            if vid not in runs:
                plan_run.runs.append(run)
        else:
            _times(day, runs[vid], route)
    served = {rid for r in stitched for rid in r.request_ids()}
    _statuses(session, live, served, plan_run, now=now, actor=actor)
    plan_run.unserved = [row for row in plan_run.unserved if row.get("request_id") not in served]
    store.note_unserved(
        plan_run, (store.unserved_row(day, rid, NO_VEHICLE_REST_OF_DAY) for rid in outcome.unserved)
    )
    store.goods_follow_runs(session, day, served, now=now)
    for rid in outcome.unserved:
        if rid in day.consignments:
            alerts.raise_alert(
                session,
                kind="unserved",
                day=day.day,
                subject=rid,
                message=f"Gods {day.consignments[rid].consignment_id} får inget fordon resten "
                "av dagen. Kontakta beställaren.",
                at=now,
            )
            continue
        alerts.raise_alert(
            session,
            kind="unserved",
            day=day.day,
            subject=rid,
            booking_id=day.legs[rid].booking_id,
            message=f"{alerts.trip_name(session, day.legs[rid].booking_id, day.legs[rid].leg_seq)} "
            "får inget fordon resten av dagen. Boka om eller kontakta resenären.",
            at=now,
        )
    for rid in (r for r in outcome.broken if r in day.legs):
        leg_input = day.legs[rid]
        leg = legs[leg_input.leg_id]
        alerts.raise_alert(
            session,
            kind="promise_broken",
            day=day.day,
            subject=rid,
            booking_id=leg_input.booking_id,
            message=f"{alerts.trip_name(session, leg_input.booking_id, leg_input.leg_seq)}: den "
            "utlovade tiden kan inte hållas; ny tid är lämnad till resenären.",
            at=now,
        )
        booking = session.get(Booking, leg_input.booking_id)
        if booking is not None and leg.promised_pickup_from and leg.promised_pickup_until:
            notices.new_promise(
                session,
                booking,
                leg.promised_pickup_from,
                leg.promised_pickup_until,
                actor=actor,
                at=now,
            )
    session.flush()


def _sequence(route: Route) -> list[tuple[str | None, StopKind]]:
    return [(s.request_id, s.kind) for s in route.stops[1:-1]]


def _times(day: DayProblem, run: Run, route: Route) -> None:
    times = {(s.request_id, s.kind.value): s.time for s in route.stops if s.request_id}
    for stop in run.stops:
        key = (store.request_id_of(stop), stop.kind)
        if key in times:
            stop.planned_at = day.at(times[key])
    run.start_at = day.at(route.stops[0].time)
    run.end_at = day.at(route.stops[-1].time)


def _statuses(
    session: Session,
    live: LiveDay,
    served: set[str],
    plan_run: PlanRun,
    *,
    now: datetime,
    actor: Actor,
) -> None:
    """The lifecycle follows the runs: a booking with a leg on a run is scheduled (its
    driver can pick it up), and assigned when a carrier has taken that run; one with no
    leg on any run goes back to approved. A booking that kept one leg and lost another
    stays scheduled: the lost leg is on the plan's unserved list with an alert, for the
    controller to place."""
    on_runs = booking_ids_on(plan_run.runs)
    on_runs |= {live.day.legs[rid].booking_id for rid in served if rid in live.day.legs}
    taken = booking_ids_taken(session, plan_run)
    bookings = {leg.booking_id for leg in live.day.legs.values()}
    reason = f"re-planned live in plan version {plan_run.version}"
    for booking in session.scalars(select(Booking).where(Booking.id.in_(sorted(bookings)))):
        steps = lifecycle_steps(
            BookingStatus(booking.status),
            placed=booking.id in on_runs,
            taken=booking.id in taken,
        )
        for target in steps:
            apply_transition(session, booking, target, actor=actor, now=now, reason=reason)


def booking_ids_taken(session: Session, plan_run: PlanRun) -> set[int]:
    """The bookings with a stop on a run its carrier has taken (accepted, or own fleet)."""
    accepted = vehicles_answered(session, plan_run.service_date, ACCEPTED)
    return booking_ids_on([run for run in plan_run.runs if run.vehicle_id in accepted])


def lifecycle_steps(
    status: BookingStatus, *, placed: bool, taken: bool = False
) -> Iterable[BookingStatus]:
    """The moves that bring a booking in `status` in step with being on a run or not, and
    with a carrier having taken (`taken`) a run it is on: assigned, as when the carrier
    accepts the run after the booking was placed on it (dispatch.handoff)."""
    if placed and status is BookingStatus.APPROVED:
        yield BookingStatus.SCHEDULED
        status = BookingStatus.SCHEDULED
    if placed and taken and status is BookingStatus.SCHEDULED:
        yield BookingStatus.ASSIGNED
    elif placed and not taken and status is BookingStatus.ASSIGNED:
        yield BookingStatus.SCHEDULED
    elif not placed and status in (BookingStatus.SCHEDULED, BookingStatus.ASSIGNED):
        if status is BookingStatus.ASSIGNED:
            yield BookingStatus.SCHEDULED
        yield BookingStatus.APPROVED
