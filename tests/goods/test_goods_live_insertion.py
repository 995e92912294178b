"""Goods booked after their day was planned go straight into the newest plan, through the
goods service's event and dispatch's live insertion, on SQLite and PostgreSQL: placed
without moving a passenger's promise (the stored plan verifies), left on the unserved list
with the reason when no run can take them, their stops gone when cancelled, nothing
changed on a day without a plan, and placed among the cut runs on a day under way.

The planned day is built once per database; each test runs in a savepoint of it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from goods_fixtures import (
    DAY,
    PLAN_NOW,
    goods_along,
    goods_stops,
    planned_day,
    planned_pickups,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard import events
from samfard.access.actor import SYSTEM
from samfard.booking.models import Booking, Leg
from samfard.booking.schemas import Location
from samfard.changes import Change
from samfard.db import transaction
from samfard.dispatch import service as dispatch
from samfard.dispatch import store
from samfard.dispatch.day_view import day_view
from samfard.dispatch.live_goods import NOT_ON_A_RUN
from samfard.dispatch.live_models import ControllerAlert
from samfard.dispatch.models import PlanRun
from samfard.dispatch.replan_live import replan_rest, running
from samfard.goods import service as goods
from samfard.goods.models import Consignment
from samfard.goods.prices import GoodsKind
from samfard.goods.schemas import ConsignmentCreate
from samfard.timeutil import local

pytestmark = pytest.mark.world_per_module

Passengers = dict[int, list[tuple[int | None, int | None, str, datetime]]]


def passengers(plan: PlanRun) -> Passengers:
    """Each vehicle's passenger stops in order, with their planned times."""
    return {
        run.vehicle_id: [
            (s.booking_id, s.leg_seq, s.kind, s.planned_at) for s in run.stops if s.booking_id
        ]
        for run in plan.runs
    }


def promises(session: Session, plan: PlanRun) -> dict[int, tuple[Any, Any]]:
    ids = {s.leg_id for run in plan.runs for s in run.stops if s.leg_id}
    legs = session.scalars(select(Leg).where(Leg.id.in_(ids)))
    return {leg.id: (leg.promised_pickup_from, leg.promised_pickup_until) for leg in legs}


def newest(session: Session, day: date = DAY) -> PlanRun:
    plan = store.latest_plan(session, day)
    assert plan is not None
    return plan


def book(session: Session, data: ConsignmentCreate, now: datetime = PLAN_NOW) -> Consignment:
    row, replayed = goods.create_consignment(session=session, data=data, actor=SYSTEM, now=now)
    assert not replayed
    return row


def cancel(session: Session, row: Consignment) -> None:
    goods.cancel_consignment(
        session=session, consignment_id=row.id, reason="inställt", actor=SYSTEM, now=PLAN_NOW
    )


def open_alerts(session: Session, subject: str) -> list[ControllerAlert]:
    return list(
        session.scalars(
            select(ControllerAlert).where(
                ControllerAlert.subject == subject, ControllerAlert.acknowledged_at.is_(None)
            )
        )
    )


def unserved_of(plan: PlanRun, row: Consignment) -> list[dict[str, Any]]:
    return [r for r in plan.unserved if r.get("consignment_id") == row.id]


def announced(session: Session, day: date, kind: str) -> list[int | None]:
    topic = f"plan:{day.isoformat()}"
    return list(
        session.scalars(select(Change.ref_id).where(Change.topic == topic, Change.kind == kind))
    )


@pytest.fixture(scope="module")
def planned(module_session: Session) -> None:
    """Demo contracts and goods prices, a small demo day and fleet, planned: built once
    per database; each test runs in a savepoint of it."""
    planned_day(module_session)
    module_session.commit()


@pytest.fixture
def plan(planned: None, session: Session) -> PlanRun:
    """The planned day's plan, read in the test's own session."""
    return newest(session)


def test_goods_booked_after_planning_go_into_the_newest_plan_and_keep_every_promise(
    session: Session, plan: PlanRun
) -> None:
    version, before, promised = plan.version, passengers(plan), promises(session, plan)
    pickups = planned_pickups(plan)
    row = book(session, goods_along(session, pickups[len(pickups) // 2]))
    assert row.status == "planned"
    plan = newest(session)
    assert plan.version == version, "changed in place, not a new version per booking"
    stops = goods_stops(session, row.id)
    assert sorted(s.kind for s in stops) == ["dropoff", "pickup"]
    assert len({s.run_id for s in stops}) == 1
    pickup, dropoff = sorted(stops, key=lambda s: s.seq)
    assert (pickup.kind, dropoff.kind) == ("pickup", "dropoff")
    assert row.pickup_from <= pickup.planned_at <= row.pickup_until
    assert row.dropoff_from <= dropoff.planned_at <= row.dropoff_until
    assert unserved_of(plan, row) == []
    # Every passenger stays on their vehicle in their order, with the promise they have.
    after = passengers(plan)
    assert {v: [s[:3] for s in ss] for v, ss in after.items()} == {
        v: [s[:3] for s in ss] for v, ss in before.items()
    }
    assert promises(session, plan) == promised
    for run in plan.runs:
        for stop in run.stops:
            if stop.booking_id and stop.kind == "pickup":
                assert stop.promised_from is not None and stop.promised_until is not None
                assert stop.promised_from <= stop.planned_at <= stop.promised_until
    found, report = dispatch.verify_stored(session=session, day=DAY)
    assert found.id == plan.id
    assert report.ok, report.violations
    assert announced(session, DAY, "goods_planned") == [row.id]
    # /trafik counts the run's travellers' trips, and the goods apart (they counted as a trip).
    view = day_view(session=session, day=DAY, actor=SYSTEM, now=PLAN_NOW)
    assert view is not None
    [line] = [t for t in view.timeline if t.run.id == pickup.run_id]
    run = next(r for r in plan.runs if r.id == pickup.run_id)
    riders = [s for s in run.stops if s.kind == "pickup" and s.booking_id is not None]
    assert (line.trips, line.goods) == (len(riders), 1)


def test_the_run_that_takes_the_goods_keeps_every_stop_whatever_its_bookings_state(
    session: Session, plan: PlanRun
) -> None:
    """A run is rewritten from the day's problem when goods join it; a stop of a booking
    the planner would not plan again (here every booking set back to requested, as in a
    hand-made plan) must stay on it all the same."""
    pickups = planned_pickups(plan)
    with transaction(session):
        for booking_id in {s.booking_id for run in plan.runs for s in run.stops}:
            booking = session.get(Booking, booking_id)
            assert booking is not None
            booking.status = "requested"
    before = passengers(plan)
    row = book(session, goods_along(session, pickups[len(pickups) // 2]))
    assert row.status == "planned"
    assert {v: [s[:3] for s in ss] for v, ss in passengers(newest(session)).items()} == {
        v: [s[:3] for s in ss] for v, ss in before.items()
    }


def _too_big(session: Session, plan: PlanRun) -> ConsignmentCreate:
    return goods_along(session, planned_pickups(plan)[0], units=40)  # a minibus holds 6


def _at_night(session: Session, plan: PlanRun) -> ConsignmentCreate:
    data = goods_along(session, planned_pickups(plan)[0])
    night = {  # before any vehicle's shift starts
        "pickup_from": local(DAY, time(1, 0)),
        "pickup_until": local(DAY, time(1, 20)),
        "dropoff_from": local(DAY, time(1, 0)),
        "dropoff_until": local(DAY, time(2, 30)),
    }
    return data.model_copy(update=night)


@pytest.mark.parametrize(
    ("build", "reason"),
    [(_too_big, "room for 40 goods units"), (_at_night, "")],
    ids=["too-big-for-any-vehicle", "no-vehicle-at-night"],
)
def test_goods_that_fit_no_run_stay_booked_with_the_reason_on_the_unserved_list(
    session: Session, plan: PlanRun, build: Any, reason: str
) -> None:
    before, objective = passengers(plan), plan.objective
    row = book(session, build(session, plan))
    assert row.status == "booked"
    plan = newest(session)
    assert goods_stops(session, row.id) == []
    assert passengers(plan) == before and plan.objective == objective
    [listed] = unserved_of(plan, row)
    assert listed["request_id"] == f"g{row.id}"
    assert reason in listed["reason"] and listed["reason"].strip()
    assert dispatch.verify_stored(session=session, day=DAY)[1].ok
    assert announced(session, DAY, "goods_planned") == []
    # The desk's receipt says the controller places them: the controller is told.
    [alert] = open_alerts(session, f"g{row.id}")
    assert alert.kind == "unserved" and row.reference in alert.message


def test_cancelled_goods_leave_the_plan_and_its_unserved_list(
    session: Session, plan: PlanRun
) -> None:
    before = passengers(plan)
    pickups = planned_pickups(plan)
    placed = book(session, goods_along(session, pickups[len(pickups) // 2]))
    unplaced = book(session, _too_big(session, plan))
    assert goods_stops(session, placed.id) and unserved_of(newest(session), unplaced)
    cancel(session, placed)
    cancel(session, unplaced)
    plan = newest(session)
    assert goods_stops(session, placed.id) == []
    assert unserved_of(plan, unplaced) == []
    assert all(run.stops for run in plan.runs), "a run emptied by the goods goes too"
    assert {v: [s[:3] for s in ss] for v, ss in passengers(plan).items()} == {
        v: [s[:3] for s in ss] for v, ss in before.items()
    }
    assert dispatch.verify_stored(session=session, day=DAY)[1].ok
    assert sorted(announced(session, DAY, "goods_cancelled")) == sorted([placed.id, unplaced.id])
    # The next planning of the day does not take them back.
    plan_fixed(session, DAY, now=PLAN_NOW)
    assert goods_stops(session, placed.id) == []


def test_goods_for_a_day_without_a_plan_change_no_plan(session: Session, plan: PlanRun) -> None:
    before = passengers(plan)
    tuesday = DAY + timedelta(days=1)
    data = ConsignmentCreate(
        principal="23",
        kind=GoodsKind.PARCEL,
        units=1,
        pickup=Location(address="Lastkaj", lat=63.18, lon=14.63),
        dropoff=Location(address="Mottagning", lat=63.19, lon=14.65),
        pickup_from=local(tuesday, time(9, 0)),
        pickup_until=local(tuesday, time(10, 0)),
        dropoff_from=local(tuesday, time(9, 0)),
        dropoff_until=local(tuesday, time(12, 0)),
    )
    row = book(session, data)
    assert row.status == "booked"
    assert store.latest_plan(session, tuesday) is None
    cancel(session, row)
    assert store.latest_plan(session, tuesday) is None
    assert session.scalars(select(Change).where(Change.topic == f"plan:{tuesday}")).all() == []
    assert passengers(newest(session)) == before  # another day's plan is not touched


def _start_the_day(session: Session, plan: PlanRun) -> tuple[int | None, int | None, datetime]:
    """The first pickup of the day reported done at its planned time: the day is under way."""
    first = planned_pickups(plan)[0]
    with transaction(session):
        events.publish(
            session,
            events.StopReported(
                actor=SYSTEM,
                at=first.planned_at,
                run_id=first.run_id,
                stop_id=first.id,
                booking_id=first.booking_id,
                status="picked_up",
            ),
        )
    return first.booking_id, first.leg_seq, first.planned_at


def test_goods_booked_on_a_day_under_way_join_the_cut_runs(session: Session, plan: PlanRun) -> None:
    booking_id, leg_seq, done_at = _start_the_day(session, plan)
    assert running(session, DAY)
    later = [s for s in planned_pickups(plan) if s.planned_at >= done_at + timedelta(hours=1)]
    assert later, "the demo day has pickups an hour after its first"
    stop = later[len(later) // 2]
    now = done_at + timedelta(minutes=5)
    before = {v: [s[:3] for s in ss] for v, ss in passengers(plan).items()}
    row = book(session, goods_along(session, stop), now=now)
    assert row.status == "planned"
    plan = newest(session)
    stops = goods_stops(session, row.id)
    assert sorted(s.kind for s in stops) == ["dropoff", "pickup"]
    assert all(s.planned_at >= now for s in stops), "nothing is planned in the past"
    assert unserved_of(plan, row) == []
    # Nothing done moves, and every passenger keeps their run and order.
    assert {v: [s[:3] for s in ss] for v, ss in passengers(plan).items()} == before
    done = next(
        s
        for run in plan.runs
        for s in run.stops
        if (s.booking_id, s.leg_seq, s.kind) == (booking_id, leg_seq, "pickup")
    )
    assert done.planned_at == done_at
    assert dispatch.verify_stored(session=session, day=DAY)[1].ok


def test_goods_that_fit_nowhere_on_a_day_under_way_are_listed_unserved(
    session: Session, plan: PlanRun
) -> None:
    _, _, done_at = _start_the_day(session, plan)
    assert running(session, DAY)
    before = passengers(plan)
    row = book(session, _too_big(session, plan), now=done_at + timedelta(minutes=5))
    assert row.status == "booked"
    plan = newest(session)
    assert goods_stops(session, row.id) == []
    assert [r["reason"] for r in unserved_of(plan, row)] == [NOT_ON_A_RUN]
    assert passengers(plan) == before
    assert [a.kind for a in open_alerts(session, f"g{row.id}")] == ["unserved"]


def test_goods_left_without_a_run_are_placed_by_re_planning_the_rest_of_the_day(
    session: Session, plan: PlanRun
) -> None:
    """A walk-through found goods left out on a day under way could never get a vehicle
    from the controller's pages: "Planera om resten av dagen" placed only trips."""
    pickups = planned_pickups(plan)
    row = book(session, goods_along(session, pickups[len(pickups) // 2]))
    with transaction(session):  # left out, as goods booked when no run could take them
        store.drop_stops(newest(session), "consignment_id", row.id)
        row.status = "booked"
    _, _, done_at = _start_the_day(session, plan)
    with transaction(session):
        outcome = replan_rest(session, newest(session), now=done_at, actor=SYSTEM)
    assert outcome.saved
    assert sorted(s.kind for s in goods_stops(session, row.id)) == ["dropoff", "pickup"]
    assert row.status == "planned" and newest(session).change == "rest_of_day"
