"""Days whose fleet cannot carry every trip: how many the engine carries against the most any
plan can (proven by `samfard.planning.fleet_bound`).

A region with too few stretcher vehicles is a real day: the plan should then carry as many
stretcher trips as the vehicles can take, and say of the rest that the fleet is short.
Each day here is drawn from a seed: `--trips` stretcher trips between random places in a
60 x 60 km square (driving at 50 km/h in a straight line), pickups between 06:00 and 17:00
with 15-minute windows, five minutes' service at each end, at most 30 minutes' extra ride,
and `--vehicles` stretcher vehicles (8 h of a 06:00-20:00 shift) at depots of their own,
each with `--places` stretcher places: with one the proof models whole trips one after
another, with more it models each pickup and drop-off (as for wheelchair vehicles). The
engine runs with an iteration limit, so a row is the same on any machine; `bound` is
the proof's upper bound (the trip count when it proves nothing); `restarted` is what the
plan carries after `explain_left_out` with the engine, which starts it again from the
proof's own plan where that carries more, as a planning of the day does.

    .venv/bin/python benchmarks/short_fleet.py
    .venv/bin/python benchmarks/short_fleet.py --seeds 1-20 --iterations 10000 --tag _quick
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time

import results_table
from samfard.planning.fleet_bound import explain_left_out, shortfalls
from samfard.planning.model import Problem, Request, Vehicle, VehicleType, Window, matrix
from samfard.planning.native_engine import NativeEngine, NativeSettings
from samfard.planning.solve import plan

HOUR = 3600.0
FIELDS = (
    "seed",
    "trips",
    "vehicles",
    "places",
    "carried",
    "bound",
    "short_of_bound",
    "restarted",
    "plan_s",
    "proof_s",
    "explain_s",
)


def stretcher_day(seed: int, trips: int, vehicles: int, stretchers: int = 1) -> Problem:
    """A day of stretcher trips for a fleet of stretcher vehicles, drawn from `seed`."""
    rng = random.Random(seed)
    places = [(rng.uniform(0, 60), rng.uniform(0, 60)) for _ in range(2 * trips + vehicles)]
    km = [[math.dist(a, b) for b in places] for a in places]
    seconds = matrix([[d / 50 * HOUR for d in row] for row in km])
    metres = matrix([[d * 1000 for d in row] for row in km])
    requests = []
    for k in range(trips):
        pickup, dropoff = 2 * k, 2 * k + 1
        at = rng.uniform(6 * HOUR, 17 * HOUR)
        requests.append(
            Request(
                f"t{k}",
                pickup,
                dropoff,
                Window(at, at + 900),
                Window(at, 22 * HOUR),
                pickup_service=300.0,
                dropoff_service=300.0,
                load=(0, 0, 1),
                max_ride=seconds[pickup][dropoff] + 1800,
            )
        )
    fleet = [
        Vehicle(
            f"stretcher-{k}",
            (1, 0, stretchers),
            Window(6 * HOUR, 20 * HOUR),
            2 * trips + k,
            2 * trips + k,
            type=VehicleType.STRETCHER,
            max_duration=8 * HOUR,
            cost_per_distance=0.001,
        )
        for k in range(vehicles)
    ]
    return Problem(tuple(requests), tuple(fleet), seconds, metres)


def run_one(seed: int, args: argparse.Namespace) -> dict[str, str]:
    problem = stretcher_day(seed, args.trips, args.vehicles, args.places)
    engine = NativeEngine(NativeSettings(iterations=args.iterations))
    started = time.perf_counter()
    solution = plan(problem, time_limit_s=3600.0, seed=seed, solver=engine).solution
    plan_s = time.perf_counter() - started
    carried = sum(len(route.request_ids()) for route in solution.routes)
    started = time.perf_counter()
    proven = shortfalls(problem, [r.id for r in problem.requests], time_limit_s=60.0)
    bound = proven[0].at_most if proven else args.trips
    proof_s = time.perf_counter() - started
    started = time.perf_counter()
    explained = explain_left_out(problem, solution, time_limit_s=60.0, solver=engine, seed=seed)
    restarted = len(explained.served_ids())
    return {
        "seed": str(seed),
        "trips": str(args.trips),
        "vehicles": str(args.vehicles),
        "places": str(args.places),
        "carried": str(carried),
        "bound": str(bound),
        "short_of_bound": str(bound - carried),
        "restarted": str(restarted),
        "plan_s": f"{plan_s:.1f}",
        "proof_s": f"{proof_s:.1f}",
        "explain_s": f"{time.perf_counter() - started:.1f}",
    }


def seeds(text: str) -> list[int]:
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=24)
    parser.add_argument("--vehicles", type=int, default=3)
    parser.add_argument("--places", type=int, default=1, help="stretcher places a vehicle")
    parser.add_argument("--seeds", default="1-100", help="a seed or a range, e.g. 1-20")
    parser.add_argument("--iterations", type=int, default=2000, help="native engine")
    parser.add_argument("--tag", default="", help="suffix of the result files")
    args = parser.parse_args()
    rows = []
    print(" | ".join(FIELDS))
    for seed in seeds(args.seeds):
        rows.append(run_one(seed, args))
        print(" | ".join(rows[-1][k] for k in FIELDS), flush=True)
    carried = sum(int(r["carried"]) for r in rows)
    bound = sum(int(r["bound"]) for r in rows)
    at_bound = sum(r["short_of_bound"] == "0" for r in rows)
    restarted = sum(int(r["restarted"]) for r in rows)
    restarted_at_bound = sum(r["restarted"] == r["bound"] for r in rows)
    total = (
        f"carried {carried} of at most {bound}; {at_bound} of {len(rows)} days at the bound; "
        f"started again from the proof's plan: {restarted}, {restarted_at_bound} days"
    )
    print(total)
    save(rows, args, total)
    return 0


def save(rows: list[dict[str, str]], args: argparse.Namespace, total: str) -> None:
    results_table.save(
        f"short_fleet{args.tag}",
        "Days the fleet cannot carry: trips carried against the proven most",
        [
            f"settings: {args.trips} stretcher trips, {args.vehicles} stretcher vehicles "
            f"with {args.places} stretcher places each, "
            f"seeds {args.seeds}, native engine {args.iterations} iterations, one thread; "
            "bound: `fleet_bound.shortfalls`, 60 s at most",
            total,
        ],
        FIELDS,
        rows,
    )


if __name__ == "__main__":
    sys.exit(main())
