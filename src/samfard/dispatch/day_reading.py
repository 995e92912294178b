"""What a planning reads of its day, and how its plan is carried to the day as it stands.

Planning a day solves for as long as its time limit (up to ten minutes), so `plan_day`
reads the day in one short transaction, solves with none open, and stores in a second.
Holding one transaction through the solve held SQLite's only write lock: every other
page, whose reads write their audit entries, waited and answered 503 after the busy
timeout. On PostgreSQL it blocked nobody but stored a plan of the day as it was read,
over a cancellation or a live insertion made meanwhile.

In between, a booking may be cancelled, approved (live insertion puts it on the newest
plan in place), or changed in time or place; a consignment likewise; a vehicle may leave
the fleet; the traffic controller may move a trip by hand. A `DayReading` holds what the
plan depends on, so the store step can tell what changed: the solved plan keeps every
request unchanged since the reading (`carry_over`), and the caller inserts the rest again.
A move by hand is the controller's decision, which a plan solved before it must not undo
(`moved_by_hand`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from samfard.dispatch import store
from samfard.dispatch.models import PlanRun, Run
from samfard.dispatch.planning_inputs import (
    ConsignmentInput,
    DayProblem,
    FleetVehicle,
    LegInput,
    PlanningDefaults,
    goods_request_id,
)
from samfard.dispatch.problem_builder import build_problem
from samfard.geo.traveltime import TravelTimeProvider
from samfard.planning.engine import NOT_INSERTED
from samfard.planning.model import Route, Solution, StopKind, Unserved
from samfard.planning.model import Stop as PlanStop
from samfard.planning.verifier import route_cost

# A run of the newest plan as its stops' order: (vehicle row id, ((request id, kind), ...)).
RunOrder = tuple[int, tuple[tuple[str, str], ...]]


@dataclass(frozen=True, slots=True)
class DayReading:
    """The inputs a plan of `day` is solved from, and the newest stored plan's runs."""

    day: date
    legs: tuple[LegInput, ...]
    consignments: tuple[ConsignmentInput, ...]
    fleet: tuple[FleetVehicle, ...]
    plan_id: int | None
    runs: tuple[RunOrder, ...]

    def requests(self) -> dict[str, LegInput | ConsignmentInput]:
        """Each planned request's input by its planner id."""
        found: dict[str, LegInput | ConsignmentInput] = {leg.request_id: leg for leg in self.legs}
        found.update((goods_request_id(c.consignment_id), c) for c in self.consignments)
        return found

    def problem(
        self, provider: TravelTimeProvider, defaults: PlanningDefaults | None
    ) -> DayProblem:
        return build_problem(
            self.day, self.legs, self.fleet, provider, defaults, consignments=self.consignments
        )


def read_day(session: Session, day: date, newest: PlanRun | None) -> DayReading:
    """The day's plannable legs and goods, its fleet, and `newest` plan's runs."""
    bookings = store.read_bookings(session, day)
    runs = () if newest is None else tuple(sorted(_run_order(run) for run in newest.runs))
    return DayReading(
        day=day,
        legs=tuple(store.leg_inputs(session, bookings)),
        consignments=tuple(store.consignment_inputs(store.read_consignments(session, day))),
        fleet=tuple(store.read_fleet(session, day)),
        plan_id=None if newest is None else newest.id,
        runs=runs,
    )


def _run_order(run: Run) -> RunOrder:
    return run.vehicle_id, tuple((store.request_id_of(s), s.kind) for s in run.stops)


def unchanged(before: DayReading, after: DayReading) -> set[str]:
    """The requests planned in both readings with the same input (times, places, needs,
    promise)."""
    was, now = before.requests(), after.requests()
    return {rid for rid, given in was.items() if now.get(rid) == given}


def same_vehicles(before: DayReading, after: DayReading) -> set[int]:
    """The vehicles (row ids) in both readings with the same shift, depot, room and prices."""
    was = {v.vehicle_id: v for v in before.fleet}
    return {v.vehicle_id for v in after.fleet if was.get(v.vehicle_id) == v}


def moved_by_hand(before: DayReading, after: DayReading, kept: set[str]) -> bool:
    """Whether the newest plan puts a request of `kept` on another vehicle or in another
    order among `kept` than when the day was read. Live insertion and cancellation add
    and remove stops but leave the others' vehicle and order alone; a move by hand does not.
    """

    def among_kept(runs: tuple[RunOrder, ...]) -> set[RunOrder]:
        orders = {
            (vehicle, tuple(stop for stop in stops if stop[0] in kept)) for vehicle, stops in runs
        }
        return {order for order in orders if order[1]}

    return among_kept(before.runs) != among_kept(after.runs)


def carry_over(
    solved: Solution, after: DayProblem, kept: set[str], vehicles_kept: set[int]
) -> Solution:
    """`solved`, a plan of the day as first read, as a plan of `after`: the stops of the
    `kept` requests at the same moments on the vehicles of `vehicles_kept`. Dropping a
    pickup with its drop-off never makes a route late, so what is kept stays on time. The
    requests dropped or new are left unserved as not inserted, for the caller to insert."""
    requests = {r.id: r for r in after.problem.requests}
    vehicles = {v.id: v for v in after.problem.vehicles}
    routes: list[Route] = []
    for route in solved.routes:
        vehicle = vehicles.get(route.vehicle_id)
        if vehicle is None or after.vehicles[vehicle.id] not in vehicles_kept:
            continue
        stops = [PlanStop(StopKind.START, vehicle.start_depot, route.stops[0].time)]
        for stop in route.stops[1:-1]:
            request = requests.get(stop.request_id or "")
            if request is None or request.id not in kept:
                continue
            where = request.pickup if stop.kind is StopKind.PICKUP else request.dropoff
            stops.append(PlanStop(stop.kind, where, stop.time, request.id))
        stops.append(PlanStop(StopKind.END, vehicle.end_depot, route.stops[-1].time))
        if len(stops) > 2:
            routes.append(Route(vehicle.id, tuple(stops)))
    routed = {rid for route in routes for rid in route.request_ids()}
    reasons = {u.request_id: u.reason for u in solved.unserved if u.request_id in kept}
    unserved = tuple(
        Unserved(rid, reasons.get(rid, NOT_INSERTED)) for rid in requests if rid not in routed
    )
    cost = sum(route_cost(after.problem, vehicles[r.vehicle_id], r) for r in routes)
    return Solution(tuple(routes), unserved, cost)
