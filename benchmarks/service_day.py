"""A realistic service day for both regions, planned and compared with every trip alone.

The day comes from the demo generator (`samfard.demo.generator.generate_day`): dialysis,
sjukresor, färdtjänst, stretcher transports, referrals to Norway and riksfärdtjänst. Each
leg becomes a planning request the way the centre builds it (`leg_request.leg_request`:
windows, ride limit and service time from the time tolerance the principal's rulebook
gives the trip, so a sjukresa's extra ride time and waiting share one budget), with
travel times from the geodesic provider; each region
(county 22 and 23) gets its own mixed fleet and is planned on its own, as the centre
would partition the work. Planners compared: the native engine and the OR-Tools engine
through `samfard.planning.solve.plan` (verified), live insertion in booking order (verified
too), and either engine started from the insertion plan, keeping its promises
(`insertion+native`, `insertion+ortools`).

    .venv/bin/python benchmarks/service_day.py --trips 600 --time-limit 60
    .venv/bin/python benchmarks/service_day.py --trips 600,3000 --engines insertion
    .venv/bin/python benchmarks/service_day.py --trips 600 --engines native-fixed

`native-fixed` stops the search at an iteration count instead of the clock, so two builds
plan the same day the same way wherever they run: how to compare what a change does to
a plan's times (ride times, waits on board) with the plan itself held fixed.

Cost is priced per vehicle trip (a stretch of a route with someone on board) with the
illustrative tariff in `TARIFF` (öre): a start fee plus a price per km and per hour of
loaded driving, as a procured taxi run is paid; empty driving is not priced but is in
the vehicle km. "Alone" prices every trip as its own vehicle trip on the direct road,
same tariff, the vehicle type the trip needs. Savings = 1 - cost / alone.

The planner weighs the vehicles with `--costs`: `stretch` (default) plans with the very
tariff the day is priced by: a start fee per stretch (`Vehicle.cost_per_stretch`), km and
hours only while someone is on board (`billed_when_loaded`, `cost_per_transit_time`), no
cost for an idle vehicle; `vehicle` is the earlier set-up (the start fee as a fixed cost
per vehicle used, every km driven, empty or not, hours free), kept to show what planning
with other prices than the ones paid costs.

`--bill-waits` prices what the default tariff leaves out: a vehicle standing at a pickup
with someone on board (a traveller waiting in the car for the next one) pays the hourly
rate, as a meter runs and settlement bills waiting minutes, in the day's cost and, with
`stretch`, in planning (`Vehicle.cost_per_loaded_wait`). How much the default's saving
owes to waits nobody pays for.

`--window-scale` and `--ride-scale` multiply every trip's pickup window (the minutes
before and after the asked time) and its extra ride time: what the saving would be if
the principals gave the centre more room than their rulebooks do (docs/planning-log.md,
"What the 600-trip day's saving depends on"). Both are 1 by default: the rulebooks.
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import date
from decimal import Decimal

import results_table
from samfard.demo.generator import DemoBooking, DemoDay, DemoLeg, generate_day
from samfard.dispatch.leg_order import one_after_another
from samfard.dispatch.leg_request import leg_request
from samfard.dispatch.planning_inputs import LegInput, PlanningDefaults
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.money import times
from samfard.planning.engine import NOT_INSERTED
from samfard.planning.fleet_bound import FLEET_SHORT, PROOF_LIMIT_S, explain_left_out
from samfard.planning.insertion import Insertion, insert, with_request
from samfard.planning.insertion_screen import ScreeningCache
from samfard.planning.model import (
    Problem,
    Request,
    Solution,
    StopKind,
    Unserved,
    Vehicle,
    VehicleType,
    Window,
    matrix,
)
from samfard.planning.solve import make_solver, plan
from samfard.planning.verifier import stop_service, verify
from samfard.rules.common import tolerance
from samfard.rules.decision import TimeTolerance
from samfard.rules.facts import Service
from samfard.rules.loader import NATIONAL, shipped_rulebooks

MIN = 60.0
# Öre per vehicle trip, per km, per hour of driving (illustrative, not a contract); money
# is summed in whole öre like everywhere in Samfard.
TARIFF = {
    VehicleType.TAXI: (4500, Decimal(1400), Decimal(42000)),
    VehicleType.WHEELCHAIR: (6000, Decimal(1800), Decimal(54000)),
    VehicleType.STRETCHER: (15000, Decimal(2500), Decimal(90000)),
}


def fare(per_km: Decimal, per_h: Decimal, metres: float, seconds: float) -> int:
    """Öre for one stretch, each part rounded half up to the öre."""
    km = Decimal(str(metres)) / 1000
    hours = Decimal(str(seconds)) / 3600
    return times(per_km, km) + times(per_h, hours)


SHIFT = Window(5 * 3600, 23.5 * 3600)
RULEBOOKS = shipped_rulebooks()


@dataclass(frozen=True)
class DayProblem:
    """One region's problem plus what the metrics need: direct trips and needed types."""

    region: str
    problem: Problem
    needs: dict[str, VehicleType]
    booking_order: tuple[str, ...]
    asked_too_early: int = 0  # legs refused: asked before the traveller's earlier leg arrives


def _need(booking: DemoBooking) -> VehicleType:
    if "stretcher" in booking.needs:
        return VehicleType.STRETCHER
    return VehicleType.WHEELCHAIR if "wheelchair" in booking.needs else VehicleType.TAXI


@dataclass(frozen=True, slots=True)
class Room:
    """How much more time than the rulebook gives every trip: the pickup window's minutes
    before and after the asked time times `window`, the extra ride time times `ride`."""

    window: float = 1.0
    ride: float = 1.0

    def widen(self, given: TimeTolerance) -> TimeTolerance:
        return replace(
            given,
            pickup_before_min=round(given.pickup_before_min * self.window),
            pickup_after_min=round(given.pickup_after_min * self.window),
            max_extra_ride_min=round(given.max_extra_ride_min * self.ride),
        )


RULEBOOK_ROOM = Room()


def _tolerance(booking: DemoBooking, leg: DemoLeg, day: date) -> TimeTolerance:
    """The time tolerance the assessment would give the trip: the paying principal's
    rulebook in force on the day (riksfärdtjänst: the national one where the municipality
    has none of its own), read as each service's rules read it (`rules.common.tolerance`)."""
    service = Service(booking.service)
    book = RULEBOOKS.find(booking.principal_code, service) or RULEBOOKS.get(NATIONAL, service)
    _, version = book.version_on(day)
    rule = version.tolerance
    if service is Service.SJUKRESA:
        return tolerance(rule, purpose=booking.purpose, outside_home=False)
    if service is Service.FARDTJANST:
        outside = leg.origin.municipality_code != leg.destination.municipality_code
        return tolerance(rule, purpose=booking.purpose, outside_home=outside)
    return tolerance(rule, purpose=None, outside_home=service is Service.RIKSFARDTJANST)


def _leg_input(
    number: int, seq: int, booking: DemoBooking, leg: DemoLeg, day: date, room: Room
) -> LegInput:
    """Booking `number`'s leg `seq` as the centre reads it, with the decision's tolerance
    (widened by `room`), so windows, ride limits and service times are the production
    ones."""
    return LegInput(
        booking_id=number,
        leg_id=seq,
        leg_seq=seq,
        origin=Point(leg.origin.lat, leg.origin.lon),
        destination=Point(leg.destination.lat, leg.destination.lon),
        requested_pickup_at=leg.pickup_at,
        appointment_at=leg.appointment_at,
        promised_from=None,
        promised_until=None,
        needs=booking.needs,
        companions=len(booking.companions),
        purpose=booking.purpose,
        same_municipality=leg.origin.municipality_code == leg.destination.municipality_code,
        decision={"tolerance": asdict(room.widen(_tolerance(booking, leg, day)))},
        traveller_id=booking.traveller_key,
    )


def _requests(
    legs: list[LegInput],
    stops: dict[str, tuple[int, int, float]],
    needs: dict[str, VehicleType],
    day: date,
) -> tuple[list[Request], int]:
    """The legs as the centre plans them: `leg_request.leg_request` each (`stops`: the
    pickup's and drop-off's matrix indices and the direct time by request id), then each
    traveller's legs one after another (`leg_order`), as `problem_builder` does. Returns
    the requests, allowed the vehicle type each `needs` (any for a taxi trip), and how many
    legs were refused for being asked before the traveller's earlier leg can arrive."""
    built = {}
    for leg_input in legs:
        p, d, direct = stops[leg_input.request_id]
        request = leg_request(leg_input, p, d, direct, PlanningDefaults(), day)
        need = needs[request.id]
        allowed = frozenset() if need is VehicleType.TAXI else frozenset({need})
        built[request.id] = replace(request, allowed_types=allowed)
    in_order = one_after_another(legs, built)
    return list(in_order.requests.values()), len(in_order.refused)


def county(principal_code: str) -> str:
    """The county a principal belongs to: "22" for the region (22), its municipalities
    (2281) and its public transport authority (RKM-22), whose booked lines run in it."""
    return principal_code.removeprefix("RKM-")[:2]


def build_problems(
    demo: DemoDay,
    *,
    provider: GeodesicProvider,
    seed: int,
    per_vehicle: int = 8,
    split_regions: bool = True,
    fleet_per_region: bool = False,
    costs: str = "stretch",
    room: Room = RULEBOOK_ROOM,
    bill_waits: bool = False,
) -> list[DayProblem]:
    """One problem per region (or one for both); a vehicle per `per_vehicle` plain trips
    and per 5 wheelchair or stretcher trips, stationed where trips start. One problem for
    both regions gets one fleet sized for all its trips, or with `fleet_per_region` each
    region's own, as the regions planned apart would have (ids prefixed with the county)."""
    rng = random.Random(seed)
    by_region: dict[str, list[tuple[LegInput, DemoBooking, DemoLeg]]] = {}
    for b, booking in enumerate(demo.bookings):
        for k, leg in enumerate(booking.legs):
            region = county(booking.principal_code) if split_regions else "22+23"
            leg_input = _leg_input(b, k, booking, leg, demo.day, room)
            by_region.setdefault(region, []).append((leg_input, booking, leg))
    problems = []
    for region in sorted(by_region):
        legs = by_region[region]
        points: dict[Point, int] = {}
        for _, _, leg in legs:
            for spot in (leg.origin, leg.destination):
                points.setdefault(Point(round(spot.lat, 5), round(spot.lon, 5)), len(points))
        m = provider.matrix(list(points))
        time_m, dist_m = matrix(m.durations, name="time"), matrix(m.distances, name="distance")
        stops = {}
        for leg_input, _, leg in legs:
            p = points[Point(round(leg.origin.lat, 5), round(leg.origin.lon, 5))]
            d = points[Point(round(leg.destination.lat, 5), round(leg.destination.lon, 5))]
            stops[leg_input.request_id] = (p, d, time_m[p][d])
        needs = {i.request_id: _need(b) for i, b, _ in legs}
        requests, refused = _requests([i for i, _, _ in legs], stops, needs, demo.day)
        if fleet_per_region and not split_regions:
            vehicles = []
            for part in sorted({county(b.principal_code) for _, b, _ in legs}):
                mine = {i.request_id for i, b, _ in legs if county(b.principal_code) == part}
                own = [r for r in requests if r.id in mine]
                fleet = _fleet(own, needs, rng, per_vehicle, costs, bill_waits)
                vehicles += [replace(v, id=f"{part}-{v.id}") for v in fleet]
        else:
            vehicles = _fleet(requests, needs, rng, per_vehicle, costs, bill_waits)
        problem = Problem(tuple(requests), tuple(vehicles), time_m, dist_m)
        order = [r.id for r in requests]
        rng.shuffle(order)
        problems.append(DayProblem(region, problem, needs, tuple(order), refused))
    return problems


def _fleet(
    requests: list[Request],
    needs: dict[str, VehicleType],
    rng: random.Random,
    per_vehicle: int,
    costs: str,
    bill_waits: bool = False,
) -> list[Vehicle]:
    capacity = {
        VehicleType.TAXI: (4, 0, 0),
        VehicleType.WHEELCHAIR: (3, 2, 0),
        VehicleType.STRETCHER: (1, 0, 1),
    }
    vehicles = []
    for kind in VehicleType:
        mine = [r for r in requests if needs[r.id] is kind]
        if kind is VehicleType.MINIBUS or not mine and kind is not VehicleType.TAXI:
            continue
        count = max(1, math.ceil(len(mine) / (per_vehicle if kind is VehicleType.TAXI else 5)))
        start_fee, per_km, per_h = TARIFF[kind]
        if costs == "stretch":  # öre per stretch, per metre and per second while loaded
            priced = {
                "cost_per_stretch": float(start_fee),
                "cost_per_distance": float(per_km) / 1000,
                "cost_per_transit_time": float(per_h) / 3600,
                "billed_when_loaded": True,
            }
            if bill_waits:  # the meter runs while a traveller waits for a later pickup
                priced["cost_per_loaded_wait"] = float(per_h) / 3600
        else:
            priced = {"cost_per_distance": float(per_km) / 1000, "fixed_cost": float(start_fee)}
        for k in range(count):
            depot = rng.choice(mine or requests).pickup
            vehicles.append(
                Vehicle(
                    f"{kind.value}-{k}",
                    capacity[kind],
                    SHIFT,
                    depot,
                    depot,
                    type=kind,
                    **priced,  # type: ignore[arg-type]
                )
            )
    return vehicles


def plan_by_insertion(day: DayProblem) -> tuple[Problem, Solution]:
    """Live insertion of every request in booking order; refused ones stay unserved."""
    unplanned = {r.id: r for r in day.problem.requests}
    problem = day.problem
    solution = Solution((), tuple(Unserved(rid, "not yet booked") for rid in unplanned))
    cache = ScreeningCache()
    for rid in day.booking_order:
        result = insert(problem, solution, unplanned[rid], cache=cache)
        if isinstance(result, Insertion):
            problem, solution = with_request(problem, result.request), result.solution
        else:
            rest = tuple(u for u in solution.unserved if u.request_id != rid)
            solution = Solution(
                solution.routes, (*rest, Unserved(rid, result.message)), solution.cost
            )
    return problem, solution


def plan_by_engine(
    day: DayProblem, engine: str, time_limit: float, seed: int, *, seeded: bool = False
) -> tuple[Problem, Solution]:
    """An engine ("native" or "ortools") on the day; `seeded` starts it from the
    live-insertion plan and keeps that plan's promises, as the day-before re-optimisation
    does."""
    problem, initial = plan_by_insertion(day) if seeded else (day.problem, None)
    solver = make_solver(engine)
    solution = plan(problem, time_limit_s=time_limit, seed=seed, initial=initial, solver=solver)
    return problem, solution.solution


def metrics(
    plans: list[tuple[DayProblem, Problem, Solution]], *, bill_waits: bool = False
) -> dict[str, float | Decimal]:
    """Vehicle use, coordination, tariff cost against driving alone, extra ride time.
    `bill_waits`: a vehicle trip also pays the hourly rate while it stands at a pickup with
    someone on board, as a meter runs (settlement's waiting minutes)."""
    km = 0.0
    parked = 0.0  # seconds a vehicle stands with someone on board
    cost = alone = waits_ore = 0  # öre; waits_ore: waits at a pickup at the hourly rate
    trips = requests_count = used = 0
    extra: list[float] = []
    served = 0
    for day, problem, solution in plans:
        t, dist = problem.time, problem.distance
        requests = {r.id: r for r in problem.requests}
        vehicles = {v.id: v for v in problem.vehicles}
        requests_count += len(requests)
        for route in solution.routes:
            if not route.request_ids():
                continue
            used += 1
            stops = route.stops
            start_fee, per_km, per_h = TARIFF[vehicles[route.vehicle_id].type]
            km += sum(dist[a.location][b.location] for a, b in zip(stops, stops[1:], strict=False))
            on_board = 0
            picked: dict[str, float] = {}
            for prev, stop in zip(stops, stops[1:-1], strict=False):
                if on_board:  # loaded driving is what a run is paid for
                    leg = (prev.location, stop.location)
                    cost += fare(per_km, per_h, dist[leg[0]][leg[1]], t[leg[0]][leg[1]])
                    arrival = prev.time + stop_service(prev, requests) + t[leg[0]][leg[1]]
                    waited = max(0.0, stop.time - arrival)
                    parked += waited
                    if stop.kind is StopKind.PICKUP:
                        waits_ore += fare(Decimal(0), per_h, 0.0, waited)
                r = requests[stop.request_id or ""]
                if stop.kind is StopKind.PICKUP:
                    if on_board == 0:  # a new vehicle trip starts with a pickup into an empty car
                        trips += 1
                        cost += start_fee
                    on_board += 1
                    picked[r.id] = stop.time + r.pickup_service
                else:
                    on_board -= 1
                    extra.append((stop.time - picked[r.id] - t[r.pickup][r.dropoff]) / MIN)
        carried = solution.served_ids()
        served += len(carried)
        for rid in carried:
            r = requests[rid]
            start_fee, per_km, per_h = TARIFF[day.needs[rid]]
            alone += start_fee + fare(
                per_km, per_h, dist[r.pickup][r.dropoff], t[r.pickup][r.dropoff]
            )
    if bill_waits:
        cost += waits_ore
    q = statistics.quantiles(extra, n=20) if len(extra) > 1 else [0.0] * 19
    return {
        "requests": requests_count,
        "served": served,
        "vehicles_used": used,
        "vehicle_km": km / 1000,
        "vehicle_trips": trips,
        "passengers_per_vehicle_trip": served / trips if trips else 0.0,
        "cost_kr": Decimal(cost) / 100,
        "alone_kr": Decimal(alone) / 100,
        "savings_pct": 100 * (1 - cost / alone) if alone else 0.0,
        "extra_ride_p50_min": q[9],
        "extra_ride_p90_min": q[17],
        "extra_ride_p95_min": q[18],
        "extra_ride_max_min": max(extra, default=0.0),
        "waits_on_board_min": parked / MIN,
        "pickup_waits_kr": Decimal(waits_ore) / 100,
    }


FIELDS = (
    "trips", "engine", "plan_s", "cpu_s", "requests", "asked_too_early", "served",
    "not_inserted", "fleet_short",
    "vehicles_used", "vehicle_km", "vehicle_trips", "passengers_per_vehicle_trip", "cost_kr",
    "alone_kr", "savings_pct",
    "extra_ride_p50_min", "extra_ride_p90_min", "extra_ride_p95_min", "extra_ride_max_min",
    "waits_on_board_min", "pickup_waits_kr", "peak_mb",
)  # fmt: skip


def run(trips: int, engine: str, args: argparse.Namespace) -> dict[str, str]:
    demo = generate_day(args.day, seed=args.seed, trips=trips)
    room = Room(args.window_scale, args.ride_scale)
    days = build_problems(
        demo,
        provider=GeodesicProvider(),
        seed=args.seed,
        costs=args.costs,
        room=room,
        bill_waits=args.bill_waits,
    )
    plans = []
    started, cpu = time.perf_counter(), time.process_time()
    for day in days:
        if engine != "insertion":
            seeded = engine.startswith("insertion+")
            name = engine.removeprefix("insertion+")
            problem, solution = plan_by_engine(day, name, args.time_limit, args.seed, seeded=seeded)
            # As a planning of the day does: prove the left-out beyond the fleet where it
            # can, and start again from the proof's plan where that carries more.
            solution = explain_left_out(
                problem,
                solution,
                time_limit_s=PROOF_LIMIT_S,
                solver=make_solver(name),
                seed=args.seed,
            )
        else:
            problem, solution = plan_by_insertion(day)
        report = verify(problem, solution)
        if not report.ok:
            raise SystemExit(f"{engine} plan for region {day.region} fails the verifier: {report}")
        plans.append((day, problem, solution))
    seconds = time.perf_counter() - started
    row = {
        "trips": str(trips),
        "engine": engine,
        "plan_s": f"{seconds:.1f}",
        "cpu_s": f"{time.process_time() - cpu:.1f}",
    }
    row["peak_mb"] = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
    row["not_inserted"] = str(
        sum(u.reason == NOT_INSERTED for _, _, solution in plans for u in solution.unserved)
    )
    row["asked_too_early"] = str(sum(day.asked_too_early for day in days))
    row["fleet_short"] = str(
        sum(u.reason.startswith(FLEET_SHORT) for _, _, solution in plans for u in solution.unserved)
    )
    for key, value in metrics(plans, bill_waits=args.bill_waits).items():
        row[key] = f"{value:.2f}" if isinstance(value, float | Decimal) else str(value)
    return row


def save(rows: list[dict[str, str]], args: argparse.Namespace) -> None:
    results_table.save(
        f"service_day{args.tag}",
        "Service day, both regions: planned against every trip alone",
        [
            f"settings: demo day {args.day}, seed {args.seed}, geodesic travel times "
            f"({GeodesicProvider().name}), one problem per region, engine time limit "
            f"{args.time_limit} s per region, one vehicle per 8 plain trips, per 5 wheelchair "
            f"or stretcher trips, shift 05:00-23:30, planning costs `{args.costs}`, windows and "
            "ride limits from the tolerance each trip's rulebook gives (`leg_request`)"
            + (
                ""
                if (args.window_scale, args.ride_scale) == (1.0, 1.0)
                else f", pickup windows x {args.window_scale:g} and extra ride times x "
                f"{args.ride_scale:g} of the rulebooks'"
            ),
            "tariff (öre: per vehicle trip, per km, per hour): "
            + "; ".join(f"{k.value} {v}" for k, v in TARIFF.items())
            + (
                "; the hourly rate also for waits at a pickup with someone on board "
                "(`--bill-waits`), in the cost and in planning"
                if args.bill_waits
                else "; waits on board unpriced"
            ),
            "plan_s is the wall-clock planning time of both regions together (verification "
            "included), cpu_s this process's CPU time in it (on a shared machine the engine "
            "gets only part of a core); not_inserted: servable requests left out for lack of "
            "time; asked_too_early: legs not planned because the traveller's earlier leg "
            "cannot arrive before their pickup window closes (`leg_order`, as planning does; "
            "not in requests); fleet_short: left out where the vehicles that alone may carry "
            "them are proven too few that day (`fleet_bound`, in plan_s); the others no "
            "vehicle could carry even alone; extra ride time is ride time minus the direct "
            "trip, in minutes; waits_on_board_min: minutes vehicles stand with someone on "
            "board (for a later pickup or a drop-off window), summed over the day; "
            "pickup_waits_kr: the waits at a pickup among them at the hourly rate (in cost_kr "
            "only with --bill-waits); peak_mb: the process's peak resident memory so far",
        ],
        FIELDS,
        rows,
    )


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number above 0, got {text}")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips", default="600,3000", help="comma-separated day sizes")
    parser.add_argument(
        "--engines",
        default="insertion,native,ortools",
        help="insertion, native, native-fixed (an iteration count, not the clock: the same "
        "plan on any machine), ortools, insertion+native, insertion+ortools",
    )
    parser.add_argument("--time-limit", type=float, default=60.0, help="engine s per region")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--tag", default="", help="suffix of the result files")
    parser.add_argument(
        "--costs",
        choices=("stretch", "vehicle"),
        default="stretch",
        help="plan with the tariff paid (per stretch, loaded km and hours) or per vehicle and km",
    )
    parser.add_argument(
        "--window-scale",
        type=_positive,
        default=1.0,
        help="multiply every pickup window's minutes before and after the asked time",
    )
    parser.add_argument(
        "--ride-scale", type=_positive, default=1.0, help="multiply every extra ride time"
    )
    parser.add_argument(
        "--bill-waits",
        action="store_true",
        help="a vehicle trip also pays the hourly rate while it stands at a pickup with "
        "someone on board, in the day's cost and (with --costs stretch) in planning",
    )
    args = parser.parse_args()
    rows = []
    print(" | ".join(FIELDS))
    for trips in (int(x) for x in args.trips.split(",")):
        for engine in args.engines.split(","):
            if engine not in (
                "insertion",
                "native",
                "native-fixed",
                "ortools",
                "insertion+native",
                "insertion+ortools",
            ):
                parser.error(f"unknown engine {engine}")
            rows.append(run(trips, engine, args))
            print(" | ".join(rows[-1][k] for k in FIELDS), flush=True)
            save(rows, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
