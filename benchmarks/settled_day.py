"""What the region pays for a planned demo day: plan it, settle it, sum what was billed.

Each row is one demo day (`samfard demo`'s generator, fleet and contracts) in a throw-away
SQLite database, planned by `native-fixed` (a fixed iteration count, no clock: the plan is
fixed by the seed on any machine under any load) and settled by
`costs.service.settle_day` as the invoices would be. It measures a change to what the
planner weighs (dispatch.tariffs) by the money it saves: run it on the commit before and
after and compare the rows (docs/costs.md "Planning with the contract tariffs").

    .venv/bin/python benchmarks/settled_day.py                    # seeds 1 and 2
    .venv/bin/python benchmarks/settled_day.py --seeds 1 --label before

"Waits on board" are the waiting minutes settlement bills for procured stretches less
the boarding and alighting of their trips (the planner's service times), i.e. minutes a
vehicle with someone on board stood waiting for a later pickup.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

import results_table
from samfard.access.actor import SYSTEM
from samfard.costs.models import SettledRun, SettledTrip
from samfard.costs.service import load_contract_files, settle_day
from samfard.db import make_engine, make_sessionmaker, transaction, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.demo.model import booked_at
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.planning_inputs import PlanningDefaults
from samfard.dispatch.service import plan_day
from samfard.planning.solve import FIXED_ITERATIONS, make_solver
from samfard.reference import load_reference_data
from samfard.timeutil import STOCKHOLM

DAY = date(2026, 12, 2)  # a Wednesday: no weekend rate
COLUMNS = (
    "day",
    "trips",
    "seed",
    "legs",
    "planned",
    "vehicles_used",
    "km",
    "stretches",
    "passengers_per_stretch",
    "settled_kr",
    "procured_kr",
    "own_kr",
    "start_fees_kr",
    "surcharges_kr",
    "waits_on_board_min",
)


def _kr(ore: int | None) -> str:
    return f"{(ore or 0) / 100:.2f}"


def _boarding_minutes(session: Session) -> float:
    """Boarding plus alighting of the trips on procured stretches, as settlement times them."""
    d = PlanningDefaults()
    minutes = case(
        (SettledTrip.stretcher, 2 * d.service_stretcher_min),
        (SettledTrip.wheelchair, 2 * d.service_wheelchair_min),
        else_=2 * d.service_seated_min,
    )
    total = (
        select(func.sum(minutes))
        .select_from(SettledTrip)
        .join(SettledRun, SettledRun.run_ref == SettledTrip.run_ref)
        .where(SettledRun.fixed_ore == 0, SettledRun.driver_ore == 0)
    )
    return float(session.scalar(total) or 0)


def settled_day(trips: int, seed: int, folder: Path) -> dict[str, object]:
    url = f"sqlite:///{folder / f'day_{seed}.db'}"
    upgrade(url)
    sessions = make_sessionmaker(make_engine(url))
    now = datetime.now(STOCKHOLM)
    with sessions() as session:
        load_reference_data(session=session)
        load_day(session=session, demo=generate_day(DAY, seed=seed, trips=trips))
        with transaction(session):
            load_demo_fleet(session, scale=min(10.0, max(0.2, trips / 600)))
        load_contract_files(session)
        outcome = plan_day(
            session=session,
            day=DAY,
            actor=SYSTEM,
            now=booked_at(DAY),  # planned as booked, the day before
            seed=seed,
            solver=make_solver("native-fixed"),
        )
        settlement = settle_day(session=session, day=DAY, actor=SYSTEM, now=now)
        procured = (SettledRun.fixed_ore == 0) & (SettledRun.driver_ore == 0)
        runs = select(
            func.sum(SettledRun.total_ore),
            func.sum(SettledRun.start_fee_ore),
            func.sum(SettledRun.surcharge_ore),
            func.sum(SettledRun.waiting_cmin),
        ).where(SettledRun.day == DAY, SettledRun.source == "plan")
        procured_ore, start_fees, surcharges, waiting_cmin = session.execute(
            runs.where(procured)
        ).one()
        own_ore = session.scalar(
            select(func.sum(SettledRun.total_ore)).where(
                SettledRun.day == DAY, SettledRun.source == "plan", ~procured
            )
        )
        passengers = session.scalar(
            select(func.sum(SettledTrip.passengers)).where(SettledTrip.day == DAY)
        )
        waits = (waiting_cmin or 0) / 100 - _boarding_minutes(session)
    return {
        "day": DAY.isoformat(),
        "trips": trips,
        "seed": seed,
        "legs": outcome.requests,
        "planned": outcome.served,
        "vehicles_used": outcome.vehicles_used,
        "km": f"{outcome.distance_km:.1f}",
        "stretches": settlement.runs,
        "passengers_per_stretch": f"{(passengers or 0) / max(1, settlement.runs):.2f}",
        "settled_kr": _kr(settlement.cost),
        "procured_kr": _kr(procured_ore),
        "own_kr": _kr(own_ore),
        "start_fees_kr": _kr(start_fees),
        "surcharges_kr": _kr(surcharges),
        "waits_on_board_min": f"{waits:.0f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=600)
    parser.add_argument("--seeds", default="1,2", help="comma-separated seeds (default 1,2)")
    parser.add_argument("--label", default="settled_day", help="results file name")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in (int(s) for s in args.seeds.split(",")):
            rows.append(settled_day(args.trips, seed, Path(folder)))
            print(rows[-1], flush=True)
    results_table.save(
        args.label,
        "A planned demo day, settled",
        [
            f"commit {_commit()}",
            f"settings: demo day {DAY}, {args.trips} trips, seeds {args.seeds}, engine "
            f"native-fixed ({FIXED_ITERATIONS} iterations, no clock), demo fleet and contracts",
        ],
        COLUMNS,
        rows,
    )


def _commit() -> str:
    """The checkout's commit, so a before and after pair names what it compared."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


if __name__ == "__main__":
    main()
