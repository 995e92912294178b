"""Live insertion of goods: a consignment booked after its day was planned goes straight
into the newest plan; a cancelled one's stops leave it.

Run by dispatch.handlers when goods.service publishes `ConsignmentBooked` or
`ConsignmentCancelled`, inside that transaction (goods never import dispatch: dispatch
reads goods' tables, so the arrow runs the other way). The same path as a booking's
(dispatch.live): the day's problem is rebuilt with the stored routes, the consignment is
inserted with planning.insertion at its cheapest place, and only the run that takes it is
rewritten in the newest plan (no new version). Everyone already planned keeps their
promise: insertion treats a promise as a hard window, and goods add load only in their
own dimension. Goods are promised nothing; they keep the windows they were booked with.

Nothing is written unless the consignment fits; otherwise it stays booked and the reason
goes on the plan's unserved list (with `consignment_id`), for the next `plan_day` or an
operator. Once the day is under way, `replan_live.place_running_goods` places it among
the runs cut at what has happened, as `place_running` does a booking.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.dispatch import alerts, store
from samfard.dispatch.live_state import runs_problem
from samfard.dispatch.models import PlanRun
from samfard.dispatch.planning_inputs import DayProblem, PlanningDefaults, goods_request_id
from samfard.dispatch.replan_live import place_running_goods, running
from samfard.dispatch.unplanned_reasons import NO_RUN_FOR_GOODS
from samfard.errors import DomainError
from samfard.goods.models import Consignment
from samfard.goods.schemas import ConsignmentStatus
from samfard.planning.insertion import Insertion, InsertionSettings, insert

log = logging.getLogger(__name__)

NOT_ON_A_RUN = NO_RUN_FOR_GOODS


def insert_consignment(
    session: Session,
    consignment: Consignment,
    *,
    actor: Actor,
    now: datetime,
    defaults: PlanningDefaults | None = None,
) -> bool:
    """Insert `consignment` into the newest plan of its day; True when planned.

    False and nothing changed when the day has no plan yet (the day's planning takes the
    goods) or the goods are no longer to carry; False and only the plan's unserved list
    changed when no run can take them without breaking a promise, window or ride time.
    """
    plan_run = store.latest_plan(session, consignment.service_date)
    if plan_run is None or consignment.status not in store.GOODS_PLANNABLE:
        return False
    store.drop_stops(plan_run, "consignment_id", consignment.id)  # placed afresh, never twice
    try:
        if running(session, consignment.service_date):
            # Under way: stops done and vehicles on the road stay where they are.
            outcome = place_running_goods(session, plan_run, consignment, actor=actor, now=now)
            placed = outcome.saved and _on_a_run(plan_run, consignment.id)
            if not placed:
                _note_unserved(plan_run, consignment, NOT_ON_A_RUN, session=session, now=now)
            return placed
        found = _place(session, plan_run, consignment, defaults or PlanningDefaults())
    except DomainError as error:
        log.warning("live insertion of consignment %s failed: %s", consignment.id, error)
        _note_unserved(plan_run, consignment, str(error), session=session, now=now)
        return False
    if isinstance(found, str):
        _note_unserved(plan_run, consignment, found, session=session, now=now)
        return False
    _write(session, plan_run, consignment, *found)
    plan_run.note_change("goods", by=actor.username, at=now)
    consignment.status = ConsignmentStatus.PLANNED.value
    consignment.updated_at = now
    session.flush()
    return True


def remove_consignment(session: Session, consignment: Consignment) -> bool:
    """A cancelled consignment leaves the newest plan of its day: its stops go (and a run
    left empty goes too), and it is no longer on the unserved list. True when the plan
    changed."""
    plan_run = store.latest_plan(session, consignment.service_date)
    if plan_run is None:
        return False
    listed = any(row.get("consignment_id") == consignment.id for row in plan_run.unserved)
    if not (listed or _on_a_run(plan_run, consignment.id)):
        return False
    store.drop_stops(plan_run, "consignment_id", consignment.id)
    store.drop_unserved(plan_run, "consignment_id", consignment.id)
    session.flush()
    return True


def _place(
    session: Session, plan_run: PlanRun, consignment: Consignment, defaults: PlanningDefaults
) -> tuple[DayProblem, Insertion] | str:
    """The day's problem with the stored routes and the consignment, and its cheapest
    insertion; or the reason it does not fit."""
    day_p = runs_problem(
        session,
        plan_run,
        plan_run.runs,
        store.read_fleet(session, consignment.service_date),
        defaults,
        consignments=[consignment],
    )
    rid = goods_request_id(consignment.id)
    for rejected, reason in day_p.rejected:
        if rejected == rid:
            return reason
    solution = store.solution_of(plan_run, day_p)
    answer = insert(day_p.problem, solution, day_p.problem.request(rid), InsertionSettings())
    if not isinstance(answer, Insertion):
        return answer.message
    return day_p, answer


def _write(
    session: Session,
    plan_run: PlanRun,
    consignment: Consignment,
    day: DayProblem,
    answer: Insertion,
) -> None:
    """The run that takes the goods rewritten with its new stops (the others untouched)."""
    route = next(r for r in answer.solution.routes if r.vehicle_id == answer.vehicle_id)
    runs = {str(run.vehicle_id): run for run in plan_run.runs}
    run = store.run_rows(day, route, store.legs_by_id(session, day), runs.get(route.vehicle_id))
    if route.vehicle_id not in runs:
        plan_run.runs.append(run)
    plan_run.objective = answer.solution.cost
    store.drop_unserved(plan_run, "consignment_id", consignment.id)


def _on_a_run(plan_run: PlanRun, consignment_id: int) -> bool:
    return any(s.consignment_id == consignment_id for run in plan_run.runs for s in run.stops)


def _note_unserved(
    plan_run: PlanRun,
    consignment: Consignment,
    reason: str,
    *,
    session: Session,
    now: datetime,
) -> None:
    """The goods on the plan's unserved list with `reason`, and an alert for the
    controller, who places them (as `live._note_unserved` for a trip)."""
    alerts.raise_alert(
        session,
        kind="unserved",
        day=consignment.service_date,
        subject=goods_request_id(consignment.id),
        message=f"Gods {consignment.reference} fick inget fordon när det bokades. "
        "Planera om resten av dagen eller kontakta beställaren.",
        at=now,
    )
    store.drop_unserved(plan_run, "consignment_id", consignment.id)
    plan_run.unserved = [
        *plan_run.unserved,
        {
            "request_id": goods_request_id(consignment.id),
            "consignment_id": consignment.id,
            "reason": reason,
        },
    ]
