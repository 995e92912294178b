"""The plan's unserved list holds one row per leg, with the newest reason.

A walk-through of a working day (2026-12) offered the day, had a carrier decline a run
and pressed "Planera om resten av dagen": /trafik said "Oplanerade resor (4)", later
"(6)", each only the same two legs repeated with different reasons, and the header "6
resor oplanerade" while the re-plan had said "2 resor saknar fordon". Each re-plan
appended its own row for a leg still without a vehicle to the rows already there. Now a
row for a leg already listed replaces it (`store.note_unserved`), and a list stored so
before is read once per leg by every view (the API's plan, /trafik's overview).

The planned demo day is built once per database (`planned`); each test takes its trip off
its run and re-plans in a savepoint of it.
"""

from __future__ import annotations

from datetime import time

import pytest
from dispatch_fixtures import DAY
from live_fixtures import CONTROLLER, plan
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.dispatch import day_overview, store
from samfard.dispatch.replan_live import replan_rest
from samfard.dispatch.unplanned_reasons import NO_VEHICLE_REST_OF_DAY
from samfard.dispatch.views import plan_public
from samfard.timeutil import local

pytestmark = pytest.mark.world_per_module


def _a_trip_no_vehicle_can_take(session: Session) -> Booking:
    """A booking of the day taken off its run and asked for 02:30, hours before any
    vehicle's shift begins: approved, on no run, and no re-plan can place it."""
    run = max(plan(session).runs, key=lambda r: len(r.stops))
    booking_id = next(s.booking_id for s in run.stops if s.booking_id is not None)
    with transaction(session):
        booking = session.get(Booking, booking_id)
        assert booking is not None
        store.drop_stops(plan(session), "booking_id", booking.id)
        for leg in booking.legs:
            leg.requested_pickup_at = local(DAY, time(2, 30))
            leg.appointment_at = None
            leg.promised_pickup_from = leg.promised_pickup_until = None
        booking.status = BookingStatus.APPROVED.value
    return booking


def test_each_replan_lists_a_leg_still_without_a_vehicle_once_with_the_newest_reason(
    session: Session, planned: None
) -> None:
    booking = _a_trip_no_vehicle_can_take(session)
    legs = {f"b{booking.id}.{leg.seq}" for leg in booking.legs}
    now = local(DAY, time(6, 0))
    for _ in range(3):
        with transaction(session):
            outcome = replan_rest(session, plan(session), now=now, actor=CONTROLLER)
        assert outcome.saved and legs <= set(outcome.unserved)
        rows = [r for r in plan(session).unserved if r["request_id"] in legs]
        assert len(rows) == len(legs), rows
        assert {r["reason"] for r in rows} == {NO_VEHICLE_REST_OF_DAY}
    ids = [row["request_id"] for row in plan(session).unserved]
    assert len(ids) == len(set(ids)), "one row per leg on the stored list"


def test_a_list_stored_with_repeats_is_read_once_per_leg_everywhere(
    session: Session, planned: None
) -> None:
    """Plans stored before the fix hold repeated rows: the API's plan and /trafik's
    overview (whose count the page's header says) list each leg once, newest reason."""
    booking = _a_trip_no_vehicle_can_take(session)
    leg = booking.legs[0]
    row = {"request_id": f"b{booking.id}.{leg.seq}", "booking_id": booking.id,
           "leg_seq": leg.seq}  # fmt: skip
    with transaction(session):
        stored = plan(session)
        others = [r for r in stored.unserved if r["request_id"] != row["request_id"]]
        stored.unserved = [
            *others,
            {**row, "reason": "window unreachable from depot within shift"},
            {**row, "reason": NO_VEHICLE_REST_OF_DAY},
            {**row, "reason": NO_VEHICLE_REST_OF_DAY},
        ]
    overview = day_overview.day_overview(
        session=session, day=DAY, actor=SYSTEM, now=local(DAY, time(6))
    )
    mine = [r for r in overview.unserved if r["request_id"] == row["request_id"]]
    assert [r["reason"] for r in mine] == [NO_VEHICLE_REST_OF_DAY]
    assert len(overview.unserved) == len(others) + 1
    public = plan_public(session, plan(session), SYSTEM)
    listed = [u for u in public.plan.unserved if u.request_id == row["request_id"]]
    assert [u.reason for u in listed] == [NO_VEHICLE_REST_OF_DAY]
