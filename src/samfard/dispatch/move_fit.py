"""Whether a leg fits into a run, checked once for the move and for the move form alike.

The move form (/trafik/flytta) listed every run of the day, and a controller tried fifteen
of them, each refused with the same sentence, before the sixteenth took the trip. Now the
form asks, for every run it lists, the very question the move asks (`judge_move`), and
lists the runs that can take the leg first, with the pickup time they would give it, and
the others after with why not.

One code path for both: `MoveInputs` reads the bookings and goods of the runs concerned
once, and `MoveInputs.problem` builds for one target run exactly the problem the move
builds (the bookings of the leg's run, of the target run and the leg's own booking, in
booking order, over the active fleet); `judge_move` then puts the leg into that one run
at its cheapest feasible position (`planning.insertion`, restricted to the target
vehicle) and has the independent verifier judge the changed plan. Nothing is stored. A
check costs one insertion into one route and the travel times of two runs' places; the
move does the same once.

A form checks every run of the day (250 on a 3 000-trip day), so what all its problems
share is made once: the legs are read as rows (`live_state.leg_inputs_on`), each leg's
request and each vehicle is made once and only given each problem's location indices
(`problem_builder.ProblemBuilder`: a problem equal to `build_problem`'s), and each run's
stops are read from its rows once (`_RunPart`). Each run is then screened by the
insertion with room for all and no ride limits, into that run alone (`could_fit`): lifting
limits only adds places, so a run it refuses is one the move's check refuses too, and
`misfit_sv` names the times as why, as it would; only the runs it lets through (about
one in ten) get the stored plan over their problem and the move's own check. The marks
and pickup times are the same as when each run was checked from scratch
(tests/dispatch/test_move_form_fits.py, benchmarks/move_form.py).

When the leg does not fit, `misfit_sv` says why in Swedish: the vehicle's type or places,
its shift, a full vehicle, a ride time or the times promised. The insertion only counts
its refusals, so the last three are told apart by asking it again with limits lifted:
both at once first (`could_fit`: no place even so, and the times are why), then the
places, then the ride times, each alone: only for a run that refused, only to name why.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from samfard.dispatch import store
from samfard.dispatch.live_state import booking_ids_on, leg_inputs_on
from samfard.dispatch.models import PlanRun, Run
from samfard.dispatch.move_checks import names_for
from samfard.dispatch.move_words import findings_sv
from samfard.dispatch.planning_inputs import (
    ConsignmentInput,
    DayProblem,
    FleetVehicle,
    LegInput,
    PlanningDefaults,
    seconds_of,
)
from samfard.dispatch.problem_builder import ProblemBuilder, moved_request
from samfard.dispatch.unplanned_reasons import NOT_IN_STORED_PLAN
from samfard.dispatch.vehicle_names import VEHICLE_TYPES_SV
from samfard.geo.traveltime import TravelTimeProvider
from samfard.planning.insertion import Insertion, InsertionSettings, Refusal, insert
from samfard.planning.model import (
    Problem,
    Request,
    Route,
    Solution,
    StopKind,
    Unserved,
    Vehicle,
    VehicleType,
    Window,
)
from samfard.planning.model import Stop as PlanStop
from samfard.planning.verifier import Report, Violation, route_cost, verify
from samfard.timeutil import STOCKHOLM

NO_VEHICLE_SV = "Inget fordon i flottan har platser för resan."
ROOMY = 999  # places of every kind in the vehicle a full run is asked about again
PLACES_SV = ("säte", "rullstolsplats", "bårplats", "godsplats")
PLACES_PLURAL_SV = ("säten", "rullstolsplatser", "bårplatser", "godsplatser")


@dataclass(frozen=True, slots=True)
class Fit:
    """The leg fits: the changed plan (verified) and what the insertion chose."""

    solution: Solution
    insertion: Insertion
    cost_change: float  # the changed runs' cost after the move minus before


@dataclass(frozen=True, slots=True)
class Misfit:
    """The leg does not fit. `kind` is "no_position" (no feasible place in the run:
    `refusal` holds the insertion's reasons) or "verifier" (the changed plan failed the
    verifier: `report`, judged against `judged` with `solution`)."""

    kind: str
    refusal: Refusal | None = None
    report: Report | None = None
    judged: Problem | None = None
    solution: Solution | None = None


@dataclass(frozen=True, slots=True)
class MoveInputs:
    """What the move reads from the database, read once for any number of target runs:
    the plan, the leg's run (None when unplanned), the planner inputs of every booking and
    goods on the runs concerned, the active fleet and the travel-time provider."""

    plan_run: PlanRun
    booking_id: int
    source: Run | None
    legs: tuple[LegInput, ...]  # in booking order, as `live_state.runs_problem` reads them
    goods: tuple[ConsignmentInput, ...]  # by consignment id
    fleet: tuple[FleetVehicle, ...]
    provider: TravelTimeProvider
    defaults: PlanningDefaults
    runs_of: dict[str, tuple[int, ...]]  # request id -> the plan's runs that carry it
    kinds: frozenset[int]  # the first vehicle of each kind of places (`fleet_for`)
    # Read once for every target: the problems' requests and vehicles (`ProblemBuilder`),
    # the legs by booking, and each run's bookings, goods and stops in seconds (`_RunPart`).
    builder: ProblemBuilder
    legs_of: dict[int, tuple[tuple[int, LegInput], ...]]  # booking -> (place in legs, leg)
    fleet_at: dict[int, int]  # vehicle id -> its place in `fleet`
    parts: dict[int, _RunPart] = dataclasses.field(default_factory=dict)  # by run id
    reasons: dict[str, str] = dataclasses.field(default_factory=dict)  # unserved, by request

    @classmethod
    def read(
        cls,
        session: Session,
        plan_run: PlanRun,
        booking_id: int,
        source: Run | None,
        targets: Iterable[Run],
        defaults: PlanningDefaults,
    ) -> MoveInputs:
        runs = [*([source] if source is not None else []), *targets]
        runs_of: dict[str, list[int]] = {}
        for index, run in enumerate(plan_run.runs):
            for stop in run.stops:
                found = runs_of.setdefault(store.request_id_of(stop), [])
                if not found or found[-1] != index:
                    found.append(index)
        fleet = tuple(store.read_fleet(session))
        first: dict[tuple[int, ...], int] = {}
        for v in fleet:
            places = (v.seats, v.wheelchair_places, v.stretcher_places, v.goods_units)
            first.setdefault(places, v.vehicle_id)
        legs = tuple(leg_inputs_on(session, booking_ids_on(runs) | {booking_id}))
        legs_of: dict[int, list[tuple[int, LegInput]]] = {}
        for place, leg in enumerate(legs):
            legs_of.setdefault(leg.booking_id, []).append((place, leg))
        provider = store.provider_for(plan_run.settings.get("osrm_url"))
        return cls(
            plan_run=plan_run,
            booking_id=booking_id,
            source=source,
            legs=legs,
            goods=tuple(store.consignments_on(session, runs)),
            fleet=fleet,
            provider=provider,
            defaults=defaults,
            runs_of={rid: tuple(found) for rid, found in runs_of.items()},
            kinds=frozenset(first.values()),
            builder=ProblemBuilder(plan_run.service_date, provider, defaults),
            legs_of={booking: tuple(found) for booking, found in legs_of.items()},
            fleet_at={v.vehicle_id: k for k, v in enumerate(fleet)},
            reasons={row["request_id"]: str(row["reason"]) for row in plan_run.unserved},
        )

    def problem(self, target: Run) -> DayProblem:
        """The move's problem for `target`: every booking and goods on the leg's run and on
        `target` and the leg's own booking (as `live_state.runs_problem` builds it), over
        the vehicles that carry them (`fleet_for`). The requests and vehicles are made once
        for all targets (`ProblemBuilder`: the same problem as `build_problem`'s)."""
        runs = [run for run in (self.source, target) if run is not None]
        parts = [self.part(run) for run in runs]
        bookings = {self.booking_id}.union(*(part.bookings for part in parts))
        goods = set().union(*(part.goods for part in parts))
        legs = [leg for _, leg in sorted(x for b in bookings for x in self.legs_of.get(b, ()))]
        consignments = [g for g in self.goods if g.consignment_id in goods]
        rids = [leg.request_id for leg in legs] + [g.request_id for g in consignments]
        return self.builder.build(legs, self.fleet_for(runs, rids), consignments)

    def part(self, run: Run) -> _RunPart:
        """What the move's problems read of `run`, read from its rows once."""
        found = self.parts.get(run.id)
        if found is None:
            found = self.parts[run.id] = _RunPart.of(run, self.plan_run.service_date)
        return found

    def fleet_for(self, runs: Sequence[Run], rids: Iterable[str]) -> list[FleetVehicle]:
        """The vehicles a move's problem needs, in fleet order: those of `runs` and of
        every run that carries one of `rids` (the routes the verifier judges), and the
        first of each kind of places (seats, wheelchair, stretcher, goods). A request is
        left out of a problem only when no vehicle has its places (`build_problem`), and
        the first of each kind has the places of all alike, so the same requests are
        left out as over the whole fleet; no other vehicle is looked at. Building a
        problem over every vehicle of a large fleet took most of the form's time (344
        vehicles: 10 ms a run)."""
        wanted = {run.vehicle_id for run in runs} | self.kinds
        wanted |= {
            self.plan_run.runs[i].vehicle_id for rid in rids for i in self.runs_of.get(rid, ())
        }
        at = self.fleet_at
        return [self.fleet[k] for k in sorted(at[vid] for vid in wanted if vid in at)]

    def stored(self, day: DayProblem) -> Solution:
        """The stored plan over `day`, exactly as `store.solution_of` reads it, from the
        runs that carry one of `day`'s requests (every other run has no stop in it and
        adds no route), each run's stops read from its rows once (`part`)."""
        problem = day.problem
        requests = {r.id: r for r in problem.requests}
        vehicles = {v.id: v for v in problem.vehicles}
        wanted = sorted({i for rid in requests for i in self.runs_of.get(rid, ())})
        routes = [
            route
            for i in wanted
            if (route := self.route(day, self.plan_run.runs[i], requests, vehicles)) is not None
        ]
        routed = {rid for route in routes for rid in route.request_ids()}
        unserved = tuple(
            Unserved(rid, self.reasons.get(rid, NOT_IN_STORED_PLAN))
            for rid in requests
            if rid not in routed
        )
        cost = sum(route_cost(problem, vehicles[r.vehicle_id], r) for r in routes)
        return Solution(tuple(routes), unserved, cost)

    def route(
        self,
        day: DayProblem,
        run: Run,
        requests: Mapping[str, Request] | None = None,
        vehicles: Mapping[str, Vehicle] | None = None,
    ) -> Route | None:
        """`run` as a route of the stored plan over `day` (`stored`), None when it has no
        stop in it or its vehicle is not in it."""
        problem = day.problem
        requests = requests if requests is not None else {r.id: r for r in problem.requests}
        vehicles = vehicles if vehicles is not None else {v.id: v for v in problem.vehicles}
        part = self.part(run)
        vehicle = vehicles.get(part.vehicle_id)
        if vehicle is None:
            return None
        stops = [PlanStop(StopKind.START, vehicle.start_depot, part.start)]
        for rid, kind, at in part.stops:
            request = requests.get(rid)
            if request is None:
                continue
            where = request.pickup if kind is StopKind.PICKUP else request.dropoff
            stops.append(PlanStop(kind, where, at, rid))
        stops.append(PlanStop(StopKind.END, vehicle.end_depot, part.end))
        return Route(vehicle.id, tuple(stops)) if len(stops) > 2 else None


@dataclass(frozen=True, slots=True)
class _RunPart:
    """One stored run as the move's problems read it: its vehicle (the planner's id), its
    bookings and goods, its start and end and its stops (request id, kind, time), times in
    seconds of the day."""

    vehicle_id: str
    bookings: frozenset[int]
    goods: frozenset[int]
    start: float
    end: float
    stops: tuple[tuple[str, StopKind, float], ...]

    @classmethod
    def of(cls, run: Run, day: date) -> _RunPart:
        return cls(
            vehicle_id=str(run.vehicle_id),
            bookings=frozenset(booking_ids_on([run])),
            goods=frozenset(s.consignment_id for s in run.stops if s.consignment_id),
            start=seconds_of(day, run.start_at),
            end=seconds_of(day, run.end_at),
            stops=tuple(
                (store.request_id_of(s), StopKind(s.kind), seconds_of(day, s.planned_at))
                for s in run.stops
            ),
        )


def judge_move(
    day: DayProblem,
    stored: Solution,
    source_vid: str | None,
    target_vid: str,
    rid: str,
    defaults: PlanningDefaults,
) -> Fit | Misfit:
    """The plan with `rid` taken out of its run and put into `target_vid`'s, verified; or
    why not. Pure: nothing is read or stored."""
    problem = day.problem
    vehicles = {v.id: v for v in problem.vehicles}
    if target_vid not in vehicles:  # the vehicle is no longer active
        return Misfit("no_position", refusal=Refusal(rid, ("the vehicle is not active",)))
    changed = {target_vid} | ({source_vid} if source_vid is not None else set())
    before = {r.vehicle_id: r for r in stored.routes}
    routes = [_without(route, rid) for route in before.values()]
    target_route = next((r for r in routes if r.vehicle_id == target_vid), None)
    answer = insert(
        only_vehicle(problem, target_vid),
        Solution(() if target_route is None else (target_route,)),
        problem.request(rid),
        InsertionSettings(promise_tolerance=_tolerance(day, rid, defaults)),
    )
    if not isinstance(answer, Insertion):
        return Misfit("no_position", refusal=answer)
    moved_target = next(r for r in answer.solution.routes if r.vehicle_id == target_vid)
    after = [moved_target if r.vehicle_id == target_vid else r for r in routes]
    after = [r for r in after if r.request_ids()]
    routed = {x for r in after for x in r.request_ids()}
    unserved = tuple(
        Unserved(r.id, NOT_IN_STORED_PLAN) for r in problem.requests if r.id not in routed
    )

    def cost(rs: Iterable[Route], only: set[str] | None = None) -> float:
        mine = [r for r in rs if only is None or r.vehicle_id in only]
        return sum(route_cost(problem, vehicles[r.vehicle_id], r) for r in mine)

    solution = Solution(tuple(after), unserved, cost(after))
    judged = _with_promise(problem, answer.request)
    report = verify(judged, solution)
    if not report.ok:
        added = added_findings(report.violations, verify(problem, stored).violations)
        if added:
            worse = Report(added, report.cost)
            return Misfit("verifier", report=worse, judged=judged, solution=solution)
    return Fit(solution, answer, cost(after, changed) - cost(before.values(), changed))


def added_findings(
    after: Iterable[Violation], before: Iterable[Violation]
) -> tuple[Violation, ...]:
    """The verifier's findings on the changed plan that the stored plan did not have as
    they are: new ones, and old ones the move changed (a late trip made later: its
    finding names other times). A run the driver reports late has its forecast times
    stored (`delays`), which break promises; every move that touched it, even one taking
    a trip off it, was refused for findings that were there before it, and re-planning the
    rest of the day does not make a late vehicle early. The move answers for what it
    changes."""
    had = set(before)
    return tuple(v for v in after if v not in had)


def only_vehicle(problem: Problem, vid: str) -> Problem:
    """`problem` with one vehicle: a frozen dataclass copy, which skips __post_init__."""
    only = copy.copy(problem)
    object.__setattr__(only, "vehicles", tuple(v for v in problem.vehicles if v.id == vid))
    return only


def _tolerance(day: DayProblem, rid: str, defaults: PlanningDefaults) -> float:
    return store.pickup_tolerance_s(day.legs[rid], defaults.pickup_before_min)


def _without(route: Route, rid: str) -> Route:
    return Route(route.vehicle_id, tuple(s for s in route.stops if s.request_id != rid))


def _with_promise(problem: Problem, request: Request) -> Problem:
    """The problem as it stands after the move: the moved leg with its promised window."""
    extended = copy.copy(problem)
    others = tuple(r for r in problem.requests if r.id != request.id)
    object.__setattr__(extended, "requests", (*others, request))
    return extended


def misfit_sv(
    day: DayProblem,
    stored: Solution,
    target_vid: str,
    rid: str,
    defaults: PlanningDefaults,
    *,
    relaxed: bool | None = None,
) -> str:
    """Why the leg has no place in the run, in Swedish, without a name or an address:
    "bilen är full när resan ska åka". Call it for a "no_position" misfit.

    The insertion is asked again with both limits lifted at once (`could_fit`; pass its
    answer as `relaxed` when it is known): where even that finds no place, neither lifted
    alone would, and the times are why (one insertion, not two). Otherwise the places are
    lifted, then the ride times, each alone, as before."""
    problem = day.problem
    request = problem.request(rid)
    vehicle = next((v for v in problem.vehicles if v.id == target_vid), None)
    if vehicle is None:
        return "fordonet är inte i trafik längre"
    said = _type_or_places_sv(request, vehicle)
    if said:
        return said
    shift = _shift_sv(day, request, vehicle.id)
    if shift:
        return shift
    kept = _kept(stored, target_vid, rid)
    tolerance = _tolerance(day, rid, defaults)
    if relaxed is None:
        relaxed = could_fit(day, stored, target_vid, rid, defaults)
    if relaxed and _fits_with(problem, request, _roomy(vehicle), kept, tolerance):
        return "fordonet är fullt när resan ska åka"
    if relaxed and _fits_with(problem, request, vehicle, kept, tolerance, no_ride_limits=True):
        return (
            "omvägen blir för lång: resan eller någon annan i bilen skulle åka längre än "
            "sin längsta restid"
        )
    return (
        "körningen hinner inte hämta resan inom dess tid (utlovad tid eller tidsfönster) "
        "utan att andra resor i bilen blir sena"
    )


def could_fit(
    day: DayProblem, stored: Solution, target_vid: str, rid: str, defaults: PlanningDefaults
) -> bool:
    """Whether the insertion finds a place for the leg in the run with room for all and no
    ride limits: a screen before the move's own check. Lifting limits only adds places,
    so where this finds none `judge_move` finds none either (the form marks the run "ryms
    inte" with `misfit_sv(..., relaxed=False)`, the words the move would give); where it
    finds one the move's own check decides. True when the vehicle is not in the problem
    (the move's check says so)."""
    problem = day.problem
    vehicle = next((v for v in problem.vehicles if v.id == target_vid), None)
    if vehicle is None:
        return True
    return _fits_with(
        problem,
        problem.request(rid),
        _roomy(vehicle),
        _kept(stored, target_vid, rid),
        _tolerance(day, rid, defaults),
        no_ride_limits=True,
    )


def _kept(stored: Solution, target_vid: str, rid: str) -> tuple[Route, ...]:
    """The target's route as the move finds it, without the leg."""
    route = next((r for r in stored.routes if r.vehicle_id == target_vid), None)
    return () if route is None else (_without(route, rid),)


def _roomy(vehicle: Vehicle) -> Vehicle:
    """The vehicle with room for all of every kind."""
    return dataclasses.replace(vehicle, capacity=tuple(ROOMY for _ in vehicle.capacity))


def _type_or_places_sv(request: Request, vehicle: Vehicle) -> str | None:
    """Why the vehicle cannot carry the request whatever its run holds, or None."""
    if not request.allows(vehicle):
        needed = " eller ".join(
            sorted(VEHICLE_TYPES_SV.get(t.value, t.value) for t in request.allowed_types)
        )
        kind = VEHICLE_TYPES_SV.get(vehicle.type.value, vehicle.type.value)
        return f"resan kräver {needed}, och fordonet är {kind}"
    if not request.fits(vehicle):
        return _places_sv(request, vehicle.capacity, vehicle.front_seats)
    return None


def _places_or_type_sv(request: Request, fleet: FleetVehicle, day: DayProblem) -> str | None:
    """`_type_or_places_sv` for a fleet vehicle, as a move's problem would hold it."""
    with_goods = len(day.problem.dimensions) > 3
    capacity = (fleet.seats, fleet.wheelchair_places, fleet.stretcher_places)
    vehicle = Vehicle(
        id=str(fleet.vehicle_id),
        capacity=capacity + ((fleet.goods_units,) if with_goods else ()),
        shift=Window(0.0, 1.0),
        start_depot=0,
        end_depot=0,
        type=VehicleType(fleet.vehicle_type),
    )
    return _type_or_places_sv(request, vehicle)


def _places_sv(request: Request, capacity: Sequence[int], front_seats: int) -> str:
    for index, (needed, has) in enumerate(zip(request.load, capacity, strict=True)):
        if needed > has and index < len(PLACES_SV):
            what = PLACES_SV[index] if needed == 1 else PLACES_PLURAL_SV[index]
            return f"resan behöver {needed} {what}, och fordonet har {has}"
    if request.front_seat and front_seats < 1:
        return "resan behöver framsätet, och fordonet har inget ledigt framsäte"
    return "fordonet har inte platser för resan"


def _shift_sv(day: DayProblem, request: Request, vid: str) -> str | None:
    """The shift, when it cannot hold the trip even alone: out from the depot and back."""
    problem = day.problem
    vehicle = next(v for v in problem.vehicles if v.id == vid)
    t = problem.time
    window = request.effective_pickup_window
    pickup = max(window.earliest, vehicle.shift.earliest + t[vehicle.start_depot][request.pickup])
    if pickup > window.latest:
        return f"fordonets pass börjar {_clock(day, vehicle.shift.earliest)}, för sent för resan"
    arrive = pickup + request.pickup_service + t[request.pickup][request.dropoff]
    done = max(arrive, request.dropoff_window.earliest) + request.dropoff_service
    back = done + t[request.dropoff][vehicle.end_depot]
    if back > vehicle.shift.latest:
        return f"fordonets pass slutar {_clock(day, vehicle.shift.latest)}, före resan hinner köras"
    return None


def _fits_with(
    problem: Problem,
    request: Request,
    vehicle: Vehicle,
    kept: tuple[Route, ...],
    tolerance: float,
    *,
    no_ride_limits: bool = False,
) -> bool:
    """Whether the insertion finds a place in `vehicle`'s run with a limit lifted (a
    vehicle with room for all, or no ride limits): to screen a run and to say why it
    found none. The problem holds that one vehicle and the requests its run carries: an
    insertion into one route reads nothing else (the others' travel times stay in the
    matrices, unread)."""
    riding = {rid for route in kept for rid in route.request_ids()}
    requests = tuple(r for r in problem.requests if r.id in riding)
    if no_ride_limits:
        requests = tuple(_no_ride_limit(r) for r in requests)
        request = _no_ride_limit(request)
    changed = copy.copy(problem)  # a frozen dataclass copy, which skips __post_init__
    object.__setattr__(changed, "vehicles", (vehicle,))
    object.__setattr__(changed, "requests", requests)
    settings = InsertionSettings(promise_tolerance=tolerance)
    return isinstance(insert(changed, Solution(kept), request, settings), Insertion)


def _no_ride_limit(request: Request) -> Request:
    """`request` without its ride limit (no limit passes every check it passed)."""
    return request if request.max_ride is None else moved_request(request, max_ride=None)


def _clock(day: DayProblem, seconds: float) -> str:
    return f"{day.at(seconds).astimezone(STOCKHOLM):%H:%M}"


@dataclass(frozen=True, slots=True)
class RunFit:
    """What the move form says of one run: it takes the leg (with the pickup time it would
    get and the cost it adds) or it does not, and why (Swedish)."""

    fits: bool
    pickup_at: datetime | None = None
    added_cost: float = 0.0
    why_sv: str = ""


def run_fits(
    session: Session,
    plan_run: PlanRun,
    booking_id: int,
    leg_seq: int,
    targets: Sequence[Run],
    defaults: PlanningDefaults | None = None,
) -> dict[int, RunFit]:
    """For each run of `targets` (by run id), whether the move of the leg into it would be
    saved now: the move's own check (`judge_move`) over the move's own problem, nothing
    stored. The leg's own run is no target and is left out."""
    defaults = defaults or PlanningDefaults()
    rid = f"b{booking_id}.{leg_seq}"
    source = next(
        (r for r in plan_run.runs if any(store.request_id_of(s) == rid for s in r.stops)), None
    )
    others = [run for run in targets if source is None or run.id != source.id]
    inputs = MoveInputs.read(session, plan_run, booking_id, source, others, defaults)
    source_vid = None if source is None else str(source.vehicle_id)
    found: dict[int, RunFit] = {}
    kinds = {v.vehicle_id: v for v in inputs.fleet}
    first: DayProblem | None = None
    for target in others:
        vehicle = kinds.get(target.vehicle_id)
        if first is not None and vehicle is not None and rid in first.legs:
            # The vehicle's type or places rule it out whatever the run holds: the
            # insertion refuses such a vehicle before it looks at the route, and says
            # so in the same words.
            said = _places_or_type_sv(first.problem.request(rid), vehicle, first)
            if said:
                found[target.id] = RunFit(False, why_sv=said)
                continue
        day = inputs.problem(target)
        first = first or day
        if rid not in day.legs:
            return {}
        if rid in dict(day.rejected):
            found[target.id] = RunFit(False, why_sv=NO_VEHICLE_SV)
            continue
        vid = str(target.vehicle_id)
        # The screen reads the target's route alone: the rest of the stored plan over the
        # problem is read only for the runs it lets through.
        route = inputs.route(day, target)
        alone = Solution(() if route is None else (route,))
        if not could_fit(day, alone, vid, rid, defaults):
            # Not even with room for all and no ride limits: the move's check finds no
            # place either, and says why in these words.
            why = misfit_sv(day, alone, vid, rid, defaults, relaxed=False)
            found[target.id] = RunFit(False, why_sv=why)
            continue
        stored = inputs.stored(day)
        judged = judge_move(day, stored, source_vid, vid, rid, defaults)
        if isinstance(judged, Fit):
            pickup = day.at(judged.insertion.pickup_time)
            found[target.id] = RunFit(True, pickup, judged.insertion.added_cost)
        elif judged.kind == "no_position":
            found[target.id] = RunFit(False, why_sv=misfit_sv(day, stored, vid, rid, defaults))
        else:
            assert judged.report is not None and judged.judged and judged.solution
            names = names_for(session, day, judged.solution)
            already = {(v.kind.value, v.subject) for v in verify(day.problem, stored).violations}
            text, new = findings_sv(
                judged.report.violations, already, judged.judged, judged.solution, names
            )
            worse = "körningarna är redan försenade, och flytten gör det värre"
            why = text if new else f"{worse} ({text})"
            found[target.id] = RunFit(False, why_sv=why)
    return found
