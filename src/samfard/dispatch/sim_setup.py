"""The day simulator's starting point: a fresh embedded database with a demo day booked,
planned the evening before and handed to the carriers, all through the real use cases.

The simulator never touches the centre's own database: it builds its own in a temporary
directory, so a simulation can run beside a live centre and is the same for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from samfard.access.actor import SYSTEM, Actor
from samfard.access.permissions import Role
from samfard.costs.service import load_contract_files
from samfard.db import make_engine, make_sessionmaker, transaction, upgrade
from samfard.demo.generator import DemoDay, generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import handoff
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.offer_states import OFFERED
from samfard.dispatch.service import plan_day
from samfard.planning.solve import solver_named
from samfard.reference import load_reference_data
from samfard.timeutil import local

CONTROLLER = Actor(
    user_id=None, username="sim-trafikledare", role=Role.OPERATOR, principal_codes=frozenset("*")
)


def carrier_actor(carrier_id: int | None) -> Actor:
    return Actor(
        user_id=None,
        username=f"sim-utforare-{carrier_id}",
        role=Role.CARRIER_DISPATCHER,
        carrier_id=carrier_id,
    )


@dataclass(frozen=True, slots=True)
class Prepared:
    sessions: sessionmaker[Session]
    morning_objective: float
    declined: int
    overdue_alerts: int
    offers: int


def prepare(
    directory: Path,
    *,
    day: date,
    seed: int,
    trips: int,
    decline_share: float,
    plan_seconds: float = 5.0,
    progress: Callable[[str], None] | None = None,
) -> tuple[Prepared, DemoDay]:
    """Build the database, book and plan the day, offer the runs and collect answers."""
    started = monotonic()

    def note(what: str) -> None:
        if progress is not None:
            progress(f"{monotonic() - started:6.1f} s  {what}")

    url = f"sqlite:///{directory / 'simulation.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    # A throw-away database: nothing needs to survive a crash, so skip the disk syncs.
    event.listen(engine, "connect", _no_sync)
    sessions = make_sessionmaker(engine)
    demo = generate_day(day, seed=seed, trips=trips)
    evening = local(day - timedelta(days=1), time(18, 0))
    with sessions() as session:
        load_reference_data(session=session)
        with transaction(session):
            load_demo_fleet(session, scale=min(10.0, max(0.1, trips / 600)))
        load_contract_files(session)  # the demo carriers' contracts price and hand off runs
        load_day(session=session, demo=demo)
        note(f"{demo.trip_count} trips booked through the booking services")
        outcome = plan_day(
            session=session,
            day=day,
            actor=SYSTEM,
            now=evening,
            time_limit_s=plan_seconds,
            seed=seed,
            solver=solver_named("insertion"),
        )
        note(f"planned the evening before: {outcome.served} of {outcome.requests} legs")
        offers = handoff.offer_day(
            session=session, day=day, actor=CONTROLLER, now=evening, answer_within_min=120
        )
        declined, overdue = _answer(session, offers, seed, decline_share, evening)
        note(f"{len(offers)} runs offered, {declined} declined and re-planned away")
    prepared = Prepared(sessions, outcome.objective, declined, overdue, len(offers))
    return prepared, demo


def _no_sync(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.close()


def _answer(
    session: Session,
    offers: list[handoff.OfferPublic],
    seed: int,
    decline_share: float,
    evening: datetime,
) -> tuple[int, int]:
    """Carriers answer in the evening: some decline, one forgets (the controller is
    alerted at the deadline and accepts on the carrier's behalf after a call)."""
    rng = random.Random(f"answers:{seed}")
    waiting = [o for o in offers if o.state == OFFERED]
    forgot = waiting[-1:] if waiting else []
    declined = 0
    for offer in waiting:
        if offer in forgot:
            continue
        at = evening + timedelta(minutes=rng.randint(5, 90))
        decline = rng.random() < decline_share
        handoff.answer_offer(
            session=session,
            offer_id=offer.id,
            accept=not decline,
            reason="Förare sjuk, bilen står" if decline else None,
            actor=carrier_actor(offer.carrier_id),
            now=at,
        )
        declined += decline
    deadline_passed = evening + timedelta(minutes=125)
    overdue = (
        handoff.check_deadlines(
            session=session, day=offers[0].service_date, actor=CONTROLLER, now=deadline_passed
        )
        if offers
        else 0
    )
    for offer in forgot:
        handoff.answer_offer(
            session=session,
            offer_id=offer.id,
            accept=True,
            reason="Accepterad per telefon",
            actor=CONTROLLER,
            now=deadline_passed + timedelta(minutes=5),
        )
    return declined, overdue
