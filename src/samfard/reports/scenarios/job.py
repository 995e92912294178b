"""Running a scenario SPEC as a background job (`samfard.jobs`) whose progress a page polls.

`run_scenario_task` is registered for the job kind "scenario". It plans and settles in
its own throwaway databases (never the configured one) and returns the report's files in
its JSON result (text as is, the PDF in base64): on PostgreSQL the job runs in a worker
process, perhaps on another machine, so the page must not look for the files on its own
disk. A report is some 70 KB.
"""

from __future__ import annotations

import base64
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.reports.scenarios.render import write_report
from samfard.reports.scenarios.runner import run_spec
from samfard.reports.scenarios.spec import load_spec, with_overrides

SCENARIO = "scenario"
SECONDS_PER_TRIP = 0.12  # planning and settling one trip under one scenario, roughly


def run_scenario_task(
    *,
    sessions: sessionmaker[Session] | None = None,
    spec_path: str,
    days: int | None,
    seed: int | None,
    trips: int | None,
    report: jobs.Progress,
) -> dict[str, Any]:
    """Run the SPEC at `spec_path` (with the sample overridden where given); returns the
    title and the report's files by name: text, or base64 for the PDF."""
    del sessions  # a scenario reads and writes only its own throwaway databases
    spec = with_overrides(load_spec(Path(spec_path)), days=days, seed=seed, trips=trips)
    steps = spec.demand.days * len(spec.scenarios)
    done = 0
    started = time.monotonic()
    report(
        0.01,
        f"Planerar dag 1 av {spec.demand.days}",
        5.0 + spec.demand.trips_per_day * SECONDS_PER_TRIP,
        until=0.95 / steps,
    )

    def step(line: str) -> None:
        nonlocal done
        done += 1
        report(
            0.95 * done / steps,
            f"Klart: {line}",
            (time.monotonic() - started) / done,
            until=0.95 * min(done + 1, steps) / steps,
        )

    with tempfile.TemporaryDirectory(prefix="samfard-scenario-") as work:
        run = run_spec(spec, Path(work), step)
        report(0.97, "Skriver rapporten", 5.0)
        written = write_report(run, Path(work) / "report")
        files = {
            path.name: (
                base64.b64encode(path.read_bytes()).decode("ascii")
                if path.suffix == ".pdf"
                else path.read_text(encoding="utf-8")
            )
            for path in written
        }
    return {"title": spec.title, "names": [p.name for p in written], "files": files}


def file_of(result: dict[str, Any], name: str) -> bytes | None:
    """One file of a finished run's result, as bytes; None when the run wrote no such file."""
    content = (result.get("files") or {}).get(name)
    if content is None:
        return None
    return base64.b64decode(content) if name.endswith(".pdf") else str(content).encode("utf-8")


jobs.register(SCENARIO, run_scenario_task)
