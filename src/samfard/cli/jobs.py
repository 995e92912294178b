"""`samfard worker` and `samfard job`: run background jobs, and start one from the shell.

`samfard worker` takes jobs from Procrastinate's queue in the PostgreSQL database of
SAMFARD_DATABASE_URL until stopped (SIGINT/SIGTERM finish the job at hand first). Start as
many as the work needs, on any machine that reaches the database (docs/jobs.md). On the
embedded SQLite database there is no queue: jobs run in the process that starts them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from datetime import date, datetime
from typing import Any

from samfard.errors import InputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    worker = subparsers.add_parser("worker", help="run background jobs (PostgreSQL)")
    worker.add_argument("--concurrency", type=int, default=1, help="jobs at once (default 1)")
    worker.add_argument("--name", default=None, help="the worker's name in logs")
    worker.add_argument(
        "--until-empty", action="store_true", help="stop when the queue is empty (batch use)"
    )
    worker.add_argument(
        "--import",
        dest="modules",
        action="append",
        default=[],
        metavar="MODULE",
        help="also import MODULE, which registers more job kinds (samfard.jobs.register)",
    )
    worker.set_defaults(handler=_worker)

    job = subparsers.add_parser("job", help="start a background job and follow it")
    job.add_argument("kind", choices=["replan", "settle"])
    job.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    job.add_argument("--user", required=True, help="the username the job acts as")
    job.add_argument("--time-limit", type=float, default=10.0, help="replan: solver seconds")
    job.set_defaults(handler=_job)


def _sessions() -> Any:
    from samfard.config import get_settings
    from samfard.db import check_migrated, make_engine, make_sessionmaker

    settings = get_settings()
    engine = make_engine(settings.database_url)
    check_migrated(engine)
    return settings, make_sessionmaker(engine)


def _worker(args: argparse.Namespace) -> int:
    from samfard.job_queue import run_worker
    from samfard.jobs import runner_name

    settings, _ = _sessions()
    if not settings.database_url.startswith("postgresql"):
        raise InputError(
            "samfard worker needs PostgreSQL (SAMFARD_DATABASE_URL=postgresql+psycopg://...); "
            "on SQLite jobs run inside the server",
            field="SAMFARD_DATABASE_URL",
        )
    if args.concurrency < 1:
        raise InputError(f"--concurrency must be at least 1, got {args.concurrency}")
    for module in args.modules:
        importlib.import_module(module)
    run_worker(
        settings.database_url,
        concurrency=args.concurrency,
        name=args.name or runner_name(),
        wait=not args.until_empty,
    )
    return 0


def _job(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from samfard import jobs
    from samfard.access.models import User
    from samfard.db import transaction
    from samfard.timeutil import STOCKHOLM

    settings, sessions = _sessions()
    with sessions() as session, transaction(session):
        user = session.scalar(select(User).where(User.username == args.user))
        if user is None:
            raise InputError(f"no user named {args.user}", field="user")
        user_id = user.id
    now = datetime.now(STOCKHOLM)
    task_args: dict[str, Any] = {
        "user_id": user_id,
        "day": args.date.isoformat(),
        "now": now.isoformat(),
        "osrm_url": settings.osrm_url,
    }
    if args.kind == "replan":
        task_args["time_limit_s"] = args.time_limit
    with sessions() as session:
        job = jobs.start(
            session=session,
            sessions=sessions,
            kind=args.kind,
            subject=args.date.isoformat(),
            args=task_args,
            started_by=args.user,
            now=now,
        )
    print(f"job {job.id} ({args.kind} {args.date}) started")
    while True:
        with sessions() as session, transaction(session):
            current = jobs.get(session, job.id)
            state, message, result, error = (
                current.state,
                current.message,
                current.result,
                current.error,
            )
            progress = current.progress
        print(f"{state}: {progress:.0%} {message}", flush=True)
        if state in ("done", "failed"):
            print(json.dumps(result) if state == "done" else f"failed: {error}")
            return 0 if state == "done" else 1
        time.sleep(1.0)
