"""The dial-a-ride problem as plain, immutable data.

Every planner part (engines, live insertion, the verifier, file formats) speaks these
types and nothing else, so an engine can be replaced without touching its callers and the
verifier can judge any engine.

Units are the problem's own, used consistently: Samfard problems give times in seconds
since midnight of the service day and distances in metres; the Cordeau adapter gives both
in the instance's Euclidean units. Times are plain numbers here because the core has no
clock; the booking layer converts to aware Europe/Stockholm datetimes at the edge.
Costs are planning scores (weights on distance, time and vehicles), not invoices:
settlement prices runs with `samfard.costs` in öre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from samfard.errors import InputError
from samfard.planning.travel_matrix import MatrixInput, TravelMatrix

Matrix = TravelMatrix

DEFAULT_DIMENSIONS: tuple[str, ...] = ("seats", "wheelchair", "stretcher")
# The most places of one dimension a load or a capacity may count. The compiled core
# counts them in 32-bit integers, and no vehicle carries a million of anything.
MAX_UNITS = 1_000_000


class VehicleType(StrEnum):
    """Kinds of vehicle a request may require (fordonstyp)."""

    TAXI = "taxi"
    MINIBUS = "minibus"
    WHEELCHAIR = "wheelchair"
    STRETCHER = "stretcher"


class StopKind(StrEnum):
    START = "start"
    PICKUP = "pickup"
    DROPOFF = "dropoff"
    END = "end"


def _finite(value: float, what: str, *, nonnegative: bool = True) -> None:
    if not math.isfinite(value) or (nonnegative and value < 0):
        kind = "a finite number >= 0" if nonnegative else "a finite number"
        raise InputError(f"{what} must be {kind}, got {value}", field=what)


@dataclass(frozen=True, slots=True)
class Window:
    """A closed interval [earliest, latest] for the start of service (tidsfönster)."""

    earliest: float
    latest: float

    def __post_init__(self) -> None:
        _finite(self.earliest, "window earliest", nonnegative=False)
        _finite(self.latest, "window latest", nonnegative=False)
        if self.latest < self.earliest:
            raise InputError(
                f"window ends at {self.latest}, before it starts at {self.earliest}",
                field="window",
            )

    def contains(self, t: float, eps: float = 0.0) -> bool:
        return self.earliest - eps <= t <= self.latest + eps

    def intersect(self, other: Window) -> Window | None:
        lo, hi = max(self.earliest, other.earliest), min(self.latest, other.latest)
        return Window(lo, hi) if lo <= hi else None


@dataclass(frozen=True, slots=True)
class Request:
    """One passenger leg to carry (resa): pick up at one place, drop off at another.

    `load` counts places per problem dimension (by default seats, wheelchair places,
    stretcher places); escorts and fellow passengers add seats. `allowed_types` empty means
    any vehicle. `ride_alone` forbids any other passenger on board while this one rides
    (ensamåkning); `front_seat` takes one of the vehicle's front seats (framsäte).
    `goods` marks a consignment of goods (sändning), not a passenger: nobody rides with it,
    so a ride-alone traveller allows it on board (the rule counts passengers only).
    `promised_pickup` is the window already given to the traveller: re-planning must keep it.
    """

    id: str
    pickup: int
    dropoff: int
    pickup_window: Window
    dropoff_window: Window
    pickup_service: float = 0.0
    dropoff_service: float = 0.0
    load: tuple[int, ...] = (1, 0, 0)
    max_ride: float | None = None
    allowed_types: frozenset[VehicleType] = frozenset()
    ride_alone: bool = False
    front_seat: bool = False
    promised_pickup: Window | None = None
    goods: bool = False

    def __post_init__(self) -> None:
        where = f"request {self.id}"
        if not self.id:
            raise InputError("request id must be a non-empty string", field="id")
        for name in ("pickup", "dropoff"):
            if getattr(self, name) < 0:
                raise InputError(f"{where}: {name} location must be >= 0", field=name)
        for name in ("pickup_service", "dropoff_service"):
            _finite(getattr(self, name), f"{where}: {name}")
        if any(q < 0 for q in self.load) or not any(q > 0 for q in self.load):
            raise InputError(
                f"{where}: load must be non-negative with at least one place, got {self.load}",
                field="load",
            )
        if any(q > MAX_UNITS for q in self.load):
            raise InputError(
                f"{where}: load must be at most {MAX_UNITS} per dimension, got {self.load}",
                field="load",
            )
        if self.max_ride is not None:
            _finite(self.max_ride, f"{where}: max_ride")
        if self.promised_pickup is not None and (
            self.pickup_window.intersect(self.promised_pickup) is None
        ):
            raise InputError(
                f"{where}: promised pickup {self.promised_pickup} lies outside the pickup "
                f"window {self.pickup_window}",
                field="promised_pickup",
            )

    @property
    def effective_pickup_window(self) -> Window:
        """The pickup window the plan must meet: the request's, narrowed by any promise."""
        if self.promised_pickup is None:
            return self.pickup_window
        narrowed = self.pickup_window.intersect(self.promised_pickup)
        assert narrowed is not None  # checked in __post_init__
        return narrowed

    @property
    def keeps_riders_out(self) -> bool:
        """Whether no other passenger may be on board with this request: a ride-alone
        passenger; never goods, even marked ride-alone, for the rule is about people. Every
        engine and the verifier read the rule from here."""
        return self.ride_alone and not self.goods

    def allows(self, vehicle: Vehicle) -> bool:
        return not self.allowed_types or vehicle.type in self.allowed_types

    def fits(self, vehicle: Vehicle) -> bool:
        return all(q <= c for q, c in zip(self.load, vehicle.capacity, strict=True)) and (
            not self.front_seat or vehicle.front_seats >= 1
        )


@dataclass(frozen=True, slots=True)
class Vehicle:
    """One vehicle shift that can be planned (fordon/pass).

    Costs are objective weights per distance unit, per time unit of route duration and per
    vehicle used, and, for vehicles paid by a tariff, per pickup (the start fee) and per
    time unit of transit (service at a stop plus travel to the next, the metered
    minutes). `free_depot_legs` leaves the legs from and to the depot out of the distance
    and transit costs: a procured carrier bills the stretches with passengers, not the
    drive to the first pickup or home. A carrier paid per stretch (a run with passengers
    aboard, from a pickup into an empty vehicle until it is empty again) sets
    `cost_per_stretch` (the start fee, once per stretch however many share it) and
    `billed_when_loaded` (distance and transit time cost only while someone is on board:
    the empty drives between stretches, and so the depot legs, are not billed).
    `cost_per_loaded_wait` is paid per time unit the vehicle stands at a pickup before
    its service starts with someone already on board: the waiting minutes a carrier
    bills for a passenger who waits in the car for a later pickup (settlement delivers
    on arrival, so a wait before a drop-off is not billed and not priced). It depends on
    the schedule, not only on the order of the stops, so it is priced from the stop
    times (`verifier.route_cost`), and the native engine starts a stretch as late as its
    windows allow to keep such waits short.
    `max_duration` bounds arrival at the end depot minus departure.
    """

    id: str
    capacity: tuple[int, ...]
    shift: Window
    start_depot: int
    end_depot: int
    type: VehicleType = VehicleType.TAXI
    cost_per_distance: float = 1.0
    cost_per_time: float = 0.0
    fixed_cost: float = 0.0
    max_duration: float | None = None
    front_seats: int = 1
    cost_per_pickup: float = 0.0
    cost_per_transit_time: float = 0.0
    free_depot_legs: bool = False
    cost_per_stretch: float = 0.0
    billed_when_loaded: bool = False
    cost_per_loaded_wait: float = 0.0

    def __post_init__(self) -> None:
        where = f"vehicle {self.id}"
        if not self.id:
            raise InputError("vehicle id must be a non-empty string", field="id")
        if any(c < 0 or c > MAX_UNITS for c in self.capacity):
            raise InputError(
                f"{where}: capacity must be between 0 and {MAX_UNITS} per dimension, "
                f"got {self.capacity}",
                field="capacity",
            )
        if self.start_depot < 0 or self.end_depot < 0:
            raise InputError(f"{where}: depot locations must be >= 0", field="start_depot")
        for name in (
            "cost_per_distance",
            "cost_per_time",
            "fixed_cost",
            "cost_per_pickup",
            "cost_per_transit_time",
            "cost_per_stretch",
            "cost_per_loaded_wait",
        ):
            _finite(getattr(self, name), f"{where}: {name}")
        if self.max_duration is not None:
            _finite(self.max_duration, f"{where}: max_duration")
        if not 0 <= self.front_seats <= MAX_UNITS:
            raise InputError(
                f"{where}: front_seats must be between 0 and {MAX_UNITS}, got {self.front_seats}",
                field="front_seats",
            )


@dataclass(frozen=True, slots=True)
class Objective:
    """Weights of the planning score: each vehicle's own costs are multiplied by these
    (`distance` weighs distance and transit-time costs, `fixed` the fixed and per-pickup
    costs, `time` the route duration cost)."""

    distance: float = 1.0
    time: float = 1.0
    fixed: float = 1.0

    def __post_init__(self) -> None:
        for name in ("distance", "time", "fixed"):
            _finite(getattr(self, name), f"objective {name}")


@dataclass(frozen=True, slots=True)
class Problem:
    """A whole planning problem: requests, vehicles and travel matrices over locations.

    `time[i][j]` and `distance[i][j]` are travel from location i to j. `max_vehicles`
    limits how many vehicles may be used (the K of the literature); None means all.
    """

    requests: tuple[Request, ...]
    vehicles: tuple[Vehicle, ...]
    time: Matrix
    distance: Matrix
    dimensions: tuple[str, ...] = DEFAULT_DIMENSIONS
    objective: Objective = field(default_factory=Objective)
    max_vehicles: int | None = None

    def __post_init__(self) -> None:
        # Nested sequences and numpy arrays are taken and frozen here, checked once.
        object.__setattr__(self, "time", TravelMatrix(self.time, name="time"))
        object.__setattr__(self, "distance", TravelMatrix(self.distance, name="distance"))
        n = len(self.time)
        if len(self.distance) != n:
            raise InputError(
                f"distance matrix must be square with {n} rows and columns "
                f"(one per location), got {len(self.distance)} rows",
                field="distance",
            )
        if not self.dimensions:
            raise InputError("dimensions must name at least one load dimension", field="dimensions")
        if len(set(self.dimensions)) != len(self.dimensions):
            raise InputError(
                f"dimensions must have distinct names, got {list(self.dimensions)}",
                field="dimensions",
            )
        if self.max_vehicles is not None and self.max_vehicles < 0:
            raise InputError(
                f"max_vehicles must be >= 0, got {self.max_vehicles}", field="max_vehicles"
            )
        self._check_ids()
        for vehicle in self.vehicles:
            self._check_vehicle(vehicle, n)
        for request in self.requests:
            self._check_request(request)

    def _check_ids(self) -> None:
        for kind, ids in (
            ("request", [r.id for r in self.requests]),
            ("vehicle", [v.id for v in self.vehicles]),
        ):
            seen: set[str] = set()
            for item in ids:
                if item in seen:
                    raise InputError(f"{kind} id {item} appears twice", field="id")
                seen.add(item)

    def _check_vehicle(self, vehicle: Vehicle, n: int) -> None:
        where = f"vehicle {vehicle.id}"
        if len(vehicle.capacity) != len(self.dimensions):
            raise InputError(
                f"{where}: capacity has {len(vehicle.capacity)} values, expected one per "
                f"dimension {self.dimensions}",
                field="capacity",
            )
        for name in ("start_depot", "end_depot"):
            if getattr(vehicle, name) >= n:
                raise InputError(
                    f"{where}: {name} {getattr(vehicle, name)} is not a location of the "
                    f"{n}x{n} matrices",
                    field=name,
                )

    def _check_request(self, request: Request) -> None:
        self.check_fits(request)
        if self.vehicles and not any(request.fits(v) for v in self.vehicles):
            roomy = [
                v
                for v in self.vehicles
                if all(q <= c for q, c in zip(request.load, v.capacity, strict=True))
            ]
            if roomy:  # room for the load, but no front seat on any of them
                raise InputError(
                    f"request {request.id}: front_seat is asked for, but every vehicle with "
                    f"room for its load {request.load} has front_seats 0",
                    field="front_seat",
                )
            raise InputError(
                f"request {request.id}: load {request.load} is larger than every vehicle's "
                "capacity",
                field="load",
            )

    def check_fits(self, request: Request) -> None:
        """`request`'s load and locations match this problem's dimensions and matrices: the
        check a request added to a day (live insertion) needs without a new `Problem`."""
        n = self.location_count()
        where = f"request {request.id}"
        if len(request.load) != len(self.dimensions):
            raise InputError(
                f"{where}: load has {len(request.load)} values, expected one per dimension "
                f"{self.dimensions}",
                field="load",
            )
        for name in ("pickup", "dropoff"):
            if getattr(request, name) >= n:
                raise InputError(
                    f"{where}: {name} location {getattr(request, name)} is not a location "
                    f"of the {n}x{n} matrices",
                    field=name,
                )

    def location_count(self) -> int:
        return len(self.time)

    def request(self, request_id: str) -> Request:
        for r in self.requests:
            if r.id == request_id:
                return r
        raise InputError(f"no request with id {request_id}", field="request_id")


@dataclass(frozen=True, slots=True)
class Stop:
    """A visit on a route: `time` is the start of service (departure at the start depot)."""

    kind: StopKind
    location: int
    time: float
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """One vehicle's ordered stops, from its start depot to its end depot (körning)."""

    vehicle_id: str
    stops: tuple[Stop, ...]

    def request_ids(self) -> tuple[str, ...]:
        return tuple(s.request_id for s in self.stops if s.kind is StopKind.PICKUP and s.request_id)


@dataclass(frozen=True, slots=True)
class Unserved:
    """A request the plan does not carry, and why, so an operator can act on it."""

    request_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Solution:
    """A plan: one route per used vehicle, every other request unserved with its reason."""

    routes: tuple[Route, ...]
    unserved: tuple[Unserved, ...] = ()
    cost: float = 0.0

    def served_ids(self) -> set[str]:
        """The ids of the requests some route carries."""
        return {rid for route in self.routes for rid in route.request_ids()}


def arc_cost(
    problem: Problem,
    vehicle: Vehicle,
    a: int,
    b: int,
    *,
    service: float,
    from_depot: bool,
    to_depot: bool,
    to_pickup: bool,
    loaded: bool,
) -> float:
    """What `vehicle` pays to leave location `a` (after `service` there) for `b`, with
    someone on board or not (`loaded`): the weighted distance and transit-time cost, free
    on depot legs for vehicles that say so and on empty drives for vehicles billed when
    loaded, plus the pickup fee when `b` is a pickup and the stretch fee when that pickup
    boards an empty vehicle. Every engine and the verifier price arcs with this one
    function, so they agree on the objective."""
    w = problem.objective
    cost = 0.0
    if to_pickup:
        cost = w.fixed * (vehicle.cost_per_pickup + (0.0 if loaded else vehicle.cost_per_stretch))
    if (vehicle.free_depot_legs and (from_depot or to_depot)) or (
        vehicle.billed_when_loaded and not loaded
    ):
        return cost
    return cost + w.distance * (
        vehicle.cost_per_distance * problem.distance[a][b]
        + vehicle.cost_per_transit_time * (service + problem.time[a][b])
    )


def matrix(rows: MatrixInput, *, name: str = "matrix") -> Matrix:
    """Freeze nested rows or a numpy array into the form the model stores, checked."""
    return TravelMatrix(rows, name=name)
