"""Running a scenario SPEC as a background job whose progress a page can poll.

`run_scenario_task` is a plain function of JSON-ready arguments and a progress callback
(the shape of `dispatch.jobs.replan_day_task`), so it runs on the in-process job board
today and can be registered with a job queue unchanged. It plans and settles in its own
throwaway databases (never the configured one) and writes the report's files into
`output`, returning their names.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from samfard.reports.scenarios.render import write_report
from samfard.reports.scenarios.runner import run_spec
from samfard.reports.scenarios.spec import load_spec, with_overrides

Progress = Callable[[float, str, float], None]
"""report(done fraction 0..1, Swedish message, seconds the next step is expected to take)"""

SECONDS_PER_TRIP = 0.12  # planning and settling one trip under one scenario, roughly


def run_scenario_task(
    *,
    spec_path: str,
    output: str,
    days: int | None,
    seed: int | None,
    trips: int | None,
    report: Progress,
) -> dict[str, Any]:
    """Run the SPEC at `spec_path` (with the sample overridden where given) and write its
    report into `output`; returns the title and the files' names."""
    spec = with_overrides(load_spec(Path(spec_path)), days=days, seed=seed, trips=trips)
    steps = spec.demand.days * len(spec.scenarios)
    expected = 5.0 + spec.demand.trips_per_day * SECONDS_PER_TRIP
    done = 0
    started = time.monotonic()
    report(0.01, f"Planerar dag 1 av {spec.demand.days}", expected)

    def step(line: str) -> None:
        nonlocal done
        done += 1
        per_step = (time.monotonic() - started) / done
        report(0.95 * done / steps, f"Klart: {line}", per_step)

    with tempfile.TemporaryDirectory(prefix="samfard-scenario-") as work:
        run = run_spec(spec, Path(work), step)
    report(0.97, "Skriver rapporten", 5.0)
    files = write_report(run, Path(output))
    return {"title": spec.title, "files": [p.name for p in files]}
