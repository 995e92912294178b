"""`samfard simulate`: replay a demo day through the real services (dispatch.simulator).

It builds its own embedded database in a temporary directory, so it never changes the
centre's data, and prints the day's figures; `--json FILE` writes them for a test, a
benchmark or the demo.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = subparsers.add_parser(
        "simulate", help="replay a demo day with delays, no-shows, cancellations and declines"
    )
    sim.add_argument("--date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    sim.add_argument("--seed", type=int, default=1, help="same seed, same day (default 1)")
    sim.add_argument(
        "--speed",
        type=float,
        default=0.0,
        help="simulated seconds per wall-clock second (60: a minute a second); 0, the "
        "default, runs at full speed",
    )
    sim.add_argument("--trips", type=int, default=600, help="trips of the demo day (600)")
    sim.add_argument("--json", type=Path, default=None, help="write the figures to FILE")
    sim.set_defaults(handler=_simulate)


def _simulate(args: argparse.Namespace) -> int:
    from samfard.dispatch.simulator import SimSettings, simulate

    settings = SimSettings(day=args.date, seed=args.seed, trips=args.trips, speed=args.speed)
    figures = simulate(settings, progress=print)
    rows = [
        ("events", f"{figures.events}"),
        ("pickups", f"{figures.pickups}"),
        ("on-time share", f"{figures.on_time_share:.1%}"),
        ("p90 lateness (min)", f"{figures.late_p90_min:.1f}"),
        ("promises broken", f"{figures.promises_broken}"),
        ("  without an alert", f"{figures.promises_broken_unflagged}"),
        ("re-plans", f"{figures.replans}"),
        ("cost (kr)", f"{figures.cost_kr:,}".replace(",", " ")),
        ("morning plan cost (kr)", f"{figures.morning_cost_kr:,}".replace(",", " ")),
        ("seconds", f"{figures.total_s:.1f}"),
    ]
    rows += [(f"  {name}", f"{value}") for name, value in sorted(figures.counts.items())]
    print(f"simulated {args.date} (seed {args.seed})")
    for name, value in rows:
        print(f"{name:<28}{value:>12}")
    if args.json is not None:
        args.json.write_text(json.dumps(figures.as_json(), indent=1) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0
