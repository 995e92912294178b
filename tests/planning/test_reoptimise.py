"""Day-ahead re-optimisation keeps every promise and never makes the day worse."""

from __future__ import annotations

import dataclasses

import pytest
from planning_fixtures import engine, problem, request, vehicle

from samfard.planning.model import Problem, Solution, StopKind, Unserved, Window
from samfard.planning.reoptimise import reoptimise
from samfard.planning.solve import PlanRejected, plan


def day() -> Problem:
    return problem(
        [
            request("r1", 1, 4, earliest=0.0, latest=7200.0),
            request("r2", 2, 5, earliest=600.0, latest=9000.0),
            request("r3", 6, 3, earliest=3000.0, latest=12_000.0),
            request("r4", 7, 1, earliest=0.0, latest=20_000.0),
        ],
        [vehicle("v1"), vehicle("v2", depot=9)],
    )


def with_promises(prob: Problem, current: Solution, slack: float = 300.0) -> Problem:
    """Promise each served traveller a window of +-slack around today's planned pickup."""
    picked = {
        s.request_id: s.time
        for route in current.routes
        for s in route.stops
        if s.kind is StopKind.PICKUP
    }
    requests = tuple(
        dataclasses.replace(
            r,
            promised_pickup=Window(
                max(r.pickup_window.earliest, picked[r.id] - slack),
                min(r.pickup_window.latest, picked[r.id] + slack),
            ),
        )
        for r in prob.requests
    )
    return dataclasses.replace(prob, requests=requests)


class Fixed:
    """A stand-in engine that returns a given plan, to test what is accepted."""

    def __init__(self, solution: Solution) -> None:
        self.solution = solution

    def solve(
        self, problem: Problem, *, time_limit_s: float, seed: int, initial: Solution | None = None
    ) -> Solution:
        return self.solution


def test_reoptimised_day_keeps_every_promise() -> None:
    current = plan(day(), time_limit_s=10.0, solver=engine()).solution
    promised = with_promises(day(), current)
    result = reoptimise(promised, current, time_limit_s=10.0, solver=engine())
    assert result.report.ok
    assert result.solution.served_ids() == {"r1", "r2", "r3", "r4"}
    for route in result.solution.routes:
        for stop in route.stops:
            if stop.kind is StopKind.PICKUP:
                window = promised.request(stop.request_id or "").promised_pickup
                assert window is not None and window.contains(stop.time, 1e-6)
    assert result.solution.cost <= current.cost + 1e-6


def test_plan_dropping_a_promised_traveller_is_not_taken() -> None:
    current = plan(day(), time_limit_s=10.0, solver=engine()).solution
    promised = with_promises(day(), current)
    nothing = Solution((), tuple(Unserved(r.id, "dropped") for r in promised.requests), 0.0)
    result = reoptimise(promised, current, time_limit_s=1.0, solver=Fixed(nothing))
    assert result.solution == current


def test_plan_breaking_a_promise_is_never_published() -> None:
    """An engine returning today's plan after r1 was promised another time is refused."""
    prob = day()
    current = plan(prob, time_limit_s=10.0, solver=engine()).solution
    picked = next(s.time for route in current.routes for s in route.stops if s.request_id == "r1")
    window = prob.requests[0].pickup_window
    other = window.latest if picked < window.latest - 1 else window.earliest
    moved = dataclasses.replace(prob.requests[0], promised_pickup=Window(other, other))
    broken = dataclasses.replace(prob, requests=(moved, *prob.requests[1:]))
    with pytest.raises(PlanRejected, match="promise"):
        plan(broken, time_limit_s=1.0, solver=Fixed(current))
