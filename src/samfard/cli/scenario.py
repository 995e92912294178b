"""`samfard scenario SPEC`: own fleet or procured, planned and settled day by day.

Runs reports.scenarios on a TOML SPEC (examples under scenarios/) in a throwaway SQLite
database, whatever database Samfard is configured with, and writes CSV files and an HTML
report into the output folder. `--days` and `--seed` override the SPEC's demand.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


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
    from samfard.reports.scenarios.spec import load_spec, with_overrides

    spec = with_overrides(load_spec(args.spec), days=args.days, seed=args.seed)
    with tempfile.TemporaryDirectory(prefix="samfard-scenario-") as work:
        run = run_spec(spec, Path(work), lambda line: print(line, flush=True))
    for path in write_report(run, args.output):
        print(f"wrote {path}")
    return 0
