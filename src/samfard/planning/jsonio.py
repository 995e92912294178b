"""The general planning JSON (docs/planning-format.md): problems and solutions as files.

Reading is strict: every error names the request or vehicle and the field, so whoever
wrote the file can fix it. Writing then reading gives back an equal object.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from samfard.errors import InputError
from samfard.planning._core._engine import Splitter
from samfard.planning.model import (
    DEFAULT_DIMENSIONS,
    Objective,
    Problem,
    Request,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    Vehicle,
    VehicleType,
    Window,
    matrix,
)

FORMAT = "samfard-planning/1"
T = TypeVar("T")
MATRICES = ("time", "distance")
_CHUNK = 1 << 22


def _window(w: Window) -> list[float]:
    return [w.earliest, w.latest]


def problem_to_json(problem: Problem) -> dict[str, Any]:
    return _without_matrices(problem) | {
        "time": problem.time.array.tolist(),
        "distance": problem.distance.array.tolist(),
    }


def write_problem(problem: Problem, path: Path) -> None:
    """The file `problem_to_json` describes, its matrices written a row at a time: a day of
    6 000 locations as lists of Python floats would take over 2 GB to write."""
    head = json.dumps(_without_matrices(problem))
    with path.open("w", encoding="utf-8") as file:
        file.write(head[:-1])
        for name, matrix in (("time", problem.time), ("distance", problem.distance)):
            file.write(f', "{name}": [')
            for i, row in enumerate(matrix.array):
                file.write(("," if i else "") + json.dumps(row.tolist()))
            file.write("]")
        file.write("}")


def _without_matrices(problem: Problem) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "dimensions": list(problem.dimensions),
        "objective": {
            "distance": problem.objective.distance,
            "time": problem.objective.time,
            "fixed": problem.objective.fixed,
        },
        "max_vehicles": problem.max_vehicles,
        "vehicles": [
            {
                "id": v.id,
                "type": str(v.type),
                "capacity": list(v.capacity),
                "shift": _window(v.shift),
                "start_depot": v.start_depot,
                "end_depot": v.end_depot,
                "cost_per_distance": v.cost_per_distance,
                "cost_per_time": v.cost_per_time,
                "fixed_cost": v.fixed_cost,
                "max_duration": v.max_duration,
                "front_seats": v.front_seats,
                "cost_per_pickup": v.cost_per_pickup,
                "cost_per_transit_time": v.cost_per_transit_time,
                "free_depot_legs": v.free_depot_legs,
                "cost_per_stretch": v.cost_per_stretch,
                "billed_when_loaded": v.billed_when_loaded,
                "cost_per_loaded_wait": v.cost_per_loaded_wait,
            }
            for v in problem.vehicles
        ],
        "requests": [
            {
                "id": r.id,
                "pickup": r.pickup,
                "dropoff": r.dropoff,
                "pickup_window": _window(r.pickup_window),
                "dropoff_window": _window(r.dropoff_window),
                "pickup_service": r.pickup_service,
                "dropoff_service": r.dropoff_service,
                "load": list(r.load),
                "max_ride": r.max_ride,
                "allowed_types": sorted(str(t) for t in r.allowed_types),
                "ride_alone": r.ride_alone,
                "front_seat": r.front_seat,
                "promised_pickup": (
                    _window(r.promised_pickup) if r.promised_pickup is not None else None
                ),
                "goods": r.goods,
            }
            for r in problem.requests
        ],
    }


def _get(data: dict[str, Any], key: str, where: str, convert: Callable[[Any], T]) -> T:
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected an object with {key}, got {data!r}", field=key)
    if key not in data:
        raise InputError(f"{where}: missing field {key}", field=key)
    try:
        return convert(data[key])
    except InputError as error:
        raise InputError(f"{where}: {key}: {error.message}", field=key) from error
    except (TypeError, ValueError, KeyError) as error:
        expected = f" ({error})" if isinstance(error, ValueError) and str(error) else ""
        raise InputError(
            f"{where}: bad value for {key}: {data[key]!r}{expected}", field=key
        ) from error


def _opt(data: dict[str, Any], key: str, where: str, convert: Callable[[Any], T], default: T) -> T:
    if isinstance(data, dict) and data.get(key) is None:
        return default
    return _get(data, key, where, convert)


# Every reader below takes a JSON value of exactly its type: a number written as a string
# ("0.01"), true for a number, or a string for a list is refused, not converted, so what
# the file says is what is planned.


def _as_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number")
    try:
        return float(value)
    except OverflowError:  # an integer beyond every float
        raise ValueError("expected a number a float can hold") from None


def _as_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("expected a list")
    return value


def _as_window(value: Any) -> Window:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("expected [earliest, latest]")
    earliest, latest = (_as_number(x) for x in value)
    return Window(earliest, latest)


def _as_ints(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(x, int) and not isinstance(x, bool) for x in value
    ):
        raise ValueError("expected a list of integers")
    return tuple(value)


def _as_type(value: Any) -> VehicleType:
    if not isinstance(value, str) or value not in set(VehicleType):
        raise ValueError(f"expected one of {', '.join(VehicleType)}")
    return VehicleType(value)


def _as_kind(value: Any) -> StopKind:
    if not isinstance(value, str) or value not in set(StopKind):
        raise ValueError(f"expected one of {', '.join(StopKind)}")
    return StopKind(value)


def _as_types(value: Any) -> frozenset[VehicleType]:
    if not isinstance(value, list):
        raise ValueError("expected a list of vehicle types")
    return frozenset(_as_type(v) for v in value)


def _as_id(value: Any) -> str:
    """An id: a string, or an integer written without quotes (read as its digits)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("expected a string")
    return str(value)


def _as_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return value


def _as_names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueError("expected a list of names")
    return tuple(value)


def _as_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected an integer")
    return value


def _as_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _as_objective(value: Any) -> Objective:
    if not isinstance(value, dict):
        raise ValueError("expected an object of weights distance, time, fixed")
    unknown = set(value) - {"distance", "time", "fixed"}
    if unknown:
        raise ValueError(f"unknown weights {sorted(unknown)}")
    return Objective(**{k: _as_number(v) for k, v in value.items() if v is not None})


def _label(data: Any, i: int) -> str:
    """How an error names the i-th vehicle or request: by its id if it has a good one."""
    rid = data.get("id") if isinstance(data, dict) else None
    return str(rid) if isinstance(rid, str | int) and not isinstance(rid, bool) else f"#{i}"


def _vehicle(data: dict[str, Any], i: int) -> Vehicle:
    where = f"vehicle {_label(data, i)}"
    try:
        return Vehicle(
            id=_get(data, "id", where, _as_id),
            type=_opt(data, "type", where, _as_type, VehicleType.TAXI),
            capacity=_get(data, "capacity", where, _as_ints),
            shift=_get(data, "shift", where, _as_window),
            start_depot=_get(data, "start_depot", where, _as_int),
            end_depot=_get(data, "end_depot", where, _as_int),
            cost_per_distance=_opt(data, "cost_per_distance", where, _as_number, 1.0),
            cost_per_time=_opt(data, "cost_per_time", where, _as_number, 0.0),
            fixed_cost=_opt(data, "fixed_cost", where, _as_number, 0.0),
            max_duration=_opt(data, "max_duration", where, _as_number, None),
            front_seats=_opt(data, "front_seats", where, _as_int, 1),
            cost_per_pickup=_opt(data, "cost_per_pickup", where, _as_number, 0.0),
            cost_per_transit_time=_opt(data, "cost_per_transit_time", where, _as_number, 0.0),
            free_depot_legs=_opt(data, "free_depot_legs", where, _as_bool, False),
            cost_per_stretch=_opt(data, "cost_per_stretch", where, _as_number, 0.0),
            billed_when_loaded=_opt(data, "billed_when_loaded", where, _as_bool, False),
            cost_per_loaded_wait=_opt(data, "cost_per_loaded_wait", where, _as_number, 0.0),
        )
    except InputError as error:
        if error.message.startswith(where):
            raise
        raise InputError(f"{where}: {error.message}", field=error.field) from error


def _request(data: dict[str, Any], i: int) -> Request:
    where = f"request {_label(data, i)}"
    try:
        return Request(
            id=_get(data, "id", where, _as_id),
            pickup=_get(data, "pickup", where, _as_int),
            dropoff=_get(data, "dropoff", where, _as_int),
            pickup_window=_get(data, "pickup_window", where, _as_window),
            dropoff_window=_get(data, "dropoff_window", where, _as_window),
            pickup_service=_opt(data, "pickup_service", where, _as_number, 0.0),
            dropoff_service=_opt(data, "dropoff_service", where, _as_number, 0.0),
            load=_get(data, "load", where, _as_ints),
            max_ride=_opt(data, "max_ride", where, _as_number, None),
            allowed_types=_opt(data, "allowed_types", where, _as_types, frozenset()),
            ride_alone=_opt(data, "ride_alone", where, _as_bool, False),
            front_seat=_opt(data, "front_seat", where, _as_bool, False),
            promised_pickup=_opt(data, "promised_pickup", where, _as_window, None),
            goods=_opt(data, "goods", where, _as_bool, False),
        )
    except InputError as error:
        if error.message.startswith(where):
            raise
        raise InputError(f"{where}: {error.message}", field=error.field) from error


def problem_from_json(data: Any) -> Problem:
    if not isinstance(data, dict):
        raise InputError("problem JSON must be an object", field="format")
    if data.get("format", FORMAT) != FORMAT:
        raise InputError(f"format must be {FORMAT}, got {data.get('format')}", field="format")
    where = "problem"
    for key in ("requests", "vehicles"):
        if not isinstance(data.get(key), list):
            raise InputError(f"{where}: {key} must be a list", field=key)
    return Problem(
        requests=tuple(_request(r, i) for i, r in enumerate(data["requests"])),
        vehicles=tuple(_vehicle(v, i) for i, v in enumerate(data["vehicles"])),
        time=_get(data, "time", where, lambda rows: matrix(rows, name="time")),
        distance=_get(data, "distance", where, lambda rows: matrix(rows, name="distance")),
        dimensions=_opt(data, "dimensions", where, _as_names, DEFAULT_DIMENSIONS),
        objective=_opt(data, "objective", where, _as_objective, Objective()),
        max_vehicles=_opt(data, "max_vehicles", where, _as_int, None),
    )


def loads(text: str | bytes, path: Path) -> Any:
    """The JSON `text` read from `path`, or an InputError that names the file: the one
    message for a problem and a solution file that is not JSON. A key twice in one object
    (JSON keeps the last, silently) and NaN or Infinity (not JSON numbers, though Python
    reads them) are refused too. Bytes may start with a UTF-8 byte order mark."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InputError(f"{path} is not valid JSON: {error}", field=str(path)) from error
    except _RefusedJson as error:
        raise InputError(f"{path}: {error}", field=str(error.key)) from error
    except RecursionError:
        raise InputError(
            f"{path} nests arrays or objects too deep to read; a problem or solution file "
            "needs a few levels only",
            field=str(path),
        ) from None


class _RefusedJson(ValueError):
    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RefusedJson(f"the key {key!r} appears twice in one object", key)
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    raise _RefusedJson(f"{name} is not a JSON number: write a number", name)


def read_problem(path: Path) -> Problem:
    """The problem in the JSON file at `path`, its travel matrices read straight into
    arrays: a day of 6 000 locations has 72 million entries, which as Python lists would
    take 2.3 GB and half a minute (the compiled `Splitter`, see json_matrices.hpp). Raises
    OSError when the file cannot be read and InputError when it is not a valid problem."""
    splitter = Splitter(MATRICES)
    with path.open("rb") as file:
        try:
            while chunk := file.read(_CHUNK):
                splitter.feed(chunk)
            rest = splitter.finish()
        except ValueError as error:  # a matrix that is not square rows of numbers
            name = str(error).split(" ", 1)[0]
            raise InputError(f"problem: {error}", field=name) from error
    data = loads(rest, path)
    if isinstance(data, dict):
        for name, array in splitter.matrices():
            # The rest holds the key too (with null), so `loads` has refused a second one.
            array.setflags(write=False)
            data[name] = array
    return problem_from_json(data)


def solution_to_json(solution: Solution) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "cost": solution.cost,
        "routes": [
            {
                "vehicle": route.vehicle_id,
                "stops": [
                    {"kind": str(s.kind), "location": s.location, "time": s.time}
                    | ({"request": s.request_id} if s.request_id is not None else {})
                    for s in route.stops
                ],
            }
            for route in solution.routes
        ],
        "unserved": [{"request": u.request_id, "reason": u.reason} for u in solution.unserved],
    }


def _stop(data: Any, where: str, locations: int | None) -> Stop:
    stop = Stop(
        kind=_get(data, "kind", where, _as_kind),
        location=_get(data, "location", where, _as_int),
        time=_get(data, "time", where, _as_number),
        request_id=_opt(data, "request", where, _as_id, None),
    )
    if stop.location < 0 or (locations is not None and stop.location >= locations):
        within = f"0 to {locations - 1}" if locations else "a location of the problem"
        raise InputError(
            f"{where}: location {stop.location} is not a location of the problem "
            f"(expected {within})",
            field="location",
        )
    return stop


def solution_from_json(data: Any, problem: Problem | None = None) -> Solution:
    """The solution in `data`; with `problem`, every stop's location is checked to be one
    of its matrices' (what the verifier reads the travel times at)."""
    if not isinstance(data, dict):
        raise InputError("solution JSON must be an object", field="format")
    locations = None if problem is None else problem.location_count()
    routes = []
    for i, route in enumerate(_get(data, "routes", "solution", _as_list)):
        where = f"route #{i}"
        vehicle = _get(route, "vehicle", where, _as_id)
        where = f"route #{i} (vehicle {vehicle})"
        stops = tuple(
            _stop(s, f"{where}, stop #{k}", locations)
            for k, s in enumerate(_get(route, "stops", where, _as_list))
        )
        routes.append(Route(vehicle, stops))
    missing: list[Any] = _opt(data, "unserved", "solution", _as_list, [])
    unserved = tuple(
        Unserved(
            _get(u, "request", f"unserved #{k}", _as_id),
            _opt(u, "reason", f"unserved #{k}", _as_str, ""),
        )
        for k, u in enumerate(missing)
    )
    return Solution(tuple(routes), unserved, _get(data, "cost", "solution", _as_number))
