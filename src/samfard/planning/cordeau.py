"""Cordeau (2006) dial-a-ride instances in and out.

The standard benchmark lets the planner be measured against proven optima. The header's
request count is not trusted (some files disagree with their own node lines): n is half the
number of nodes between the two depots. Files in the older layout (header `K 2n T Q L`, nodes
0..2n without the end-depot line) get the end depot as a copy of node 0. Travel time and
cost are the unrounded Euclidean distance, so one location per node keeps the node ids
visible in the output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from samfard.errors import InputError
from samfard.planning.model import (
    Objective,
    Problem,
    Request,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    Vehicle,
    Window,
    matrix,
)

DIMENSIONS = ("persons",)


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    x: float
    y: float
    service: float
    load: int
    earliest: float
    latest: float


def _count(token: str, what: str) -> int:
    """A count or a load: an integer as written ("2", "-1"), never "2.7" or "2.0"."""
    try:
        return int(token)
    except ValueError:
        raise ValueError(f"{what} must be an integer, got {token}") from None


def _number(token: str, what: str, *, nonnegative: bool = False) -> float:
    try:
        value = float(token)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {token}") from None
    if not math.isfinite(value) or (nonnegative and value < 0):
        kind = "a finite number >= 0" if nonnegative else "a finite number"
        raise ValueError(f"{what} must be {kind}, got {token}")
    return value


def _node(fields: list[str], line: int) -> Node:
    where = f"node line {line}"
    if len(fields) < 7:
        raise ValueError(
            f"{where} needs 7 values (id x y service load earliest latest), got {' '.join(fields)}"
        )
    node_id = _count(fields[0], f"{where}: the id")
    x, y, earliest, latest = (
        _number(fields[i], f"{where} (node {node_id}): {name}")
        for i, name in ((1, "x"), (2, "y"), (5, "earliest"), (6, "latest"))
    )
    service = _number(fields[3], f"{where} (node {node_id}): service", nonnegative=True)
    load = _count(fields[4], f"{where} (node {node_id}): the load")
    return Node(node_id, x, y, service, load, earliest, latest)


def _header(fields: list[str]) -> tuple[int, float, int, float]:
    """K, T, Q and L of the header `K n T Q L` (n is not read: the node lines count)."""
    k = _count(fields[0], "K (vehicles, the header's first value)")
    t_max = _number(fields[2], "T (route duration, the header's third value)", nonnegative=True)
    q = _count(fields[3], "Q (capacity, the header's fourth value)")
    ride = _number(fields[4], "L (ride time, the header's fifth value)", nonnegative=True)
    if k < 0:
        raise ValueError(f"K (vehicles, the header's first value) must be >= 0, got {k}")
    return k, t_max, q, ride


def _role(index: int, n: int) -> str:
    if index == 0:
        return "the start depot"
    if index == 2 * n + 1:
        return "the end depot"
    return (
        f"the pickup of request {index}" if index <= n else f"the drop-off of request {index - n}"
    )


def parse(text: str, *, name: str = "instance") -> Problem:
    """Read the Cordeau text format into a Problem with one location per node. Counts (K,
    Q, ids, loads) must be integers and every other value a finite number: an error names
    the line, the node and the value."""
    lines = [line.split() for line in text.removeprefix("\ufeff").splitlines() if line.strip()]
    if not lines or len(lines[0]) < 5:
        raise InputError(f"{name}: first line must be 'K n T Q L'", field="header")
    try:
        k, t_max, q, ride = _header(lines[0])
    except ValueError as error:
        raise InputError(f"{name}: header: {error}", field="header") from error
    try:
        nodes = [_node(p, line) for line, p in enumerate(lines[1:], start=2)]
    except ValueError as error:
        raise InputError(f"{name}: {error}", field="node") from error
    if len(nodes) >= 3 and len(nodes) % 2 == 1 and nodes[-1].id == len(nodes) - 1:
        # The older layout (header `K 2n T Q L`) lists nodes 0..2n and no end depot: the
        # vehicles return to node 0, so the end depot is a copy of it with id 2n+1.
        depot = nodes[0]
        nodes.append(
            Node(len(nodes), depot.x, depot.y, depot.service, 0, depot.earliest, depot.latest)
        )
    if len(nodes) < 4 or len(nodes) % 2 != 0:
        raise InputError(
            f"{name}: expected 2n+2 node lines (depot, pickups, drop-offs, depot), "
            f"got {len(nodes)}",
            field="node",
        )
    n = (len(nodes) - 2) // 2
    for index, node in enumerate(nodes):
        if node.id != index:
            raise InputError(f"{name}: node line {index + 2} has id {node.id}", field="node")
        if node.latest < node.earliest:
            raise InputError(
                f"{name}: node {index} ({_role(index, n)}): time window ends at "
                f"{node.latest:g}, before it starts at {node.earliest:g}",
                field="node",
            )
    x = np.array([node.x for node in nodes])
    y = np.array([node.y for node in nodes])
    dist = matrix(np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]), name="distance")
    start, end = nodes[0], nodes[-1]
    shift = Window(start.earliest, end.latest)
    vehicles = tuple(
        Vehicle(
            id=str(v),
            capacity=(q,),
            shift=shift,
            start_depot=0,
            end_depot=2 * n + 1,
            max_duration=t_max,
        )
        for v in range(k)
    )
    requests = tuple(
        Request(
            id=str(i),
            pickup=i,
            dropoff=n + i,
            pickup_window=Window(nodes[i].earliest, nodes[i].latest),
            dropoff_window=Window(nodes[n + i].earliest, nodes[n + i].latest),
            pickup_service=nodes[i].service,
            dropoff_service=nodes[n + i].service,
            load=(nodes[i].load,),
            max_ride=ride,
        )
        for i in range(1, n + 1)
    )
    return Problem(
        requests=requests,
        vehicles=vehicles,
        time=dist,
        distance=dist,
        dimensions=DIMENSIONS,
        objective=Objective(distance=1.0, time=0.0, fixed=0.0),
        max_vehicles=k,
    )


def read(path: Path) -> Problem:
    return parse(path.read_text(encoding="utf-8-sig"), name=path.name)


def solution_to_json(solution: Solution) -> dict[str, Any]:
    """The benchmark's solution JSON: node ids are location indices, depots included."""
    return {
        "cost": solution.cost,
        "routes": [
            {
                "vehicle": int(route.vehicle_id),
                "stops": [{"node": s.location, "time": s.time} for s in route.stops],
            }
            for route in solution.routes
        ],
        "unserved": [int(u.request_id) for u in solution.unserved],
    }


def _json_int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"solution JSON: {what} must be an integer, got {value!r}", field="node")
    return value


def _json_list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(f"solution JSON: {what} must be a list, got {value!r}", field="routes")
    return value


def _json_number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"solution JSON: {what} must be a number, got {value!r}", field="time")
    return float(value)


def solution_from_json(problem: Problem, data: dict[str, Any]) -> Solution:
    """Read the benchmark's solution JSON back, naming the node kinds from the problem."""
    n = len(problem.requests)
    try:
        routes = []
        for route in _json_list(data["routes"], "routes"):
            stops = []
            for stop in _json_list(route["stops"], "a route's stops"):
                node = _json_int(stop["node"], "a stop's node")
                t = _json_number(stop["time"], f"the time at node {node}")
                if node == 0:
                    stops.append(Stop(StopKind.START, 0, t))
                elif node == 2 * n + 1:
                    stops.append(Stop(StopKind.END, node, t))
                elif 1 <= node <= n:
                    stops.append(Stop(StopKind.PICKUP, node, t, str(node)))
                elif n < node <= 2 * n:
                    stops.append(Stop(StopKind.DROPOFF, node, t, str(node - n)))
                else:
                    raise InputError(f"node {node} is not in the instance", field="node")
            routes.append(
                Route(str(_json_int(route["vehicle"], "a route's vehicle")), tuple(stops))
            )
        unserved = tuple(
            Unserved(str(_json_int(r, "an unserved request")), "reported unserved")
            for r in _json_list(data.get("unserved", []), "unserved")
        )
        return Solution(tuple(routes), unserved, _json_number(data["cost"], "cost"))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise InputError(
            f"solution JSON: missing or bad value ({error!r})", field="routes"
        ) from error
