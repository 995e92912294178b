"""Sjukresor budget extra ride time and waiting together ("extra ride time plus waiting
<= 90 min, <= 45 min for dialysis"): the planning windows a decision with
`tolerance.waiting_included` gets, and a planned day that keeps every such traveller
within the budget. Färdtjänst and decisions stored before the flag keep separate
allowances: ride time by the limit, waiting by the pickup window and arrival slack."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import pytest
from dispatch_fixtures import PLAN_NOW, load_demo
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_problem_builder import DAY, leg, vehicle

from helpers import plan_fixed
from samfard.dispatch import service, store
from samfard.dispatch.models import Stop
from samfard.dispatch.planning_inputs import DayProblem, seconds_of
from samfard.dispatch.problem_builder import build_problem
from samfard.geo.traveltime import GeodesicProvider
from samfard.planning.model import Request, Route, StopKind
from samfard.planning.model import Stop as PlanStop
from samfard.planning.verifier import verify_route
from samfard.timeutil import local

MIN = 60.0
SJUKRESA = {"pickup_before_min": 15, "pickup_after_min": 15, "max_extra_ride_min": 90}
WAITING = {"tolerance": SJUKRESA | {"waiting_included": True}}
RIDE_ONLY = {"tolerance": SJUKRESA | {"waiting_included": False}}
STORED_BEFORE = {"tolerance": SJUKRESA}  # a decision stored before the field existed
APPOINTMENT = local(DAY, time(10, 0))
ASKED = local(DAY, time(9, 0))


def planned(decision: dict[str, Any], **changes: object) -> tuple[DayProblem, Request, float]:
    """The day of one Brunflo-Östersund leg under `decision`, its request, the direct time."""
    day = build_problem(DAY, [leg(decision=decision, **changes)], [vehicle()], GeodesicProvider())
    request = day.problem.requests[0]
    return day, request, day.problem.time[request.pickup][request.dropoff]


def appointment(decision: dict[str, Any], **changes: object) -> tuple[Request, float]:
    _, request, direct = planned(
        decision, requested_pickup_at=None, appointment_at=APPOINTMENT, **changes
    )
    return request, direct


def windows(r: Request) -> tuple[float, float, float, float]:
    return (
        r.pickup_window.earliest,
        r.pickup_window.latest,
        r.dropoff_window.earliest,
        r.dropoff_window.latest,
    )


def pickup_at_promise_end(day: DayProblem) -> tuple[object, ...]:
    """Violations of a route that picks up at the end of the promise and rides direct,
    waiting on board only if the drop-off window has not opened."""
    problem = day.problem
    r, v = problem.requests[0], problem.vehicles[0]
    pick = r.effective_pickup_window.latest
    drop = max(
        pick + r.pickup_service + problem.time[r.pickup][r.dropoff], r.dropoff_window.earliest
    )
    stops = (
        PlanStop(StopKind.START, v.start_depot, pick - problem.time[v.start_depot][r.pickup]),
        PlanStop(StopKind.PICKUP, r.pickup, pick, r.id),
        PlanStop(StopKind.DROPOFF, r.dropoff, drop, r.id),
        PlanStop(
            StopKind.END,
            v.end_depot,
            drop + r.dropoff_service + problem.time[r.dropoff][v.end_depot],
        ),
    )
    return verify_route(problem, v, Route(v.id, stops), {r.id: r})


def test_appointment_leg_with_waiting_opens_pickup_the_budget_before_a_direct_ride() -> None:
    """Arriving early is waiting: picked up at the earliest and driven direct, the traveller
    waits 90 min at the clinic; any detour shortens that wait by as much. The arrival slack
    stays the drop-off window's own limit, the ride limit direct + 90."""
    r, direct = appointment(WAITING)
    s = r.pickup_service
    latest_drop = seconds_of(DAY, APPOINTMENT) - s
    assert windows(r) == pytest.approx(
        (
            latest_drop - s - direct - 90 * MIN,
            latest_drop - s - direct,
            latest_drop - 30 * MIN,
            latest_drop,
        )
    )
    assert r.max_ride == direct + 90 * MIN


@pytest.mark.parametrize("decision", [RIDE_ONLY, STORED_BEFORE], ids=["false", "stored before"])
def test_appointment_leg_without_waiting_allows_slack_and_extra_ride_apart(
    decision: dict[str, Any],
) -> None:
    """30 min early at the clinic and 90 min extra ride, 120 min in all: färdtjänst's
    reading, and the one a decision stored before the flag was planned under."""
    r, direct = appointment(decision)
    s = r.pickup_service
    latest_drop = seconds_of(DAY, APPOINTMENT) - s
    assert windows(r) == pytest.approx(
        (
            latest_drop - 30 * MIN - s - direct - 90 * MIN,
            latest_drop - s - direct,
            latest_drop - 30 * MIN,
            latest_drop,
        )
    )
    assert r.max_ride == direct + 90 * MIN


def test_pickup_leg_with_waiting_is_dropped_off_by_the_budget_after_the_asked_time() -> None:
    """A pickup 15 min late leaves 75 min for the detour; an early pickup is no wait, so
    it still has the whole ride limit."""
    _, r, direct = planned(WAITING)
    s = r.pickup_service
    t = seconds_of(DAY, ASKED)
    assert windows(r) == pytest.approx(
        (t - 15 * MIN, t + 15 * MIN, t - 15 * MIN + s + direct, t + s + direct + 90 * MIN)
    )
    assert r.max_ride == direct + 90 * MIN


@pytest.mark.parametrize("decision", [RIDE_ONLY, STORED_BEFORE], ids=["false", "stored before"])
def test_pickup_leg_without_waiting_adds_the_late_pickup_to_the_extra_ride(
    decision: dict[str, Any],
) -> None:
    _, r, direct = planned(decision)
    s = r.pickup_service
    t = seconds_of(DAY, ASKED)
    assert windows(r) == pytest.approx(
        (
            t - 15 * MIN,
            t + 15 * MIN,
            t - 15 * MIN + s + direct,
            t + 15 * MIN + s + direct + 90 * MIN,
        )
    )


def test_a_pickup_later_than_the_budget_is_not_offered() -> None:
    """30 min late pickup against a 20 min budget: the window ends at the budget, so no
    promise is cut from minutes the drop-off could not honour."""
    decision = {
        "tolerance": {
            "pickup_before_min": 15,
            "pickup_after_min": 30,
            "max_extra_ride_min": 20,
            "waiting_included": True,
        }
    }
    _, r, direct = planned(decision)
    t = seconds_of(DAY, ASKED)
    assert r.pickup_window.latest == t + 20 * MIN
    assert r.dropoff_window.latest == pytest.approx(t + r.pickup_service + direct + 20 * MIN)


def test_a_promise_inside_the_windows_changes_neither_window() -> None:
    promise = (local(DAY, time(8, 50)), local(DAY, time(9, 5)))
    r, _ = appointment(WAITING)
    kept, _ = appointment(WAITING, promised_from=promise[0], promised_until=promise[1])
    assert windows(kept) == windows(r)
    assert kept.effective_pickup_window.earliest == seconds_of(DAY, promise[0])


def test_a_later_promise_stands_and_its_end_can_be_driven_direct() -> None:
    """Promised 09:10-09:25 before the budget shrank to 20 min: the drop-off window stays
    open for a pickup at 09:25 and the direct ride."""
    decision = {"tolerance": {**WAITING["tolerance"], "max_extra_ride_min": 20}}
    promise = (local(DAY, time(9, 10)), local(DAY, time(9, 25)))
    day, r, direct = planned(decision, promised_from=promise[0], promised_until=promise[1])
    end = seconds_of(DAY, promise[1])
    t = seconds_of(DAY, ASKED)
    assert (r.pickup_window.earliest, r.pickup_window.latest) == (t - 15 * MIN, end)
    assert r.dropoff_window.latest == pytest.approx(end + r.pickup_service + direct)
    assert pickup_at_promise_end(day) == ()


def test_an_earlier_promise_stands_within_the_ride_limit() -> None:
    """Promised 06:30-06:45 for a 10:00 appointment (under older windows): the pickup window
    reaches back to it, and the drop-off window opens in time for a pickup at 06:45 to
    ride no longer than the limit."""
    promise = (local(DAY, time(6, 30)), local(DAY, time(6, 45)))
    day, r, direct = planned(
        WAITING,
        requested_pickup_at=None,
        appointment_at=APPOINTMENT,
        promised_from=promise[0],
        promised_until=promise[1],
    )
    end = seconds_of(DAY, promise[1])
    assert r.pickup_window.earliest == seconds_of(DAY, promise[0])
    assert r.dropoff_window.earliest == pytest.approx(end + r.pickup_service + direct + 90 * MIN)
    assert r.dropoff_window.latest == seconds_of(DAY, APPOINTMENT) - r.dropoff_service
    assert pickup_at_promise_end(day) == ()


def _lost_minutes(day: DayProblem, rid: str, pickup: datetime, dropoff: datetime) -> float:
    """Extra ride time plus waiting, from the plan's times: waiting at the clinic before
    the appointment, or for a pickup after the asked time."""
    leg_input = day.legs[rid]
    r = day.problem.request(rid)
    picked, dropped = day.seconds(pickup), day.seconds(dropoff)
    extra = dropped - (picked + r.pickup_service) - day.problem.time[r.pickup][r.dropoff]
    if leg_input.appointment_at is not None:
        waited = day.seconds(leg_input.appointment_at) - (dropped + r.dropoff_service)
    else:
        assert leg_input.requested_pickup_at is not None
        waited = max(0.0, picked - day.seconds(leg_input.requested_pickup_at))
    return (extra + waited) / MIN


def test_a_planned_day_costs_no_sjukresa_traveller_more_than_the_budget(session: Session) -> None:
    """80 demo trips on a fifth of the demo fleet, planned as the system plans: every
    sjukresa leg whose decision includes waiting loses at most its budget (90 min, 45 for
    dialysis) to detours and waiting together. With the allowances apart the same day lost
    120 min on one appointment leg (30 early plus 90 of detour)."""
    load_demo(session, trips=80)
    plan_fixed(session, DAY, now=PLAN_NOW, seed=1)
    day = service.day_problem(session, DAY, store.provider_for(None))
    stops = {(s.booking_id, s.leg_seq, s.kind): s for s in session.scalars(select(Stop))}
    checked = {"appointment": 0, "pickup": 0}
    for rid, leg_input in day.legs.items():
        tolerance = (leg_input.decision or {}).get("tolerance") or {}
        pickup = stops.get((leg_input.booking_id, leg_input.leg_seq, "pickup"))
        if not tolerance.get("waiting_included") or pickup is None:
            continue
        dropoff = stops[(leg_input.booking_id, leg_input.leg_seq, "dropoff")]
        lost = _lost_minutes(day, rid, pickup.planned_at, dropoff.planned_at)
        assert lost <= tolerance["max_extra_ride_min"] + 1e-3, (rid, lost)
        checked["appointment" if leg_input.appointment_at else "pickup"] += 1
    assert all(checked.values()), checked
