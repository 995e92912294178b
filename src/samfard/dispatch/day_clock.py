"""The live day's clock: what happens only because time passes.

Three things no event drives: an offer nobody answered reaches its deadline
(`handoff.check_deadlines`), a vehicle that has not reported a stop it should have
reached is late, although no report says so (`delays.overdue_runs`, `refresh_runs`), and
a vehicle's shift ends with stops of its run not reported (`past_shift`). The
API had the first (`POST /api/v1/offers/{day}/deadlines`) and the simulator ran both on
its own clock, but a running server ran neither: a walk-through found 72 offers past
their deadline at 07:15 without an alert (2026-12-06). `samfard serve` and `samfard demo`
now run `tick` once a minute in a thread (`start`), for today's newest plan.

A late vehicle, or one past its shift, is looked for only among those whose driver
reports through the app that day (a stop of theirs reported): a vehicle that never
reports cannot be told from a late one, and forecasting every such run late would alert,
and tell the travellers of, every promise of a day whose drivers do not use the app.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from samfard.access.actor import SYSTEM
from samfard.clock import Clock
from samfard.db import transaction
from samfard.dispatch import delays, handoff, past_shift, store
from samfard.dispatch.live_models import StopDone
from samfard.timeutil import STOCKHOLM

log = logging.getLogger(__name__)

INTERVAL_S = 60.0


@dataclass(frozen=True, slots=True)
class Tick:
    """What one tick did: offers alerted as overdue, late runs forecast again, runs
    alerted as still under way after their vehicle's shift."""

    offers_overdue: int = 0
    runs_refreshed: int = 0
    runs_past_shift: int = 0


def tick(sessions: sessionmaker[Session], now: datetime) -> Tick:
    """Check today's offer deadlines, late vehicles and runs past their vehicle's shift as
    at `now` (one transaction each)."""
    day = now.astimezone(STOCKHOLM).date()
    with sessions() as session:
        with transaction(session):
            plan_run = store.latest_plan(session, day)
            if plan_run is None:
                return Tick()
        overdue_offers = handoff.check_deadlines(session=session, day=day, actor=SYSTEM, now=now)
        with transaction(session):
            plan_run = store.latest_plan(session, day)
            assert plan_run is not None  # a plan is never deleted
            reporting = set(
                session.scalars(select(StopDone.vehicle_id).where(StopDone.service_date == day))
            )
            late = [
                run
                for run in delays.overdue_runs(session, plan_run, now)
                if run.vehicle_id in reporting
            ]
            delays.refresh_runs(session, plan_run, late, now=now, actor=SYSTEM)
        with transaction(session):
            plan_run = store.latest_plan(session, day)
            assert plan_run is not None
            past = past_shift.alert_runs_past_shift(session, plan_run, now, reporting=reporting)
        return Tick(overdue_offers, len(late), past)


def start(
    sessions: sessionmaker[Session], clock: Clock, *, interval_s: float = INTERVAL_S
) -> threading.Event:
    """Run `tick` every `interval_s` seconds in a daemon thread until the returned event
    is set. A tick that fails is logged and the next one runs: the clock never stops the
    server."""
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(interval_s):
            try:
                done = tick(sessions, clock.now())
            except Exception:  # a bug or a locked database: logged, tried again next minute
                log.exception("the day's clock failed; trying again in %.0f s", interval_s)
                continue
            if done != Tick():
                log.info("day clock: %s", done)

    threading.Thread(target=run, name="samfard-day-clock", daemon=True).start()
    return stop
