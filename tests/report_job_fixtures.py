"""A committed database with two years of settled history for the report-job tests: the
job runs in a thread (SQLite) or a worker process (PostgreSQL), which see only committed
rows, so these tests cannot use the rolled-back session of the other tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.orm import Session, sessionmaker

from helpers import NOW, STRONG_PASSWORD
from samfard import jobs
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.costs.service import load_contract_files
from samfard.db import make_engine, make_sessionmaker, upgrade
from samfard.demo.history import HistorySettings, load_history
from samfard.reference import load_reference_data

SAMFARD = str(Path(sys.executable).parent / "samfard")
# analysts of Region Jämtland Härjedalen (23), of Region Västernorrland (22) and of all
READERS = {"analys-23": ["23"], "analys-22": ["22"], "analys-alla": ["*"]}


@pytest.fixture(scope="module")
def report_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own (SQLite file or PostgreSQL database) with contracts, two
    months of history per weekday trip count 2, and the two analysts, all committed."""
    if database_url.startswith("postgresql"):
        admin = os.environ.get("SAMFARD_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
        name = f"samfard_repjobs_{os.getpid()}"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
        base = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        url = f"{base}/{name}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('repjobs') / 'samfard.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference_data(session=session)
        load_contract_files(session)
        load_history(
            session, end_day=date(2026, 11, 1), seed=4, now=NOW, settings=HistorySettings(2)
        )
        for username, principals in READERS.items():
            create_user(
                session=session,
                username=username,
                password=STRONG_PASSWORD,
                role=Role.ANALYST,
                now=NOW,
                principal_codes=principals,
            )
        session.commit()
    engine.dispose()
    yield url
    if url.startswith("postgresql"):
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_queue(url: str) -> None:
    """On PostgreSQL, drain the queue with a real `samfard worker` (on SQLite the job's
    thread is already running)."""
    if not url.startswith("postgresql"):
        return
    environment = dict(os.environ, SAMFARD_DATABASE_URL=url)
    worker = subprocess.run(
        [SAMFARD, "worker", "--until-empty"], env=environment, capture_output=True, text=True
    )
    assert worker.returncode == 0, worker.stderr


def wait_for(sessions: sessionmaker[Session], job_id: str) -> jobs.Job:
    """The job once it has finished (a minute at most)."""
    for _ in range(600):
        with sessions() as session:
            job = jobs.get(session, job_id)
            if job.state in ("done", "failed"):
                return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {job.state} {job.message}")


def sessions_of(url: str) -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(url))
