"""Planning a demo day: every approved leg by vehicle accounted for, stored plans verify,
promises hold.

The planned demo day is built once per database; each test runs in a savepoint of it, and
the tests of a day without bookings plan the day after it, which has none."""

from __future__ import annotations

import pytest
from dispatch_fixtures import DAY, PLAN_NOW, TIME_LIMIT_S, PlannedDay, plan_demo_day
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.db import transaction
from samfard.dispatch import service
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.models import PlanRun, Stop
from samfard.dispatch.store import by_vehicle
from samfard.errors import Conflict

pytestmark = [pytest.mark.world_per_module, pytest.mark.usefixtures("planned")]


@pytest.fixture(scope="module")
def planned(module_session: Session) -> PlannedDay:
    """The demo day loaded and planned, built once per database; each test runs in a
    savepoint of it."""
    day = plan_demo_day(module_session)
    module_session.commit()
    return day


def test_every_approved_leg_is_planned_or_unserved_with_a_reason(
    session: Session, planned: PlannedDay
) -> None:
    """Every leg of an approved booking that goes by vehicle; a booking sent by bus or
    train (public transport first) is neither planned nor unserved."""
    assert planned.approved_before, "the demo day should have approved bookings to plan"
    approved = session.scalars(select(Booking).where(Booking.id.in_(planned.approved_before)))
    not_driven = {b.id for b in approved if not by_vehicle(b)}
    legs = session.scalars(select(Leg).where(Leg.booking_id.in_(planned.approved_before)))
    expected = {(leg.booking_id, leg.seq) for leg in legs if leg.booking_id not in not_driven}
    stops = list(session.scalars(select(Stop)))
    pickups = {(s.booking_id, s.leg_seq) for s in stops if s.kind == "pickup"}
    dropoffs = {(s.booking_id, s.leg_seq) for s in stops if s.kind == "dropoff"}
    unserved = {(row["booking_id"], row["leg_seq"]) for row in planned.outcome.unserved}
    assert pickups == dropoffs
    assert pickups | unserved == expected
    assert not {booking for booking, _ in pickups | unserved} & not_driven
    assert not pickups & unserved
    assert all(row["reason"] for row in planned.outcome.unserved)
    assert planned.outcome.served == len(pickups) > 0


def test_stored_plan_verifies_again_from_the_database(session: Session) -> None:
    session.expire_all()  # read back what was written, not the objects in memory
    plan_run, report = service.verify_stored(session=session, day=DAY)
    assert plan_run.verified and plan_run.version == 1
    assert report.ok, report.violations[:3]


def test_fully_planned_bookings_are_scheduled_with_a_promise_around_the_planned_pickup(
    session: Session, planned: PlannedDay
) -> None:
    pickups = {
        (s.booking_id, s.leg_seq): s for s in session.scalars(select(Stop)) if s.kind == "pickup"
    }
    bookings = session.scalars(select(Booking).where(Booking.id.in_(planned.approved_before)))
    scheduled = 0
    for booking in bookings:
        # The lifecycle follows the runs: a leg on a run makes the booking scheduled.
        placed = any((booking.id, leg.seq) in pickups for leg in booking.legs)
        want = BookingStatus.SCHEDULED if placed else BookingStatus.APPROVED
        assert booking.status == want.value, booking.id
        scheduled += placed
        for leg in booking.legs:
            stop = pickups.get((booking.id, leg.seq))
            if stop is None:
                continue
            assert leg.promised_pickup_from is not None and leg.promised_pickup_until is not None
            assert leg.promised_pickup_from <= stop.planned_at <= leg.promised_pickup_until
            assert stop.promised_from == leg.promised_pickup_from
    assert scheduled > 0


def test_replanning_stores_a_new_version_and_keeps_every_promise(session: Session) -> None:
    promised = {
        leg.id: (leg.promised_pickup_from, leg.promised_pickup_until)
        for leg in session.scalars(select(Leg).where(Leg.promised_pickup_from.is_not(None)))
    }
    again = service.plan_day(
        session=session, day=DAY, actor=SYSTEM, now=PLAN_NOW, time_limit_s=TIME_LIMIT_S, seed=2
    )
    assert again.version == 2
    newest = session.scalars(select(PlanRun).where(PlanRun.version == 2)).one()
    assert newest.kind == "reoptimised"
    pickups = {s.leg_id: s for run in newest.runs for s in run.stops if s.kind == "pickup"}
    for leg_id, (start, end) in promised.items():
        leg = session.get(Leg, leg_id)
        assert leg is not None
        assert (leg.promised_pickup_from, leg.promised_pickup_until) == (start, end)
        assert start is not None and end is not None
        assert start <= pickups[leg_id].planned_at <= end


def test_a_day_without_bookings_gets_an_empty_verified_plan(session: Session) -> None:
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    empty = DAY.replace(day=DAY.day + 1)
    outcome = service.plan_day(
        session=session, day=empty, actor=SYSTEM, now=PLAN_NOW, time_limit_s=TIME_LIMIT_S
    )
    assert (outcome.requests, outcome.served, outcome.vehicles_used) == (0, 0, 0)
    assert outcome.version == 1 and not outcome.unserved


def test_two_plannings_racing_for_one_version_give_a_conflict_not_a_crash(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    # A day with a fleet and no bookings: the module's demo day is planned already.
    empty = DAY.replace(day=DAY.day + 1)
    first = service.plan_day(
        session=session, day=empty, actor=SYSTEM, now=PLAN_NOW, time_limit_s=TIME_LIMIT_S
    )
    assert first.version == 1
    # The second planning read the day before the first stored its version.
    monkeypatch.setattr(service.store, "latest_plan", lambda _session, _day: None)
    with pytest.raises(Conflict, match="plan again"):
        service.plan_day(
            session=session, day=empty, actor=SYSTEM, now=PLAN_NOW, time_limit_s=TIME_LIMIT_S
        )
