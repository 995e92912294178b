"""A promised pickup window is never narrower than the tolerance or the leg's window, and
never reads "mellan 15:42 och 15:42".

A booking at the desk read back "Bilen kommer mellan 15:42 och 15:42": the promise stored
was 24 seconds long. Live insertion promised what the route could do around the planned
time (`planning.insertion`'s window cut to the pickup's earliest and latest time in that
route), which on a tight run is nothing. A promise is now the planned time +- the tolerance
(15 minutes, docs/dispatch.md "Defaults") inside the leg's pickup window, wherever it is
made (`store.promise_window`: the evening plan, live insertion, a move, a re-plan), with
whole minutes at its ends and at least one minute between them.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

import pytest
from dispatch_fixtures import DAY, plan_demo_day
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_problem_builder import leg as problem_leg
from test_problem_builder import vehicle as problem_vehicle

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import store
from samfard.dispatch.live_state import runs_problem
from samfard.dispatch.models import PlanRun
from samfard.dispatch.problem_builder import build_problem
from samfard.geo.traveltime import GeodesicProvider
from samfard.planning.model import Window
from samfard.timeutil import STOCKHOLM, local

MIN = 60.0
TOLERANCE = 15 * MIN
T = 15 * 3600.0 + 42 * MIN  # 15:42


def _clock(seconds: float) -> str:
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}"


@pytest.mark.parametrize(
    ("window", "planned", "promised"),
    [
        # The walk-through's: a window 24 seconds long, planned at its end.
        (Window(T + 30, T + 54), T + 54, Window(T, T + MIN)),
        # A window of no width on a whole minute.
        (Window(T, T), T, Window(T, T + MIN)),
        # The default: +- 15 minutes, cut by the window, rounded outwards.
        (Window(T - 30 * MIN, T + 30 * MIN), T + 20, Window(T - TOLERANCE, T + TOLERANCE + MIN)),
        (Window(T - 15 * MIN, T + 15 * MIN), T + 14 * MIN + 36, Window(T - MIN, T + TOLERANCE)),
    ],
)
def test_a_promise_is_whole_minutes_and_at_least_one(
    window: Window, planned: float, promised: Window
) -> None:
    said = store.promise_window(window, planned, TOLERANCE)
    assert said == promised
    assert _clock(said.earliest) != _clock(said.latest), "never 'mellan 15:42 och 15:42'"


def test_a_promise_is_never_narrower_than_the_tolerance_or_the_window() -> None:
    draw = random.Random(7)
    for _ in range(2000):
        start = draw.uniform(6 * 3600, 20 * 3600)
        window = Window(start, start + draw.choice([0.0, 24.0, 200.0, 1800.0, 5400.0]))
        planned = draw.uniform(window.earliest, window.latest)
        said = store.promise_window(window, planned, TOLERANCE)
        assert said.earliest <= planned <= said.latest
        assert said.earliest % MIN == 0 and said.latest % MIN == 0
        assert said.latest - said.earliest >= max(
            MIN, min(TOLERANCE, window.latest - window.earliest)
        )
        assert window.earliest - MIN < said.earliest and said.latest < window.latest + MIN


def test_trips_booked_after_planning_are_promised_whole_minutes_never_too_narrow(
    session: Session,
) -> None:
    """Live insertion into the evening's plan: each new leg's promise holds its planned
    pickup, is whole minutes, and is as wide as the tolerance or the leg's window allows."""
    plan_demo_day(session)
    known = set(session.scalars(select(Booking.id)))
    load_day(session=session, demo=generate_day(DAY, seed=9, trips=24))
    new = [
        b
        for b in session.scalars(select(Booking))
        if b.id not in known and b.service_date == DAY and b.status == BookingStatus.SCHEDULED.value
    ]
    assert new
    plan_run = session.scalars(select(PlanRun)).one()
    day = runs_problem(session, plan_run, plan_run.runs, store.read_fleet(session))
    checked = 0
    for booking in new:
        for leg in booking.legs:
            assert leg.promised_pickup_from is not None and leg.promised_pickup_until is not None
            start = leg.promised_pickup_from.astimezone(STOCKHOLM)
            end = leg.promised_pickup_until.astimezone(STOCKHOLM)
            assert start.second == end.second == 0 and start.microsecond == end.microsecond == 0
            window = day.problem.request(f"b{booking.id}.{leg.seq}").pickup_window
            wide = min(
                timedelta(seconds=TOLERANCE), timedelta(seconds=window.latest - window.earliest)
            )
            assert end - start >= max(wide, timedelta(minutes=1)), (booking.reference, start, end)
            checked += 1
    assert checked > 0
    assert session.scalars(select(Leg).where(Leg.promised_pickup_from.is_not(None))).first()


def test_a_promise_made_now_starts_no_earlier_than_now() -> None:
    """A re-plan's new window, told by SMS, began before the message was sent: the pickup
    planned five minutes ahead was promised from ten minutes ago."""
    leg = problem_leg(requested_pickup_at=local(DAY, time(10, 0)))
    day = build_problem(DAY, [leg], [problem_vehicle()], GeodesicProvider())
    request = day.problem.requests[0]
    now = local(DAY, time(10, 0, 40))
    planned = day.seconds(now) + 5 * 60
    start, end = store.promise_at(day, request, planned, 15 * 60, now=now)
    assert start == local(DAY, time(10, 0)) and end >= day.at(planned)
    # Made the evening before, the same placement is promised its whole tolerance.
    evening = local(DAY - timedelta(days=1), time(18, 0))
    early, _ = store.promise_at(day, request, planned, 15 * 60, now=evening)
    assert early < start
