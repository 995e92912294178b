"""Server time of the move form (/trafik/flytta) on the demo's 3 000-trip day (target:
500 ms median).

The form marks every run of the day as the move would judge it (dispatch.move_fit: "ryms,
hämtas 10:42" or "ryms inte" and why), so its time grows with the runs of the day. Builds
(or reuses, with --db) a SQLite database the way `samfard demo` does, as
benchmarks/pages.py builds it: reference data, a generated day of --trips trips for
tomorrow, the demo fleet scaled to it, the contracts and a stored plan (the demo's
planning engine). Then an operator opens the move form for --legs planned legs drawn at
random (--seed) through the application in this process (FastAPI's TestClient: routing,
auth, services, template; no network), and the check alone (`move_fit.run_fits` over
every run) is timed for the same legs. The table gives the median, p90 and slowest time,
and the runs each form checked.

    .venv/bin/python benchmarks/move_form.py --trips 3000 --db var/bench-pages.sqlite3
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

import results_table
from pages import build, log_in
from samfard.app import create_app
from samfard.booking.models import Booking
from samfard.config import Settings
from samfard.db import make_engine, make_sessionmaker
from samfard.dispatch.models import Stop
from samfard.dispatch.move_fit import run_fits
from samfard.dispatch.store import latest_plan

TARGET_MS = 500.0
GROUP = re.compile(r'<optgroup label="(Ryms|Ryms inte) \((\d+)\)">')
FIELDS = ("measure", "legs", "runs_checked", "median_ms", "p90_ms", "max_ms", "within_500ms")
LEG_FIELDS = ("booking_id", "leg_seq", "runs_checked", "fitting", "form_ms", "check_ms")


def day_legs(url: str, day: date, count: int, seed: int) -> tuple[list[tuple[int, int]], str]:
    """`count` planned legs of the day drawn at random (seeded), and the day's figures."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        plan = latest_plan(session, day)
        assert plan is not None, "the day is planned"
        legs = sorted(
            {
                (stop.booking_id, stop.leg_seq)
                for run in plan.runs
                for stop in run.stops
                if stop.kind == "pickup"
                and stop.booking_id is not None
                and stop.leg_seq is not None
            }
        )
        bookings = session.scalar(select(func.count(Booking.id)).where(Booking.service_date == day))
        stops = session.scalar(
            select(func.count(Stop.id)).where(Stop.run_id.in_([r.id for r in plan.runs]))
        )
        figures = (
            f"day {day}: {bookings} bookings, {len(plan.runs)} runs, {stops} stops, "
            f"{len(legs)} planned legs"
        )
    engine.dispose()
    return random.Random(seed).sample(legs, min(count, len(legs))), figures


def checks(url: str, day: date, legs: list[tuple[int, int]]) -> list[float]:
    """The check alone (`run_fits` over every run of the plan) for each leg, in ms."""
    engine = make_engine(url)
    times = []
    with make_sessionmaker(engine)() as session:
        plan = latest_plan(session, day)
        assert plan is not None
        for booking_id, leg_seq in legs:
            started = time.perf_counter()
            run_fits(session, plan, booking_id, leg_seq, plan.runs)  # reads, writes nothing
            times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return times


def forms(url: str, legs: list[tuple[int, int]]) -> list[tuple[float, int, int]]:
    """(ms, runs checked, runs that fit) of each leg's move form, through the application."""
    app = create_app(Settings(database_url=url, secure_cookies=False))
    found = []
    with TestClient(app) as client:
        log_in(client)
        paths = [f"/trafik/flytta?booking_id={b}&leg_seq={s}" for b, s in legs]
        client.get(paths[0])  # warm: templates compiled, the fleet's contracts read
        for path in paths:
            started = time.perf_counter()
            page = client.get(path)
            ms = (time.perf_counter() - started) * 1000
            assert page.status_code == 200, page.text[:300]
            groups = {label: int(n) for label, n in GROUP.findall(page.text)}
            found.append((ms, sum(groups.values()), groups.get("Ryms", 0)))
    return found


def p90(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=10, method="inclusive")[8] if len(values) > 1 else values[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1, help="the demo day's and the legs' seed")
    parser.add_argument("--plan-seconds", type=float, default=10.0)
    parser.add_argument("--legs", type=int, default=20, help="legs whose form is opened")
    parser.add_argument("--db", default="var/bench-pages.sqlite3")
    parser.add_argument("--out", default="move_form", help="name of the result files")
    parser.add_argument("--note", default="", help="a line for the results, e.g. the code")
    args = parser.parse_args()
    if args.plan_seconds <= 0:
        parser.error("--plan-seconds must be positive: the form needs a planned day")
    url = f"sqlite:///{Path(args.db).resolve()}"
    started = time.perf_counter()
    day = build(url, trips=args.trips, seed=args.seed, plan_seconds=args.plan_seconds).date()
    build_s = time.perf_counter() - started
    legs, figures = day_legs(url, day, args.legs, args.seed)
    pages = forms(url, legs)
    alone = checks(url, day, legs)
    form_ms = [ms for ms, _, _ in pages]
    runs = sorted({n for _, n, _ in pages})
    checked = str(runs[0]) if len(runs) == 1 else f"{runs[0]}-{runs[-1]}"
    rows = [
        (name, len(values), checked, f"{statistics.median(values):.0f}", f"{p90(values):.0f}",
         f"{max(values):.0f}", statistics.median(values) <= TARGET_MS)
        for name, values in (("whole form (GET /trafik/flytta)", form_ms),
                             ("the check (move_fit.run_fits)", alone))
    ]  # fmt: skip
    per_leg = [
        (b, s, n, fits, f"{ms:.0f}", f"{check:.0f}")
        for (b, s), (ms, n, fits), check in zip(legs, pages, alone, strict=True)
    ]
    report = results_table.save(
        args.out,
        "Server time of the move form (/trafik/flytta) on the demo day (SQLite)",
        [
            "in-process (TestClient), SQLite file; times vary with the load",
            f"settings: --trips {args.trips}, --seed {args.seed}, --plan-seconds "
            f"{args.plan_seconds}, --legs {args.legs}; building the day took {build_s:.0f} s "
            "(0 when reused)",
            figures,
            "each form once after one warm-up; the check alone in a session of its own",
            *([args.note] if args.note else []),
        ],
        FIELDS,
        rows,
        ["", "Each leg:", "", *results_table.table(LEG_FIELDS, per_leg)],
    )
    print(report)


if __name__ == "__main__":
    main()
