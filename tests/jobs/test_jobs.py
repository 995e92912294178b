"""Jobs with progress stored in the database: claimed once, run to done or failed, one per
kind and subject at a time; on SQLite in a thread, on PostgreSQL by `samfard worker`s."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nap_tasks  # noqa: F401  (registers the "nap" kind)
import psycopg
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from helpers import NOW
from samfard import jobs
from samfard.changes import Change
from samfard.db import make_engine, make_sessionmaker, upgrade
from samfard.errors import NotFound

HERE = Path(__file__).parent


@pytest.fixture
def committed(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions that really commit (a thread or another process must see the rows); the
    job rows are removed afterwards."""
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    with engine.begin() as connection:
        connection.execute(Change.__table__.delete())
        connection.execute(jobs.Job.__table__.delete())
    engine.dispose()


def _job(sessions: sessionmaker[Session], subject: str, **args: object) -> str:
    with sessions() as session, session.begin():
        job = jobs.Job(
            id=f"nap{subject}",
            kind="nap",
            subject=subject,
            args=args,
            state="queued",
            message="I kö",
            started_by="test",
            created_at=NOW,
        )
        session.add(job)
    return job.id


def test_a_steps_bar_runs_to_where_the_step_ends_and_no_further() -> None:
    """A simulation's setup ran its bar to 80 % and fell to 30 % at its first hour: a step
    runs towards the fraction its report names, not towards 95 %."""
    started = datetime.now(UTC) - timedelta(seconds=100)

    def job(until: float, expected_s: float = 10.0) -> jobs.Job:
        return jobs.Job(state="running", done=0.02, step_until=until,
                        step_expected_s=expected_s, step_started_at=started)  # fmt: skip

    assert job(0.3).progress == pytest.approx(0.3)  # a slow step waits at its end
    assert job(0.3, expected_s=200.0).progress == pytest.approx(0.16, abs=0.01)  # half-way
    assert job(jobs.STEP_UNTIL).progress == pytest.approx(0.95)  # a step that does not say
    assert job(0.01).progress == pytest.approx(0.02)  # never back from what was reported


def _state(sessions: sessionmaker[Session], job_id: str) -> jobs.Job:
    with sessions() as session:
        return jobs.get(session, job_id)


def test_execute_claims_once_reports_progress_and_stores_result_or_error(
    committed: sessionmaker[Session],
) -> None:
    ok = _job(committed, "a", seconds=0.01)
    assert jobs.execute(committed, ok) == "done"
    assert jobs.execute(committed, ok) == "skipped", "a finished job is never run again"
    done = _state(committed, ok)
    assert done.state == "done" and done.attempts == 1 and done.progress == 1.0
    assert done.result == {"pid": os.getpid(), "slept": 0.01}
    failing = _job(committed, "b", seconds=0.01, fail=True)
    assert jobs.execute(committed, failing) == "failed"
    failed = _state(committed, failing)
    assert failed.error == "asked to fail" and failed.finished_at is not None
    with committed() as session:
        kinds = [c.kind for c in session.scalars(select(Change).where(Change.topic == f"job:{ok}"))]
    assert kinds == ["progress", "done"], "progress is announced on the change feed"


def test_on_sqlite_a_job_runs_in_a_thread_and_one_per_subject(
    committed: sessionmaker[Session], engine: Engine
) -> None:
    if engine.dialect.name != "sqlite":
        assert jobs.uses_queue(committed), "PostgreSQL puts jobs on the queue"
        return
    assert not jobs.uses_queue(committed)
    with committed() as session:
        first = jobs.start(
            session=session,
            sessions=committed,
            kind="nap",
            subject="d",
            args={"seconds": 0.5},
            started_by="a",
            now=NOW,
        )
        second = jobs.start(
            session=session,
            sessions=committed,
            kind="nap",
            subject="d",
            args={"seconds": 0.5},
            started_by="b",
            now=NOW,
        )
    assert second.id == first.id, "a job of the same kind and subject is not started twice"
    for _ in range(100):
        if _state(committed, first.id).state == "done":
            break
        time.sleep(0.05)
    assert _state(committed, first.id).state == "done"


def _start_nap(sessions: sessionmaker[Session], subject: str) -> jobs.Job:
    with sessions() as session:
        return jobs.start(
            session=session,
            sessions=sessions,
            kind="nap",
            subject=subject,
            args={"seconds": 0.01},
            started_by="a",
            now=NOW,
        )


def _wait_until_ended(sessions: sessionmaker[Session], job_id: str) -> jobs.Job:
    for _ in range(200):
        job = _state(sessions, job_id)
        if job.state not in jobs.ACTIVE:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} is still {job.state}")


def test_on_sqlite_a_thread_job_that_dies_is_failed_and_can_be_started_again(
    committed: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread whose claim or end the database refuses (locked past its busy timeout) used
    to leave its job queued for ever, and every later start returned that dead job."""
    if engine.dialect.name != "sqlite":
        assert jobs.uses_queue(committed), "PostgreSQL puts jobs on the queue"
        return

    def locked(sessions: sessionmaker[Session], job_id: str) -> str:
        raise OperationalError("UPDATE job", {}, Exception("database is locked"))

    monkeypatch.setattr(jobs, "execute", locked)
    dead = _start_nap(committed, "e")
    failed = _wait_until_ended(committed, dead.id)
    assert failed.state == "failed" and failed.message == "Avbrutet"
    assert failed.error is not None and "starta det igen" in failed.error
    monkeypatch.undo()
    again = _start_nap(committed, "e")
    assert again.id != dead.id
    assert _wait_until_ended(committed, again.id).state == "done"


def test_on_sqlite_a_job_left_active_by_this_process_without_a_thread_is_orphaned(
    committed: sessionmaker[Session], engine: Engine
) -> None:
    """A job of this process still marked running, but whose thread is gone (it could not
    even mark itself failed), is failed by the next start of its kind and subject."""
    if engine.dialect.name != "sqlite":
        assert jobs.uses_queue(committed), "PostgreSQL puts jobs on the queue"
        return
    stale = _job(committed, "f", seconds=0.01)
    with committed() as session, session.begin():
        job = jobs.get(session, stale)
        job.state, job.runner = "running", jobs.runner_name()
    fresh = _start_nap(committed, "f")
    assert fresh.id != stale
    orphan = _state(committed, stale)
    assert orphan.state == "failed" and orphan.error == "jobbet avbröts; starta det igen"
    assert _wait_until_ended(committed, fresh.id).state == "done"


def test_unknown_kind_is_refused_before_anything_is_stored(
    committed: sessionmaker[Session],
) -> None:
    with committed() as session, pytest.raises(NotFound, match="no task is registered"):
        jobs.start(
            session=session,
            sessions=committed,
            kind="nope",
            subject="x",
            args={},
            started_by="a",
            now=NOW,
        )
    with committed() as session:
        assert session.scalars(select(jobs.Job)).first() is None


SAMFARD = str(Path(sys.executable).parent / "samfard")


@pytest.fixture
def worker_database(database_url: str) -> Iterator[str]:
    """A database of its own for the worker processes (they must see committed rows); on
    SQLite the session's database, where a worker must refuse to start."""
    if not database_url.startswith("postgresql"):
        yield database_url
        return
    admin = os.environ.get("SAMFARD_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"samfard_jobs_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    url = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/" + name
    upgrade(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_two_workers_on_postgresql_drain_the_queue_each_job_done_once(
    worker_database: str,
) -> None:
    environment = dict(
        os.environ,
        SAMFARD_DATABASE_URL=worker_database,
        PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    )
    command = [SAMFARD, "worker", "--until-empty", "--import", "nap_tasks"]
    if worker_database.startswith("sqlite"):
        refused = subprocess.run(command, env=environment, capture_output=True, text=True)
        assert refused.returncode == 2 and "needs PostgreSQL" in refused.stderr
        return
    engine = make_engine(worker_database)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        started = [
            jobs.start(
                session=session,
                sessions=sessions,
                kind="nap",
                subject=f"day-{n}",
                args={"seconds": 0.4},
                started_by="test",
                now=NOW,
            )
            for n in range(10)
        ]
    workers = [subprocess.Popen([*command, "--name", f"w{n}"], env=environment) for n in range(2)]
    for worker in workers:
        assert worker.wait(timeout=120) == 0
    with sessions() as session:
        rows = list(session.scalars(select(jobs.Job)))
        queue = session.connection().exec_driver_sql(
            "SELECT status, count(*) FROM procrastinate_jobs GROUP BY status"
        )
        statuses = {str(row[0]): int(row[1]) for row in queue}
    engine.dispose()
    assert {r.id for r in rows} == {j.id for j in started}
    assert all(r.state == "done" and r.attempts == 1 for r in rows), "each job done once"
    pids = Counter(r.result["pid"] for r in rows if r.result)
    assert len(pids) == 2, f"both workers took jobs: {dict(pids)}"
    assert statuses == {"succeeded": 10}
