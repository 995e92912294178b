"""Day-long planning instances shaped like Cordeau & Laporte's 2003 set, plans as the
core's node lists, and a route's cost as the core schedules it: what the brute-force tests
of the descents (tail exchange, pair moves) and of insertion share.

The instances are 24 h days with routes of at most 8 h, a ride limit of 90 and one window of
15 minutes per request, small enough that every request's granular neighbour list holds
every other request, so the engine's descents try every pair of routes.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from samfard.planning import cordeau
from samfard.planning.model import Problem, Solution, StopKind
from samfard.planning.native_engine import CoreModel


def day_instance(seed: int, requests: int = 24, vehicles: int = 4) -> Problem:
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


def core_routes(prob: Problem, solution: Solution) -> dict[int, list[int]]:
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


def scheduled_cost(core: CoreModel, vehicle: int, nodes: list[int]) -> float:
    """The route's cost as the core schedules it on `vehicle`: 0 when it has no stops,
    infinite when it cannot be scheduled."""
    if not nodes:
        return 0.0
    feasible, cost, *_ = core.model.evaluate(vehicle, nodes)
    return cost if feasible else math.inf


def placements(nodes: list[int], request: int) -> Iterator[list[int]]:
    """Every way to put the request's pickup and then its drop-off into `nodes`."""
    for i in range(len(nodes) + 1):
        for j in range(i, len(nodes) + 1):
            yield [*nodes[:i], 2 * request, *nodes[i:j], 2 * request + 1, *nodes[j:]]
