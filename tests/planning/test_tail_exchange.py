"""The native engine's plans admit no cheaper tail exchange (2-opt* where both vehicles are empty).

Day-long instances shaped like Cordeau & Laporte's 2003 set (24 h, routes of at most 8 h,
ride limit 90, one window of 15 minutes per request; `planning_days`) are small enough that
every request's neighbour list holds every other request, so the engine tries every pair of
routes. Every plan the search returns has been through the descent, so trying by brute force
every cut of every pair of routes at the points where nobody is on board, scheduled by the
core, must find no exchange that is feasible and cheaper. With the search stopped after a
few iterations the plans are far from good, which is where such exchanges abound.
"""

from __future__ import annotations

import pytest
from planning_days import core_routes, day_instance, scheduled_cost
from planning_fixtures import native

from samfard.planning.native_engine import CoreModel, build
from samfard.planning.solve import plan


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
    cost = {v: scheduled_cost(core, v, nodes) for v, nodes in routes.items()}
    used = sorted(routes)
    for a_pos, a in enumerate(used):
        for b in used[a_pos + 1 :]:
            ra, rb = routes[a], routes[b]
            for i in _empty_cuts(ra):
                for j in _empty_cuts(rb):
                    na, nb = ra[:i] + rb[j:], rb[:j] + ra[i:]
                    new = scheduled_cost(core, a, na) + scheduled_cost(core, b, nb)
                    if new < cost[a] + cost[b] - 1e-6:
                        found.append((a, i, b, j, cost[a] + cost[b] - new))
    return found


@pytest.mark.parametrize("seed", range(1, 13))
@pytest.mark.parametrize("iterations", [0, 20])
def test_no_cheaper_tail_exchange_is_left(seed: int, iterations: int) -> None:
    prob = day_instance(seed)
    result = plan(prob, time_limit_s=600.0, seed=seed, solver=native(iterations))
    assert result.report.ok
    core = build(prob, prob.requests)
    assert _cheaper_exchanges(core, core_routes(prob, result.solution)) == []
