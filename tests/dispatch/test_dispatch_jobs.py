"""Re-planning as a background job: the task re-plans the day as the user who asked and
reports progress (samfard.jobs runs it; tests/jobs test the running)."""

from __future__ import annotations

from datetime import timedelta

from dispatch_fixtures import DAY, PLAN_NOW, plan_demo_day
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from helpers import STRONG_PASSWORD
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.dispatch import store
from samfard.dispatch.jobs import replan_day_task


def test_the_task_replans_the_day_as_the_user_and_reports_progress(
    session: Session, connection: Connection
) -> None:
    plan_demo_day(session)
    user = create_user(
        session=session,
        username="job-operator",
        password=STRONG_PASSWORD,
        role=Role.OPERATOR,
        now=PLAN_NOW,
        principal_codes=["*"],
    )
    reports: list[tuple[float, str]] = []
    sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    result = replan_day_task(
        sessions=sessions,
        user_id=user.id,
        day=DAY.isoformat(),
        time_limit_s=1.0,
        now=(PLAN_NOW + timedelta(hours=1)).isoformat(),
        osrm_url=None,
        report=lambda done, message, _: reports.append((done, message)),
    )
    assert result["version"] == 2
    assert result["served"] + result["unserved"] == result["requests"]
    assert reports[0][0] < 1.0 and reports[-1] == (1.0, "Klar")
    session.expire_all()
    plan = store.latest_plan(session, DAY)
    assert plan is not None and plan.version == 2 and plan.created_by == "job-operator"
