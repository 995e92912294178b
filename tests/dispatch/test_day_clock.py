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
from samfard.dispatch import alerts, day_clock, handoff
from samfard.dispatch.live_models import ControllerAlert
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.timeutil import STOCKHOLM, local


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
    raised = list(session.scalars(select(ControllerAlert)))
    overdue = [a for a in raised if a.kind == "offer_overdue"]
    assert len(overdue) == first.offers_overdue
    # The silent vehicle never reported: its run is not forecast late, nothing alerted.
    assert not [a for a in raised if a.run_id == silent.id and a.kind != "offer_overdue"]
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


def test_a_run_not_done_after_its_vehicles_shift_is_alerted_once(
    session: Session, connection: Connection
) -> None:
    """A reporting vehicle whose shift has ended with stops of its run not reported raises
    one "Pass slut, körning ej klar" alert, naming the vehicle, the shift's end and the
    first stop left; later ticks (also after it is acknowledged) do not raise it again,
    and a vehicle whose run is all reported, or that never reports, raises none."""
    plan_demo_day(session)
    runs = sorted(plan(session).runs, key=lambda r: r.start_at)
    busy = [r for r in runs if len(r.stops) >= 4]
    unfinished, finished, silent = busy[0], busy[1], busy[2]
    drive_on_time(session, unfinished, 2)
    drive_on_time(session, finished, len(finished.stops))
    shift_ends = [
        local(plan(session).service_date, r.vehicle.shift_end)
        for r in (unfinished, finished, silent)
    ]
    sessions = sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    before = day_clock.tick(sessions, min(shift_ends) - minutes(1))
    assert before.runs_past_shift == 0, "no alert before the shift ends"
    now = max(shift_ends) + minutes(1)
    first = day_clock.tick(sessions, now)
    assert first.runs_past_shift == 1
    session.expire_all()
    (alert,) = session.scalars(select(ControllerAlert).where(ControllerAlert.kind == "past_shift"))
    assert alert.run_id == unfinished.id
    left = unfinished.stops[2]
    end = shift_ends[0].astimezone(STOCKHOLM)
    assert alert.message.startswith(
        f"{vehicle_name_sv(unfinished.vehicle.code)}: passet slutade {end:%H:%M} och "
        f"{len(unfinished.stops) - 2} stopp är inte rapporterade, det första "
        f"{'hämtning' if left.kind == 'pickup' else 'lämning'} "
        f"{left.planned_at.astimezone(STOCKHOLM):%H:%M}"
    )
    (listed,) = [
        a
        for a in alerts.list_alerts(session=session, day=alert.service_date, actor=CONTROLLER)
        if a.kind == "past_shift"
    ]
    assert listed.kind_sv == "Pass slut, körning ej klar"
    assert day_clock.tick(sessions, now + minutes(1)).runs_past_shift == 0
    alerts.acknowledge(session=session, alert_id=alert.id, actor=CONTROLLER, now=now)
    assert day_clock.tick(sessions, now + minutes(2)).runs_past_shift == 0, "raised once"
