"""Re-planning a day as a background job whose progress a page can poll.

There is no job queue yet, so jobs run in a thread of the server process and their records
live in memory (`JobBoard`, one per application): a restart forgets finished jobs, and a
job running at a restart is lost (the stored plan is untouched, because `plan_day` writes
in one transaction). The work itself is `replan_day_task`, a plain function of JSON-ready
arguments and a progress callback, so it can later be registered as a task of a real
queue (e.g. Procrastinate) without change; only `JobBoard.start` would be replaced.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from samfard.access.models import User
from samfard.access.service import actor_for_user
from samfard.dispatch.service import plan_day
from samfard.errors import DomainError, NotFound

log = logging.getLogger(__name__)

Progress = Callable[[float, str, float], None]
"""report(done fraction 0..1, Swedish message, seconds the next step is expected to take)"""

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
    report(0.02, "Läser dagens bokningar och fordon", SOLVE_OVERHEAD_S + time_limit_s)
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


@dataclass
class JobRecord:
    """One job as the page shows it; changed only under the board's lock."""

    id: str
    kind: str
    subject: str  # what it works on, e.g. the day "2026-11-23"
    started_by: str
    state: str = "running"  # running | done | failed
    message: str = "Startar"
    result: dict[str, Any] | None = None
    error: str | None = None
    _done: float = 0.0
    _step_started: float = field(default_factory=time.monotonic)
    _step_expected: float = 0.0
    _next_done: float = 0.95

    @property
    def progress(self) -> float:
        """Done fraction: what the task reported, advanced by the time of the current step
        against its expected length (never past 95 % before the task says it is done)."""
        if self.state != "running":
            return 1.0
        if self._step_expected <= 0:
            return self._done
        share = min(1.0, (time.monotonic() - self._step_started) / self._step_expected)
        return min(0.95, self._done + (self._next_done - self._done) * share)


class JobBoard:
    """Background jobs of one server process, newest first per subject."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, JobRecord] = {}

    def get(self, job_id: str) -> JobRecord:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id} (jobs are forgotten when the server restarts)")
        return job

    def running(self, kind: str, subject: str) -> JobRecord | None:
        with self._lock:
            return next(
                (
                    j
                    for j in self._jobs.values()
                    if j.kind == kind and j.subject == subject and j.state == "running"
                ),
                None,
            )

    def start(
        self,
        kind: str,
        subject: str,
        started_by: str,
        work: Callable[[Progress], dict[str, Any]],
    ) -> JobRecord:
        """Run `work` in a thread; a job of the same kind and subject already running is
        returned instead of starting a second one."""
        with self._lock:
            for job in self._jobs.values():
                if job.kind == kind and job.subject == subject and job.state == "running":
                    return job
            job = JobRecord(id=uuid.uuid4().hex, kind=kind, subject=subject, started_by=started_by)
            self._jobs[job.id] = job

        def report(done: float, message: str, expected_s: float) -> None:
            with self._lock:
                job._done, job.message = done, message
                job._step_started, job._step_expected = time.monotonic(), expected_s

        def run() -> None:
            try:
                result = work(report)
            except DomainError as error:
                outcome: dict[str, Any] = {"state": "failed", "error": error.message}
            except Exception as error:  # a bug must end the job visibly, not hang it
                log.exception("job %s (%s %s) failed", job.id, kind, subject)
                outcome = {"state": "failed", "error": f"internt fel: {type(error).__name__}"}
            else:
                outcome = {"state": "done", "result": result, "message": "Klar"}
            with self._lock:
                for name, value in outcome.items():
                    setattr(job, name, value)

        threading.Thread(target=run, name=f"job-{kind}-{subject}", daemon=True).start()
        return job
