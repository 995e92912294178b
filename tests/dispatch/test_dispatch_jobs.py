"""Re-planning as a background job: the task re-plans the day as the user who asked, the
board reports progress, a result or a failure, and never runs two of one day at once."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from dispatch_fixtures import DAY, PLAN_NOW, plan_demo_day
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from helpers import STRONG_PASSWORD
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.dispatch import store
from samfard.dispatch.jobs import JobBoard, Progress, replan_day_task
from samfard.errors import InputError


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


def test_the_board_reports_running_done_and_failed_and_runs_one_job_per_day() -> None:
    board = JobBoard()
    release = threading.Event()
    started = threading.Event()

    def slow(report: Progress) -> dict[str, Any]:
        report(0.5, "Halvvägs", 0.0)
        started.set()
        release.wait(10)
        return {"version": 3}

    job = board.start("replan", "2026-11-23", "anna", slow)
    assert started.wait(10)
    assert job.state == "running" and job.progress == 0.5 and job.message == "Halvvägs"
    assert board.start("replan", "2026-11-23", "berit", slow) is job, "one job per day"
    assert board.running("replan", "2026-11-23") is job
    release.set()
    for _ in range(200):
        if job.state != "running":
            break
        threading.Event().wait(0.05)
    assert job.state == "done" and job.result == {"version": 3} and job.progress == 1.0
    assert board.get(job.id) is job

    def broken(report: Progress) -> dict[str, Any]:
        raise InputError("time limit must be between 0 and 600 seconds", field="time_limit")

    failed = board.start("replan", "2026-11-24", "anna", broken)
    for _ in range(200):
        if failed.state != "running":
            break
        threading.Event().wait(0.05)
    assert failed.state == "failed" and failed.error is not None and "600" in failed.error
