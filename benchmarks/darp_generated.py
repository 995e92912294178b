"""Larger Cordeau-style instances (24-300 requests, 24 h horizon), generated from a seed.

The 2006 set stops at 96 requests and 8-hour days; a region's day is longer and larger. The
generator follows Cordeau's recipe: points uniform in [-10, 10]^2, Euclidean travel time
and cost, half the requests with a pickup window (outbound) and half with a drop-off
window (inbound), the other end's window derived from the ride time, a route duration
limit of 480 within a 1 440-unit horizon. The series (`SERIES`):

- a, b: the 2006 set's parameters on a day: service 3 per stop, load 1 (a: capacity 3,
  ride time 30) or 1-6 (b: capacity 6, ride time 45), 15-unit windows, a vehicle per ten
  requests;
- n, w: shaped like the 24 h set of Cordeau & Laporte (2003, pr01-pr20): service 10,
  load 1, capacity 6, ride time 90, n // 12 + 1 vehicles, windows of 15 (n, narrow) or 45
  (w, wide) units. The window widths are this generator's choice, not the paper's.

Every plan is verified. Each engine runs `--time-limit` seconds (the native engine
`--runs` times, seeds seed, seed + 1, ...); the reference is the best of every plan found,
including one longer native run (`--long`), since no optimum is known. `--fewer K` takes
K vehicles from each fleet: the same requests on a fleet that only just suffices (or does
not), where what counts first is whether a run carries everyone. `--write DIR` only writes
the instances in Cordeau's layout, for other solvers and for the tests' data.

    .venv/bin/python benchmarks/darp_generated.py --sizes 150,200,300 --time-limit 30 --long 120
    .venv/bin/python benchmarks/darp_generated.py --series n,w --sizes 48,96,144 \
        --engines native --runs 3 --long 150 --tag _pr
    .venv/bin/python benchmarks/darp_generated.py --series n --sizes 96,144 --fewer 1 \
        --engines native --runs 5 --long 0 --tag _tight
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import results_table
from samfard.planning.model import Objective, Problem, Request, Vehicle, Window, matrix
from samfard.planning.solve import make_solver, plan

HORIZON = 1440.0
MAX_DURATION = 480.0
FIELDS = ("instance", "requests", "vehicles", "engine", "seconds", "cost", "unserved", "gap_pct")


@dataclass(frozen=True)
class Series:
    """The parameters one series of instances shares."""

    capacity: int
    ride: float
    service: float
    window: float
    max_load: int  # loads drawn from 1..max_load
    per_vehicle: int  # requests per vehicle ...
    extra_vehicles: int  # ... plus these

    def vehicles(self, n: int) -> int:
        return max(2, n // self.per_vehicle + self.extra_vehicles)


SERIES = {
    "a": Series(3, 30.0, 3.0, 15.0, max_load=1, per_vehicle=10, extra_vehicles=0),
    "b": Series(6, 45.0, 3.0, 15.0, max_load=6, per_vehicle=10, extra_vehicles=0),
    "n": Series(6, 90.0, 10.0, 15.0, max_load=1, per_vehicle=12, extra_vehicles=1),
    "w": Series(6, 90.0, 10.0, 45.0, max_load=1, per_vehicle=12, extra_vehicles=1),
}


@dataclass(frozen=True)
class Drawn:
    """One instance as drawn: point 0 is the depot, 1..n the pickups, n+1..2n the drop-offs."""

    series: str
    points: list[tuple[float, float]]
    requests: list[Request]
    vehicles: int


def draw(series: str, n: int, seed: int, fewer: int = 0) -> Drawn:
    """The same (series, n, seed) always draws the same instance; `fewer` takes that many
    vehicles from the series' fleet (a tighter fleet, the same requests)."""
    rng = random.Random(f"{series}-{n}-{seed}")
    kind = SERIES[series]
    ride, svc, width = kind.ride, kind.service, kind.window
    points = [(0.0, 0.0)] + [(rng.uniform(-10, 10), rng.uniform(-10, 10)) for _ in range(2 * n)]
    requests = []
    for i in range(1, n + 1):
        pick, drop = i, n + i
        direct = math.dist(points[pick], points[drop])
        load = 1 if kind.max_load == 1 else rng.randint(1, kind.max_load)
        start = rng.uniform(60, HORIZON - 120)
        if i % 2:  # outbound: the pickup is fixed, the drop-off follows within the ride time
            pw = Window(start, start + width)
            dw = Window(start + svc + direct, start + width + svc + ride)
        else:  # inbound: the drop-off (appointment) is fixed
            dw = Window(start, start + width)
            pw = Window(max(0.0, start - svc - ride), max(0.0, start + width - svc - direct))
        requests.append(
            Request(
                id=str(i),
                pickup=pick,
                dropoff=drop,
                pickup_window=pw,
                dropoff_window=dw,
                pickup_service=svc,
                dropoff_service=svc,
                load=(load,),
                max_ride=ride,
            )
        )
    vehicles = kind.vehicles(n) - fewer
    if vehicles < 1:
        raise ValueError(f"{series}-{n} has {kind.vehicles(n)} vehicles, cannot take {fewer}")
    return Drawn(series, points, requests, vehicles)


def generate(series: str, n: int, seed: int, fewer: int = 0) -> Problem:
    """One instance as a Problem (see `draw`)."""
    drawn = draw(series, n, seed, fewer)
    kind = SERIES[series]
    vehicles = tuple(
        Vehicle(
            id=str(v),
            capacity=(kind.capacity,),
            shift=Window(0.0, HORIZON),
            start_depot=0,
            end_depot=0,
            max_duration=MAX_DURATION,
        )
        for v in range(drawn.vehicles)
    )
    m = matrix([[math.dist(a, b) for b in drawn.points] for a in drawn.points])
    return Problem(
        requests=tuple(drawn.requests),
        vehicles=vehicles,
        time=m,
        distance=m,
        dimensions=("persons",),
        objective=Objective(distance=1.0, time=0.0, fixed=0.0),
    )


def cordeau_text(drawn: Drawn) -> str:
    """The instance in Cordeau's (2006) layout, which `samfard.planning.cordeau` and other
    dial-a-ride codes read: header `K n T Q L`, then depot, pickups, drop-offs, depot as
    `id x y service load earliest latest` (full precision, so it reads back the same)."""
    kind = SERIES[drawn.series]
    n = len(drawn.requests)
    lines = [f"{drawn.vehicles} {n} {MAX_DURATION:g} {kind.capacity} {kind.ride:g}"]
    depot = f"0.0 0.0 0 0 0 {HORIZON:g}"
    lines.append(f"0 {depot}")
    ends = [(r.pickup, r.pickup_service, r.load[0], r.pickup_window) for r in drawn.requests]
    ends += [(r.dropoff, r.dropoff_service, -r.load[0], r.dropoff_window) for r in drawn.requests]
    for node, service, load, window in ends:
        x, y = drawn.points[node]
        lines.append(f"{node} {x!r} {y!r} {service:g} {load} {window.earliest!r} {window.latest!r}")
    lines.append(f"{2 * n + 1} {depot}")
    return "\n".join(lines) + "\n"


def run(problem: Problem, engine: str, seconds: float, seed: int) -> tuple[float, int, float]:
    started = time.perf_counter()
    result = plan(problem, time_limit_s=seconds, seed=seed, solver=make_solver(engine))
    return result.solution.cost, len(result.solution.unserved), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="150,200,300")
    parser.add_argument("--series", default="a,b")
    parser.add_argument("--engines", default="native,ortools")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--long", type=float, default=120.0, help="longer native run, 0: none")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="native runs (seeds) per instance")
    parser.add_argument("--tag", default="")
    parser.add_argument(
        "--fewer", type=int, default=0, help="vehicles fewer than the series gives (a tight fleet)"
    )
    parser.add_argument(
        "--write", type=Path, metavar="DIR", help="only write the instances, in Cordeau's layout"
    )
    args = parser.parse_args()
    if args.write:
        return write(args)
    rows: list[dict[str, str]] = []
    print(" | ".join(FIELDS))
    for series in args.series.split(","):
        for n in (int(x) for x in args.sizes.split(",")):
            problem = generate(series, n, args.seed, args.fewer)
            name = instance_name(series, n, len(problem.vehicles), args.fewer)
            found = []
            runs = [
                (engine, args.time_limit, args.seed + k)
                for engine in args.engines.split(",")
                for k in range(args.runs if engine == "native" else 1)
            ]
            if args.long > 0:
                runs.append(("native", args.long, args.seed))
            for engine, seconds, seed in runs:
                cost, unserved, took = run(problem, engine, seconds, seed)
                label = engine if seconds == args.time_limit else f"{engine} {seconds:g} s"
                label += f" seed {seed}" if args.runs > 1 and engine == "native" else ""
                found.append((label, cost, unserved, took))
            complete = [c for _, c, u, _ in found if u == 0]
            best = min(complete) if complete else math.nan
            for label, cost, unserved, took in found:
                row = {
                    "instance": name,
                    "requests": str(n),
                    "vehicles": str(len(problem.vehicles)),
                    "engine": label,
                    "seconds": f"{took:.1f}",
                    "cost": f"{cost:.2f}",
                    "unserved": str(unserved),
                    "gap_pct": f"{100 * (cost - best) / best:.2f}" if unserved == 0 else "",
                }
                rows.append(row)
                print(" | ".join(row[k] for k in FIELDS), flush=True)
            save(rows, args)
    return 0


def instance_name(series: str, n: int, vehicles: int, fewer: int) -> str:
    return f"g{series}-{n}" + (f"-k{vehicles}" if fewer else "")


def write(args: argparse.Namespace) -> int:
    args.write.mkdir(parents=True, exist_ok=True)
    for series in args.series.split(","):
        for n in (int(x) for x in args.sizes.split(",")):
            drawn = draw(series, n, args.seed, args.fewer)
            path = args.write / f"{instance_name(series, n, drawn.vehicles, args.fewer)}.txt"
            path.write_text(cordeau_text(drawn))
            print(path)
    return 0


def save(rows: list[dict[str, str]], args: argparse.Namespace) -> None:
    results_table.save(
        f"darp_generated{args.tag}",
        "Generated Cordeau-style instances, 24 h horizon: engines side by side",
        [
            f"settings: seed {args.seed}, {args.time_limit} s per engine, {args.runs} native "
            f"run(s) per instance, {args.fewer} vehicle(s) fewer than the series gives, one "
            f"thread (taskset), series {args.series}: "
            + "; ".join(f"{k} {SERIES[k]}" for k in args.series.split(","))
            + ", reference = best complete plan of the row including a native run of "
            f"{args.long} s",
        ],
        FIELDS,
        rows,
    )


if __name__ == "__main__":
    sys.exit(main())
