"""A run still under way when its vehicle's shift has ended (pass slut, körning ej klar).

The forecast alerts "Passet dras över" when a delay is expected to keep a vehicle on the
road past its shift; nothing told the controller when the shift had in fact ended with
stops of the run still unreported: a driver gone home with a traveller never picked up,
or a driver still driving whom nobody has asked to stay. The day's clock
(`day_clock.tick`) asks this once a minute.

Only vehicles whose driver reports through the app that day are judged, as for late
vehicles (`day_clock`): a vehicle that never reports cannot be told from one whose driver
does not use the app, and every such run would be alerted at its shift's end. The alert
is raised once per vehicle and day, also after the controller acknowledged it: the
shift's end is one fact, not a state that comes back every minute.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from samfard.dispatch import alerts, delays, store
from samfard.dispatch.models import PlanRun, Run, Stop
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.timeutil import STOCKHOLM, local

KIND = "past_shift"
_KINDS = frozenset({KIND})


def alert_runs_past_shift(
    session: Session, plan_run: PlanRun, now: datetime, *, reporting: Collection[int]
) -> int:
    """Alert, in the caller's transaction, each run of a `reporting` vehicle whose shift
    ended before `now` with a stop not reported; returns how many were alerted now."""
    day = plan_run.service_date
    done = delays.done_stops(session, plan_run)
    raised = 0
    for run in plan_run.runs:
        if run.vehicle_id not in reporting:
            continue
        shift_end = local(day, run.vehicle.shift_end)
        if shift_end > now:
            continue
        left = [s for s in run.stops if (store.request_id_of(s), s.kind) not in done]
        subject = f"vehicle {run.vehicle_id}"
        if not left or alerts.has_alert(session, day=day, subject=subject, kinds=_KINDS):
            continue
        alerts.raise_alert(
            session,
            kind=KIND,
            day=day,
            subject=subject,
            run_id=run.id,
            message=_message(session, run, left, shift_end),
            at=now,
        )
        raised += 1
    session.flush()
    return raised


def _message(session: Session, run: Run, left: list[Stop], shift_end: datetime) -> str:
    """ "Sundsvall taxi 3: passet slutade 16:00 och 2 stopp är inte rapporterade, det
    första hämtning 15:40 (Bokning SF-… resa 1). Ring föraren eller utföraren." """
    first = left[0]
    stop = (
        f"{'hämtning' if first.kind == 'pickup' else 'lämning'} "
        f"{first.planned_at.astimezone(STOCKHOLM):%H:%M}"
    )
    if first.booking_id is not None and first.leg_seq is not None:
        stop += f" ({alerts.trip_name(session, first.booking_id, first.leg_seq)})"
    elif first.consignment_id is not None:
        stop += f" (gods {first.consignment_id})"
    which = (
        f"ett stopp är inte rapporterat: {stop}"
        if len(left) == 1
        else f"{len(left)} stopp är inte rapporterade, det första {stop}"
    )
    return (
        f"{vehicle_name_sv(run.vehicle.code)}: passet slutade "
        f"{shift_end.astimezone(STOCKHOLM):%H:%M} och {which}. Ring föraren eller utföraren."
    )
