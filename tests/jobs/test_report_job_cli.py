"""`samfard job report` from the shell: starts the monthly report job as the named user,
prints its progress, and writes the report's files; a user of another principal is
refused before any job is stored."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from sqlalchemy import select

from report_job_fixtures import SAMFARD, report_database, run_queue, sessions_of
from samfard import jobs
from samfard.reports.jobs import REPORT

__all__ = ["report_database"]  # the fixture, imported for pytest


def _command(url: str, user: str, out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [SAMFARD, "job", "report", "--month", "2026-10", "--principal", "23"]
        + ["--user", user, "--out", str(out)],
        env=dict(os.environ, SAMFARD_DATABASE_URL=url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_samfard_job_report_writes_the_files_and_refuses_another_principal(
    report_database: str, tmp_path: Path
) -> None:
    sessions = sessions_of(report_database)
    refused = _command(report_database, "analys-22", tmp_path / "no")
    _, error = refused.communicate(timeout=60)
    assert refused.returncode != 0 and "principal 23" in error
    with sessions() as session:
        assert not session.scalars(
            select(jobs.Job).where(jobs.Job.kind == REPORT, jobs.Job.started_by == "analys-22")
        ).all()

    running = _command(report_database, "analys-23", tmp_path / "ut")
    if report_database.startswith("postgresql"):
        for _ in range(300):  # the worker drains the queue once the job is on it
            with sessions() as session:
                if session.scalar(select(jobs.Job).where(jobs.Job.state == "queued")):
                    break
            time.sleep(0.1)
        run_queue(report_database)
    output, error = running.communicate(timeout=120)
    assert running.returncode == 0, error
    lines = output.strip().splitlines()
    assert lines[0].startswith("job ") and "report 23:2026-10" in lines[0]
    assert any(line.startswith("done: 100%") for line in lines)
    written = json.loads(lines[-1])
    assert written["title"].startswith("Månadsrapport oktober 2026")
    for format in ("html", "pdf", "csv"):
        path = tmp_path / "ut" / f"manadsrapport-23-2026-10.{format}"
        assert path.stat().st_size == written["files"][format]["bytes"] > 0
    assert (tmp_path / "ut" / "manadsrapport-23-2026-10.pdf").read_bytes().startswith(b"%PDF")
    csv = (tmp_path / "ut" / "manadsrapport-23-2026-10.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf"), "the same bytes as the download, mark first"
