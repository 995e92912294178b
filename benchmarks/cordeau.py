"""Solve the Cordeau (2006) dial-a-ride instances and compare with the best known costs.

Every solution goes through `samfard.planning.solve.plan`, so it is verified; a plan the
verifier refuses is reported infeasible, never scored. Each instance runs on every engine
asked for (default: the native engine and OR-Tools, side by side in one run). Results are
saved as CSV and Markdown (with machine and settings) under benchmarks/results/. Pin the
process to one core (`taskset -c 1`) on a shared machine.

    .venv/bin/python benchmarks/cordeau.py                      # all 48, 30 s each
    .venv/bin/python benchmarks/cordeau.py --instances a2-16,a4-40 --time-limit 10
    .venv/bin/python benchmarks/cordeau.py --engines native --iterations 5000
    .venv/bin/python benchmarks/cordeau.py --engines native --clock cpu   # shared machine

`--clock cpu` counts the native engine's time limit in the search thread's CPU time,
which is what a dedicated core gives in that wall time; on a machine shared with other
work the wall time is then longer (both are in the table: `seconds` wall, `cpu_s` CPU).
OR-Tools' limit is always wall time. `--threads N` runs N native searches at once (seeds
seed .. seed + N - 1, the best plan kept); with `--clock cpu` each thread counts its own
CPU time, so the figures are what N dedicated cores give.

`--data DIR` solves another set in the same layouts (either of the two `cordeau.read`
takes), for example the Cordeau & Laporte (2003) instances pr01-pr20 that are not in the
repository: DIR holds `<instance>.txt` and a `bks.csv` with the columns `instance` and
`best_known_cost`.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path
from typing import Literal

import results_table
from samfard.errors import DomainError
from samfard.planning import cordeau
from samfard.planning.native_engine import NativeEngine, NativeSettings
from samfard.planning.ortools_engine import OrToolsSettings
from samfard.planning.solve import make_solver, plan

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "darp"  # Cordeau (2006) instances, bks.csv, README
INSTANCES = DATA / "cordeau2006"
FIELDS = (
    "instance",
    "engine",
    "cost",
    "best_known",
    "gap_pct",
    "seconds",
    "cpu_s",
    "feasible",
    "unserved",
    "note",
)
SERIES = {"a": (3, 30.0), "b": (6, 45.0)}  # capacity Q and ride time L by series (README)


def sources(data: Path | None) -> tuple[Path, Path]:
    """The folder of instance files and the best-known costs that go with them: `--data`
    holds both; without it, the Cordeau (2006) set in the repository."""
    if data is None:
        return INSTANCES, DATA / "bks.csv"
    return data, data / "bks.csv"


def best_known(path: Path) -> dict[str, float]:
    with path.open() as f:
        return {row["instance"]: float(row["best_known_cost"]) for row in csv.DictReader(f)}


def stand_in(folder: Path, name: str, names: list[str]) -> str | None:
    """The instance this file really is, when its data contradict its series.

    Every a7 file in the data set is byte-identical to the b7 file of the same size
    (capacity 6, ride time 45, loads up to 6), so scoring it against a7's best known cost
    would report a gap that is not the solver's. Such a file is scored against the
    instance it duplicates and left out of the summary, so that instance counts once.
    """
    problem = cordeau.read(folder / f"{name}.txt")
    capacity, ride = problem.vehicles[0].capacity[0], problem.requests[0].max_ride
    if SERIES.get(name[0]) == (capacity, ride):
        return None
    text = (folder / f"{name}.txt").read_bytes()
    for other in names:
        if other != name and (folder / f"{other}.txt").read_bytes() == text:
            return other
    return None


def run_one(
    folder: Path,
    name: str,
    bks: dict[str, float],
    args: argparse.Namespace,
    engine_name: str,
    twin: str | None,
) -> dict[str, str]:
    time_limit, seed = args.time_limit, args.seed
    problem = cordeau.read(folder / f"{name}.txt")
    note = f"file identical to {twin}: scored against {twin}, not in summary" if twin else ""
    best = bks[twin or name]
    engine = make_solver(engine_name, iterations=args.iterations)
    if engine_name == "native":
        clock: Literal["wall", "cpu"] = "cpu" if args.clock == "cpu" else "wall"
        engine = NativeEngine(
            NativeSettings(iterations=args.iterations, clock=clock, threads=args.threads)
        )
    started, cpu = time.perf_counter(), time.process_time()
    try:
        result = plan(problem, time_limit_s=time_limit, seed=seed, solver=engine)
    except DomainError as error:
        print(f"{name}: rejected: {error.message}", file=sys.stderr)
        seconds = time.perf_counter() - started
        return dict.fromkeys(FIELDS, "") | {
            "instance": name,
            "engine": engine_name,
            "best_known": f"{best:.2f}",
            "seconds": f"{seconds:.1f}",
            "cpu_s": f"{time.process_time() - cpu:.1f}",
            "feasible": "no",
            "note": note,
        }
    seconds = time.perf_counter() - started
    cpu_s = time.process_time() - cpu
    solution = result.solution
    complete = not solution.unserved
    return {
        "instance": name,
        "engine": engine_name,
        "cost": f"{solution.cost:.2f}",
        "best_known": f"{best:.2f}",
        "gap_pct": f"{_gap(solution.cost, best):.2f}" if complete else "",
        "seconds": f"{seconds:.1f}",
        "cpu_s": f"{cpu_s:.1f}",
        "feasible": "yes" if complete else "no",
        "unserved": str(len(solution.unserved)),
        "note": note,
    }


def _gap(cost: float, bks: float) -> float:
    """Gap in percent; bks.csv rounds to cents, so an optimum a hair below it counts as 0."""
    gap = 100 * (cost - bks) / bks
    return 0.0 if -0.01 < gap < 0 else gap


def summary(all_rows: list[dict[str, str]]) -> str:
    engines = sorted({r["engine"] for r in all_rows})
    return "; ".join(f"{e}: {_summary([r for r in all_rows if r['engine'] == e])}" for e in engines)


def _summary(all_rows: list[dict[str, str]]) -> str:
    rows = [r for r in all_rows if not r["note"]]
    left_out = (
        f" ({len(all_rows) - len(rows)} duplicate files left out)" if rows != all_rows else ""
    )
    gaps = [float(r["gap_pct"]) for r in rows if r["gap_pct"]]
    feasible = sum(r["feasible"] == "yes" for r in rows)
    if not gaps:
        return f"{feasible}/{len(rows)} feasible{left_out}"
    return (
        f"{feasible}/{len(rows)} feasible; gap mean {statistics.mean(gaps):.2f} %, "
        f"max {max(gaps):.2f} %, zero-gap {sum(g < 0.005 for g in gaps)}{left_out}"
    )


def save(rows: list[dict[str, str]], args: argparse.Namespace, folder: Path, tag: str) -> None:
    results_table.save(
        f"cordeau{tag}",
        "Cordeau DARP instances: Samfard's engines side by side",
        [
            f"instances: {folder}",
            f"settings: time limit {args.time_limit} s per instance and engine (native: "
            f"{args.clock} clock), seed {args.seed}, native threads {args.threads}, engines "
            f"{args.engines}, iterations {args.iterations or 'unlimited'}; ortools: "
            f"{OrToolsSettings()}",
            f"result: {summary(rows)}",
            "seconds: wall clock of the call; cpu_s: this process's CPU time in it",
        ],
        FIELDS,
        rows,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", help="comma-separated names, default all in bks.csv")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tag", default="", help="suffix of the result files")
    parser.add_argument("--engines", default="native,ortools", help="comma-separated")
    parser.add_argument(
        "--iterations", type=int, default=None, help="native iterations / OR-Tools solutions"
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="what the native time limit counts (cpu: as on a dedicated core)",
    )
    parser.add_argument("--threads", type=int, default=1, help="native searches at once")
    parser.add_argument(
        "--data", type=Path, help="folder of <instance>.txt and bks.csv (default: Cordeau 2006)"
    )
    args = parser.parse_args()
    folder, bks_file = sources(args.data)
    if not bks_file.is_file():
        parser.error(f"{bks_file} not found: --data needs a bks.csv beside the instances")
    bks = best_known(bks_file)
    names = args.instances.split(",") if args.instances else sorted(bks)
    unknown = [n for n in names if n not in bks]
    if unknown:
        parser.error(f"unknown instances: {', '.join(unknown)}")
    missing = [n for n in names if not (folder / f"{n}.txt").is_file()]
    if missing:
        parser.error(f"no file in {folder} for: {', '.join(missing)}")
    rows = []
    print(" | ".join(FIELDS))
    for name in names:
        twin = stand_in(folder, name, sorted(bks))
        for engine_name in args.engines.split(","):
            row = run_one(folder, name, bks, args, engine_name, twin)
            rows.append(row)
            print(" | ".join(row[k] for k in FIELDS), flush=True)
            save(rows, args, folder, args.tag)
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
