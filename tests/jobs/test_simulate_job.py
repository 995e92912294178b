"""A simulated day as a job: started by a controller through the API or `samfard job
simulate`, run in a thread (SQLite) or by a `samfard worker` (PostgreSQL), with progress
through the simulated hours, its figures kept in the job row; refused at once to an
account without plans:write and for bad settings, before any job is stored."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from helpers import NOW, STRONG_PASSWORD
from report_job_fixtures import SAMFARD, run_queue, sessions_of, wait_for
from samfard import jobs
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import create_user, issue_token
from samfard.app import create_app
from samfard.changes import Change
from samfard.clock import FixedClock
from samfard.config import Settings
from samfard.db import make_engine, upgrade
from samfard.dispatch.sim_jobs import SIMULATE
from samfard.reference import load_reference_data

DAY = "2026-11-23"
TRIPS = 40  # a small day: the job's plumbing is under test, not the simulator
USERS = {"trafikledare": Role.OPERATOR, "admin": Role.SYSTEM_ADMIN, "analys": Role.ANALYST}


@pytest.fixture(scope="module")
def sim_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A committed database of its own with a controller, an administrator and an analyst
    (the job runs outside the test's rolled-back session)."""
    admin_url = os.environ.get("SAMFARD_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
    name = f"samfard_simjobs_{os.getpid()}"
    if database_url.startswith("postgresql"):
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {name}")
        base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        url = f"{base}/{name}"
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('simjobs') / 'samfard.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference_data(session=session)
        for username, role in USERS.items():
            create_user(
                session=session,
                username=username,
                password=STRONG_PASSWORD,
                role=role,
                now=NOW,
                principal_codes=["*"],
            )
        session.commit()
    engine.dispose()
    yield url
    if url.startswith("postgresql"):
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def client(sim_database: str) -> Iterator[TestClient]:
    settings = Settings(database_url=sim_database, secure_cookies=False)
    with TestClient(create_app(settings, clock=FixedClock(NOW))) as test_client:
        yield test_client


def _token(sessions: sessionmaker[Session], username: str) -> dict[str, str]:
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        token = issue_token(session=session, user=user, kind="bearer", now=NOW)
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def _simulations(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        count = select(func.count()).select_from(jobs.Job).where(jobs.Job.kind == SIMULATE)
        return int(session.scalar(count) or 0)


def test_a_controller_starts_a_simulation_and_reads_its_figures(
    client: TestClient, sim_database: str
) -> None:
    sessions = sessions_of(sim_database)
    before = _simulations(sessions)
    body = {"day": DAY, "seed": 3, "trips": TRIPS}
    refused = client.post("/api/v1/simulations", json=body, headers=_token(sessions, "analys"))
    assert refused.status_code == 403, "an analyst lacks plans:write"
    controller = _token(sessions, "trafikledare")
    bad = client.post("/api/v1/simulations", json=dict(body, trips=0), headers=controller)
    assert bad.status_code == 422 and "trips" in bad.text
    # The eve is planned: a first or last day of the years trips fall in was taken, and
    # the job failed later naming the day before (walk-through, 2026-12-06).
    for edge in ("1900-01-01", "2199-12-31"):
        early = client.post("/api/v1/simulations", json=dict(body, day=edge), headers=controller)
        assert early.status_code == 422 and early.json()["field"] == "day", early.text
    assert _simulations(sessions) == before, "nothing is stored for a refused start"

    started = client.post("/api/v1/simulations", json=body, headers=controller)
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    assert started.json()["state"] in ("queued", "running") and started.json()["figures"] is None
    again = client.post("/api/v1/simulations", json=body, headers=controller)
    assert again.json()["id"] == job_id, "the same simulation running is answered, not doubled"
    run_queue(sim_database)
    assert wait_for(sessions, job_id).state == "done"

    status = client.get(f"/api/v1/simulations/{job_id}", headers=_token(sessions, "admin"))
    out = status.json()
    assert status.status_code == 200 and out["state"] == "done" and out["progress"] == 1.0
    figures = out["figures"]
    assert figures["pickups"] > 0 and figures["events"] >= figures["pickups"]
    assert figures["counts"]["reports_refused"] == 0, "every driver report fits the day"
    with sessions() as session:
        job = jobs.get(session, job_id)
        assert job.result is not None and job.result["figures"] == figures, "kept in the row"
        steps = session.scalars(
            select(Change.kind).where(Change.topic == f"job:{job_id}").order_by(Change.id)
        ).all()
    assert steps.count("progress") >= 5 and steps[-1] == "done", "progress hour by hour"


def test_samfard_job_simulate_prints_progress_and_the_figures(sim_database: str) -> None:
    environment = dict(os.environ, SAMFARD_DATABASE_URL=sim_database)
    command = [SAMFARD, "job", "simulate", "--date", DAY, "--seed", "4", "--trips", str(TRIPS)]
    refused = subprocess.run(
        command + ["--user", "analys"], env=environment, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "plans:write" in refused.stderr
    running = subprocess.Popen(
        command + ["--user", "trafikledare"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if sim_database.startswith("postgresql"):
        sessions = sessions_of(sim_database)
        for _ in range(300):  # the worker drains the queue once the job is on it
            with sessions() as session:
                if session.scalar(select(jobs.Job).where(jobs.Job.state == "queued")):
                    break
            time.sleep(0.1)
        run_queue(sim_database)
    output, error = running.communicate(timeout=180)
    assert running.returncode == 0, error
    lines = output.strip().splitlines()
    assert lines[0].startswith("job ") and f"simulate {DAY}:4:{TRIPS}" in lines[0]
    assert any(line.startswith("done: 100%") for line in lines)
    result = json.loads(lines[-1])
    assert result["day"] == DAY and result["seed"] == 4 and result["figures"]["pickups"] > 0


def test_at_most_two_simulations_run_at_once(client: TestClient, sim_database: str) -> None:
    """Sixteen at once, each a worker's (on SQLite a server thread's) for most of a minute,
    slowed the desk for everyone (the probe of the seventh session of 2026-12-06). A third
    is refused until one is done; asking again for one running is still answered with it.
    A row still "running" whose thread is gone (the server restarted) holds no place."""
    sessions = sessions_of(sim_database)
    controller = _token(sessions, "trafikledare")
    if sim_database.startswith("sqlite"):
        with sessions() as session:
            for seed in (21, 22, 23):
                session.add(jobs.Job(id=f"orphan{seed}", kind=SIMULATE, subject=f"{DAY}:{seed}:1",
                                     args={}, state="running", message="", started_by="x",
                                     created_at=NOW))  # fmt: skip
            session.commit()
            assert jobs.running(session, sessions, SIMULATE, since=NOW) == []
        return
    # PostgreSQL: the jobs wait on the queue (no worker runs in this test), so they count.
    body = {"day": DAY, "trips": TRIPS}
    first, second = (
        client.post("/api/v1/simulations", json=dict(body, seed=seed), headers=controller)
        for seed in (11, 12)
    )
    assert first.status_code == second.status_code == 202
    third = client.post("/api/v1/simulations", json=dict(body, seed=13), headers=controller)
    assert third.status_code == 409 and "the most at once" in third.json()["detail"]
    again = client.post("/api/v1/simulations", json=dict(body, seed=11), headers=controller)
    assert again.status_code == 202 and again.json()["id"] == first.json()["id"]
    with sessions() as session:  # no later test's worker runs them
        for job_id in (first.json()["id"], second.json()["id"]):
            jobs.get(session, job_id).state = "failed"
        session.commit()
