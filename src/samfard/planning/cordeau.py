"""Cordeau (2006) dial-a-ride instances in and out.

The standard benchmark lets the planner be measured against proven optima. The header's
request count is not trusted (some files disagree with their own node lines): n is half the
number of nodes between the two depots. Files in the older layout (header `K 2n T Q L`, nodes
0..2n without the end-depot line) get the end depot as a copy of node 0. Travel time and
cost are the unrounded Euclidean distance, so one location per node keeps the node ids
visible in the output.
"""

from __future__ import annotations

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


def _node(fields: list[str]) -> Node:
    if len(fields) < 7:
        raise ValueError(f"node line needs 7 values, got {' '.join(fields)}")
    x, y, service, earliest, latest = (float(fields[i]) for i in (1, 2, 3, 5, 6))
    return Node(int(fields[0]), x, y, service, int(float(fields[4])), earliest, latest)


def parse(text: str, *, name: str = "instance") -> Problem:
    """Read the Cordeau text format into a Problem with one location per node."""
    lines = [line.split() for line in text.splitlines() if line.strip()]
    if not lines or len(lines[0]) < 5:
        raise InputError(f"{name}: first line must be 'K n T Q L'", field="header")
    try:
        k, _n, t_max, q, ride = (float(x) for x in lines[0][:5])
        nodes = [_node(p) for p in lines[1:]]
    except (ValueError, TypeError, IndexError) as error:
        raise InputError(f"{name}: malformed line ({error})", field="node") from error
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
            raise InputError(f"{name}: node line {index + 1} has id {node.id}", field="node")
    x = np.array([node.x for node in nodes])
    y = np.array([node.y for node in nodes])
    dist = matrix(np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]), name="distance")
    start, end = nodes[0], nodes[-1]
    shift = Window(start.earliest, end.latest)
    vehicles = tuple(
        Vehicle(
            id=str(v),
            capacity=(int(q),),
            shift=shift,
            start_depot=0,
            end_depot=2 * n + 1,
            max_duration=t_max,
        )
        for v in range(int(k))
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
        max_vehicles=int(k),
    )


def read(path: Path) -> Problem:
    return parse(path.read_text(), name=path.name)


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


def solution_from_json(problem: Problem, data: dict[str, Any]) -> Solution:
    """Read the benchmark's solution JSON back, naming the node kinds from the problem."""
    n = len(problem.requests)
    try:
        routes = []
        for route in data["routes"]:
            stops = []
            for stop in route["stops"]:
                node, t = int(stop["node"]), float(stop["time"])
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
            routes.append(Route(str(route["vehicle"]), tuple(stops)))
        unserved = tuple(
            Unserved(str(int(r)), "reported unserved") for r in data.get("unserved", [])
        )
        return Solution(tuple(routes), unserved, float(data["cost"]))
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(
            f"solution JSON: missing or bad value ({error!r})", field="routes"
        ) from error
