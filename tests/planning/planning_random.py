"""Random whole problems with every feature the model has (a uniquely named module,
importable).

Several vehicles of mixed types, capacities in one to three dimensions, shifts, durations
and every tariff term; windows of one instant, windows before time 0, wide ones and ones
that never close; promises, ride limits, ride alone, front seats, goods, allowed types,
a vehicle limit K. A seed gives one problem; a problem the model refuses raises InputError
as it is built.
"""

from __future__ import annotations

import math
import random

from samfard.planning.model import (
    Objective,
    Problem,
    Request,
    Vehicle,
    VehicleType,
    Window,
    matrix,
)

TYPES = tuple(VehicleType)


def _window(rng: random.Random, start: float) -> Window:
    return Window(start, start + rng.choice((0.0, rng.uniform(0, 60), 1000.0, 1e300)))


def _request(rng: random.Random, k: int, places: int, dims: int) -> Request:
    pickup = _window(rng, rng.uniform(-50, 300))
    promise = None
    if rng.random() < 0.15:
        at = rng.uniform(pickup.earliest, pickup.latest)
        promise = Window(at - rng.uniform(0, 5), at + rng.uniform(0, 5))
    load = tuple(rng.randint(0, 2) for _ in range(dims))
    return Request(
        f"r{k}",
        rng.randrange(places),
        rng.randrange(places),
        pickup,
        _window(rng, pickup.earliest + rng.uniform(-30, 60)),
        pickup_service=rng.choice((0.0, 1.0, 3.0)),
        dropoff_service=rng.choice((0.0, 1.0)),
        load=load if any(load) else (1, *load[1:]),
        max_ride=None if rng.random() < 0.3 else rng.uniform(0, 90),
        allowed_types=frozenset(rng.sample(TYPES, rng.randint(0, 2))),
        ride_alone=rng.random() < 0.1,
        front_seat=rng.random() < 0.15,
        promised_pickup=promise,
        goods=rng.random() < 0.08,
    )


def _vehicle(rng: random.Random, k: int, places: int, dims: int) -> Vehicle:
    start = rng.uniform(-100, 100)
    return Vehicle(
        f"v{k}",
        tuple(rng.randint(1, 4) for _ in range(dims)),
        Window(start, start + rng.uniform(50, 900)),
        rng.randrange(places),
        rng.randrange(places),
        type=rng.choice(TYPES),
        cost_per_distance=rng.uniform(0, 2),
        cost_per_time=rng.choice((0.0, rng.uniform(0, 1))),
        fixed_cost=rng.choice((0.0, rng.uniform(0, 100))),
        max_duration=None if rng.random() < 0.6 else rng.uniform(30, 600),
        front_seats=rng.randint(0, 2),
        cost_per_pickup=rng.choice((0.0, rng.uniform(0, 20))),
        cost_per_transit_time=rng.choice((0.0, rng.uniform(0, 2))),
        free_depot_legs=rng.random() < 0.3,
        cost_per_stretch=rng.choice((0.0, rng.uniform(0, 40))),
        billed_when_loaded=rng.random() < 0.4,
        cost_per_loaded_wait=rng.choice((0.0, rng.uniform(0, 2))),
    )


def random_problem(
    rng: random.Random,
    *,
    requests: tuple[int, int] = (1, 14),
    vehicles: tuple[int, int] = (0, 5),
    unlimited: float = 0.8,
    limits: tuple[int, ...] = (0, 1, 3, 10**30),
) -> Problem:
    """Between `requests` and `vehicles` (inclusive ranges) of each; with chance `unlimited`
    no vehicle limit, else one drawn from `limits`."""
    places = rng.randint(2, 12)
    points = [(rng.uniform(0, 80), rng.uniform(0, 80)) for _ in range(places)]
    detours = rng.random() < 0.2  # travel times off the triangle inequality
    time = [
        [
            0.0 if a == b else math.dist(a, b) * (rng.uniform(0.5, 2) if detours else 1)
            for b in points
        ]
        for a in points
    ]
    distance = [[1.2 * math.dist(a, b) for b in points] for a in points]
    dims = rng.randint(1, 3)
    return Problem(
        tuple(_request(rng, k, places, dims) for k in range(rng.randint(*requests))),
        tuple(_vehicle(rng, k, places, dims) for k in range(rng.randint(*vehicles))),
        matrix(time),
        matrix(distance),
        dimensions=tuple(f"d{i}" for i in range(dims)),
        objective=Objective(
            distance=rng.uniform(0.5, 1), time=rng.uniform(0, 1), fixed=rng.uniform(0.5, 1)
        ),
        max_vehicles=None if rng.random() < unlimited else rng.choice(limits),
    )
