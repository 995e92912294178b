"""Seams of the live day the simulator showed as refused driver reports: a run that goes on
past midnight is still its service day's run, and after a re-plan a booking's lifecycle
agrees with its stops on the runs (a leg still on a run can be picked up)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from dispatch_fixtures import DAY, plan_demo_day
from live_fixtures import CONTROLLER, plan
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.dispatch.driver.schemas import StopEventCreate
from samfard.dispatch.driver.service import record_report
from samfard.dispatch.live_models import RunOffer
from samfard.dispatch.models import Run, Stop, Vehicle
from samfard.dispatch.replan_live import replan_rest
from samfard.errors import Forbidden
from samfard.timeutil import STOCKHOLM, local


def _driver(run: Run) -> Actor:
    return Actor(user_id=None, username="forare", role=Role.DRIVER, vehicle_id=run.vehicle_id)


def _post(session: Session, run: Run, stop: Stop, kind: str, at, now=None):  # type: ignore[no-untyped-def]
    data = StopEventCreate(
        client_event_id=f"t-{stop.id}-{kind}", run_id=run.id, stop_id=stop.id, kind=kind, at=at
    )
    return record_report(session=session, data=data, actor=_driver(run), now=now or at)


def _pair(run: Run) -> tuple[Stop, Stop]:
    pickup = next(s for s in run.stops if s.kind == "pickup")
    dropoff = next(s for s in run.stops if s.kind == "dropoff" and s.leg_id == pickup.leg_id)
    return pickup, dropoff


def test_a_drop_off_after_midnight_belongs_to_the_runs_service_day(session: Session) -> None:
    plan_demo_day(session)
    run = plan(session).runs[0]
    pickup, dropoff = _pair(run)
    _post(session, run, pickup, "picked_up", pickup.planned_at)
    # The run ran late into the night: the forecast moved its end past midnight.
    after_midnight = local(DAY + timedelta(days=1), time(0, 20))
    with transaction(session):
        dropoff.planned_at = after_midnight - timedelta(minutes=5)
        run.end_at = after_midnight
    assert after_midnight.astimezone(STOCKHOLM).date() != run.plan_run.service_date
    done = _post(session, run, dropoff, "dropped_off", after_midnight)
    assert done.event.kind == "dropped_off" and not done.replayed
    # A run long over is not reported on the next morning.
    other = plan(session).runs[1]
    first = other.stops[0]
    with pytest.raises(Forbidden, match="today"):
        _post(session, other, first, "arrived", after_midnight, now=after_midnight)


def test_after_a_replan_every_booking_with_a_stop_on_a_run_can_be_picked_up(
    session: Session,
) -> None:
    plan_demo_day(session)
    plan_run = plan(session)
    runs = sorted(plan_run.runs, key=lambda r: r.id)
    assert len(runs) >= 2
    # Every vehicle but the first run's is declined: the declined runs' trips have few
    # places to go, so some bookings keep one leg on a run and lose the other.
    now = local(DAY, time(5, 0))
    kept = runs[0].vehicle_id
    with transaction(session):
        for vehicle in session.scalars(select(Vehicle).where(Vehicle.id != kept)):
            session.add(
                RunOffer(
                    service_date=DAY,
                    vehicle_id=vehicle.id,
                    carrier_id=vehicle.carrier_id,
                    state="declined",
                    offered_at=now - timedelta(hours=12),
                    answer_by=now - timedelta(hours=6),
                    answered_at=now - timedelta(hours=8),
                    answered_by="test",
                )
            )
    with transaction(session):
        outcome = replan_rest(session, plan(session), now=now, actor=CONTROLLER)
    assert outcome.unserved, "the scenario leaves trips without a run"
    session.expire_all()
    on_runs = {s.booking_id for r in plan(session).runs for s in r.stops}
    bookings = session.scalars(select(Booking).where(Booking.id.in_(on_runs))).all()
    placeable = {BookingStatus.SCHEDULED.value, BookingStatus.ASSIGNED.value}
    wrong = {b.id: b.status for b in bookings if b.status not in placeable}
    assert not wrong, "a booking with a stop on a run is scheduled or assigned"
    split = [b for b in bookings if any(rid.startswith(f"b{b.id}.") for rid in outcome.unserved)]
    assert split, "the scenario has a booking with one leg on a run and one without"
    stop, run = next(
        (s, r)
        for r in plan(session).runs
        for s in r.stops
        if s.booking_id == split[0].id and s.kind == "pickup"
    )
    _post(session, run, stop, "picked_up", stop.planned_at)
    booking = session.get(Booking, split[0].id)
    assert booking is not None and booking.status == BookingStatus.IN_PROGRESS.value
