"""Planning a day at a moment inside it: a first plan made late starts no vehicle and
promises no pickup before that moment, and leaves out, with its own reason, each trip whose
pickup window has closed; a day with runs under way is not planned again as a whole (the
rest of it is re-planned from what has happened), and a day that is over is not planned.

Each test loads the demo day into its own savepoint: the first plan is the one tested."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from dispatch_fixtures import DAY, load_demo
from live_fixtures import report
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard.booking.models import Leg
from samfard.dispatch import store
from samfard.dispatch.models import Stop
from samfard.dispatch.unplanned_reasons import PICKUP_WINDOW_PASSED, reason_sv
from samfard.errors import Conflict
from samfard.timeutil import local

NOON = local(DAY, time(12, 0))


def test_a_first_plan_made_at_noon_promises_no_time_gone_by(session: Session) -> None:
    load_demo(session)
    outcome = plan_fixed(session, DAY, now=NOON, seed=1)
    stops = list(session.scalars(select(Stop)))
    assert stops, "the afternoon's trips should be planned"
    assert min(s.planned_at for s in stops) >= NOON
    plan = store.latest_plan(session, DAY)
    assert plan is not None and min(r.start_at for r in plan.runs) >= NOON
    promised = session.scalars(select(Leg).where(Leg.promised_pickup_from.is_not(None)))
    assert all(leg.promised_pickup_from >= NOON for leg in promised)  # type: ignore[operator]
    passed = [row for row in outcome.unserved if row["reason"] == PICKUP_WINDOW_PASSED]
    assert passed, "the morning's trips should be left out"
    legs = {(leg.booking_id, leg.seq): leg for leg in session.scalars(select(Leg))}
    for row in passed:
        leg = legs[(row["booking_id"], row["leg_seq"])]
        latest = leg.promised_pickup_until or leg.requested_pickup_at or leg.appointment_at
        assert latest is not None and latest < NOON + timedelta(hours=1)
    assert "hade redan passerat" in reason_sv(PICKUP_WINDOW_PASSED)


def test_a_day_with_a_run_started_is_not_planned_again_as_a_whole(session: Session) -> None:
    load_demo(session)
    plan_fixed(session, DAY, now=local(DAY - timedelta(days=1), time(18, 0)), seed=1)
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    started = min(r.start_at for r in plan.runs) + timedelta(minutes=1)
    with pytest.raises(Conflict, match="under way") as refused:
        plan_fixed(session, DAY, now=started, seed=2)
    assert "Planera om resten av dagen" in (refused.value.detail_sv or "")
    assert store.latest_plan(session, DAY).version == 1  # type: ignore[union-attr]


def test_a_stop_reported_puts_the_day_under_way(session: Session) -> None:
    load_demo(session)
    evening = local(DAY - timedelta(days=1), time(18, 0))
    plan_fixed(session, DAY, now=evening, seed=1)
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    # The driver reports the first stop early, before any run is due to start.
    first = min((r.stops[0] for r in plan.runs), key=lambda s: s.planned_at)
    report(session, first, "arrived", evening + timedelta(hours=1))
    with pytest.raises(Conflict, match="under way"):
        plan_fixed(session, DAY, now=evening + timedelta(hours=2), seed=2)


def test_a_day_that_is_over_is_not_planned(session: Session) -> None:
    load_demo(session)
    with pytest.raises(Conflict, match="before it is over"):
        plan_fixed(session, DAY, now=local(DAY + timedelta(days=1), time(6, 0)), seed=1)
    assert store.latest_plan(session, DAY) is None


def test_a_plan_made_between_two_minutes_promises_whole_minutes(session: Session) -> None:
    """A plan's promises are told in minutes and stored so, as a live insertion's are: a
    first plan made at 12:00:30 promised "from 12:00:30" to every leg whose window had
    begun, and none of them starts before 12:00 or ends before it starts."""
    load_demo(session)
    half_past = NOON + timedelta(seconds=30)
    plan_fixed(session, DAY, now=half_past, seed=1)
    promised = list(session.scalars(select(Leg).where(Leg.promised_pickup_from.is_not(None))))
    assert promised, "the afternoon's trips should be promised"
    starts = [leg.promised_pickup_from for leg in promised]
    assert NOON in starts, "a leg whose window had begun is promised from the plan's minute"
    for leg in promised:
        start, end = leg.promised_pickup_from, leg.promised_pickup_until
        assert start is not None and end is not None
        assert start >= NOON and end > start
        assert start.second == end.second == 0 and start.microsecond == end.microsecond == 0
