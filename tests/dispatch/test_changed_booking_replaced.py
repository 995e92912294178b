"""A planned booking whose loads change is placed again or leaves the plan, so that no
vehicle is sent for the trip as it was (dispatch.live.on_change, after assessment.changed)."""

from __future__ import annotations

from collections import Counter

from dispatch_fixtures import DAY, PLAN_NOW, plan_demo_day
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.schemas import BookingUpdate, Companion, Need
from samfard.booking.service import update_booking
from samfard.dispatch import service
from samfard.dispatch.models import PlanRun, Stop
from samfard.errors import InputError
from samfard.rules.facts import CompanionKind


def test_needs_and_companions_changed_on_planned_trips_leave_a_plan_that_verifies(
    session: Session,
) -> None:
    plan_demo_day(session)
    planned = session.scalars(
        select(Booking)
        .where(
            Booking.status == BookingStatus.SCHEDULED.value,
            Booking.mode == "taxi",
            Booking.service_date == DAY,
        )
        .order_by(Booking.id)
    ).all()
    # Approved by the rules alone: an assessor's approval goes back to an assessor.
    planned = [b for b in planned if (b.decision or {}).get("decided_by") == "rules"]
    assert len(planned) >= 4
    outcomes: Counter[str] = Counter()
    for i, booking in enumerate(planned[:4]):
        change = (
            {"needs": [Need.WHEELCHAIR]}
            if i % 2 == 0
            else {"companions": [Companion(kind=CompanionKind.FELLOW_PASSENGER)] * 2}
        )
        try:
            update_booking(
                session=session,
                booking_id=booking.id,
                data=BookingUpdate(version=booking.version, **change),
                actor=SYSTEM,
                now=PLAN_NOW,
            )
        except InputError:
            outcomes["refused"] += 1
            session.refresh(booking)
            assert booking.status == BookingStatus.SCHEDULED.value, "a refused change undoes"
            continue
        session.refresh(booking)
        outcomes[booking.status] += 1
        assert booking.decision is not None
        assert booking.decision["changed"] == list(change)
        stops = session.scalars(select(Stop).where(Stop.booking_id == booking.id)).all()
        unserved = {row["booking_id"] for row in _plan(session).unserved}
        if booking.status == BookingStatus.SCHEDULED.value:
            assert stops, "a scheduled booking has its stops"
        elif booking.status == BookingStatus.APPROVED.value:
            assert not stops and booking.id in unserved, "placed nowhere, and the plan says so"
        else:
            assert booking.status == BookingStatus.REQUESTED.value
            assert not stops and booking.id not in unserved, "an assessor decides it first"
        if "needs" in change and stops:
            assert booking.mode in ("wheelchair_vehicle", "stretcher_vehicle")
    assert sum(outcomes.values()) == 4
    assert outcomes["scheduled"] + outcomes["approved"] >= 1, "some were approved again"
    session.expire_all()
    _, report = service.verify_stored(session=session, day=DAY)
    assert report.ok, report.violations[:3]


def _plan(session: Session) -> PlanRun:
    return session.scalars(select(PlanRun).order_by(PlanRun.version.desc())).first()  # type: ignore[return-value]
