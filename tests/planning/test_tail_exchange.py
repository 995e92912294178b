"""The native engine's plans admit no cheaper tail exchange (2-opt* where both vehicles are empty).

Day-long instances shaped like Cordeau & Laporte's 2003 set (24 h, routes of at most 8 h,
ride limit 90, one window of 15 minutes per request) are generated here, small enough that
every request's neighbour list holds every other request, so the engine tries every pair of
routes. Every plan the search returns has been through the descent, so trying by brute force
every cut of every pair of routes at the points where nobody is on board, scheduled by the
core, must find no exchange that is feasible and cheaper. With the search stopped after a
few iterations the plans are far from good, which is where such exchanges abound.
"""

from __future__ import annotations

import math
import random

import pytest
from planning_fixtures import native

from samfard.planning import cordeau
from samfard.planning.model import Problem, Solution, StopKind
from samfard.planning.native_engine import CoreModel, build
from samfard.planning.solve import plan


def _day_instance(seed: int, requests: int = 24, vehicles: int = 4) -> Problem:
    """A Cordeau-format day: half the requests with a pickup window (outbound), half with a
    drop-off window (return), spread over the day; the other window is the whole day."""
    rng = random.Random(seed)
    points = [(rng.uniform(-10, 10), rng.uniform(-10, 10)) for _ in range(2 * requests)]
    lines = [f"{vehicles} {2 * requests} 480 6 90", "0 0.0 0.0 0 0 0 1440"]
    windows: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for k in range(requests):
        start = rng.uniform(60, 1300)
        direct = math.dist(points[k], points[requests + k])
        if k % 2 == 0:
            windows.append(((start, start + 15), (0.0, 1440.0)))
        else:
            windows.append(((0.0, 1440.0), (start + direct, start + direct + 15)))
    for k in range(requests):
        (x, y), ((opens, closes), _) = points[k], windows[k]
        lines.append(f"{k + 1} {x:.3f} {y:.3f} 3 1 {opens:.0f} {closes:.0f}")
    for k in range(requests):
        (x, y), (_, (opens, closes)) = points[requests + k], windows[k]
        lines.append(f"{requests + k + 1} {x:.3f} {y:.3f} 3 -1 {opens:.0f} {closes:.0f}")
    lines.append(f"{2 * requests + 1} 0.0 0.0 0 0 0 1440")
    return cordeau.parse("\n".join(lines), name=f"day-{seed}")


def _routes(prob: Problem, solution: Solution) -> dict[int, list[int]]:
    """Each used vehicle's index and its stops as core nodes (2 x request, + 1 at drop-off)."""
    index = {r.id: k for k, r in enumerate(prob.requests)}
    vehicle = {v.id: k for k, v in enumerate(prob.vehicles)}
    out = {}
    for route in solution.routes:
        nodes = [
            2 * index[s.request_id] + (s.kind is StopKind.DROPOFF)
            for s in route.stops
            if s.request_id is not None
        ]
        if nodes:
            out[vehicle[route.vehicle_id]] = nodes
    return out


def _empty_cuts(nodes: list[int]) -> list[int]:
    """How many stops a head may keep: the points after which nobody is on board."""
    cuts, aboard = [0], 0
    for p, node in enumerate(nodes, start=1):
        aboard += -1 if node % 2 else 1
        if aboard == 0:
            cuts.append(p)
    return cuts


def _cheaper_exchanges(
    core: CoreModel, routes: dict[int, list[int]]
) -> list[tuple[int, int, int, int, float]]:
    """Every feasible tail exchange that lowers the plan's cost, scheduled by the core:
    (vehicle a, cut in a, vehicle b, cut in b, saving)."""
    found = []
    cost = {v: core.model.evaluate(v, nodes)[1] for v, nodes in routes.items()}
    used = sorted(routes)
    for a_pos, a in enumerate(used):
        for b in used[a_pos + 1 :]:
            ra, rb = routes[a], routes[b]
            for i in _empty_cuts(ra):
                for j in _empty_cuts(rb):
                    na, nb = ra[:i] + rb[j:], rb[:j] + ra[i:]
                    new = 0.0
                    for v, nodes in ((a, na), (b, nb)):
                        if not nodes:
                            continue
                        feasible, c, *_ = core.model.evaluate(v, nodes)
                        new = new + c if feasible else math.inf
                    if new < cost[a] + cost[b] - 1e-6:
                        found.append((a, i, b, j, cost[a] + cost[b] - new))
    return found


@pytest.mark.parametrize("seed", range(1, 13))
@pytest.mark.parametrize("iterations", [0, 20])
def test_no_cheaper_tail_exchange_is_left(seed: int, iterations: int) -> None:
    prob = _day_instance(seed)
    result = plan(prob, time_limit_s=600.0, seed=seed, solver=native(iterations))
    assert result.report.ok
    core = build(prob, prob.requests)
    assert _cheaper_exchanges(core, _routes(prob, result.solution)) == []
