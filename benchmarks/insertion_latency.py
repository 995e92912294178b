"""Live insertion latency with 100, 500 and 2 000 requests already planned.

A demo day (both regions together in one problem, so the insertion has to look at every
vehicle of both) is planned by inserting its requests one by one in booking order. When
the plan holds N requests, the next `--probes` requests are each inserted into that same
plan and timed (not kept), so every measurement at N is against a plan of exactly N. Each
probe's answer is checked by the verifier outside the timing.

    .venv/bin/python benchmarks/insertion_latency.py
    .venv/bin/python benchmarks/insertion_latency.py --sizes 100,500 --probes 50
"""

from __future__ import annotations

import argparse
import csv
import platform
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from samfard.demo.generator import generate_day
from samfard.geo.traveltime import GeodesicProvider
from samfard.planning.insertion import Insertion, insert, with_request
from samfard.planning.model import Problem, Solution, Unserved
from samfard.planning.verifier import verify

sys.path.insert(0, str(Path(__file__).resolve().parent))
from service_day import DayProblem, build_problems  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
FIELDS = (
    "planned", "vehicles", "locations", "probes", "inserted", "refused",
    "p50_ms", "p95_ms", "max_ms", "build_s",
)  # fmt: skip


def measure(day: DayProblem, sizes: list[int], probes: int) -> list[dict[str, str]]:
    requests = {r.id: r for r in day.problem.requests}
    problem: Problem = day.problem
    solution = Solution((), tuple(Unserved(rid, "not yet booked") for rid in requests))
    planned = 0
    queue = list(day.booking_order)
    rows = []
    started = time.perf_counter()
    for size in sizes:
        while planned < size and queue:
            rid = queue.pop(0)
            result = insert(problem, solution, requests[rid])
            if isinstance(result, Insertion):
                problem, solution = with_request(problem, result.request), result.solution
                planned += 1
        if planned < size:
            print(f"only {planned} of {size} could be planned; stopping", file=sys.stderr)
            break
        latencies, inserted = [], 0
        for rid in queue[:probes]:
            t0 = time.perf_counter()
            result = insert(problem, solution, requests[rid])
            latencies.append((time.perf_counter() - t0) * 1000)
            if isinstance(result, Insertion):
                inserted += 1
                report = verify(with_request(problem, result.request), result.solution)
                assert report.ok, report.violations[:3]
        q = statistics.quantiles(latencies, n=20)
        rows.append(
            {
                "planned": str(planned),
                "vehicles": str(len(problem.vehicles)),
                "locations": str(problem.location_count()),
                "probes": str(len(latencies)),
                "inserted": str(inserted),
                "refused": str(len(latencies) - inserted),
                "p50_ms": f"{q[9]:.1f}",
                "p95_ms": f"{q[18]:.1f}",
                "max_ms": f"{max(latencies):.1f}",
                "build_s": f"{time.perf_counter() - started:.1f}",
            }
        )
        print(" | ".join(rows[-1][k] for k in FIELDS), flush=True)
    return rows


def save(rows: list[dict[str, str]], args: argparse.Namespace) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / f"insertion_latency{args.tag}.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Live insertion latency",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {cpu}, {platform.system()}, Python {platform.python_version()}, "
        "one process on a 2-core machine shared with other work",
        f"- settings: demo day {args.day} with {args.trips} trips, seed {args.seed}, both "
        f"regions in one problem, geodesic travel times, default InsertionSettings, "
        f"{args.probes} probes per size, each against the same plan of `planned` requests",
        "- build_s: cumulative time to build the plans by insertion (includes probes)",
        "",
        "| " + " | ".join(FIELDS) + " |",
        "|" + "---|" * len(FIELDS),
    ]
    lines += ["| " + " | ".join(r[k] for k in FIELDS) + " |" for r in rows]
    (RESULTS / f"insertion_latency{args.tag}.md").write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--probes", type=int, default=100)
    parser.add_argument("--trips", type=int, default=2600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--tag", default="")
    args = parser.parse_args()
    demo = generate_day(args.day, seed=args.seed, trips=args.trips)
    (day,) = build_problems(demo, provider=GeodesicProvider(), seed=args.seed, split_regions=False)
    print(" | ".join(FIELDS))
    rows = measure(day, sorted(int(s) for s in args.sizes.split(",")), args.probes)
    save(rows, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
