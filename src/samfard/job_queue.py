"""Procrastinate, the PostgreSQL-backed queue that carries jobs to `samfard worker`s.

Only one Procrastinate task exists, `samfard.run_job(job_id)`: the job's kind, arguments
and progress live in Samfard's own `job` table (samfard.jobs), so the queue only says
"this job is waiting" and any worker on any machine that reaches the database takes it.
Procrastinate hands each queued job to exactly one worker (it locks the row it fetches),
and `jobs.execute` claims the job row as well, so a job is never done twice.

Imported only when the database is PostgreSQL, so the embedded SQLite first run needs
neither Procrastinate nor a worker.
"""

from __future__ import annotations

import threading

import procrastinate
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.db import make_engine, make_sessionmaker

_apps: dict[str, procrastinate.App] = {}
_lock = threading.Lock()


def conninfo(url: str) -> str:
    """A libpq connection string from a SQLAlchemy URL (postgresql+psycopg://...)."""
    scheme, _, rest = url.partition("://")
    if not scheme.startswith("postgresql"):
        raise ValueError(f"Procrastinate needs PostgreSQL, got a {scheme} URL")
    return f"postgresql://{rest}"


def queue_app(url: str) -> procrastinate.App:
    """The Procrastinate app of a database (one per process and URL), with its task."""
    with _lock:
        app = _apps.get(url)
        if app is None:
            app = _apps[url] = _make_app(url)
    return app


def _make_app(url: str) -> procrastinate.App:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    holder: dict[str, sessionmaker[Session]] = {}

    @app.task(name=jobs.QUEUE_TASK, queue=jobs.QUEUE)
    def run_job(job_id: str) -> None:
        if "sessions" not in holder:
            holder["sessions"] = make_sessionmaker(make_engine(url))
        jobs.execute(holder["sessions"], job_id)

    return app


def _url(sessions: sessionmaker[Session]) -> str:
    bind = sessions.kw["bind"]
    engine: Engine = bind if isinstance(bind, Engine) else bind.engine
    return engine.url.render_as_string(hide_password=False)


def defer(sessions: sessionmaker[Session], job_id: str) -> int:
    """Put the job on the queue; returns Procrastinate's id of it."""
    app = queue_app(_url(sessions))
    with _lock:
        app.open()
        try:
            return int(app.configure_task(jobs.QUEUE_TASK).defer(job_id=job_id))
        finally:
            app.close()


def run_worker(url: str, *, concurrency: int, name: str, wait: bool) -> None:
    """Run a worker in the foreground until stopped (or, with wait=False, until the queue
    is empty)."""
    queue_app(url).run_worker(
        queues=[jobs.QUEUE],
        concurrency=concurrency,
        name=name,
        wait=wait,
        install_signal_handlers=wait,
        listen_notify=True,
    )
