"""A traveller's legs are planned one after another: the return is never picked up before
the outbound leg has set the traveller down, and a return asked for before the outbound
can arrive is refused with a reason instead of planned with the traveller in two places."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from dispatch_fixtures import DAY, load_demo
from sqlalchemy.orm import Session
from test_problem_builder import BRUNFLO, OSTERSUND, SUNDSVALL, vehicle
from test_problem_builder import leg as booked_leg

from helpers import fixed_solver
from samfard.dispatch import store
from samfard.dispatch.day_view import reason_sv
from samfard.dispatch.leg_order import EARLIER_LEG_LATE, asked_time
from samfard.dispatch.planning_inputs import LegInput, seconds_of
from samfard.dispatch.problem_builder import build_problem
from samfard.dispatch.service import day_problem
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.planning.model import Request
from samfard.planning.solve import plan
from samfard.timeutil import local

FAR = {"tolerance": {"pickup_before_min": 15, "pickup_after_min": 15, "max_extra_ride_min": 90}}


def leg(seq: int, origin: Point, destination: Point, pickup: time, **changes: object) -> LegInput:
    """Traveller 7's leg `seq` of booking 1, beyond the home municipality (90 min extra)."""
    given: dict[str, object] = {
        "leg_id": 10 + seq,
        "leg_seq": seq,
        "origin": origin,
        "destination": destination,
        "requested_pickup_at": local(DAY, pickup),
        "same_municipality": False,
        "decision": FAR,
        "traveller_id": 7,
    }
    return booked_leg(**(given | changes))


def planned(legs: list[LegInput]) -> tuple[dict[str, Request], dict[str, str]]:
    day = build_problem(DAY, legs, [vehicle()], GeodesicProvider())
    return {r.id: r for r in day.problem.requests}, dict(day.rejected)


def test_a_return_asked_while_the_outbound_may_still_ride_waits_for_its_drop_off() -> None:
    # Sundsvall to Östersund is over two hours; with 90 min of extra ride the outbound may
    # arrive after 13:45, when the return's window opens.
    alone, _ = planned([leg(0, SUNDSVALL, OSTERSUND, time(10))])
    assert alone["b1.0"].dropoff_window.latest > seconds_of(DAY, local(DAY, time(13, 45)))
    requests, refused = planned(
        [leg(0, SUNDSVALL, OSTERSUND, time(10)), leg(1, OSTERSUND, SUNDSVALL, time(14))]
    )
    assert refused == {}
    out, back = requests["b1.0"], requests["b1.1"]
    assert out.dropoff_window.latest + out.dropoff_service <= back.pickup_window.earliest
    assert out.dropoff_window.earliest == alone["b1.0"].dropoff_window.earliest
    assert back.pickup_window.earliest == seconds_of(DAY, local(DAY, time(13, 45)))
    assert back.pickup_window.latest == seconds_of(DAY, local(DAY, time(14, 15)))


def test_a_return_asked_before_the_outbound_can_arrive_is_refused_with_the_reason() -> None:
    requests, refused = planned(
        [leg(0, SUNDSVALL, OSTERSUND, time(10)), leg(1, OSTERSUND, SUNDSVALL, time(11))]
    )
    assert set(requests) == {"b1.0"}
    assert EARLIER_LEG_LATE in refused["b1.1"] and "b1.0" in refused["b1.1"]
    assert "11:15" in refused["b1.1"]  # the return's window closes then
    assert reason_sv(refused["b1.1"]).startswith("Resenären hinner inte fram")


def test_legs_of_two_bookings_are_ordered_by_traveller_and_not_across_travellers() -> None:
    morning = leg(0, BRUNFLO, OSTERSUND, time(9), booking_id=1)
    later = leg(0, OSTERSUND, BRUNFLO, time(9, 20), booking_id=2, leg_id=20)
    same, _ = planned([later, morning])
    assert (
        same["b1.0"].dropoff_window.latest + same["b1.0"].dropoff_service
        <= same["b2.0"].pickup_window.earliest
    )
    others, _ = planned([morning, replace(later, traveller_id=8)])
    alone, _ = planned([morning])
    assert others["b1.0"].dropoff_window == alone["b1.0"].dropoff_window


def test_a_promised_return_that_a_split_would_break_is_left_as_planned_before() -> None:
    promised = leg(
        1,
        OSTERSUND,
        SUNDSVALL,
        time(14),
        promised_from=local(DAY, time(13, 30)),
        promised_until=local(DAY, time(13, 40)),
    )
    # Leaving at 10:30 at the earliest, the outbound cannot arrive before 13:40.
    requests, refused = planned([leg(0, SUNDSVALL, OSTERSUND, time(10, 45)), promised])
    alone, _ = planned([leg(0, SUNDSVALL, OSTERSUND, time(10, 45))])
    assert alone["b1.0"].dropoff_window.earliest > seconds_of(DAY, local(DAY, time(13, 40)))
    assert refused == {}
    assert requests["b1.0"].dropoff_window == alone["b1.0"].dropoff_window
    assert requests["b1.1"].promised_pickup is not None


def test_on_a_planned_demo_day_no_traveller_is_picked_up_before_the_earlier_drop_off(
    session: Session,
) -> None:
    load_demo(session, trips=60, scale=0.2)
    day = day_problem(session, DAY, store.provider_for(None))
    solution = plan(day.problem, time_limit_s=60, seed=1, solver=fixed_solver()).solution
    times = {
        (stop.request_id, stop.kind.value): stop.time
        for route in solution.routes
        for stop in route.stops
        if stop.request_id is not None
    }
    by_traveller: dict[int | None, list[LegInput]] = {}
    for each in day.legs.values():
        by_traveller.setdefault(each.traveller_id, []).append(each)
    assert None not in by_traveller
    pairs = 0
    for legs in by_traveller.values():
        legs.sort(key=asked_time)
        for first, then in zip(legs, legs[1:], strict=False):
            dropped = times.get((first.request_id, "dropoff"))
            picked = times.get((then.request_id, "pickup"))
            if dropped is not None and picked is not None:
                pairs += 1
                assert dropped <= picked, (first.request_id, then.request_id)
    assert pairs >= 10
