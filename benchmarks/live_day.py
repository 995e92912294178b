"""The live day at full speed: `samfard simulate` on demo days, timed.

Each row is one simulated day (dispatch.simulator): the day booked through the booking
services, planned the evening before, handed to the carriers, then replayed stop by stop
with travel-time noise, no-shows, late cancellations, same-day bookings and declined
runs; every event's changed runs are forecast and judged by the verifier, the controller
re-plans when promises are at risk. "setup" is booking, planning and hand-off; "replay"
is the day itself. The issue's target: a 600-trip day within 2 minutes.

    .venv/bin/python benchmarks/live_day.py                 # 600 trips, seed 1
    .venv/bin/python benchmarks/live_day.py --trips 150,600 --seeds 1,2
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

import results_table
from samfard.dispatch.simulator import SimSettings, simulate

COLUMNS = (
    "trips",
    "seed",
    "events",
    "pickups",
    "on_time_share",
    "late_p90_min",
    "promises_broken",
    "promises_broken_unflagged",
    "replans",
    "cost_kr",
    "morning_cost_kr",
    "setup_s",
    "replay_s",
    "total_s",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--date", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--trips", default="600", help="comma-separated trip counts")
    parser.add_argument("--seeds", default="1", help="comma-separated seeds")
    parser.add_argument("--name", default="live_day", help="results file name")
    args = parser.parse_args(argv)
    rows: list[dict[str, object]] = []
    for trips in (int(t) for t in args.trips.split(",")):
        for seed in (int(s) for s in args.seeds.split(",")):
            figures = simulate(SimSettings(day=args.date, seed=seed, trips=trips), progress=print)
            rows.append(
                {
                    "trips": trips,
                    "seed": seed,
                    "events": figures.events,
                    "pickups": figures.pickups,
                    "on_time_share": f"{figures.on_time_share:.3f}",
                    "late_p90_min": figures.late_p90_min,
                    "promises_broken": figures.promises_broken,
                    "promises_broken_unflagged": figures.promises_broken_unflagged,
                    "replans": figures.replans,
                    "cost_kr": figures.cost_kr,
                    "morning_cost_kr": figures.morning_cost_kr,
                    "setup_s": f"{figures.setup_s:.1f}",
                    "replay_s": f"{figures.total_s - figures.setup_s:.1f}",
                    "total_s": f"{figures.total_s:.1f}",
                }
            )
            print(" | ".join(f"{k}={rows[-1][k]}" for k in COLUMNS), flush=True)
            print("  replay seconds by kind:", dict(figures.seconds_by_kind), flush=True)
    _save(args, rows)
    return 0


def _save(args: argparse.Namespace, rows: list[dict[str, object]]) -> None:
    results_table.save(
        args.name,
        "The live day at full speed (samfard simulate)",
        [
            f"settings: demo day {args.date}, trips {args.trips}, seeds {args.seeds}; "
            "embedded SQLite (no disk syncs), geodesic travel times, insertion plan the "
            "evening before; defaults of dispatch.simulator.SimSettings (noise sigma 0.2, 3 % "
            "no-shows, 5 % late cancellations, 10 % same-day bookings, 4 % declined runs, "
            "clock tick 15 min, re-plan at most every 90 min)",
        ],
        COLUMNS,
        rows,
    )
    print("\n".join(results_table.table(COLUMNS, rows)))


if __name__ == "__main__":
    sys.exit(main())
