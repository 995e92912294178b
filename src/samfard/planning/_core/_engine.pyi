"""Type stub of the compiled engine (bindings.cpp): `Model` for native_engine.py, `Live` for
native_insertion.py, both given their vehicles as one `Fleet` (native_engine.core_fleet);
`Splitter` for jsonio.read_problem."""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

# (vehicle, nodes, service start per node, departure, arrival at the end depot, cost)
RouteOut = tuple[int, list[int], list[float], float, float, float]

class Fleet:
    def __init__(
        self,
        *,
        vehicle_type: Sequence[int],
        start: Sequence[int],
        end: Sequence[int],
        shift_early: Sequence[float],
        shift_late: Sequence[float],
        max_duration: Sequence[float],
        cost_distance: Sequence[float],
        cost_time: Sequence[float],
        cost_fixed: Sequence[float],
        capacity: Sequence[int],
        front_seats: Sequence[int],
        max_vehicles: int,
        cost_pickup: Sequence[float],
        cost_transit: Sequence[float],
        free_depot_legs: Sequence[int],
        cost_stretch: Sequence[float],
        billed_when_loaded: Sequence[int],
        cost_wait: Sequence[float],
    ) -> None: ...

class Model:
    def __init__(
        self,
        time: npt.NDArray[np.float32] | npt.NDArray[np.float64],
        distance: npt.NDArray[np.float32] | npt.NDArray[np.float64],
        ndim: int,
        node_location: Sequence[int],
        node_early: Sequence[float],
        node_late: Sequence[float],
        node_service: Sequence[float],
        load: Sequence[int],
        max_ride: Sequence[float],
        ride_alone: Sequence[int],
        front_seat: Sequence[int],
        goods: Sequence[int],
        allowed: Sequence[int],
        fleet: Fleet,
    ) -> None: ...
    def solve(
        self,
        initial: Sequence[tuple[int, Sequence[int]]],
        seed: int,
        iterations: int,
        seconds: float,
        start_worse: float = 0.03,
        end_ratio: float = 0.01,
        max_remove: int = 60,
        cpu_clock: bool = False,
        threads: int = 1,
    ) -> tuple[list[RouteOut], int, float]: ...
    def neighbours(self, count: int) -> list[list[int]]: ...
    def evaluate(
        self, vehicle: int, nodes: Sequence[int]
    ) -> tuple[bool, float, list[float], float, float]: ...
    def insert(
        self, vehicle: int, nodes: Sequence[int], request: int
    ) -> tuple[bool, float, RouteOut, float]: ...

class Live:
    def __init__(
        self,
        time: npt.NDArray[np.float32] | npt.NDArray[np.float64],
        distance: npt.NDArray[np.float32] | npt.NDArray[np.float64],
        ndim: int,
        fleet: Fleet,
    ) -> None: ...
    def set_requests(
        self,
        index: Sequence[int],
        node_location: Sequence[int],
        node_early: Sequence[float],
        node_late: Sequence[float],
        node_service: Sequence[float],
        load: Sequence[int],
        max_ride: Sequence[float],
        ride_alone: Sequence[int],
        front_seat: Sequence[int],
        goods: Sequence[int],
        allowed: Sequence[int],
    ) -> None: ...
    def set_route(self, vehicle: int, nodes: Sequence[int]) -> bool: ...
    def best(self, request: int) -> tuple[int, int, int, float]: ...

class Splitter:
    def __init__(self, keys: Sequence[str]) -> None: ...
    def feed(self, chunk: bytes) -> None: ...
    def finish(self) -> bytes: ...
    def matrices(
        self,
    ) -> list[tuple[str, npt.NDArray[np.float32] | npt.NDArray[np.float64]]]: ...
