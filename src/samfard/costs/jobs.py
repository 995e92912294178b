"""Settling a day as a background job (samfard.jobs kind "settle"): the newest stored plan
of the day priced by the carriers' contracts, as `costs.service.settle_day` does."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.access.models import User
from samfard.access.service import actor_for_user
from samfard.costs.service import settle_day
from samfard.errors import NotFound
from samfard.jobs import Progress

SETTLE = "settle"


def settle_day_task(
    *,
    sessions: sessionmaker[Session],
    user_id: int,
    day: str,
    now: str,
    osrm_url: str | None,
    report: Progress,
) -> dict[str, Any]:
    """Settle `day` (ISO date) as user `user_id` would; returns the settlement's totals."""
    report(0.05, "Prissätter dagens körningar", 5.0)
    with sessions() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise NotFound(f"user {user_id} is gone or deactivated", field="user_id")
        done = settle_day(
            session=session,
            day=date.fromisoformat(day),
            actor=actor_for_user(user),
            now=datetime.fromisoformat(now),
            osrm_url=osrm_url,
        )
    report(1.0, "Klar", 0.0)
    return {
        "day": done.day.isoformat(),
        "plan_version": done.plan_version,
        "runs": done.runs,
        "trips": done.trips,
        "cost_ore": done.cost,
        "standalone_ore": done.standalone,
    }


jobs.register(SETTLE, settle_day_task)
