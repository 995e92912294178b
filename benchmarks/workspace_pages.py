"""Server time of the workspace pages /, /bedomning, /trafik and /uppfoljning (and /admin) on
a demo database: each page is asked for several times in-process (the whole FastAPI
stack: authentication, services, template), and the median and worst times are printed
and saved. The target is at most 200 ms per page on the demo's 3 000-trip day.

Build the database first, as the demo does, then measure it:

    samfard demo --trips 3000 --date 2026-12-02     # or any database with a planned day
    .venv/bin/python benchmarks/workspace_pages.py --database sqlite:///var/samfard.sqlite3

The benchmark adds its own users (one per role it needs) if they are missing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import results_table
from samfard.access.login_csrf import LOGIN_CSRF_COOKIE
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.app import create_app
from samfard.booking.models import Booking
from samfard.config import Settings
from samfard.db import make_engine
from samfard.dispatch.models import PlanRun, Run, Stop
from samfard.timeutil import STOCKHOLM

PASSWORD = "bench-pages-42"  # the same as benchmarks/pages.py: they share bench-operator
USERS = {
    "bench-operator": Role.OPERATOR,
    "bench-assessor": Role.ASSESSOR,
    "bench-analyst": Role.ANALYST,
    "bench-admin": Role.SYSTEM_ADMIN,
}
FIELDS = ("page", "user", "status", "runs", "p50_ms", "max_ms", "under_200ms")


def _users(session: Session) -> None:
    now = datetime.now(STOCKHOLM)
    for username, role in USERS.items():
        if session.scalar(select(User).where(User.username == username)) is None:
            create_user(
                session=session,
                username=username,
                password=PASSWORD,
                role=role,
                now=now,
                principal_codes=["*"],
            )


def _day(session: Session, wanted: date | None) -> tuple[date, int, int, int]:
    """The day to show (the newest planned one unless given), with its bookings, runs, stops."""
    day = wanted or session.scalar(select(func.max(PlanRun.service_date)))
    if day is None:
        raise SystemExit("the database has no planned day: run `samfard demo` first")
    bookings = session.scalar(select(func.count(Booking.id)).where(Booking.service_date == day))
    plan = session.scalar(
        select(PlanRun.id).where(PlanRun.service_date == day).order_by(PlanRun.version.desc())
    )
    runs = session.scalar(select(func.count(Run.id)).where(Run.plan_run_id == plan))
    stops = session.scalar(select(func.count(Stop.id)).join(Run).where(Run.plan_run_id == plan))
    return day, bookings or 0, runs or 0, stops or 0


def measure(args: argparse.Namespace) -> tuple[list[dict[str, str]], str]:
    engine = make_engine(args.database)
    with Session(engine) as session:
        _users(session)
        day, bookings, runs, stops = _day(session, args.date)
    app = create_app(Settings(database_url=args.database, secure_cookies=False), engine=engine)
    pages = [
        (f"/?date={day.isoformat()}", "bench-operator"),
        ("/bedomning", "bench-assessor"),
        (f"/trafik?datum={day.isoformat()}", "bench-operator"),
        ("/uppfoljning", "bench-analyst"),
        ("/admin", "bench-admin"),
        ("/bedomning", "bench-operator"),
        ("/uppfoljning", "bench-operator"),
    ]
    rows = []
    with TestClient(app) as client:
        for path, username in pages:
            client.cookies.clear()
            client.get("/login")  # the login form's CSRF token comes with its page
            login = client.post(
                "/login",
                data={
                    "username": username,
                    "password": PASSWORD,
                    "csrf_token": client.cookies[LOGIN_CSRF_COOKIE],
                },
                follow_redirects=False,
            )
            assert login.status_code == 303, login.text
            client.get(path)  # warm: templates compiled, rulebooks loaded
            times, status = [], 0
            for _ in range(args.runs):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                status = response.status_code
            p50 = statistics.median(times)
            rows.append(
                {
                    "page": path.split("?")[0],
                    "user": username.removeprefix("bench-"),
                    "status": str(status),
                    "runs": str(args.runs),
                    "p50_ms": f"{p50:.0f}",
                    "max_ms": f"{max(times):.0f}",
                    "under_200ms": str(status == 200 and p50 <= 200),  # an error page is no pass
                }
            )
    setting = f"day {day}: {bookings} bookings, {runs} runs, {stops} stops in the newest plan"
    return rows, setting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a demo database")
    parser.add_argument("--date", type=date.fromisoformat, help="day for /trafik")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default="workspace_pages", help="name of the result files")
    args = parser.parse_args()
    rows, setting = measure(args)
    report = results_table.save(
        args.out,
        "Server time of the workspace pages",
        [
            f"database: {args.database.split('://')[0]}; {setting}",
            f"each page {args.runs} times after one warm-up, in-process (TestClient)",
        ],
        FIELDS,
        rows,
    )
    print(report)


if __name__ == "__main__":
    main()
