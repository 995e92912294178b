"""Server time of each workspace page on the demo's 3 000-trip day (target: 200 ms).

Builds (or reuses, with --db) a SQLite database the way `samfard demo` does: reference
data, a generated day of --trips trips for tomorrow, the demo fleet scaled to it, the
contracts and a stored plan (the demo's planning engine). Then an operator logs in to the
pages and every page in PAGES is requested --repeat times through the application in this
process (FastAPI's TestClient: routing, auth, services, templates; no network). The table
gives the median and the slowest time per page.

    .venv/bin/python benchmarks/pages.py --trips 3000 --db var/bench-pages.sqlite3

Pages of other features are added to PAGES as (name, method, path, form) rows; `{t}` in a
path is a traveller with trips that day, `{day}` the day.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import results_table
from samfard.access.actor import SYSTEM
from samfard.access.deps import CSRF_COOKIE
from samfard.access.login_csrf import LOGIN_CSRF_COOKIE
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.app import create_app
from samfard.booking.models import Booking
from samfard.cli.core import DEMO_PLAN_ENGINE
from samfard.config import Settings
from samfard.costs.service import load_contract_files
from samfard.db import make_engine, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import day_is_loaded, load_day
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.service import plan_day
from samfard.dispatch.store import latest_plan
from samfard.planning.solve import solver_named
from samfard.reference import load_reference_data
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller

TARGET_MS = 200.0
PASSWORD = "bench-pages-42"

# (name, method, path, form): the pages an operator opens while booking.
PAGES: list[tuple[str, str, str, dict[str, str] | None]] = [
    ("/bokning", "GET", "/bokning", None),
    ("/bokning traveller search", "GET", "/bokning/resenarer?q={name}", None),
    ("/bokning traveller card", "GET", "/bokning?resenar={t}", None),
    ("/bokning place search", "GET", "/bokning/platser?resenar={t}&falt=till&till=sjukhus", None),
    ("/bokning preview (dry run)", "POST", "/bokning/forhandsgranska", {"besok": "10:30"}),
    ("/bokning book", "POST", "/bokning", {"besok": "10:30"}),
    ("/resenarer search", "GET", "/resenarer?q={name}", None),
    ("/resenarer card", "GET", "/resenarer/{t}", None),
    ("/ (day overview)", "GET", "/?date={day}", None),
]


def build(url: str, *, trips: int, seed: int, plan_seconds: float) -> datetime:
    """The demo's day in the database at `url` (kept if it is there already)."""
    upgrade(url)
    engine = make_engine(url)
    day = datetime.now(STOCKHOLM).date() + timedelta(days=1)
    with Session(engine) as session:
        load_reference_data(session=session)
        if not day_is_loaded(session, day):
            load_day(session=session, demo=generate_day(day, seed=seed, trips=trips))
            load_demo_fleet(session, scale=min(10.0, max(0.2, trips / 600)))
            session.commit()
            load_contract_files(session)
        if plan_seconds > 0 and latest_plan(session, day) is None:
            plan_day(session=session, day=day, actor=SYSTEM, now=datetime.now(STOCKHOLM),
                     time_limit_s=plan_seconds, seed=seed, osrm_url=None,
                     solver=solver_named(DEMO_PLAN_ENGINE))  # fmt: skip
        if session.scalar(select(User.id).where(User.username == "bench-operator")) is None:
            create_user(session=session, username="bench-operator", password=PASSWORD,
                        role=Role.OPERATOR, now=datetime.now(STOCKHOLM),
                        principal_codes=["*"])  # fmt: skip
    engine.dispose()
    return datetime.combine(day, datetime.min.time(), tzinfo=STOCKHOLM)


def log_in(client: TestClient) -> None:
    """Log the benchmark's operator in through the login page (its CSRF token comes with
    the page)."""
    client.get("/login")
    login = client.post("/login", data={"username": "bench-operator", "password": PASSWORD,
                                        "csrf_token": client.cookies[LOGIN_CSRF_COOKIE]},
                        follow_redirects=False)  # fmt: skip
    assert login.status_code == 303, login.text


def a_traveller(url: str, day: datetime) -> Traveller:
    """A traveller (unprotected) with a trip on the day, as a caller would be."""
    engine = make_engine(url)
    with Session(engine) as session:
        traveller = session.scalars(
            select(Traveller)
            .join(Booking, Booking.traveller_id == Traveller.id)
            .where(Booking.service_date == day.date(), Traveller.protected_identity.is_(False))
            .order_by(Traveller.id)
        ).first()
        assert traveller is not None, "the demo day has travellers"
        session.expunge(traveller)
    engine.dispose()
    return traveller


def timed(call: Callable[[], Any], repeat: int) -> tuple[list[float], int]:
    times, status = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return times, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--plan-seconds", type=float, default=10.0, help="0: leave the day unplanned"
    )
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--db", default="var/bench-pages.sqlite3")
    args = parser.parse_args()
    url = f"sqlite:///{Path(args.db).resolve()}"
    started = time.perf_counter()
    day = build(url, trips=args.trips, seed=args.seed, plan_seconds=args.plan_seconds)
    build_s = time.perf_counter() - started
    traveller = a_traveller(url, day)
    engine = make_engine(url)
    with Session(engine) as session:
        planned = latest_plan(session, day.date()) is not None
    engine.dispose()
    app = create_app(Settings(database_url=url, secure_cookies=False))
    rows = []
    with TestClient(app) as client:
        log_in(client)
        base_form = {
            "csrf_token": client.cookies[CSRF_COOKIE], "resenar_id": str(traveller.id),
            "tjanst": "sjukresa", "syfte": "doctor_visit", "fran": "", "fran_val": "home",
            "till": "Östersunds sjukhus", "till_val": "", "datum": day.date().isoformat(),
        }  # fmt: skip
        values = {"t": str(traveller.id), "name": traveller.last_name[:5],
                  "day": day.date().isoformat()}  # fmt: skip
        for name, method, path, form in PAGES:
            target = path.format(**values)
            call: Callable[[], Any] = (
                partial(client.get, target)
                if method == "GET"
                else partial(client.post, target, data=base_form | (form or {}))
            )
            times, status = timed(call, args.repeat)
            median = statistics.median(times)
            rows.append((name, status, round(median, 1), round(max(times), 1), median <= TARGET_MS))
    write(args, build_s, rows, planned)


def write(
    args: argparse.Namespace, build_s: float, rows: list[tuple[Any, ...]], planned: bool
) -> None:
    header = ("page", "status", "median_ms", "max_ms", "median_within_200ms")
    text = results_table.save(
        "pages",
        "Page server times on the demo day (SQLite)",
        [
            "in-process (TestClient), SQLite file; times vary with the load",
            f"settings: --trips {args.trips}, --seed {args.seed}, --plan-seconds "
            f"{args.plan_seconds}, --repeat {args.repeat}; building the day took "
            f"{build_s:.0f} s (0 when reused); a stored plan of the day: {planned}",
        ],
        header,
        rows,
    )
    print(text)


if __name__ == "__main__":
    main()
