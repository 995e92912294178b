"""Live insertion latency with 100, 500 and 2 000 requests already planned.

A demo day (both regions together in one problem, so the insertion has to look at every
vehicle of both) is planned by inserting its requests one by one in booking order. When
the plan holds N requests, the next `--probes` requests are each inserted into that same
plan and timed (not kept), so every measurement at N is against a plan of exactly N. Each
probe's answer is checked by the verifier outside the timing.

Side by side, per probe: the compiled core with the day's cache (`native_*`, as a booking
desk process keeps it: the core's copy of the day is brought up to date with what changed,
then chooses), the compiled core without a cache (`native_cold_*`: the whole day crosses
into C++ on every call, as `dispatch.live` does today, since it rebuilds the problem from
the database per booking), and the Python screening with its cache (`python_*`) and
without (`python_cold_*`), today's path before the core. Wall time and this process's CPU
time: the machine is shared, so CPU time is what one insertion costs.

    .venv/bin/python benchmarks/insertion_latency.py
    .venv/bin/python benchmarks/insertion_latency.py --sizes 100,500 --probes 50
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

import results_table
from samfard.demo.generator import generate_day
from samfard.geo.traveltime import GeodesicProvider
from samfard.planning.insertion import (
    Insertion,
    InsertionSettings,
    Refusal,
    insert,
    with_request,
)
from samfard.planning.insertion_screen import ScreeningCache
from samfard.planning.model import Problem, Solution, Unserved
from samfard.planning.verifier import verify

sys.path.insert(0, str(Path(__file__).resolve().parent))
from service_day import DayProblem, build_problems  # noqa: E402

FIELDS = (
    "planned", "vehicles", "locations", "probes", "inserted", "refused",
    "native_p50_ms", "native_p95_ms", "native_max_ms", "native_cpu_p50_ms", "native_cpu_p95_ms",
    "native_cold_p50_ms", "native_cold_p95_ms", "native_cold_cpu_p95_ms",
    "python_p50_ms", "python_p95_ms", "python_cpu_p95_ms",
    "python_cold_p50_ms", "python_cold_p95_ms", "python_cold_cpu_p95_ms",
    "cheaper", "dearer", "build_s",
)  # fmt: skip
PYTHON = InsertionSettings(engine="python")


Answer = Insertion | Refusal


def _timed(call: Callable[[], Answer]) -> tuple[Answer, float, float]:
    """The call's answer, wall-clock ms and this process's CPU ms (immune to other load)."""
    wall, cpu = time.perf_counter(), time.process_time()
    answer = call()
    return answer, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _pct(values: list[float], p: int) -> str:
    return f"{statistics.quantiles(values, n=20)[p // 5 - 1]:.2f}"


def measure(day: DayProblem, sizes: list[int], probes: int) -> list[dict[str, str]]:
    requests = {r.id: r for r in day.problem.requests}
    problem: Problem = day.problem
    solution = Solution((), tuple(Unserved(rid, "not yet booked") for rid in requests))
    cache, python_cache = ScreeningCache(), ScreeningCache()
    planned = 0
    queue = list(day.booking_order)
    rows = []
    started = time.perf_counter()
    for size in sizes:
        while planned < size and queue:
            rid = queue.pop(0)
            result = insert(problem, solution, requests[rid], cache=cache)
            if isinstance(result, Insertion):
                problem, solution = with_request(problem, result.request), result.solution
                planned += 1
        if planned < size:
            print(f"only {planned} of {size} could be planned; stopping", file=sys.stderr)
            break
        times: dict[str, list[float]] = {}
        inserted = cheaper = dearer = 0
        for rid in queue[:probes]:
            request = requests[rid]
            calls = {
                "native": partial(insert, problem, solution, request, cache=cache),
                "native_cold": partial(insert, problem, solution, request),
                "python": partial(insert, problem, solution, request, PYTHON, python_cache),
                "python_cold": partial(insert, problem, solution, request, PYTHON),
            }
            answers: dict[str, Answer] = {}
            for name, call in calls.items():
                answers[name], wall, cpu = _timed(call)
                times.setdefault(name, []).append(wall)
                times.setdefault(name + "_cpu", []).append(cpu)
            result = answers["native"]
            assert answers["native_cold"] == result, "the cache changed an answer"
            assert answers["python_cold"] == answers["python"], "the cache changed an answer"
            if isinstance(result, Insertion):
                inserted += 1
                report = verify(with_request(problem, result.request), result.solution)
                assert report.ok, report.violations[:3]
                slow = answers["python"]
                if isinstance(slow, Insertion):
                    cheaper += result.added_cost < slow.added_cost - 1e-6
                    dearer += result.added_cost > slow.added_cost + 1e-6
        row = {
            "planned": str(planned),
            "vehicles": str(len(problem.vehicles)),
            "locations": str(problem.location_count()),
            "probes": str(len(times["native"])),
            "inserted": str(inserted),
            "refused": str(len(times["native"]) - inserted),
            "native_max_ms": f"{max(times['native']):.2f}",
            "cheaper": str(cheaper),
            "dearer": str(dearer),
            "build_s": f"{time.perf_counter() - started:.1f}",
        }
        for name in ("native", "native_cold", "python", "python_cold"):
            for p in (50, 95):
                row.setdefault(f"{name}_p{p}_ms", _pct(times[name], p))
                row.setdefault(f"{name}_cpu_p{p}_ms", _pct(times[name + "_cpu"], p))
        rows.append({k: row[k] for k in FIELDS})
        print(" | ".join(rows[-1][k] for k in FIELDS), flush=True)
    return rows


def save(rows: list[dict[str, str]], args: argparse.Namespace) -> None:
    results_table.save(
        f"insertion_latency{args.tag}",
        "Live insertion latency",
        [
            "one process (the load average below says what else ran)",
            f"settings: demo day {args.day} with {args.trips} trips, seed {args.seed}, both "
            f"regions in one problem, geodesic travel times, default InsertionSettings, "
            f"{args.probes} probes per size, each against the same plan of `planned` requests "
            "(built by native insertion in booking order)",
            "native_*: `insert` through the compiled core with the day's ScreeningCache (the "
            "core's copy of the day kept between calls, as a booking desk process keeps it); "
            "native_cold_*: the same without a cache (the day is handed to the core on every "
            "call); python_*: the Python screening (`InsertionSettings(engine='python')`) with "
            "its cache; python_cold_*: without. *_ms wall clock, *_cpu_* this process's CPU "
            "time (what the insertion costs when the machine is not shared)",
            "cheaper / dearer: probes where the core's insertion added less / more cost than "
            "the Python screening's",
            "build_s: cumulative wall time to build the plans by insertion, including the "
            "probes and their verification",
        ],
        FIELDS,
        rows,
    )


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
    (day,) = build_problems(
        demo, provider=GeodesicProvider(), seed=args.seed, split_regions=False, costs="vehicle"
    )
    print(" | ".join(FIELDS))
    rows = measure(day, sorted(int(s) for s in args.sizes.split(",")), args.probes)
    save(rows, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
