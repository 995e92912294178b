"""A deviation reported without a time ("Inträffade") is dated where the vehicle met, or
was to meet, the traveller at the trip's first pickup: the driver's report there, else
the stop's planned time, else the promised window's start, else the time booked. It was
the booking's first time, which for a trip timed by its visit is the visit, after the
car came (docs/quality.md, "When it happened")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from quality_world import AFTER, QualityWorld
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.models import Stop
from samfard.dispatch.store import latest_plan
from samfard.quality.schemas import DeviationCreate
from samfard.quality.service import report_deviation

pytestmark = pytest.mark.world_per_module


@pytest.fixture
def world(quality_world_once: QualityWorld) -> QualityWorld:
    return quality_world_once


def _reported(session: Session, world: QualityWorld, words: str) -> object:
    data = DeviationCreate.model_validate(
        {"booking_id": world.booking.id, "kind": "late", "description": words}
    )
    deviation = report_deviation(session=session, data=data, actor=world.operator, now=AFTER)
    return deviation.occurred_at


def test_inträffade_is_the_pickup_as_reported_planned_promised_or_booked(
    session: Session, world: QualityWorld
) -> None:
    booking = session.get(Booking, world.booking.id)
    assert booking is not None
    first = min(booking.legs, key=lambda leg: leg.seq)
    plan = latest_plan(session, booking.service_date)
    assert plan is not None
    pickup = session.scalars(
        select(Stop).where(
            Stop.booking_id == booking.id, Stop.leg_seq == first.seq, Stop.kind == "pickup"
        )
    ).one()
    assert _reported(session, world, "Planerad tid") == pickup.planned_at

    came = pickup.planned_at + timedelta(minutes=23)
    with transaction(session):
        session.add(StopDone(service_date=booking.service_date, booking_id=booking.id,
                             leg_seq=first.seq, kind="pickup", vehicle_id=pickup.run.vehicle_id,
                             status="arrived", at=came))  # fmt: skip
    assert _reported(session, world, "Rapporterad tid") == came, "the driver's report first"

    promised = pickup.planned_at - timedelta(minutes=9)
    with transaction(session):
        for done in session.scalars(select(StopDone).where(StopDone.booking_id == booking.id)):
            session.delete(done)
        store.drop_stops(plan, "booking_id", booking.id, keep_empty=True)
        first.promised_pickup_from = promised
    assert _reported(session, world, "Utlovad tid") == promised, "out of the plan: the promise"

    with transaction(session):
        first.promised_pickup_from = None
    assert _reported(session, world, "Bokad tid") == first.reference_time
