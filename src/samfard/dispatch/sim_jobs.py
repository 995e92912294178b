"""A simulated day as a background job (samfard.jobs kind "simulate") with progress.

A 600-trip day takes most of a minute to replay, longer than a request should wait, so
`samfard job simulate`, the API (POST /api/v1/simulations) start it as a job and read its
figures from the job's result when it is done. The simulator builds its own embedded
database in a temporary directory (dispatch.simulator), so a simulation never changes the
centre's data; the job row only keeps the figures (counts and times, no person), so every
API process and worker sees them. Starting one takes plans:write (a traffic controller or a
system administrator): it costs a worker most of a minute.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.db import transaction
from samfard.dispatch.sim_state import SimSettings
from samfard.errors import Conflict, NotFound
from samfard.jobs import Job, Progress

SIMULATE = "simulate"
MOST_AT_ONCE = 2  # simulations running at a time, the centre's whole
STALE_AFTER = timedelta(hours=1)  # a simulation still "running" after this has stopped
SETUP_SHARE = 0.3  # booking, planning and handing over the day, before the replay
SETUP_S_PER_TRIP = 0.03  # seconds of setup per trip on the reference machine
HOUR_S_PER_TRIP = 0.004  # seconds of replay per trip and simulated hour
# An hour of the simulator's 20-hour day (simulator.DAY_LENGTH): the clock reports at the
# first event of each hour, so a step runs to the next full hour.
HOUR_SHARE = 1 / 20


def simulate_task(
    *,
    sessions: sessionmaker[Session],
    day: str,
    seed: int,
    trips: int,
    report: Progress,
) -> dict[str, Any]:
    """Simulate `day` (ISO date) with `seed` and `trips`; the figures are the result.
    `sessions` (the centre's database) is not used: the simulator has a database of its own."""
    from samfard.dispatch.simulator import simulate

    settings = SimSettings(day=date.fromisoformat(day), seed=seed, trips=trips)

    def bar(share: float) -> float:
        return SETUP_SHARE + (0.98 - SETUP_SHARE) * min(1.0, share)

    def hour(share: float, at: datetime) -> None:
        report(
            bar(share),
            f"Simulerar dagen, klockan {at:%H:%M}",
            HOUR_S_PER_TRIP * trips,
            until=bar(share + HOUR_SHARE * (1 - (at.minute * 60 + at.second) / 3600)),
        )

    report(
        0.02,
        "Bokar, planerar och erbjuder dagens körningar",
        SETUP_S_PER_TRIP * trips,
        until=SETUP_SHARE,
    )
    figures = simulate(settings, clock=hour)
    report(1.0, "Klar", 0.0)
    return {"day": day, "seed": seed, "trips": trips, "figures": figures.as_json()}


def start_simulation(
    *,
    session: Session,
    sessions: sessionmaker[Session],
    actor: Actor,
    day: date,
    seed: int,
    trips: int,
    now: datetime,
) -> Job:
    """Start simulating `day` (or return the same simulation already running); the
    settings are checked at once, so bad input is refused before a job is stored."""
    actor.require(Permission.PLANS_WRITE)
    SimSettings(day=day, seed=seed, trips=trips)
    subject = f"{day.isoformat()}:{seed}:{trips}"
    with transaction(session):
        same = jobs.active(session, SIMULATE, subject)
        running = len(jobs.running(session, sessions, SIMULATE, since=now - STALE_AFTER))
    if same is None and running >= MOST_AT_ONCE:
        # Each one holds a worker (on SQLite a thread of the server) for most of a minute:
        # sixteen at once slowed the desk for everyone (the probe of the seventh session
        # of 2026-12-06).
        raise Conflict(
            f"{running} simulations are running, the most at once; start this one when one "
            "of them is done (GET /api/v1/simulations/{id})",
            field="day",
        )
    return jobs.start(
        session=session,
        sessions=sessions,
        kind=SIMULATE,
        subject=subject,
        args={"day": day.isoformat(), "seed": seed, "trips": trips},
        started_by=actor.username,
        now=now,
    )


def simulation_job(*, session: Session, actor: Actor, job_id: str) -> Job:
    """A simulation job's state, progress and (when done) figures."""
    actor.require(Permission.PLANS_READ)
    with transaction(session):
        job = jobs.get(session, job_id)
    if job.kind != SIMULATE:
        raise NotFound(f"no simulation job {job_id}", field="job_id")
    return job


jobs.register(SIMULATE, simulate_task)
