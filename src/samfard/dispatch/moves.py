"""A traffic controller moves one booking leg to another vehicle's run (or into a run from
the unplanned list), and the plan changes only if the verifier accepts it.

Only the runs that change are rebuilt: the problem holds the bookings of the leg's current
run, of the target run and the leg's own booking, so a move on a 3 000-trip day does not
compute travel times for the whole day. The leg goes into the target run at its cheapest
feasible position (planning.insertion keeps every promise on that run, the moved leg's
own promise included); the old run keeps its order without the leg. The changed plan is
then checked by the independent verifier; a move it refuses is not saved, and the
controller is told why in Swedish with the verifier's findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard import changes
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.models import PlanRun, Run
from samfard.dispatch.move_checks import LegUnderWay, names_for, require_movable, require_not_begun
from samfard.dispatch.move_fit import NO_VEHICLE_SV, Fit, MoveInputs, judge_move, misfit_sv
from samfard.dispatch.move_words import refusal_sv
from samfard.dispatch.planning_inputs import DayProblem, PlanningDefaults
from samfard.dispatch.replan_save import booking_ids_taken, lifecycle_steps
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.errors import Conflict, Forbidden, InputError, NotFound
from samfard.planning.model import StopKind
from samfard.planning.verifier import Report, verify

__all__ = ["LegUnderWay", "MoveOutcome", "MoveRefused", "move_leg"]


class MoveRefused(Conflict):
    """The leg cannot go into that run: no feasible position, or the verifier said no.
    `kind` says which ("no_position", "verifier", "no_vehicle") so a page can explain it."""

    title = "Move refused"

    def __init__(self, message: str, *, kind: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class MoveOutcome:
    booking_reference: str
    leg_seq: int
    from_vehicle: str | None  # None: the leg was unplanned
    to_vehicle: str
    pickup_at: datetime
    plan_version: int


def move_leg(
    *,
    session: Session,
    day: date,
    booking_id: int,
    leg_seq: int,
    to_run_id: int,
    actor: Actor,
    now: datetime,
    defaults: PlanningDefaults | None = None,
) -> MoveOutcome:
    """Move leg `leg_seq` of `booking_id` into run `to_run_id` of `day`'s newest plan.

    Only an account scoped to every principal may: the two runs carry other principals'
    trips too (the same rule as `service.plan_day`)."""
    actor.require(P.PLANS_WRITE)
    if not actor.owns_everything:
        raise Forbidden(
            "moving a leg changes runs that carry every principal's trips; only an account "
            "scoped to all principals (*) may do it",
            field="principal",
        )
    defaults = defaults or PlanningDefaults()
    with transaction(session):
        plan_run = store.latest_plan(session, day)
        if plan_run is None:
            raise NotFound(f"no plan for {day} yet: plan the day first", field="date")
        target = next((run for run in plan_run.runs if run.id == to_run_id), None)
        if target is None:
            raise NotFound(
                f"run {to_run_id} is not in the newest plan of {day} (version "
                f"{plan_run.version}); reload the page",
                field="to_run_id",
            )
        booking = session.get(Booking, booking_id)
        if booking is None or booking.service_date != day:
            raise NotFound(f"no booking {booking_id} on {day}", field="booking_id")
        require_not_begun(session, booking, leg_seq)
        rid = f"b{booking_id}.{leg_seq}"
        source = _run_of(plan_run, booking_id, leg_seq)
        if source is not None and source.id == target.id:
            raise InputError(
                f"leg {leg_seq} of {booking.reference} already rides on that run; "
                "choose another run",
                field="to_run_id",
            )
        require_movable(booking)
        # Both runs are rewritten from the problem: it holds every stop on them.
        inputs = MoveInputs.read(session, plan_run, booking_id, source, [target], defaults)
        day_p, moved = _moved_solution(session, inputs, target, rid, defaults)
        _write(session, plan_run, day_p, moved, source, target, rid, defaults, now)
        plan_run.note_change("move", by=actor.username, at=now)
        # The day's pages and the two vehicles' driver pages follow the plan's topic.
        changes.announce(session, topic=f"plan:{day.isoformat()}", kind="moved", at=now)
        _status_after_move(session, booking, plan_run, actor=actor, now=now)
        vehicle = target.vehicle.code
        pickup = next(
            s.planned_at
            for s in target.stops
            if s.booking_id == booking_id and s.leg_seq == leg_seq and s.kind == "pickup"
        )
        return MoveOutcome(
            booking_reference=booking.reference,
            leg_seq=leg_seq,
            from_vehicle=None if source is None else source.vehicle.code,
            to_vehicle=vehicle,
            pickup_at=pickup,
            plan_version=plan_run.version,
        )


def _moved_solution(
    session: Session,
    inputs: MoveInputs,
    target: Run,
    rid: str,
    defaults: PlanningDefaults,
) -> tuple[DayProblem, Fit]:
    """The plan with `rid` taken out of its run and put into `target`, verified; the same
    check the move form makes for each run it lists (`move_fit`)."""
    day = inputs.problem(target)
    if rid not in day.legs:
        leg = rid.rpartition(".")[2]
        raise NotFound(f"booking {inputs.booking_id} has no leg {leg}", field="leg_seq")
    rejected = dict(day.rejected)
    if rid in rejected:
        refused = MoveRefused(
            f"no vehicle can carry this leg: {rejected[rid]}", kind="no_vehicle", field="leg_seq"
        )
        refused.detail_sv = NO_VEHICLE_SV
        raise refused
    stored = inputs.stored(day)
    source = inputs.source
    judged = judge_move(
        day, stored, None if source is None else str(source.vehicle_id), str(target.vehicle_id),
        rid, defaults,
    )  # fmt: skip
    if isinstance(judged, Fit):
        return day, judged
    if judged.kind == "no_position":
        reasons = "; ".join(judged.refusal.reasons) if judged.refusal else ""
        refused = MoveRefused(
            "the leg does not fit in that run without breaking a promised time, a time "
            f"window, the ride time or the vehicle's load ({reasons})",
            kind="no_position",
            field="to_run_id",
        )
        why = misfit_sv(day, stored, str(target.vehicle_id), rid, defaults)
        vehicle = vehicle_name_sv(target.vehicle.code)
        refused.detail_sv = f"Resan ryms inte i {vehicle}: {why}. Välj en annan körning."
        raise refused
    assert judged.report is not None and judged.judged is not None and judged.solution
    refused = MoveRefused(_refusal(judged.report), kind="verifier", field="to_run_id")
    already = {(v.kind.value, v.subject) for v in verify(day.problem, stored).violations}
    names = names_for(session, day, judged.solution)
    refused.detail_sv = refusal_sv(
        judged.report.violations, already, judged.judged, judged.solution, names
    )
    raise refused


def _run_of(plan_run: PlanRun, booking_id: int, leg_seq: int) -> Run | None:
    """The run that carries the leg now, or None when it is unplanned."""
    for run in plan_run.runs:
        if any(s.booking_id == booking_id and s.leg_seq == leg_seq for s in run.stops):
            return run
    return None


def _refusal(report: Report) -> str:
    found = "; ".join(str(v) for v in report.violations[:5])
    return f"the verifier refuses the changed plan, nothing was saved: {found}"


def _write(
    session: Session,
    plan_run: PlanRun,
    day: DayProblem,
    moved: Fit,
    source: Run | None,
    target: Run,
    rid: str,
    defaults: PlanningDefaults,
    now: datetime,
) -> None:
    """Rewrite the two changed runs; promise a window if the leg had none yet."""
    legs = store.legs_by_id(session, day)
    leg: Leg = legs[day.legs[rid].leg_id]
    routes = {r.vehicle_id: r for r in moved.solution.routes}
    if leg.promised_pickup_from is None or leg.promised_pickup_until is None:
        planned = next(
            s.time
            for s in routes[str(target.vehicle_id)].stops
            if s.request_id == rid and s.kind is StopKind.PICKUP
        )
        tolerance = store.pickup_tolerance_s(day.legs[rid], defaults.pickup_before_min)
        promised = store.promise_at(day, moved.insertion.request, planned, tolerance, now=now)
        leg.promised_pickup_from, leg.promised_pickup_until = promised
    store.run_rows(day, routes[str(target.vehicle_id)], legs, target)
    if source is not None:
        remaining = routes.get(str(source.vehicle_id))
        if remaining is None or not remaining.request_ids():
            plan_run.runs.remove(source)
        else:
            store.run_rows(day, remaining, legs, source)
    plan_run.unserved = [row for row in plan_run.unserved if row.get("request_id") != rid]
    plan_run.objective = float(plan_run.objective) + moved.cost_change
    session.flush()


def _status_after_move(
    session: Session, booking: Booking, plan_run: PlanRun, *, actor: Actor, now: datetime
) -> None:
    """An approved booking whose every leg now rides is scheduled (as planning does); one
    on a run its carrier has taken is assigned, and one moved off every taken run is
    scheduled again (the new run's carrier has not taken it yet)."""
    riding = {
        s.leg_seq
        for run in plan_run.runs
        for s in run.stops
        if s.booking_id == booking.id and s.kind == StopKind.PICKUP.value
    }
    seqs = set(session.scalars(select(Leg.seq).where(Leg.booking_id == booking.id)))
    status = BookingStatus(booking.status)
    placed = seqs <= riding if status is BookingStatus.APPROVED else bool(riding)
    if not placed:
        return
    taken = booking.id in booking_ids_taken(session, plan_run)
    reason = f"moved into a run of plan version {plan_run.version} by {actor.username}"
    for target in lifecycle_steps(status, placed=True, taken=taken):
        apply_transition(session, booking, target, actor=actor, now=now, reason=reason)
