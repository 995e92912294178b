"""The native engine's plans admit no cheaper pair relocate or pair exchange, between
routes or within one.

A request is a pair of stops. Relocate moves one request to another route; exchange swaps
two requests of two routes. Within a route, relocate puts a request back where it is
cheapest in the rest, and a swap has two requests trade places (the pickup of each where
the other's was, the drop-off too). The search takes every new best plan down to a local
optimum of all four (pairs.hpp, reorder.hpp), so the plan it returns must hold no such
move that is feasible and cheaper. Here every move is tried by brute force on day-long
instances (`planning_days`) whose neighbour lists hold every request: each request into
every position pair of every other used route (and of its own), each pair of requests of
a route traded, scheduled by the core one candidate at a time. With the search stopped
after a few iterations the plans are far from good, which is where such moves abound.
"""

from __future__ import annotations

import pytest
from planning_days import core_routes, day_instance, placements, scheduled_cost
from planning_fixtures import native

from samfard.planning.native_engine import CoreModel, build
from samfard.planning.solve import plan

GAIN = 1e-5  # a move must save more than rounding


def _cheapest_with(core: CoreModel, vehicle: int, nodes: list[int], request: int) -> float:
    return min(scheduled_cost(core, vehicle, seq) for seq in placements(nodes, request))


def _without(nodes: list[int], request: int) -> list[int]:
    return [n for n in nodes if n // 2 != request]


def _cheaper_moves(
    core: CoreModel, routes: dict[int, list[int]]
) -> list[tuple[str, int, int, float]]:
    """Every relocate (request, to vehicle) and exchange (request, request) that is feasible
    and lowers the plan's cost, with its saving."""
    cost = {v: scheduled_cost(core, v, nodes) for v, nodes in routes.items()}
    where = {n // 2: v for v, nodes in routes.items() for n in nodes}
    found = []
    for a, va in sorted(where.items()):
        rest_a = _without(routes[va], a)
        left = scheduled_cost(core, va, rest_a)
        for vb in sorted(routes):
            if vb == va:
                continue
            saving = cost[va] + cost[vb] - left - _cheapest_with(core, vb, routes[vb], a)
            if saving > GAIN:
                found.append(("relocate", a, vb, saving))
        for b, vb in sorted(where.items()):
            if b <= a or vb == va:
                continue
            rest_b = _without(routes[vb], b)
            new = _cheapest_with(core, va, rest_a, b) + _cheapest_with(core, vb, rest_b, a)
            if cost[va] + cost[vb] - new > GAIN:
                found.append(("exchange", a, b, cost[va] + cost[vb] - new))
    return found


def _cheaper_moves_within(
    core: CoreModel, routes: dict[int, list[int]]
) -> list[tuple[str, int, int, float]]:
    """Every relocate of a request within its route and swap of two requests of a route
    that is feasible and lowers the route's cost, with its saving."""
    found = []
    for v, nodes in sorted(routes.items()):
        cost = scheduled_cost(core, v, nodes)
        requests = sorted({n // 2 for n in nodes})
        for a in requests:
            saving = cost - _cheapest_with(core, v, _without(nodes, a), a)
            if saving > GAIN:
                found.append(("relocate within", a, v, saving))
        for a in requests:
            for b in requests:
                if b <= a:
                    continue
                trade = {2 * a: 2 * b, 2 * a + 1: 2 * b + 1, 2 * b: 2 * a, 2 * b + 1: 2 * a + 1}
                traded = [trade.get(n, n) for n in nodes]
                saving = cost - scheduled_cost(core, v, traded)
                if saving > GAIN:
                    found.append(("swap", a, b, saving))
    return found


@pytest.mark.parametrize("seed", range(1, 7))
@pytest.mark.parametrize("iterations", [0, 20])
def test_no_cheaper_pair_move_is_left(seed: int, iterations: int) -> None:
    prob = day_instance(seed, requests=16, vehicles=4)
    result = plan(prob, time_limit_s=600.0, seed=seed, solver=native(iterations))
    assert result.report.ok
    core = build(prob, prob.requests)
    routes = core_routes(prob, result.solution)
    assert len(routes) >= 2, "a plan on one vehicle would test nothing"
    assert _cheaper_moves(core, routes) == []
    assert _cheaper_moves_within(core, routes) == []
