"""Builders for small hand-made planning problems (a uniquely named module, importable).

Places sit on a straight road: location k is 10 km from location k-1 and the car needs
10 minutes for it, so every time and distance can be checked by hand. Times are seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from samfard.planning import cordeau
from samfard.planning.model import Problem, Request, Vehicle, Window, matrix
from samfard.planning.native_engine import NativeEngine, NativeSettings
from samfard.planning.ortools_engine import OrToolsEngine, OrToolsSettings

DATA = Path(__file__).parent / "data"
LEG = 600.0  # seconds between neighbouring places
KM = 10_000.0  # metres between neighbouring places
DAY = 86_400.0
PLACES = 10
TAXI = (3, 0, 0)


def a2_16() -> Problem:
    return cordeau.read(DATA / "a2-16.txt")


def request(
    rid: str,
    pickup: int,
    dropoff: int,
    *,
    earliest: float = 0.0,
    latest: float = DAY,
    **fields: Any,
) -> Request:
    return Request(
        id=rid,
        pickup=pickup,
        dropoff=dropoff,
        pickup_window=Window(earliest, latest),
        dropoff_window=Window(earliest, DAY),
        **fields,
    )


def vehicle(
    vid: str, *, depot: int = 0, capacity: tuple[int, ...] = TAXI, **fields: Any
) -> Vehicle:
    fields.setdefault("shift", Window(0.0, DAY))
    fields.setdefault("cost_per_distance", 0.01)
    return Vehicle(id=vid, capacity=capacity, start_depot=depot, end_depot=depot, **fields)


def road(places: int = PLACES, *, leg: float = LEG, km: float = KM) -> tuple[Any, Any]:
    time = matrix([[leg * abs(i - j) for j in range(places)] for i in range(places)])
    dist = matrix([[km * abs(i - j) for j in range(places)] for i in range(places)])
    return time, dist


def problem(requests: list[Request], vehicles: list[Vehicle], **fields: Any) -> Problem:
    time, dist = road()
    return Problem(
        requests=tuple(requests), vehicles=tuple(vehicles), time=time, distance=dist, **fields
    )


def engine(solutions: int = 200) -> OrToolsEngine:
    """A reproducible engine: the solution count, not the clock, ends the search."""
    return OrToolsEngine(OrToolsSettings(solution_limit=solutions))


def native(iterations: int = 200) -> NativeEngine:
    """The native engine, reproducible: the iteration count ends the search."""
    return NativeEngine(NativeSettings(iterations=iterations))
