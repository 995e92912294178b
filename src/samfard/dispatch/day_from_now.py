"""What a plan made at `now` may still do with its day.

A day is planned ahead, the evening before. Planned later (`samfard plan --date today` at
two in the afternoon, or a first plan of a day already begun), the plan sent vehicles out
in the morning and promised travellers pickup windows that had passed when they heard
them. So a plan made at `now` starts no vehicle's shift before `now`, and a trip whose
pickup window has closed is left out with its own reason: the desk books it again or the
controller moves it, and every promise the plan gives is a time still to come.

A day with runs already started (a stop reported, or the newest plan's first run due) is
not planned again as a whole: that would move travellers already on board and stops
already made. The live re-plan (`dispatch.replan_live`) plans the rest of such a day from
what has happened; `under_way` tells `plan_day` to refuse and say so.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from sqlalchemy.orm import Session

from samfard.dispatch.models import PlanRun
from samfard.dispatch.planning_inputs import DayProblem
from samfard.dispatch.replan_live import running
from samfard.dispatch.unplanned_reasons import PICKUP_WINDOW_PASSED
from samfard.errors import Conflict
from samfard.planning.model import Window


def under_way(session: Session, day: date, newest: PlanRun | None, now: datetime) -> bool:
    """Whether `day` has begun: a stop of it reported, or a run of its newest plan due to
    have started by `now` (reported or not: a vehicle without the driver's app drives too)."""
    if newest is not None and any(run.start_at <= now for run in newest.runs):
        return True
    return running(session, day)


def under_way_refusal(day: date) -> Conflict:
    """The refusal of a whole-day plan of a day under way, with what to do instead."""
    conflict = Conflict(
        f"{day} is under way: its runs have started, and planning the whole day again would "
        f"move trips already driven; re-plan the rest of the day instead "
        f"(POST /api/v1/plans/{day}/replan-live), which keeps what has happened",
        field="date",
    )
    conflict.detail_sv = (
        "Dagen är i gång och planeras inte om i sin helhet: det skulle flytta resor som "
        "redan körs. Använd ”Planera om resten av dagen” under Larm; det som hänt ligger fast."
    )
    return conflict


def from_now(day: DayProblem, now: datetime) -> DayProblem:
    """`day` as a plan made at `now` may carry it: no shift starts before `now`, vehicles
    whose shift has ended are left out, and so are trips whose pickup window (narrowed by
    any promise) closed before `now`. The day unchanged when `now` is before all of it."""
    now_s = day.seconds(now)
    problem = day.problem
    if all(v.shift.earliest >= now_s for v in problem.vehicles):
        return day
    vehicles = tuple(
        dataclasses.replace(v, shift=Window(max(v.shift.earliest, now_s), v.shift.latest))
        for v in problem.vehicles
        if v.shift.latest > now_s
    )
    if not vehicles:
        conflict = Conflict(
            f"every vehicle's shift on {day.day} has ended by {now.isoformat()}: "
            "a day is planned before it is over",
            field="date",
        )
        conflict.detail_sv = "Dagen är slut: alla fordons arbetspass har tagit slut."
        raise conflict
    passed = [r for r in problem.requests if r.effective_pickup_window.latest < now_s]
    gone = {r.id for r in passed}
    return dataclasses.replace(
        day,
        problem=dataclasses.replace(
            problem,
            requests=tuple(r for r in problem.requests if r.id not in gone),
            vehicles=vehicles,
        ),
        rejected=(*day.rejected, *((r.id, PICKUP_WINDOW_PASSED) for r in passed)),
    )
