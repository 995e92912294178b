"""The forecast of a run from the drivers' reports (pure): a report from a stop far down the
run, with the stops before it never reported, sent the forecast back to the first stop
("Hämtad 22:24" for a pickup the driver had just reported Framme at 17:41)."""

from __future__ import annotations

from samfard.dispatch.forecast import forecast_route
from samfard.planning.model import (
    Problem,
    Request,
    Route,
    Stop,
    StopKind,
    Vehicle,
    Window,
    matrix,
)

MINUTE = 60.0
DAY = 86_400.0


def _problem() -> Problem:
    """Five places on a road, ten minutes apart; two trips picked up and set down in turn."""
    time = matrix([[600.0 * abs(i - j) for j in range(5)] for i in range(5)])
    requests = tuple(
        Request(id=rid, pickup=p, dropoff=d, pickup_window=Window(0, DAY),
                dropoff_window=Window(0, DAY))
        for rid, p, d in (("a", 1, 2), ("b", 3, 4))
    )  # fmt: skip
    vehicle = Vehicle(id="v", capacity=(3, 0, 0), start_depot=0, end_depot=0,
                      shift=Window(0, DAY))  # fmt: skip
    return Problem(requests=requests, vehicles=(vehicle,), time=time, distance=time)


def _route() -> Route:
    """Planned from 09:00: a at 09:10, set down 09:20; b at 09:30, set down 09:40."""
    at = 9 * 3600.0
    return Route(
        "v",
        (
            Stop(StopKind.START, 0, at),
            Stop(StopKind.PICKUP, 1, at + 10 * MINUTE, "a"),
            Stop(StopKind.DROPOFF, 2, at + 20 * MINUTE, "a"),
            Stop(StopKind.PICKUP, 3, at + 30 * MINUTE, "b"),
            Stop(StopKind.DROPOFF, 4, at + 40 * MINUTE, "b"),
            Stop(StopKind.END, 0, at + 80 * MINUTE),
        ),
    )


def test_a_report_far_down_the_run_passes_the_stops_nobody_reported() -> None:
    late = 17 * 3600.0 + 41 * MINUTE
    forecast = forecast_route(_problem(), _route(), {("b", "pickup"): late}, now=late)
    times = {(s.request_id, s.kind): s.time for s in forecast.stops}
    assert times[("b", StopKind.PICKUP)] == late, "the vehicle is where it said it is"
    assert times[("a", StopKind.PICKUP)] < late and times[("a", StopKind.DROPOFF)] < late
    assert times[("b", StopKind.DROPOFF)] == late + 10 * MINUTE


def test_without_reports_the_stops_ahead_are_no_earlier_than_now() -> None:
    now = 9 * 3600.0 + 15 * MINUTE
    forecast = forecast_route(_problem(), _route(), {}, now=now)
    assert [s.time for s in forecast.stops[1:3]] == [now, now + 10 * MINUTE]


def test_stops_planned_long_ago_and_never_reported_are_taken_as_passed() -> None:
    """A driver who reports nothing: at 17:40 the morning's stops are not all forecast for
    17:40 (and a re-plan did not find 286 such trips without a vehicle)."""
    evening = 17 * 3600.0 + 40 * MINUTE
    forecast = forecast_route(_problem(), _route(), {}, now=evening)
    planned = {(s.request_id, s.kind): s.time for s in _route().stops}
    for stop in forecast.stops[1:-1]:
        assert stop.time == planned[(stop.request_id, stop.kind)], stop
