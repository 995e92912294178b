"""The live day's clock (`dispatch.day_clock`): each tick alerts every offer unanswered
past its deadline once, and forecasts again the runs of vehicles that report through the
app but have not reported a stop they should have reached; a vehicle that never reports
is not taken for a late one. A walk-through (2026-12-06) found a running server doing
neither: 72 offers past their deadline and no alert."""

from __future__ import annotations

import time
from datetime import datetime

import pytest
from dispatch_fixtures import PLAN_NOW, plan_demo_day
from live_fixtures import CONTROLLER, drive_on_time, minutes, plan
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from samfard.clock import FixedClock
from samfard.dispatch import day_clock, handoff
from samfard.dispatch.live_models import ControllerAlert


def test_a_tick_alerts_overdue_offers_once_and_forecasts_reporting_late_vehicles(
    session: Session, connection: Connection
) -> None:
    plan_demo_day(session)
    runs = sorted(plan(session).runs, key=lambda r: r.start_at)
    busy = [r for r in runs if len(r.stops) >= 4]
    reporting, silent = busy[0], busy[1]
    offered_at = runs[0].start_at - minutes(180)
    handoff.offer_day(session=session, day=plan(session).service_date, actor=CONTROLLER,
                      now=offered_at, answer_within_min=30)  # fmt: skip
    drive_on_time(session, reporting, 2)  # its driver uses the app, then falls silent
    now = max(reporting.stops[2].planned_at, silent.stops[2].planned_at) + minutes(20)
    sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    first = day_clock.tick(sessions, now)
    assert first.offers_overdue > 0
    assert first.runs_refreshed >= 1
    session.expire_all()
    alerts = list(session.scalars(select(ControllerAlert)))
    overdue = [a for a in alerts if a.kind == "offer_overdue"]
    assert len(overdue) == first.offers_overdue
    # The silent vehicle never reported: its run is not forecast late, nothing alerted.
    assert not [a for a in alerts if a.run_id == silent.id and a.kind != "offer_overdue"]
    again = day_clock.tick(sessions, now + minutes(1))
    assert again.offers_overdue == 0, "an overdue offer is alerted once"


def test_a_day_without_a_plan_has_nothing_to_tick(session: Session, connection: Connection) -> None:
    sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    assert day_clock.tick(sessions, PLAN_NOW) == day_clock.Tick()


def test_the_clock_thread_ticks_on_after_a_failing_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[datetime] = []

    def tick(sessions: object, now: datetime) -> day_clock.Tick:
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return day_clock.Tick()

    monkeypatch.setattr(day_clock, "tick", tick)
    stop = day_clock.start(None, FixedClock(PLAN_NOW), interval_s=0.01)  # type: ignore[arg-type]
    deadline = time.monotonic() + 5
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    assert len(calls) >= 3 and set(calls) == {PLAN_NOW}
