"""`samfard plan` and `samfard fleet-demo`: plan a service day in the database.

`plan` stores a new verified plan version (re-optimising, promises kept, when the day was
planned before) and prints what the day looks like: vehicles used, kilometres,
passengers per vehicle trip (samordningsgrad) and every unserved leg with its reason.
"""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import date, datetime
from typing import Any

from samfard.errors import InputError
from samfard.timeutil import STOCKHOLM


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = subparsers.add_parser("plan", help="plan a service day and store the plan")
    plan.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    plan.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    plan.add_argument("--seed", type=int, default=0)
    plan.add_argument(
        "--as-of",
        type=_moment,
        default=None,
        help="plan as at this moment, YYYY-MM-DDTHH:MM (Swedish time unless an offset is "
        "given; default now): a day is planned before it begins, so planning a past day "
        "again, to compare, needs a moment before it",
    )
    plan.add_argument(
        "--engine",
        default="native",
        help="native (Samfard's own engine, the default), ortools (both search until the time "
        "limit) or insertion (no clock: the same plan for the same seed on every run)",
    )
    plan.set_defaults(handler=_plan)

    fleet = subparsers.add_parser("fleet-demo", help="load the demo fleet of both regions")
    fleet.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="share of the 83 procured and 3 own demo vehicles (default 1)",
    )
    fleet.set_defaults(handler=_fleet)


def _session() -> Any:
    from samfard.config import get_settings
    from samfard.db import check_migrated, make_engine, make_sessionmaker

    settings = get_settings()
    engine = make_engine(settings.database_url)
    check_migrated(engine)
    return settings, make_sessionmaker(engine)()


def _fleet(args: argparse.Namespace) -> int:
    return run_fleet(scale=args.scale)


def run_fleet(*, scale: float) -> int:
    """Load the demo fleet (also used by `samfard demo`)."""
    from samfard.db import transaction
    from samfard.dispatch.fleet import load_demo_fleet

    _, session = _session()
    with session, transaction(session):
        added = load_demo_fleet(session, scale=scale)
    print(f"{added} demo vehicles added" if added else "vehicles exist already; none added")
    return 0


def _moment(value: str) -> datetime:
    """A command-line moment: ISO 8601, Swedish time when it names no offset."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=STOCKHOLM)


def _plan(args: argparse.Namespace) -> int:
    return run_plan(
        day=args.date,
        time_limit=args.time_limit,
        seed=args.seed,
        engine=args.engine,
        now=args.as_of,
    )


def run_plan(
    *, day: date, time_limit: float, seed: int, engine: str = "native", now: datetime | None = None
) -> int:
    """Plan a day with the named engine as of `now` (the clock's when None) and print its
    figures (also used by `samfard demo`, which plans its day when it books it)."""
    from samfard.access.actor import SYSTEM
    from samfard.dispatch.service import plan_day
    from samfard.planning.solve import solver_named

    if not 0 < time_limit <= 600:
        raise InputError(
            f"--time-limit must be between 0 and 600 seconds, got {time_limit}",
            field="--time-limit",
        )
    solver = solver_named(engine)
    settings, session = _session()
    with session:
        outcome = plan_day(
            session=session,
            day=day,
            actor=SYSTEM,
            now=now or datetime.now().astimezone(),
            time_limit_s=time_limit,
            seed=seed,
            osrm_url=settings.osrm_url,
            solver=solver,
        )
    print(f"plan version {outcome.version} of {day} stored (plan id {outcome.plan_run_id})")
    print(f"{'legs to plan':<28}{outcome.requests:>10}")
    print(f"{'legs planned':<28}{outcome.served:>10}")
    print(f"{'vehicles used':<28}{outcome.vehicles_used:>10}")
    print(f"{'kilometres':<28}{outcome.distance_km:>10.1f}")
    print(f"{'passengers per vehicle trip':<28}{outcome.passengers_per_vehicle_trip:>10.2f}")
    print(f"{'unserved legs':<28}{len(outcome.unserved):>10}")
    for reason, count in Counter(row["reason"] for row in outcome.unserved).most_common():
        print(f"  {count:>4} x {reason}")
    return 0
