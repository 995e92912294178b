"""Background jobs with progress: re-planning a day, settling it, reports, simulations.

A job is a row of the `job` table (kind, subject, arguments, state, progress, result), so
every API process shows the same jobs and a restart forgets nothing. How it runs depends on
the database:

* PostgreSQL: the job is deferred on Procrastinate's queue (its tables live in the same
  database, created by migration 0011) and one of the workers started by `samfard worker`
  runs it. Several API processes and several workers on one PostgreSQL is how a centre grows
  past one machine (docs/jobs.md).
* SQLite (the embedded first run): a thread of the process that started it runs it, as
  before. A job whose thread is gone while the job is still queued or running (the
  process restarted, or the thread could not even record its end because the database
  stayed locked) is marked failed when the next job of its kind and subject is asked for.

Either way `execute` runs it: it claims the row (queued to running) in one statement, so a
job is done at most once even if the queue handed it out twice, calls the task function
registered for its kind with a `report(done, message, expected_s, until)` callback that
writes progress in its own short transactions, and stores the result or the error. Task modules
are named in `TASK_MODULES` and imported on first use, like the bus's handler modules.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import JSON, Float, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from samfard import changes
from samfard.db import Base, UTCDateTime, transaction
from samfard.errors import DomainError, NotFound

log = logging.getLogger(__name__)

STEP_UNTIL = 0.95  # where a step's bar may run to when its task does not say


class Progress(Protocol):
    """report(done fraction 0..1, Swedish message, seconds the step now starting is
    expected to take, the fraction it ends at): the bar runs from `done` towards `until`
    as the step's time passes, so the next report never sets it back."""

    def __call__(
        self, done: float, message: str, expected_s: float, until: float = STEP_UNTIL
    ) -> None: ...


Task = Callable[..., dict[str, Any]]
"""task(*, sessions, report, **args) -> a JSON-ready result"""

TASK_MODULES: tuple[str, ...] = (
    "samfard.dispatch.jobs",
    "samfard.costs.jobs",
    "samfard.reports.jobs",
    "samfard.dispatch.sim_jobs",
    "samfard.reports.scenarios.job",
)
QUEUE = "samfard"
QUEUE_TASK = "samfard.run_job"
ACTIVE = ("queued", "running")
FAILED = "Misslyckades"  # a failed job's message when its error has no words for a page

_tasks: dict[str, Task] = {}
_imported = False
# The threads of the jobs this process runs itself (SQLite), by job id, from before the
# job's row is committed until the thread ends.
_threads: dict[str, threading.Thread] = {}
_threads_lock = threading.Lock()


class Job(Base):
    """Job: one background job and its progress (bakgrundsjobb)."""

    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    subject: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), index=True)  # queued|running|done|failed
    done: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(200))
    step_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    step_expected_s: Mapped[float] = mapped_column(Float, default=0.0)
    step_until: Mapped[float] = mapped_column(Float, default=STEP_UNTIL)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    started_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    runner: Mapped[str | None] = mapped_column(String(120))  # host:pid of who ran it
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def progress(self) -> float:
        """Done fraction: what the task reported, advanced by the time of the current step
        against its expected length towards where the step ends (never past 95 % before
        the task says it is done). Run towards 95 % whatever the step, a slow step's bar
        passed the next report's fraction and stepped back when it came."""
        if self.state in ("done", "failed"):
            return 1.0
        if self.step_expected_s <= 0 or self.step_started_at is None:
            return self.done
        spent = (datetime.now(UTC) - self.step_started_at).total_seconds()
        share = min(1.0, max(0.0, spent / self.step_expected_s))
        until = min(STEP_UNTIL, max(self.done, self.step_until))
        return self.done + (until - self.done) * share


def register(kind: str, task: Task) -> None:
    """Make `task` the function that runs jobs of `kind` (called by a task module)."""
    _tasks[kind] = task


def task_for(kind: str) -> Task:
    global _imported
    if not _imported:
        for name in TASK_MODULES:
            importlib.import_module(name)
        _imported = True
    if kind not in _tasks:
        raise NotFound(f"no task is registered for jobs of kind {kind}", field="kind")
    return _tasks[kind]


def uses_queue(sessions: sessionmaker[Session]) -> bool:
    """Whether jobs go on Procrastinate's queue (PostgreSQL) or run in a thread (SQLite)."""
    bind = sessions.kw.get("bind")
    return bind is not None and bind.dialect.name == "postgresql"


def start(
    *,
    session: Session,
    sessions: sessionmaker[Session],
    kind: str,
    subject: str,
    args: dict[str, Any],
    started_by: str,
    now: datetime,
) -> Job:
    """Store a job in `session`'s transaction and hand it to a runner once committed (or
    return the one of this kind and subject already queued or running). `sessions` makes
    the sessions the runner works in."""
    task_for(kind)  # an unknown kind is refused before anything is stored
    queued = uses_queue(sessions)
    thread: threading.Thread | None = None
    with transaction(session):
        found = active(session, kind, subject)
        if found is not None and (queued or _runs_here(found.id)):
            return found
        if found is not None:
            _orphaned(found, now)
        job = Job(
            id=uuid.uuid4().hex,
            kind=kind,
            subject=subject,
            args=args,
            state="queued",
            done=0.0,
            step_expected_s=0.0,
            step_until=STEP_UNTIL,
            attempts=0,
            message="I kö",
            started_by=started_by,
            created_at=now,
            runner=None if queued else runner_name(),
        )
        session.add(job)
        changes.announce(session, topic=f"job:{job.id}", kind="queued", at=now)
        if not queued:
            # Known as running here before the row is committed, so that a second start
            # never takes the job for an orphan in between.
            thread = threading.Thread(
                target=_run_here, args=(sessions, job.id), name=f"job-{kind}-{subject}"
            )
            thread.daemon = True
            with _threads_lock:
                _threads[job.id] = thread
    if thread is not None:
        thread.start()
    else:
        from samfard.job_queue import defer

        defer(sessions, job.id)
    return job


def running(
    session: Session, sessions: sessionmaker[Session], kind: str, *, since: datetime
) -> list[Job]:
    """The jobs of `kind` queued or running that were started since `since` and are still
    someone's: on the queue (a worker has them or will), or in a thread of this process
    (a row whose thread is gone, after a restart, is nobody's)."""
    found = session.scalars(
        select(Job).where(Job.kind == kind, Job.state.in_(ACTIVE), Job.created_at >= since)
    )
    queued = uses_queue(sessions)
    return [job for job in found if queued or _runs_here(job.id)]


def _runs_here(job_id: str) -> bool:
    """Whether a thread of this process is about to run, or runs, the job."""
    with _threads_lock:
        thread = _threads.get(job_id)
    return thread is not None and (thread.ident is None or thread.is_alive())


def _run_here(sessions: sessionmaker[Session], job_id: str) -> None:
    """A thread job's thread: `execute`, and if even that fails (the database stayed locked
    past its busy timeout while claiming or recording the end), the job is marked failed."""
    try:
        execute(sessions, job_id)
    except Exception:
        log.exception("job %s stopped before it could record its end", job_id)
        _stopped(sessions, job_id)
    finally:
        with _threads_lock:
            _threads.pop(job_id, None)


def _stopped(sessions: sessionmaker[Session], job_id: str) -> None:
    """Mark a job that stopped without an end of its own failed, if the database lets us;
    if not, the next start of its kind and subject finds it orphaned."""
    outcome = {
        "state": "failed",
        "message": "Avbrutet",
        "error": "jobbet avbröts av ett fel i databasen; starta det igen",
    }
    try:
        _record_end(sessions, job_id, outcome, only_if_active=True)
    except Exception:
        log.exception("job %s could not be marked failed", job_id)


def _record_end(
    sessions: sessionmaker[Session],
    job_id: str,
    outcome: dict[str, Any],
    *,
    only_if_active: bool = False,
) -> None:
    """Store a job's end (its state and the fields that go with it) and announce it."""
    with sessions() as session, transaction(session):
        now = datetime.now(UTC)
        ending = update(Job).where(Job.id == job_id)
        if only_if_active:
            ending = ending.where(Job.state.in_(ACTIVE))
        session.execute(ending.values(finished_at=now, **outcome))
        changes.announce(session, topic=f"job:{job_id}", kind=outcome["state"], at=now)


def _orphaned(job: Job, now: datetime) -> None:
    """A thread job (SQLite) with no thread left to run it can never finish: mark it failed
    so a new one can start and the page does not wait for ever."""
    job.state, job.finished_at, job.message = "failed", now, "Avbrutet"
    job.error = (
        "servern startades om medan jobbet pågick; starta det igen"
        if job.runner != runner_name()
        else "jobbet avbröts; starta det igen"
    )


def active(session: Session, kind: str, subject: str) -> Job | None:
    return session.scalar(
        select(Job)
        .where(Job.kind == kind, Job.subject == subject, Job.state.in_(ACTIVE))
        .order_by(Job.created_at.desc())
    )


def get(session: Session, job_id: str) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"no job {job_id}", field="job_id")
    return job


def runner_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def execute(sessions: sessionmaker[Session], job_id: str) -> str:
    """Run one job to its end and return its final state; a job another runner claimed
    first (or already finished) is left alone ("skipped")."""
    with sessions() as session, transaction(session):
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == "queued")
            .values(
                state="running",
                runner=runner_name(),
                attempts=Job.attempts + 1,
                message="Startar",
                step_started_at=datetime.now(UTC),
            )
        )
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            return "skipped"
        job = get(session, job_id)
        kind, args = job.kind, dict(job.args)

    def report(done: float, message: str, expected_s: float, until: float = STEP_UNTIL) -> None:
        with sessions() as s, transaction(s):
            s.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(
                    done=done,
                    message=message[:200],
                    step_started_at=datetime.now(UTC),
                    step_expected_s=expected_s,
                    step_until=until,
                )
            )
            changes.announce(s, topic=f"job:{job_id}", kind="progress", at=datetime.now(UTC))

    outcome: dict[str, Any]
    try:
        result = task_for(kind)(sessions=sessions, report=report, **args)
    except DomainError as error:
        said = (error.detail_sv or FAILED)[:200]  # the page's words, where the error has them
        outcome = {"state": "failed", "error": error.message, "message": said}
    except Exception as error:  # a bug must end the job visibly, not hang it
        log.exception("job %s (%s) failed", job_id, kind)
        outcome = {
            "state": "failed",
            "error": f"internt fel: {type(error).__name__}",
            "message": FAILED,
        }
    else:
        outcome = {"state": "done", "result": result, "message": "Klar", "done": 1.0}
    _record_end(sessions, job_id, outcome)
    return str(outcome["state"])
