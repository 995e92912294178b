"""A day of trips as the file `samfard solve` is handed: read, planned and verified within the
command's time limit and memory, with every stop at an address of its own.

The day is the service-day benchmark's (`service_day.build_problems`: the demo generator's
trips, windows and ride limits from the rulebooks, each region's mixed fleet priced by the
stretch tariff), both regions in one problem, as the issue's 3 000-request row has it. With
`--addresses own` (the default) every stop is moved to a point of its own within 300 m of
where the demo puts it, so a day of N trips has 2N locations and the fleet's depots among
them: the issue's "3 000 requests (6 000 locations)", and what a centre's day looks like
with each traveller's own door. `shared` keeps the demo's places (2 600 trips: about 1 400
locations).

The problem is written in the planning JSON (docs/planning-format.md), then run as its
own process: `samfard solve FILE --time-limit S`, whose limit bounds the whole command,
reading included. Wall time and peak resident memory are that process's own (os.wait4,
from a small process that starts it: `MEASURE`). A second process only reads the file
(`jsonio.read_problem`), to show what reading costs. The plan is read back, verified
again and priced like the service day's, against every trip alone.

    .venv/bin/python benchmarks/problem_file.py --trips 600,3000
    .venv/bin/python benchmarks/problem_file.py --trips 3000 --addresses shared --tag _shared
    .venv/bin/python benchmarks/problem_file.py --trips 6000 --keep /tmp/days --tag _6000
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import results_table
import service_day
from samfard.demo.generator import generate_day
from samfard.demo.model import DemoDay, Spot
from samfard.geo.traveltime import GeodesicProvider
from samfard.planning import jsonio
from samfard.planning.engine import NOT_INSERTED
from samfard.planning.verifier import verify

FIELDS = (
    "trips", "addresses", "requests", "locations", "file_mb", "read_s", "read_peak_mb",
    "solve_s", "solve_peak_mb", "exit", "served", "not_inserted", "cost_kr", "alone_kr",
    "savings_pct",
)  # fmt: skip
RADIUS_M = 300.0
READ_ONLY = (
    "import sys; from pathlib import Path; from samfard.planning import jsonio; "
    "jsonio.read_problem(Path(sys.argv[1]))"
)


def own_addresses(demo: DemoDay, seed: int) -> DemoDay:
    """The same day with every stop moved to a point of its own within RADIUS_M."""
    rng = random.Random(seed)

    def moved(spot: Spot) -> Spot:
        metres, angle = RADIUS_M * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
        north, east = metres * math.cos(angle), metres * math.sin(angle)
        lat = spot.lat + north / 111_320
        lon = spot.lon + east / (111_320 * math.cos(math.radians(spot.lat)))
        return replace(spot, lat=lat, lon=lon)

    bookings = tuple(
        replace(
            booking,
            legs=tuple(
                replace(leg, origin=moved(leg.origin), destination=moved(leg.destination))
                for leg in booking.legs
            ),
        )
        for booking in demo.bookings
    )
    return replace(demo, bookings=bookings)


# Runs a command and prints, last, its exit code, wall seconds and peak resident memory.
# A process's peak is carried over its exec from the process it was forked from, so the
# command is started by this small process rather than by the benchmark, which holds the
# day and its matrices by then (GBs at 12 000 locations); os.wait4 gives the command's own
# figures.
MEASURE = """
import json, os, subprocess, sys, time
started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(process.pid, 0)
figures = [os.waitstatus_to_exitcode(status), time.perf_counter() - started, usage.ru_maxrss]
print("measured", json.dumps(figures), flush=True)
"""


def child(command: list[str]) -> tuple[int, float, float, str]:
    """Exit code, wall seconds, peak resident MB and output of `command` as its own process."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=True,
    )
    output, _, last = done.stdout.decode().rstrip().rpartition("\n")
    code, seconds, kilobytes = json.loads(last.removeprefix("measured "))
    return int(code), float(seconds), float(kilobytes) / 1024, output


def run(trips: int, args: argparse.Namespace, folder: Path) -> dict[str, str]:
    demo = generate_day(args.day, seed=args.seed, trips=trips)
    if args.addresses == "own":
        demo = own_addresses(demo, args.seed)
    (day,) = service_day.build_problems(
        demo,
        provider=GeodesicProvider(),
        seed=args.seed,
        split_regions=False,
        fleet_per_region=True,
    )
    problem_path, plan_path = folder / f"day_{trips}.json", folder / f"plan_{trips}.json"
    jsonio.write_problem(day.problem, problem_path)
    reader = [sys.executable, "-c", READ_ONLY, str(problem_path)]
    read_rc, read_s, read_peak, read_out = child(reader)
    if read_rc != 0:
        raise SystemExit(f"reading {problem_path} failed:\n{read_out}")
    samfard = Path(sys.executable).with_name("samfard")
    rc, solve_s, solve_peak, output = child(
        [str(samfard), "solve", str(problem_path), "-o", str(plan_path)]
        + ["--time-limit", f"{args.time_limit:g}", "--seed", str(args.seed)]
    )
    print(output.strip(), flush=True)
    if rc not in (0, 3):
        raise SystemExit(f"samfard solve exited {rc}:\n{output}")
    solution = jsonio.solution_from_json(json.loads(plan_path.read_text()))
    report = verify(day.problem, solution)
    if not report.ok:
        raise SystemExit(f"the plan of {trips} trips fails the verifier: {report}")
    priced = service_day.metrics([(day, day.problem, solution)])
    row = {
        "trips": str(trips),
        "addresses": args.addresses,
        "requests": str(len(day.problem.requests)),
        "locations": str(len(day.problem.time)),
        "file_mb": f"{problem_path.stat().st_size / 1e6:.0f}",
        "read_s": f"{read_s:.1f}",
        "read_peak_mb": f"{read_peak:.0f}",
        "solve_s": f"{solve_s:.1f}",
        "solve_peak_mb": f"{solve_peak:.0f}",
        "exit": str(rc),
        "not_inserted": str(sum(u.reason == NOT_INSERTED for u in solution.unserved)),
    }
    for key in ("served", "cost_kr", "alone_kr", "savings_pct"):
        value = priced[key]
        row[key] = f"{value:.2f}" if isinstance(value, float | Decimal) else str(value)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trips", default="600,3000", help="comma-separated day sizes")
    parser.add_argument("--addresses", choices=("own", "shared"), default="own")
    parser.add_argument("--time-limit", type=float, default=120.0, help="samfard solve's, s")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--tag", default="", help="suffix of the result files")
    parser.add_argument(
        "--keep", type=Path, help="write the problem and plan files here and keep them"
    )
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="samfard-problem-file-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for trips in (int(t) for t in args.trips.split(",")):
            rows.append(run(trips, args, folder))
            print(rows[-1], flush=True)
    results_table.save(
        f"problem_file{args.tag}",
        "A day as a problem file: samfard solve's time and memory, reading included",
        [
            f"settings: demo day {args.day}, seed {args.seed}, both regions in one problem, "
            "each region with the service-day benchmark's fleet, the rulebooks' windows, the "
            "stretch tariff, geodesic travel times in whole seconds and metres, addresses "
            f"`{args.addresses}` (own: every stop at a point of its own within "
            f"{RADIUS_M:.0f} m), `samfard solve --time-limit {args.time_limit:g}` with the "
            "default engine on one thread",
            "read_s, read_peak_mb: a process that only reads the file; solve_s, "
            "solve_peak_mb: the samfard solve process, reading, planning, verifying and "
            "writing the plan (its limit counts from its start); exit 3: servable requests "
            "left out for lack of time; not_inserted: those requests; savings against "
            "every trip alone, priced as in service_day.py",
        ],
        FIELDS,
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
