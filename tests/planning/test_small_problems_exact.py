"""The native engine's plan of a small problem is the best plan there is, found by listing
every plan.

A problem of four or five requests and a few vehicles (planning_random, with every
feature the model has) has few enough plans to list them all: for each vehicle and each set of
requests, every order of their stops with each pickup before its drop-off, scheduled by
the core, gives the cheapest route of that set on that vehicle; the cheapest way to share
the sets among the vehicles within the vehicle limit follows set by set. The engine must
carry as many requests as any plan can, for no more than the cheapest plan carrying as
many costs, whichever requests that plan leaves out. Until 2026-12-06 it was held only to
the cheapest plan carrying the same requests, and the choice of which to leave out went
unchecked: the search weighed a left-out request by its cost alone, so it kept the one
cheapest alone out even where leaving out another made the routes much cheaper (seeds in
LEFT_OUT).

This is how three gaps were found (2026-12-05), each the named seed, which the build
before kept 2.8-45 % dearer through 2 000 iterations: a short route that runs for less on
an unused vehicle in another order (11539, 14850, 17687, 17822, 19104), two routes that
run for less as one in an order neither had (8808, 11043), and a route that runs for less
on two vehicles, cut where nobody is on board (16415) or with its requests shared out
anew (21171, of five requests).
"""

from __future__ import annotations

import math
import random

import pytest
from planning_days import placements, scheduled_cost
from planning_random import random_problem

from samfard.errors import InputError
from samfard.planning.engine import unservable_reason
from samfard.planning.model import Problem
from samfard.planning.native_engine import CoreModel, NativeEngine, NativeSettings, build
from samfard.planning.solve import plan

ENGINE = NativeEngine(NativeSettings(iterations=2000, clock="none"))
# (seed, at most this many requests, at most this many vehicles)
FOUND = (
    (8808, 4, 4),
    (11043, 4, 4),
    (11539, 4, 4),
    (14850, 4, 4),
    (16415, 4, 4),
    (17687, 4, 4),
    (17822, 4, 4),
    (19104, 4, 4),
    (21171, 5, 3),
)
# Seeds whose plan left out a request cheap to carry alone where leaving out another made
# the routes cheaper: 4-211 % dearer than the cheapest plan carrying as many (2026-12-06).
LEFT_OUT = (133, 384, 715, 965, 986)
TOLERANCE = 1e-6  # relative: the same plan costed twice


def _problem(seed: int, requests: int = 4, vehicles: int = 4) -> Problem | None:
    try:
        return random_problem(
            random.Random(seed * 7919 + 13),
            requests=(2, requests),
            vehicles=(1, vehicles),
            unlimited=0.7,
            limits=(1, 2, 3),
        )
    except InputError:
        return None


def _orders(requests: list[int]) -> list[list[int]]:
    """Every sequence of the requests' stops (core nodes) with each pickup before its
    drop-off: each request's two stops put in every way into each sequence of the ones
    before it."""
    orders: list[list[int]] = [[]]
    for r in requests:
        orders = [seq for before in orders for seq in placements(before, r)]
    return orders


def _cheapest_by_set(core: CoreModel, limit: int) -> dict[int, float]:
    """For each set of requests (a bit mask) that some plan carries, what the cheapest
    plan carrying exactly those costs."""
    n = len(core.requests)
    vehicles = len(core.problem.vehicles)
    route = [[math.inf] * (1 << n) for _ in range(vehicles)]
    for v in range(vehicles):
        for subset in range(1, 1 << n):
            for seq in _orders([i for i in range(n) if subset >> i & 1]):
                route[v][subset] = min(route[v][subset], scheduled_cost(core, v, seq))
    plans = {(0, 0): 0.0}  # (requests carried, vehicles used) -> least cost
    for v in range(vehicles):
        grown = dict(plans)
        for (carried, used), cost in plans.items():
            if used == limit:
                continue
            rest = (1 << n) - 1 & ~carried
            subset = rest
            while subset:
                if route[v][subset] < math.inf:
                    key = (carried | subset, used + 1)
                    grown[key] = min(grown.get(key, math.inf), cost + route[v][subset])
                subset = subset - 1 & rest
        plans = grown
    least: dict[int, float] = {}
    for (carried, _), cost in plans.items():
        least[carried] = min(least.get(carried, math.inf), cost)
    return least


def _gap(seed: int, requests: int = 4, vehicles: int = 4) -> str | None:
    """What the engine's plan misses against the best plans (None: nothing)."""
    prob = _problem(seed, requests, vehicles)
    if prob is None:
        return None
    plannable = [r for r in prob.requests if unservable_reason(prob, r) is None]
    if not plannable:
        return None
    core = build(prob, plannable)
    limit = len(prob.vehicles) if prob.max_vehicles is None else prob.max_vehicles
    least = _cheapest_by_set(core, min(limit, len(prob.vehicles)))
    result = plan(prob, time_limit_s=1.0, seed=seed % 7, solver=ENGINE)
    vehicle = {v.id: k for k, v in enumerate(prob.vehicles)}
    carried, cost = 0, 0.0
    for route in result.solution.routes:
        nodes = core.nodes_of(route)
        assert nodes is not None
        route_cost = scheduled_cost(core, vehicle[route.vehicle_id], nodes)
        assert route_cost < math.inf
        cost += route_cost
        carried |= sum(1 << (node // 2) for node in nodes if node % 2 == 0)
    most = max(bin(s).count("1") for s in least)
    if bin(carried).count("1") < most:
        return f"seed {seed}: carries {bin(carried).count('1')} requests where {most} fit"
    cheapest = min(c for s, c in least.items() if bin(s).count("1") == most)
    if cost > cheapest * (1 + TOLERANCE) + TOLERANCE:
        return f"seed {seed}: costs {cost:.4f} where {most} requests can cost {cheapest:.4f}"
    return None


@pytest.mark.parametrize(("seed", "requests", "vehicles"), FOUND)
def test_the_plans_once_missed_are_the_best_there_are(
    seed: int, requests: int, vehicles: int
) -> None:
    assert _problem(seed, requests, vehicles) is not None
    assert _gap(seed, requests, vehicles) is None


@pytest.mark.parametrize("seed", LEFT_OUT)
def test_a_short_fleet_leaves_out_what_makes_the_routes_cheapest(seed: int) -> None:
    assert _gap(seed) is None


def test_every_small_problem_gets_the_best_plan_there_is() -> None:
    gaps = [gap for seed in range(1000) if (gap := _gap(seed)) is not None]
    assert not gaps
