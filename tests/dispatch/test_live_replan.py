"""Re-planning the rest of a running day: stops done and each vehicle's next stop stay as
they were, riders on board stay on their vehicle, every promise still keepable is kept,
and the whole new plan passes the verifier.

The planned demo day is built once per database (`planned`); each test re-plans in a
savepoint of it, so its reports and re-plan are gone before the next test."""

from __future__ import annotations

import pytest
from live_fixtures import CONTROLLER, drive_on_time, minutes, plan, report
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.models import Leg
from samfard.changes import Change
from samfard.db import transaction
from samfard.dispatch import handoff, live_service
from samfard.dispatch.live_models import ControllerAlert
from samfard.dispatch.replan_live import _riding, replan_rest
from samfard.planning.model import Problem, Request, Vehicle, Window, matrix

pytestmark = pytest.mark.world_per_module


def _keys(run) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    return [(s.booking_id, s.leg_seq, s.kind) for s in run.stops]


def test_replanning_never_moves_what_happened_and_keeps_promises(
    session: Session, planned: None
) -> None:
    runs = sorted(plan(session).runs, key=lambda r: r.id)
    busy = [r for r in runs if len(r.stops) >= 6][:3]
    assert busy
    done = {r.vehicle_id: drive_on_time(session, r, 3) for r in busy}
    # The third stop of the first run is reported 40 minutes late: promises behind it break.
    first = busy[0]
    late_stop = list(first.stops)[3]
    now = late_stop.planned_at + minutes(40)
    report(session, late_stop, "arrived", now)
    done[first.vehicle_id].append((late_stop.booking_id, late_stop.leg_seq, late_stop.kind))
    before = {r.vehicle_id: _keys(r) for r in plan(session).runs}
    started = {r.vehicle_id for r in plan(session).runs if r.start_at <= now}
    times = {
        (s.booking_id, s.leg_seq, s.kind): s.planned_at
        for r in plan(session).runs
        for s in r.stops
        if (s.booking_id, s.leg_seq, s.kind) in {k for ks in done.values() for k in ks}
    }
    promises = {
        leg.id: (leg.promised_pickup_from, leg.promised_pickup_until)
        for leg in session.scalars(select(Leg).where(Leg.promised_pickup_from.is_not(None)))
    }
    with transaction(session):
        outcome = replan_rest(session, plan(session), now=now, actor=CONTROLLER)
    assert outcome.saved
    session.expire_all()
    assert (plan(session).change, plan(session).changed_at) == ("rest_of_day", now)
    # Each window the re-plan promises (told by SMS) starts no earlier than it is made.
    made = [
        leg
        for leg in session.scalars(select(Leg).where(Leg.promised_pickup_from.is_not(None)))
        if (leg.promised_pickup_from, leg.promised_pickup_until) != promises.get(leg.id)
    ]
    assert made, "the late stop breaks promises, which get new windows"
    assert all(leg.promised_pickup_from >= now.replace(second=0) for leg in made)  # type: ignore[operator]
    after = {r.vehicle_id: _keys(r) for r in plan(session).runs}
    heading = set()  # each vehicle on the road keeps the stop it drives to
    for vehicle_id, keys in done.items():
        fixed = keys + [before[vehicle_id][len(keys)]]
        assert after[vehicle_id][: len(fixed)] == fixed, "what happened and the next stop stay"
    all_done = {k for ks in done.values() for k in ks}
    for vehicle_id, keys in before.items():
        ahead = [k for k in keys if k not in all_done]
        if ahead and (vehicle_id in done or vehicle_id in started):
            heading.add(ahead[0])
    for r in plan(session).runs:
        for s in r.stops:
            key = (s.booking_id, s.leg_seq, s.kind)
            if key in times:
                assert s.planned_at == times[key], "stops done keep their times"
    riders = {(b, seq) for keys in done.values() for (b, seq, kind) in keys if kind == "pickup"} - {
        (b, seq) for keys in done.values() for (b, seq, kind) in keys if kind == "dropoff"
    }
    for r in plan(session).runs:
        for s in r.stops:
            if (s.booking_id, s.leg_seq) in riders and s.kind == "dropoff":
                pickup_vehicle = next(
                    v for v, ks in done.items() if (s.booking_id, s.leg_seq, "pickup") in ks
                )
                assert r.vehicle_id == pickup_vehicle, "a rider on board stays on board"
    broken = set(outcome.broken)
    for leg in session.scalars(select(Leg).where(Leg.id.in_(list(promises)))):
        rid = f"b{leg.booking_id}.{leg.seq}"
        if rid not in broken:
            assert (leg.promised_pickup_from, leg.promised_pickup_until) == promises[leg.id]
    # A promise the re-plan cannot keep is alerted and given a new time.
    alerted = set(
        session.scalars(
            select(ControllerAlert.subject).where(ControllerAlert.kind == "promise_broken")
        )
    )
    assert broken <= alerted
    # Kept promises really are kept by the new plan.
    for r in plan(session).runs:
        for s in r.stops:
            rid = f"b{s.booking_id}.{s.leg_seq}"
            key = (s.booking_id, s.leg_seq, s.kind)
            free = key not in times and key not in heading and rid not in broken
            if s.kind == "pickup" and free and s.promised_until is not None:
                assert s.planned_at <= s.promised_until + minutes(0.02), rid


def test_the_controller_replans_through_the_use_case(session: Session, planned: None) -> None:
    run = max(plan(session).runs, key=lambda r: len(r.stops))
    drive_on_time(session, run, 2)
    now = list(run.stops)[1].planned_at + minutes(1)
    day = plan(session).service_date
    outcome = live_service.replan_now(session=session, day=day, actor=CONTROLLER, now=now)
    assert outcome.saved and outcome.fixed_stops >= 2
    # The day's pages and the driver pages are told: they showed the old stops until
    # reloaded.
    announced = session.scalars(
        select(Change.kind).where(Change.topic == f"plan:{day.isoformat()}", Change.at == now)
    ).all()
    assert announced == ["rest_of_day"]


def _rider(max_ride: float | None) -> tuple[Problem, Request]:
    """A trip from location 0 to 2 (direct 20 minutes); location 1 lies on the way."""
    minutes_between = [[0, 10, 20], [10, 0, 10], [20, 10, 0]]
    time = matrix([[60.0 * m for m in row] for row in minutes_between])
    request = Request(
        "b1.1", 0, 2, Window(0, 3600), Window(0, 4 * 3600), 60.0, 60.0, (1, 0, 0), max_ride
    )
    vehicle = Vehicle("1", (4, 0, 0), Window(0, 86400), 0, 0)
    return Problem((request,), (vehicle,), time, time), request


def test_a_rider_picked_up_in_the_fixed_part_keeps_what_is_left_of_the_ride_limit() -> None:
    """A vehicle's next stop is fixed; when it is a pickup, the rest of the run must not
    make that rider's whole ride longer than the limit (a stored plan was once saved with
    a ride 8 minutes over it, because the rider counted as having no limit)."""
    problem, request = _rider(max_ride=1800.0)
    # Boarded at 600 (pickup service over), the vehicle moves on at 900 from location 1.
    riding = _riding(request, 1, 900.0, 600.0, problem)
    assert riding.max_ride == 1500.0, "30 min limit less the 5 min already ridden"
    # A ride already over its limit may still go straight to the drop-off (10 minutes).
    late = _riding(request, 1, 3000.0, 600.0, problem)
    assert late.max_ride == 600.0
    unlimited = _riding(_rider(max_ride=None)[1], 1, 900.0, 600.0, problem)
    assert unlimited.max_ride is None


def test_nothing_is_planned_again_before_the_time_of_the_re_plan(
    session: Session, planned: None
) -> None:
    """A carrier declined a morning run in the evening; the controller's re-plan then put
    its morning trips on a vehicle whose run had not begun, hours before the re-plan was
    made: that vehicle kept its whole shift from the morning (walk-through of the seventh
    session of 2026-12-06). A stop the re-plan places, on another vehicle or at another
    time, is never before the re-plan; what it leaves as it was keeps its times."""
    runs = sorted(plan(session).runs, key=lambda r: r.start_at)
    now = max(r.start_at for r in runs[: len(runs) // 2]) + minutes(30)
    offers = handoff.offer_day(
        session=session, day=plan(session).service_date, actor=CONTROLLER, now=now
    )
    morning = {r.id for r in runs if r.start_at < now - minutes(60)}
    offer = next(o for o in offers if o.state == "offered" and o.run_id in morning)
    carrier = Actor(user_id=None, username="utforare", role=Role.CARRIER_DISPATCHER,
                    principal_codes=frozenset(), carrier_id=offer.carrier_id)  # fmt: skip
    handoff.answer_offer(session=session, offer_id=offer.id, accept=False,
                         reason="Bilen är trasig", actor=carrier, now=now)  # fmt: skip
    session.expire_all()
    before = {
        (s.booking_id, s.leg_seq, s.kind): (r.vehicle_id, s.planned_at)
        for r in plan(session).runs
        for s in r.stops
    }
    later = now + minutes(1)
    with transaction(session):
        outcome = replan_rest(session, plan(session), now=later, actor=CONTROLLER)
    assert outcome.saved
    session.expire_all()
    placed_early = [
        (r.vehicle_id, s.booking_id, s.leg_seq, s.kind, s.planned_at)
        for r in plan(session).runs
        for s in r.stops
        if s.booking_id is not None
        and before.get((s.booking_id, s.leg_seq, s.kind)) != (r.vehicle_id, s.planned_at)
        and s.planned_at < later - minutes(0.5)
    ]
    assert placed_early == []
