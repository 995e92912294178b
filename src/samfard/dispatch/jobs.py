"""Re-planning a day as a background job (samfard.jobs) whose progress /trafik shows.

The work is `replan_day_task`, a plain function of JSON-ready arguments and a progress
callback, registered as the task of jobs of kind "replan": a thread runs it on SQLite, a
`samfard worker` on PostgreSQL. A job that fails leaves the stored plan untouched, because
`plan_day` writes in one transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.access.models import User
from samfard.access.service import actor_for_user
from samfard.dispatch.service import plan_day
from samfard.errors import NotFound
from samfard.jobs import Progress

REPLAN = "replan"

SOLVE_OVERHEAD_S = 3.0  # reading the day and building travel times, before the solver starts


def replan_day_task(
    *,
    sessions: sessionmaker[Session],
    user_id: int,
    day: str,
    time_limit_s: float,
    now: str,
    osrm_url: str | None,
    report: Progress,
) -> dict[str, Any]:
    """Re-plan `day` (ISO date) as user `user_id` would, keeping every promise; returns the
    outcome's counts. Opens its own session, so it can run in any thread or worker."""
    # One step: `plan_day` reads, solves and stores in one call (one transaction), so the
    # bar moves by the time spent against the step's expected length (jobs.Job.progress).
    report(
        0.02,
        f"Läser dagen och beräknar en ny plan (cirka {round(SOLVE_OVERHEAD_S + time_limit_s)} s)",
        SOLVE_OVERHEAD_S + time_limit_s,
    )
    with sessions() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise NotFound(f"user {user_id} is gone or deactivated", field="user_id")
        outcome = plan_day(
            session=session,
            day=date.fromisoformat(day),
            actor=actor_for_user(user),
            now=datetime.fromisoformat(now),
            time_limit_s=time_limit_s,
            osrm_url=osrm_url,
        )
    report(1.0, "Klar", 0.0)
    return {
        "version": outcome.version,
        "requests": outcome.requests,
        "served": outcome.served,
        "unserved": len(outcome.unserved),
        "vehicles_used": outcome.vehicles_used,
        "distance_km": outcome.distance_km,
    }


jobs.register(REPLAN, replan_day_task)
