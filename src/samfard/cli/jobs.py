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
from pathlib import Path
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
    job.add_argument("kind", choices=["replan", "settle", "report", "simulate"])
    job.add_argument("--date", type=date.fromisoformat, help="replan, settle, simulate: YYYY-MM-DD")
    job.add_argument("--seed", type=int, default=1, help="simulate: same seed, same day")
    job.add_argument("--trips", type=int, default=600, help="simulate: trips of the day")
    job.add_argument("--month", help="report: YYYY-MM")
    job.add_argument("--principal", help="report: the principal's code, e.g. 23")
    job.add_argument(
        "--out", type=Path, help="report: a folder to write its HTML, PDF and CSV into"
    )
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
    if args.kind == "report":
        job = _start_report(args, sessions, user_id, now)
    elif args.kind == "simulate":
        job = _start_simulation(args, sessions, user_id, now)
    else:
        job = _start_day_job(args, settings, sessions, user_id, now)
    print(f"job {job.id} ({args.kind} {job.subject}) started")
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
        if state == "failed":
            print(f"failed: {error}")
            return 1
        if state == "done":
            if args.kind == "report":
                result = _write_report(job, sessions, args.out)
            print(json.dumps(result))
            return 0
        time.sleep(1.0)


def _start_day_job(
    args: argparse.Namespace, settings: Any, sessions: Any, user_id: int, now: datetime
) -> Any:
    from samfard import jobs

    if args.date is None:
        raise InputError(f"samfard job {args.kind} needs --date YYYY-MM-DD", field="date")
    task_args: dict[str, Any] = {
        "user_id": user_id,
        "day": args.date.isoformat(),
        "now": now.isoformat(),
        "osrm_url": settings.osrm_url,
    }
    if args.kind == "replan":
        task_args["time_limit_s"] = args.time_limit
    with sessions() as session:
        return jobs.start(
            session=session,
            sessions=sessions,
            kind=args.kind,
            subject=args.date.isoformat(),
            args=task_args,
            started_by=args.user,
            now=now,
        )


def _start_report(args: argparse.Namespace, sessions: Any, user_id: int, now: datetime) -> Any:
    """The report job as the user would start it on /uppfoljning (same scope checks)."""
    from samfard.access.models import User
    from samfard.access.service import actor_for_user
    from samfard.reports.jobs import start_report_job

    if not args.month or not args.principal:
        raise InputError("samfard job report needs --month YYYY-MM and --principal CODE")
    with sessions() as session:
        user = session.get(User, user_id)
        return start_report_job(
            session=session,
            sessions=sessions,
            actor=actor_for_user(user),
            principal=args.principal,
            month=args.month,
            now=now,
        )


def _start_simulation(args: argparse.Namespace, sessions: Any, user_id: int, now: datetime) -> Any:
    """The simulation job as the API starts it (plans:write; the figures are its result)."""
    from samfard.access.models import User
    from samfard.access.service import actor_for_user
    from samfard.dispatch.sim_jobs import start_simulation

    if args.date is None:
        raise InputError("samfard job simulate needs --date YYYY-MM-DD", field="date")
    with sessions() as session:
        user = session.get(User, user_id)
        return start_simulation(
            session=session,
            sessions=sessions,
            actor=actor_for_user(user),
            day=args.date,
            seed=args.seed,
            trips=args.trips,
            now=now,
        )


def _write_report(job: Any, sessions: Any, out: Path | None) -> dict[str, Any]:
    """Write the finished report's files into `out` (when given); returns what to print
    (the files' names and sizes rather than their contents)."""
    from samfard import jobs
    from samfard.reports.jobs import FORMATS, report_file
    from samfard.spreadsheet import excel_csv_bytes

    with sessions() as session:
        done = jobs.get(session, job.id)
        files = {f: report_file(done, f) for f in FORMATS}
        title = done.result["title"] if done.result else ""
    written: dict[str, Any] = {}
    for format, (body, _, name) in files.items():
        # The CSV as the download has it (attachment): with the byte order mark Excel needs.
        data = excel_csv_bytes(body) if format == "csv" else body
        data = data.encode("utf-8") if isinstance(data, str) else data
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        written[format] = {"file": str(out / name) if out else name, "bytes": len(data)}
    return {"title": title, "files": written}
