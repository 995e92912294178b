"""Live insertion: a booking approved after planning gets a promise; earlier ones stand.

The demo day and its fleet are loaded once per database, not planned; each test runs in a
savepoint of that world, and a test of a planned day plans it in its savepoint."""

from __future__ import annotations

import pytest
from dispatch_fixtures import DAY, PLAN_NOW, load_demo
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard.access.actor import SYSTEM
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import service
from samfard.dispatch.models import PlanRun, Stop

pytestmark = [pytest.mark.world_per_module, pytest.mark.usefixtures("demo_day")]


@pytest.fixture(scope="module")
def demo_day(module_session: Session) -> None:
    """The demo day and its fleet loaded, not planned (loading is the slow part): built
    once per database; each test runs in a savepoint of it."""
    load_demo(module_session)
    module_session.commit()


@pytest.fixture
def planned(demo_day: None, session: Session) -> None:
    """The demo day planned in the test's savepoint, as `plan_demo_day` plans it."""
    plan_fixed(session, DAY, now=PLAN_NOW, seed=1)


def _promises(session: Session) -> dict[int, tuple[object, object]]:
    rows = session.scalars(select(Leg).where(Leg.promised_pickup_from.is_not(None)))
    return {leg.id: (leg.promised_pickup_from, leg.promised_pickup_until) for leg in rows}


@pytest.mark.usefixtures("planned")
def test_bookings_approved_after_planning_are_inserted_and_keep_earlier_promises(
    session: Session,
) -> None:
    before = _promises(session)
    known = set(session.scalars(select(Booking.id)))
    # More bookings on the planned day: the assessment and the demo's assessor approve
    # them, and each approval places the booking live into the plan.
    load_day(session=session, demo=generate_day(DAY, seed=9, trips=12))
    # Only the planned day: a dialysis series also books later days, which have no plan.
    new = [
        b for b in session.scalars(select(Booking)) if b.id not in known and b.service_date == DAY
    ]
    assert new
    plan_run = session.scalars(select(PlanRun)).one()
    unserved = {row["booking_id"] for row in plan_run.unserved}
    inserted = 0
    for booking in new:
        if booking.status == BookingStatus.SCHEDULED.value:
            inserted += 1
            for leg in booking.legs:
                assert leg.promised_pickup_from is not None
                assert leg.promised_pickup_until is not None
                pickup = session.scalars(
                    select(Stop).where(Stop.leg_id == leg.id, Stop.kind == "pickup")
                ).one()
                assert leg.promised_pickup_from <= pickup.planned_at <= leg.promised_pickup_until
        elif booking.status == BookingStatus.APPROVED.value:
            assert booking.id in unserved, "an approved booking left out says why"
    assert inserted > 0
    # The page says the version was changed since it was stored, and by what.
    assert plan_run.change == "booking" and plan_run.changed_by
    after = _promises(session)
    assert {k: after[k] for k in before} == before, "earlier promises are never changed"
    session.expire_all()
    _, report = service.verify_stored(session=session, day=DAY)
    assert report.ok, report.violations[:3]


@pytest.mark.usefixtures("planned")
def test_the_run_that_takes_a_booking_keeps_every_stop_whatever_its_bookings_state(
    session: Session,
) -> None:
    """The run that takes a booking approved after planning is rewritten from the day's
    problem; the stops of bookings the planner would not plan again (here every booking on
    the plan set back to requested, as an assessor's reversal or a hand-made plan leaves
    them) must stay on it all the same, as they do for goods."""
    plan_run = session.scalars(select(PlanRun)).one()
    on_plan = {s.booking_id for run in plan_run.runs for s in run.stops if s.booking_id}
    with transaction(session):
        for booking_id in on_plan:
            booking = session.get(Booking, booking_id)
            assert booking is not None
            booking.status = BookingStatus.REQUESTED.value
    before = {
        run.vehicle_id: [(s.booking_id, s.leg_seq, s.kind) for s in run.stops if s.booking_id]
        for run in plan_run.runs
    }
    known = set(session.scalars(select(Booking.id)))
    load_day(session=session, demo=generate_day(DAY, seed=9, trips=12))
    placed = set(
        session.scalars(
            select(Booking.id).where(
                Booking.id.not_in(known), Booking.status == BookingStatus.SCHEDULED.value
            )
        )
    )
    assert placed, "some new booking went into the plan"
    session.expire_all()
    after = {
        run.vehicle_id: [
            (s.booking_id, s.leg_seq, s.kind) for s in run.stops if s.booking_id not in placed
        ]
        for run in session.scalars(select(PlanRun)).one().runs
    }
    assert {v: stops for v, stops in after.items() if stops} == before


def test_without_a_plan_an_approved_booking_stays_approved(session: Session) -> None:
    # More bookings on the module's demo day, which is loaded with its fleet, not planned.
    load_day(session=session, demo=generate_day(DAY, seed=9, trips=12))
    statuses = set(session.scalars(select(Booking.status)))
    assert BookingStatus.SCHEDULED.value not in statuses
    assert session.scalars(select(PlanRun)).first() is None


@pytest.mark.usefixtures("planned")
def test_a_cancelled_booking_leaves_the_plan(session: Session) -> None:
    booking = session.scalars(
        select(Booking).where(Booking.status == BookingStatus.SCHEDULED.value)
    ).first()
    assert booking is not None
    assert session.scalars(select(Stop).where(Stop.booking_id == booking.id)).first()
    with transaction(session):
        apply_transition(
            session,
            booking,
            BookingStatus.CANCELLED,
            actor=SYSTEM,
            now=PLAN_NOW,
            reason="traveller is ill",
        )
    assert session.scalars(select(Stop).where(Stop.booking_id == booking.id)).first() is None
    session.expire_all()
    _, report = service.verify_stored(session=session, day=DAY)
    assert report.ok, report.violations[:3]


@pytest.mark.usefixtures("planned")
def test_a_cancelled_booking_leaves_the_plans_unserved_list(session: Session) -> None:
    """A booking the plan does not carry is listed unserved with its reason (here one a
    dispatcher took off its run and set back to approved); cancelled, it leaves the list,
    so the traffic page does not ask anyone to place it."""
    plan_run = session.scalars(select(PlanRun)).one()
    booking = session.scalars(
        select(Booking).where(Booking.status == BookingStatus.SCHEDULED.value)
    ).first()
    assert booking is not None
    with transaction(session):
        apply_transition(
            session, booking, BookingStatus.APPROVED, actor=SYSTEM, now=PLAN_NOW, reason="off"
        )
        for run in plan_run.runs:
            for stop in [s for s in run.stops if s.booking_id == booking.id]:
                run.stops.remove(stop)
        plan_run.unserved = [
            *plan_run.unserved,
            {"request_id": f"b{booking.id}.0", "booking_id": booking.id, "reason": "full"},
        ]
    with transaction(session):
        apply_transition(
            session, booking, BookingStatus.CANCELLED, actor=SYSTEM, now=PLAN_NOW, reason="ill"
        )
    session.expire_all()
    rows = session.scalars(select(PlanRun)).one().unserved
    assert rows is not None
    assert all(row.get("booking_id") != booking.id for row in rows)
