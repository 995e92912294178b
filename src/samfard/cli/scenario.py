"""`samfard scenario SPEC`: own fleet or procured, planned and settled day by day.

Runs reports.scenarios on a TOML SPEC (examples under scenarios/) in a throwaway SQLite
database, whatever database Samfard is configured with, and writes CSV files and an HTML
report into the output folder. `--days` and `--seed` override the SPEC's demand.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

from samfard.errors import InputError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    scenario = subparsers.add_parser(
        "scenario", help="compare own vehicles with procured ones over sample days"
    )
    scenario.add_argument("spec", type=Path, help="scenario SPEC (TOML), e.g. scenarios/*.toml")
    scenario.add_argument("--days", type=int, help="sample days (default: the SPEC's)")
    scenario.add_argument("--seed", type=int, help="demo generator seed (default: the SPEC's)")
    scenario.add_argument(
        "-o", "--output", type=Path, default=Path("scenario-report"), help="output folder"
    )
    scenario.set_defaults(handler=_scenario)


def _scenario(args: argparse.Namespace) -> int:
    from samfard.reports.scenarios.render import write_report
    from samfard.reports.scenarios.runner import run_spec
    from samfard.reports.scenarios.spec import MAX_DAYS, load_spec

    spec = load_spec(args.spec)
    demand = spec.demand
    if args.days is not None:
        if not 1 <= args.days <= MAX_DAYS:
            raise InputError(f"--days must be 1 to {MAX_DAYS}, got {args.days}", field="--days")
        demand = dataclasses.replace(demand, days=args.days)
    if args.seed is not None:
        if args.seed < 0:
            raise InputError(f"--seed must be zero or more, got {args.seed}", field="--seed")
        demand = dataclasses.replace(demand, seed=args.seed)
    spec = dataclasses.replace(spec, demand=demand)
    with tempfile.TemporaryDirectory(prefix="samfard-scenario-") as work:
        run = run_spec(spec, Path(work), lambda line: print(line, flush=True))
    for path in write_report(run, args.output):
        print(f"wrote {path}")
    return 0
