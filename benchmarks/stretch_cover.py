"""The service day carried in short vehicle trips with no limit on vehicles: a yardstick for
the plans.

The service-day benchmark (`service_day.py`) prices a plan per vehicle trip, a stretch of
a route from a pickup into an empty vehicle until it is empty again: a start fee plus km
and hours of loaded driving, with empty driving and idle time free. Under that tariff
stretches do not interact except through the fleet. With a vehicle free wherever and
whenever one is wanted, the cheapest plan is the cheapest partition of the trips into
stretches. This script finds that partition among the stretches of at most `--most` trips:

1. Every such stretch is enumerated, depth first from each trip as its first pickup. A stop
   is kept only if the earliest schedule reaches it within its window, each rider's ride so
   far (driving and service, no waiting) and the earliest drop-off leave their ride limit
   and drop-off window reachable by the shortest path, and the vehicle type's places, front
   seats and the riders' allowed types and ride-alone rules hold. The cheapest order and
   vehicle type of each set of trips is kept.
2. CP-SAT picks the cheapest set of stretches that carries each trip once. Each stretch it
   picks is then scheduled exactly (`insertion_schedule.schedule`, as live insertion
   does); one that cannot be is struck out and the cover solved again.

The native engine plans the same day as `service_day.py` does, and the cover is taken over
the trips its plan carried, so both price the same trips against the same "alone".

The cover is a yardstick, not a bound. It may be cheaper than any plan: the fleet's size
and positions are left out (a vehicle waits wherever a stretch starts), and so is each
traveller's legs one after another; each stretch still lies within a vehicle's shift. It
may be dearer than the best plan: stretches of more than `--most` trips are left out (the
plans do carry some), and a set of trips whose cheapest order cannot be scheduled is
struck out though another order might be. The enumeration grows steeply with `--most`:
at 4, about 15 min of one core for the 600-trip day.

    .venv/bin/python benchmarks/stretch_cover.py --trips 600 --day 2026-11-23 --seed 1
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import numpy as np
from ortools.sat.python import cp_model

import results_table
from samfard.demo.generator import generate_day
from samfard.geo.traveltime import GeodesicProvider
from samfard.planning.insertion_schedule import route_visits, schedule
from samfard.planning.model import Problem, Request, Route, StopKind, Vehicle, VehicleType
from service_day import TARIFF, DayProblem, build_problems, fare, metrics, plan_by_engine

EPS = 1e-6


@dataclass(frozen=True, slots=True)
class Kind:
    """A vehicle type of the fleet as a stretch needs it: one of its vehicles and its tariff."""

    vehicle: Vehicle
    fee: int
    per_km: Decimal
    per_h: Decimal


@dataclass(frozen=True, slots=True)
class Rider:
    """Someone on board during the enumeration: who, and the least time they have ridden."""

    index: int
    ridden: float  # driving and service since the end of their pickup's service, no waiting


@dataclass(frozen=True, slots=True)
class Stretch:
    """A set of trips carried by one vehicle of `kind` without emptying, at `cost` öre,
    with its stops in order (trip index, pickup or drop-off)."""

    trips: frozenset[int]
    cost: int
    kind: Kind
    stops: tuple[tuple[int, StopKind], ...]


class Enumeration:
    """Every stretch of at most `most` trips of one region's problem that passes the
    necessary checks, the cheapest order and type of each set of trips."""

    def __init__(self, problem: Problem, most: int) -> None:
        self.problem = problem
        self.requests: list[Request] = list(problem.requests)
        self.time = np.asarray(problem.time, dtype=float)
        self.dist = np.asarray(problem.distance, dtype=float)
        self.closure = _shortest_paths(self.time)  # no path between two places is shorter
        kinds: dict[VehicleType, Kind] = {}
        for v in problem.vehicles:
            fee, per_km, per_h = TARIFF[v.type]
            kinds.setdefault(v.type, Kind(v, fee, per_km, per_h))
        self.kinds = list(kinds.values())
        self.most = most
        self.partial = 0
        self.best: dict[frozenset[int], Stretch] = {}
        self.partners = [set(self._partners(i)) for i in range(len(self.requests))]

    def _partners(self, i: int) -> list[int]:
        """Trips that could be picked up while trip `i` is on board: reached from `i`'s
        pickup within their window, with `i` still dropped off in time and within its ride
        limit."""
        r = self.requests[i]
        ride = r.max_ride if r.max_ride is not None else np.inf
        out = []
        for j, q in enumerate(self.requests):
            there = self.closure[r.pickup][q.pickup]
            onward = q.pickup_service + self.closure[q.pickup][r.dropoff]
            if (
                j != i
                and r.pickup_window.earliest + r.pickup_service + there
                <= q.pickup_window.latest + EPS
                and there + onward <= ride + EPS
                and q.pickup_window.earliest + onward <= r.dropoff_window.latest + EPS
            ):
                out.append(j)
        return out

    def run(self) -> list[Stretch]:
        for i, r in enumerate(self.requests):
            kinds = [k for k in self.kinds if self._carries(k, [i])]
            if kinds:
                self._extend(
                    r.pickup, r.pickup_window.earliest, r.pickup_service,
                    (Rider(i, -r.pickup_service),), ((i, StopKind.PICKUP),), kinds,
                    [0] * len(kinds),
                )  # fmt: skip
        return list(self.best.values())

    def _carries(self, kind: Kind, aboard: list[int]) -> bool:
        riders = [self.requests[j] for j in aboard]
        vehicle = kind.vehicle
        load = [sum(q.load[d] for q in riders) for d in range(len(vehicle.capacity))]
        people = [q for q in riders if not q.goods]
        return (
            all(x <= c for x, c in zip(load, vehicle.capacity, strict=True))
            and sum(q.front_seat for q in riders) <= vehicle.front_seats
            and all(q.allows(vehicle) for q in riders)
            and not (len(people) > 1 and any(q.ride_alone for q in people))
        )

    def _extend(
        self,
        at: int,
        start: float,
        service: float,
        aboard: tuple[Rider, ...],
        stops: tuple[tuple[int, StopKind], ...],
        kinds: list[Kind],
        fares: list[int],
    ) -> None:
        self.partial += 1
        for rider in aboard:  # drop one off
            r = self.requests[rider.index]
            leg = self.time[at][r.dropoff]
            begin = max(start + service + leg, r.dropoff_window.earliest)
            ridden = rider.ridden + service + leg
            least_ride = max(ridden, begin - r.pickup_window.latest - r.pickup_service)
            limit = r.max_ride if r.max_ride is not None else np.inf
            if begin > r.dropoff_window.latest + EPS or least_ride > limit + EPS:
                continue
            rest = tuple(Rider(x.index, x.ridden + service + leg) for x in aboard if x is not rider)
            if not self._reachable(r.dropoff, begin, r.dropoff_service, rest):
                continue
            legs = self._priced(kinds, fares, at, r.dropoff)
            dropped = (*stops, (rider.index, StopKind.DROPOFF))
            if rest:
                self._extend(r.dropoff, begin, r.dropoff_service, rest, dropped, kinds, legs)
            else:
                self._record(dropped, kinds, legs)
        picked = [i for i, kind in stops if kind is StopKind.PICKUP]
        if len(picked) >= self.most:
            return
        candidates = set.intersection(*(self.partners[x.index] for x in aboard))
        for j in sorted(candidates.difference(picked)):  # or pick someone up
            q = self.requests[j]
            leg = self.time[at][q.pickup]
            begin = max(start + service + leg, q.pickup_window.earliest)
            if begin > q.pickup_window.latest + EPS:
                continue
            fit = [k for k in kinds if self._carries(k, [x.index for x in aboard] + [j])]
            if not fit:
                continue
            riders = (
                *(Rider(x.index, x.ridden + service + leg) for x in aboard),
                Rider(j, -q.pickup_service),
            )
            if not self._reachable(q.pickup, begin, q.pickup_service, riders):
                continue
            legs = self._priced(kinds, fares, at, q.pickup)
            kept = [legs[kinds.index(k)] for k in fit]
            onward = (*stops, (j, StopKind.PICKUP))
            self._extend(q.pickup, begin, q.pickup_service, riders, onward, fit, kept)

    def _reachable(self, at: int, begin: float, service: float, aboard: tuple[Rider, ...]) -> bool:
        """Whether every rider can still reach their drop-off in time and within their ride
        limit, by the shortest path from here."""
        for rider in aboard:
            r = self.requests[rider.index]
            rest = service + self.closure[at][r.dropoff]
            limit = r.max_ride if r.max_ride is not None else np.inf
            if begin + rest > r.dropoff_window.latest + EPS or rider.ridden + rest > limit + EPS:
                return False
        return True

    def _priced(self, kinds: list[Kind], fares: list[int], a: int, b: int) -> list[int]:
        """The fares so far plus one loaded leg from `a` to `b`, per vehicle type."""
        metres, seconds = float(self.dist[a][b]), float(self.time[a][b])
        return [
            f + fare(k.per_km, k.per_h, metres, seconds) for k, f in zip(kinds, fares, strict=True)
        ]

    def _record(
        self, stops: tuple[tuple[int, StopKind], ...], kinds: list[Kind], fares: list[int]
    ) -> None:
        cost, kind = min(
            ((k.fee + f, k) for k, f in zip(kinds, fares, strict=True)), key=lambda x: x[0]
        )
        trips = frozenset(i for i, _ in stops)
        known = self.best.get(trips)
        if known is None or cost < known.cost:
            self.best[trips] = Stretch(trips, cost, kind, stops)

    def schedulable(self, stretch: Stretch) -> bool:
        """Whether one vehicle of the stretch's type can carry it in that order, meeting
        every window and ride limit (the exact check the necessary ones stand in for)."""
        vehicle = stretch.kind.vehicle
        first = self.requests[stretch.stops[0][0]].pickup
        last = self.requests[stretch.stops[-1][0]].dropoff
        here = replace(vehicle, start_depot=first, end_depot=last)
        visits = route_visits(here, ((self.requests[i], kind) for i, kind in stretch.stops))
        return schedule(visits, here, self.problem) is not None


def _shortest_paths(t: np.ndarray) -> np.ndarray:
    """Floyd-Warshall: the travel times need not meet the triangle inequality, and what
    bounds a path's time from below must."""
    d = t.copy()
    for k in range(len(d)):
        np.minimum(d, d[:, [k]] + d[[k], :], out=d)
    return d


@dataclass(frozen=True, slots=True)
class Cover:
    """The cheapest schedulable stretches carrying each trip once, and how it was found."""

    stretches: list[Stretch]
    cost: int  # öre
    optimal: bool
    struck_out: int  # stretches the cover picked that could not be scheduled


def cheapest_cover(
    enumeration: Enumeration, stretches: list[Stretch], trips: set[int], limit_s: float
) -> Cover:
    """The cheapest set of stretches carrying each of `trips` exactly once, every one of
    them schedulable (those picked are checked; any that fail are forbidden, and the
    cover is solved again)."""
    usable = [s for s in stretches if s.trips <= trips]
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"s{k}") for k in range(len(usable))]
    covering: dict[int, list[cp_model.IntVar]] = {i: [] for i in trips}
    for s, x in zip(usable, chosen, strict=True):
        for i in s.trips:
            covering[i].append(x)
    for xs in covering.values():
        model.add_exactly_one(xs)
    model.minimize(sum(s.cost * x for s, x in zip(usable, chosen, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit_s
    solver.parameters.num_workers = 1
    struck = 0
    while True:
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise SystemExit(f"the cover found no solution in {limit_s} s: {solver.status_name()}")
        picked = [(s, x) for s, x in zip(usable, chosen, strict=True) if solver.value(x)]
        failed = [x for s, x in picked if not enumeration.schedulable(s)]
        if not failed:
            cost = sum(s.cost for s, _ in picked)
            return Cover([s for s, _ in picked], cost, status == cp_model.OPTIMAL, struck)
        struck += len(failed)
        for x in failed:
            model.add(x == 0)


FIELDS = (
    "region", "trips_carried", "most", "stretches_enumerated", "partial_stretches",
    "enumerate_s", "cover_s", "cover_optimal", "struck_out", "alone_kr", "plan_kr",
    "plan_saving_pct", "plan_stretches", "plan_largest_stretch", "cover_kr",
    "cover_saving_pct", "cover_stretches",
)  # fmt: skip


def largest_stretch(routes: Sequence[Route]) -> int:
    """The most trips any stretch of the plan carries."""
    largest = 0
    for route in routes:
        aboard = trips = 0
        for stop in route.stops[1:-1]:
            if stop.kind is StopKind.PICKUP:
                trips = trips + 1 if aboard else 1
                aboard += 1
            else:
                aboard -= 1
            largest = max(largest, trips)
    return largest


@dataclass(frozen=True, slots=True)
class Measured:
    """One region's plan and cover (or both regions summed), in öre and seconds."""

    region: str
    carried: int
    enumerated: int
    partial: int
    enumerate_s: float
    cover_s: float
    optimal: bool
    struck_out: int
    alone: int
    plan: int
    plan_stretches: int
    plan_largest: int
    cover: int
    cover_stretches: int

    def __add__(self, other: Measured) -> Measured:
        return Measured(
            "both", self.carried + other.carried, self.enumerated + other.enumerated,
            self.partial + other.partial, self.enumerate_s + other.enumerate_s,
            self.cover_s + other.cover_s, self.optimal and other.optimal,
            self.struck_out + other.struck_out, self.alone + other.alone,
            self.plan + other.plan, self.plan_stretches + other.plan_stretches,
            max(self.plan_largest, other.plan_largest), self.cover + other.cover,
            self.cover_stretches + other.cover_stretches,
        )  # fmt: skip

    def row(self, most: int) -> dict[str, str]:
        return {
            "region": self.region,
            "trips_carried": str(self.carried),
            "most": str(most),
            "stretches_enumerated": str(self.enumerated),
            "partial_stretches": str(self.partial),
            "enumerate_s": f"{self.enumerate_s:.0f}",
            "cover_s": f"{self.cover_s:.0f}",
            "cover_optimal": "yes" if self.optimal else "no",
            "struck_out": str(self.struck_out),
            "alone_kr": f"{Decimal(self.alone) / 100:.2f}",
            "plan_kr": f"{Decimal(self.plan) / 100:.2f}",
            "plan_saving_pct": f"{100 * (1 - self.plan / self.alone):.2f}",
            "plan_stretches": str(self.plan_stretches),
            "plan_largest_stretch": str(self.plan_largest),
            "cover_kr": f"{Decimal(self.cover) / 100:.2f}",
            "cover_saving_pct": f"{100 * (1 - self.cover / self.alone):.2f}",
            "cover_stretches": str(self.cover_stretches),
        }


def measure(day: DayProblem, args: argparse.Namespace) -> Measured:
    """Plan the region with the native engine, then cover the trips it carried."""
    problem, solution = plan_by_engine(day, "native", args.time_limit, args.seed)
    planned = metrics([(day, problem, solution)])
    index = {r.id: k for k, r in enumerate(problem.requests)}
    carried = {index[rid] for rid in solution.served_ids()}
    began = time.perf_counter()
    enumeration = Enumeration(problem, args.most)
    stretches = enumeration.run()
    enumerated = time.perf_counter() - began
    cover = cheapest_cover(enumeration, stretches, carried, args.cover_limit)
    return Measured(
        day.region, len(carried), len(stretches), enumeration.partial, enumerated,
        time.perf_counter() - began - enumerated, cover.optimal, cover.struck_out,
        int(Decimal(planned["alone_kr"]) * 100), int(Decimal(planned["cost_kr"]) * 100),
        int(planned["vehicle_trips"]), largest_stretch(solution.routes), cover.cost,
        len(cover.stretches),
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", type=int, default=600)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--most", type=int, default=4, help="trips per stretch at most")
    parser.add_argument("--time-limit", type=float, default=55.0, help="engine s per region")
    parser.add_argument("--cover-limit", type=float, default=300.0, help="CP-SAT s per solve")
    parser.add_argument("--tag", default="")
    args = parser.parse_args()
    demo = generate_day(args.day, seed=args.seed, trips=args.trips)
    days = build_problems(demo, provider=GeodesicProvider(), seed=args.seed)
    print(" | ".join(FIELDS))
    regions = []
    for day in days:
        regions.append(measure(day, args))
        print(" | ".join(regions[-1].row(args.most)[k] for k in FIELDS), flush=True)
    rows = [m.row(args.most) for m in regions]
    if len(regions) > 1:
        rows.append(sum(regions[1:], regions[0]).row(args.most))
        print(" | ".join(rows[-1][k] for k in FIELDS))
    results_table.save(
        f"stretch_cover{args.tag}",
        "Service day: the plan against the cheapest cover by short stretches, vehicles unlimited",
        [
            f"settings: demo day {args.day}, seed {args.seed}, {args.trips} trips, as "
            f"`service_day.py` builds and prices them; native engine {args.time_limit} s per "
            f"region; stretches of at most {args.most} trips; CP-SAT one worker, "
            f"{args.cover_limit} s per solve",
            "the cover leaves out the fleet's size and positions and the legs' order (each "
            f"stretch lies within a shift), and stretches of more than {args.most} trips: a "
            "yardstick, not a bound; "
            "struck_out: stretches picked that the exact schedule refused; savings against "
            "each carried trip alone",
        ],
        FIELDS,
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
