"""Each kind of event changes the plan: a delay moves down its run and marks every promise
it breaks; a no-show is charged where the rulebook says so; a cancellation frees room;
a new booking is inserted into a day under way without moving what happened.

The planned demo day is built once per database; each test runs in a savepoint of it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

import pytest
from dispatch_fixtures import DAY, plan_demo_day
from live_fixtures import CONTROLLER, DRIVER, busiest_run, drive_on_time, minutes, plan, report
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard import events
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import delays, live
from samfard.dispatch.live_models import ControllerAlert, NoShowCharge, StopDone
from samfard.dispatch.models import Stop

pytestmark = [pytest.mark.world_per_module, pytest.mark.usefixtures("planned_demo_day")]


@pytest.fixture(scope="module")
def planned_demo_day(module_session: Session) -> None:
    """The demo day loaded and planned, built once per database; each test runs in a
    savepoint of it."""
    plan_demo_day(module_session)
    module_session.commit()


def _notices(monkeypatch: pytest.MonkeyPatch) -> list[events.TravellerNotice]:
    """Collect the notices published during the test (a copy of the bus's handlers, so
    the collector leaves with the test)."""
    events._wire()  # dispatch subscribes first, into the real registry
    copy = defaultdict(list, {kind: list(hs) for kind, hs in events._handlers.items()})
    monkeypatch.setattr(events, "_handlers", copy)
    seen: list[events.TravellerNotice] = []
    events.subscribe(events.TravellerNotice, lambda session, event: seen.append(event))
    return seen


def test_a_delay_moves_down_the_run_and_marks_each_promise_it_breaks(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _notices(monkeypatch)
    run = busiest_run(session)
    first, *rest = list(run.stops)
    before = {s.id: s.planned_at for s in rest}
    late = first.planned_at + minutes(90)
    report(session, first, "arrived", late)
    session.expire_all()
    after = {s.id: s.planned_at for s in session.get(type(run), run.id).stops}  # type: ignore[union-attr]
    assert after[first.id] == late, "the reported stop takes the time it happened"
    assert after[rest[0].id] > before[rest[0].id], "the next stop is later"
    assert all(after[i] >= before[i] for i in before), "no stop becomes earlier"
    at_risk = {
        f"b{s.booking_id}.{s.leg_seq}"
        for s in session.get(type(run), run.id).stops  # type: ignore[union-attr]
        if s.kind == "pickup"
        and s.promised_until is not None
        and s.planned_at > s.promised_until
        and s.id != first.id
    }
    assert at_risk, "a 90-minute delay early in a full run breaks some promise"
    alerted = set(
        session.scalars(
            select(ControllerAlert.subject).where(ControllerAlert.kind == "promise_at_risk")
        )
    )
    assert at_risk <= alerted, "every promise at risk is alerted"
    told = {n.booking_id for n in seen if n.kind == "new_time"}
    assert {int(rid[1:].split(".")[0]) for rid in at_risk} <= told
    assert all("bilen" in n.text for n in seen)
    # Dispatch's record of what happened.
    done = session.scalars(select(StopDone)).one()
    assert (done.booking_id, done.kind, done.status, done.at) == (
        first.booking_id,
        "pickup",
        "arrived",
        late,
    )


def test_leaving_a_stop_tells_the_next_traveller_the_vehicle_is_on_its_way(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _notices(monkeypatch)
    run = busiest_run(session)
    stops = list(run.stops)
    nxt = next(i for i in range(1, len(stops)) if stops[i].kind == "pickup")
    report(
        session,
        stops[nxt - 1],
        "picked_up" if stops[nxt - 1].kind == "pickup" else "dropped_off",
        stops[nxt - 1].planned_at,
    )
    on_the_way = [n for n in seen if n.kind == "on_the_way"]
    assert [n.booking_id for n in on_the_way] == [stops[nxt].booking_id]


def test_a_no_show_is_charged_once_where_the_rulebook_has_a_fee(session: Session) -> None:
    run = busiest_run(session)
    pickup = next(s for s in run.stops if s.kind == "pickup")
    booking = session.get(Booking, pickup.booking_id)
    assert booking is not None
    with transaction(session):
        # A Sundsvall färdtjänst trip: its rulebook charges a no-show fee (bomkörning).
        booking.principal_code, booking.service = "2281", "fardtjanst"
        apply_transition(
            session, booking, BookingStatus.ASSIGNED, actor=CONTROLLER, now=pickup.planned_at,
            reason="run accepted",
        )  # fmt: skip
    report(session, pickup, "no_show", pickup.planned_at + minutes(5))
    with transaction(session):
        apply_transition(
            session, booking, BookingStatus.NO_SHOW, actor=DRIVER,
            now=pickup.planned_at + minutes(6), reason="kom inte",
        )  # fmt: skip
    charge = session.scalars(select(NoShowCharge)).one()
    assert (charge.booking_id, charge.leg_seq, charge.fee_ore) == (booking.id, pickup.leg_seq, 3800)
    assert "2281" in charge.rule_source
    assert not session.scalars(select(Stop).where(Stop.booking_id == booking.id)).all(), (
        "a no-show's stops leave the plan"
    )


def test_a_no_show_where_the_rulebook_has_no_fee_is_not_charged(session: Session) -> None:
    run = busiest_run(session)
    pickup = next(s for s in run.stops if s.kind == "pickup")
    booking = session.get(Booking, pickup.booking_id)
    assert booking is not None and booking.principal_code in ("22", "23")
    with transaction(session):
        apply_transition(
            session, booking, BookingStatus.ASSIGNED, actor=CONTROLLER, now=pickup.planned_at,
            reason="run accepted",
        )  # fmt: skip
        apply_transition(
            session, booking, BookingStatus.NO_SHOW, actor=DRIVER, now=pickup.planned_at,
            reason="kom inte",
        )  # fmt: skip
    assert session.scalars(select(NoShowCharge)).all() == []


def test_a_cancellation_under_way_frees_room_and_the_run_stays_valid(session: Session) -> None:
    run = busiest_run(session)
    drive_on_time(session, run, 1)
    later = [s for s in run.stops if s.kind == "pickup"][-1]
    booking = session.get(Booking, later.booking_id)
    assert booking is not None
    now = run.stops[0].planned_at + minutes(1)
    with transaction(session):
        apply_transition(
            session, booking, BookingStatus.CANCELLED, actor=CONTROLLER, now=now,
            reason="avbokad",
        )  # fmt: skip
    session.expire_all()
    assert not session.scalars(select(Stop).where(Stop.booking_id == booking.id)).all()
    result = delays.refresh_runs(
        session,
        plan(session),
        [r for r in plan(session).runs if r.id == run.id],
        now=now,
        actor=CONTROLLER,
    )
    assert result.errors == {}, "the verifier accepts the run without the cancelled trip"


def test_a_booking_made_during_the_day_is_inserted_without_moving_what_happened(
    session: Session,
) -> None:
    runs = sorted(plan(session).runs, key=lambda r: r.id)
    done = {run.id: drive_on_time(session, run, 2) for run in runs if len(run.stops) >= 4}
    fixed = {
        (s.booking_id, s.leg_seq, s.kind): s.planned_at
        for run in runs
        for s in run.stops
        if (s.booking_id, s.leg_seq, s.kind) in {k for keys in done.values() for k in keys}
    }
    known = set(session.scalars(select(Booking.id)))
    now = min(fixed.values()) + minutes(30)
    extra = generate_day(DAY, seed=9, trips=40)
    later = tuple(
        b
        for b in extra.bookings
        if not b.dialysis_weekdays
        and all((leg.pickup_at or leg.appointment_at or now) > now + minutes(90) for leg in b.legs)
    )
    keys = {b.traveller_key for b in later}
    travellers = tuple(t for t in extra.travellers if t.key in keys)
    load_day(session=session, demo=replace(extra, travellers=travellers, bookings=later), now=now)
    new = [
        b for b in session.scalars(select(Booking)) if b.id not in known and b.service_date == DAY
    ]
    scheduled = [b for b in new if b.status == BookingStatus.SCHEDULED.value]
    assert scheduled, "some bookings made during the day are placed live"
    for booking in scheduled:
        for leg in booking.legs:
            assert leg.promised_pickup_from is not None and leg.promised_pickup_from >= now
    session.expire_all()
    for run in plan(session).runs:
        keys = [(s.booking_id, s.leg_seq, s.kind) for s in run.stops]
        mine = done.get(run.id, [])
        assert keys[: len(mine)] == mine, "stops done stay first on their run, in order"
    after = {
        (s.booking_id, s.leg_seq, s.kind): s.planned_at
        for run in plan(session).runs
        for s in run.stops
    }
    assert {k: after[k] for k in fixed} == fixed, "what happened keeps its time"


def test_a_leg_left_out_before_does_not_keep_a_new_booking_off_the_runs(
    session: Session,
) -> None:
    """A walk-through (2026-12-06) booked trips and goods after the first stop report:
    none was placed, because a leg left out since the evening (its window passed) rode
    in a booking whose other leg was on a nearby run, and its failing again refused the
    whole insertion."""
    runs = sorted(plan(session).runs, key=lambda r: r.id)
    done = [key for run in runs if len(run.stops) >= 4 for key in drive_on_time(session, run, 2)]
    now = max(stop.planned_at for run in runs for stop in run.stops[:2]) + minutes(10)
    extra = generate_day(DAY, seed=9, trips=40)
    later = [
        b
        for b in extra.bookings
        if not b.dialysis_weekdays
        and all((leg.pickup_at or leg.appointment_at or now) > now + minutes(90) for leg in b.legs)
    ]
    assert later and done
    # A booking whose return rides on a run near the new trips' times; its outward leg is
    # taken off its run and moved to a time already past, so it cannot be placed again.
    first = min(leg.pickup_at or leg.appointment_at or now for b in later for leg in b.legs)
    near = [r for r in runs if any(abs(s.planned_at - first) <= minutes(90) for s in r.stops)]
    returns = [s for r in near for s in r.stops if s.leg_seq == 1 and s.booking_id is not None]
    assert returns, "the demo day has a return on a run near the new trips' times"
    booking = session.get(Booking, returns[0].booking_id)
    assert booking is not None
    stuck_leg = next(leg for leg in booking.legs if leg.seq == 0)
    with transaction(session):
        for run in plan(session).runs:
            for stop in [s for s in run.stops if s.leg_id == stuck_leg.id]:
                run.stops.remove(stop)
                session.delete(stop)
        stuck_leg.promised_pickup_from = stuck_leg.promised_pickup_until = None
        if stuck_leg.requested_pickup_at is not None:
            stuck_leg.requested_pickup_at = now - minutes(180)
        else:
            stuck_leg.appointment_at = now - minutes(150)
    known = set(session.scalars(select(Booking.id)))
    keys = {b.traveller_key for b in later}
    travellers = tuple(t for t in extra.travellers if t.key in keys)
    load_day(
        session=session, demo=replace(extra, travellers=travellers, bookings=tuple(later)), now=now
    )
    new = [
        b for b in session.scalars(select(Booking)) if b.id not in known and b.service_date == DAY
    ]
    placed = [b for b in new if b.status == BookingStatus.SCHEDULED.value]
    assert placed, "bookings made during the day are placed beside a leg left out"
    assert not session.scalars(select(Stop).where(Stop.leg_id == stuck_leg.id)).first()


def test_a_trip_that_gets_no_vehicle_when_booked_is_alerted(session: Session) -> None:
    """The desk tells the caller that the traffic controller places a trip that did not
    fit; the controller must hear of it, not only find it on the day page's list."""
    runs = sorted(plan(session).runs, key=lambda r: r.id)
    drive_on_time(session, runs[0], 1)  # the day is under way
    booking = session.get(Booking, next(s.booking_id for s in runs[-1].stops if s.booking_id))
    assert booking is not None
    now = max(s.planned_at for r in runs for s in r.stops)
    with transaction(session):
        for run in plan(session).runs:
            for stop in [s for s in run.stops if s.booking_id == booking.id]:
                run.stops.remove(stop)
                session.delete(stop)
        for leg in booking.legs:  # its times passed: no run can take it any more
            leg.promised_pickup_from = leg.promised_pickup_until = None
        apply_transition(
            session, booking, BookingStatus.APPROVED, actor=CONTROLLER, now=now, reason="av körning"
        )
    with transaction(session):
        assert not live.insert_booking(session, booking, actor=CONTROLLER, now=now)
    [alert] = session.scalars(
        select(ControllerAlert).where(ControllerAlert.booking_id == booking.id)
    ).all()
    assert alert.kind == "unserved" and booking.reference in alert.message
    assert "fick inget fordon" in alert.message
