"""Re-planning the rest of a running day without moving what has happened.

The controller (or the hand-off, when a carrier declines a run) re-plans from the plan as
it now stands. Fixed are the stops already done and, for a vehicle on the road, the stop
it is driving to; passengers on board stay on their vehicle. The trips to move (those
whose promise is at risk, those of a declined run and those without a run; or, for a full
re-plan, every trip not yet started) are taken out and placed again, promised ones first,
by live insertion (planning.insertion) into runs cut at their fixed part, so a promise is
a hard window: a traveller keeps the time they were told. The same cut serves a booking
made during the day (`place_running`), and goods booked during it
(`place_running_goods`): nothing moves but the new trip or goods. Only a traveller
whose promise the day can no longer keep anywhere is placed at the earliest time that
works, told the new time, and the controller alerted; one that fits nowhere is left
unserved with an alert.

The whole new plan is judged by the independent verifier before anything is written;
a plan it refuses is not saved and the controller is told why.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard import changes
from samfard.access.actor import Actor
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.dispatch import alerts, store
from samfard.dispatch.forecast import (
    at_risk,
    forecast_route,
    judged_problem,
    service_of,
    solution_of_routes,
    stale,
)
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.live_state import LiveDay, booking_ids_on, live_day
from samfard.dispatch.models import PlanChange, PlanRun, Run, Vehicle
from samfard.dispatch.offer_states import DECLINED, vehicles_answered
from samfard.dispatch.planning_inputs import DayProblem
from samfard.dispatch.replan_save import ReplanOutcome, save
from samfard.dispatch.words_sv import findings_sv
from samfard.goods.models import Consignment
from samfard.planning.insertion import Insertion, InsertionSettings, insert, with_request
from samfard.planning.model import Problem, Request, Route, Solution, Stop, StopKind, Window
from samfard.planning.verifier import route_cost, verify

log = logging.getLogger(__name__)
RELAX_S = 3 * 3600.0  # how much later than its window a broken promise may still be served
NEAR = timedelta(hours=2)  # a new trip is placed among runs with stops this close in time


@dataclass
class _Cut:
    """One vehicle's run split at what has happened."""

    vehicle_id: str
    prefix: list[Stop]  # done, plus the stop it drives to
    start: Stop  # the forecast route's start
    onboard: list[Request]  # riding now: their drop-offs must stay on this vehicle
    rest: list[Stop]  # stops after the fixed part that stay on this vehicle, in order
    route: Route  # the whole forecast route


Mode = Literal["full", "at_risk", "keep"]


def replan_rest(
    session: Session, plan_run: PlanRun, *, now: datetime, actor: Actor, full: bool = False
) -> ReplanOutcome:
    """Re-plan the rest of the day in the caller's transaction (see the module).

    By default only what needs it moves: each trip whose promise the forecast breaks, the
    trips of runs whose carrier declined, and approved trips and booked goods without a
    run are placed again; every other stop keeps its run and order (a carrier who accepted
    a run keeps it). `full` takes out every trip not yet started and places them all
    again: a bigger change that may find a cheaper rest of the day, and slower."""
    return _run(
        session, plan_run, _waiting(session, plan_run), mode="full" if full else "at_risk",
        require_all=False, now=now, actor=actor, extra_goods=_waiting_goods(session, plan_run),
    )  # fmt: skip


def place_running(
    session: Session, plan_run: PlanRun, booking: Booking, *, now: datetime, actor: Actor
) -> ReplanOutcome:
    """Insert one booking's legs into a day already under way: every run keeps its stops
    in order and what has happened stays; the new legs go where they cost least. Saved
    only when every leg fits (then the booking is scheduled with promised windows)."""
    times = [t for leg in booking.legs for t in (leg.requested_pickup_at, leg.appointment_at) if t]
    near = _runs_near(plan_run, min(times) - NEAR, max(times) + NEAR) if times else None
    return _run(
        session, plan_run, [booking.id], mode="keep", require_all=True, now=now, actor=actor,
        runs=near,
    )  # fmt: skip


def place_running_goods(
    session: Session, plan_run: PlanRun, consignment: Consignment, *, now: datetime, actor: Actor
) -> ReplanOutcome:
    """Insert one consignment into a day already under way, as `place_running` does a
    booking: every run keeps its stops in order, what has happened stays, and the goods
    go where they cost least among the runs near their windows. Saved only when they fit
    (then they are planned)."""
    near = _runs_near(plan_run, consignment.pickup_from - NEAR, consignment.dropoff_until + NEAR)
    return _run(
        session, plan_run, [], mode="keep", require_all=True, now=now, actor=actor, runs=near,
        extra_goods=[consignment.id],
    )  # fmt: skip


def _runs_near(plan_run: PlanRun, start: datetime, end: datetime) -> list[Run]:
    """Runs with a stop between `start` and `end`: the only ones a trip then can join
    (vehicles without a run are candidates too)."""
    return [r for r in plan_run.runs if any(start <= s.planned_at <= end for s in r.stops)]


def running(session: Session, day: date) -> bool:
    """Whether the day is under way: some stop of it has been reported."""
    found = session.scalar(select(StopDone.id).where(StopDone.service_date == day).limit(1))
    return found is not None


def _waiting(session: Session, plan_run: PlanRun) -> list[int]:
    on_runs = booking_ids_on(plan_run.runs)
    return [
        b.id
        for b in store.read_bookings(session, plan_run.service_date)
        if b.status == BookingStatus.APPROVED.value and b.id not in on_runs
    ]


def _waiting_goods(session: Session, plan_run: PlanRun) -> list[int]:
    """The day's goods still to carry that no run takes (booked during the day and left
    out, or left out by the evening's plan): the rest of the day is their chance too."""
    on_runs = {s.consignment_id for run in plan_run.runs for s in run.stops}
    return [
        g.id for g in store.read_consignments(session, plan_run.service_date) if g.id not in on_runs
    ]


def _at_risk(problem: Problem, forecasts: dict[str, Route], live: LiveDay) -> set[str]:
    """Trips not yet picked up whose forecast pickup is after their promise."""
    requests = {r.id: r for r in problem.requests}
    found: set[str] = set()
    for route in forecasts.values():
        for stop in route.stops:
            rid = stop.request_id or ""
            if stop.kind is not StopKind.PICKUP or (rid, "pickup") in live.done:
                continue
            promise = requests[rid].promised_pickup
            if promise is not None and stop.time > promise.latest + 1.0:
                found.add(rid)
    return found


def _run(
    session: Session,
    plan_run: PlanRun,
    extra: list[int],
    *,
    mode: Mode,
    require_all: bool,
    now: datetime,
    actor: Actor,
    runs: list[Run] | None = None,
    extra_goods: list[int] | None = None,
) -> ReplanOutcome:
    """Cut every run (or `runs` and the vehicles without one) at what has happened, take
    out the trips `mode` says, place them again (with the bookings `extra` and the
    consignments `extra_goods` not yet on a run), verify and save (or alert why not)."""
    day = plan_run.service_date
    excluded = vehicles_answered(session, plan_run.service_date, DECLINED)
    usable = set(session.scalars(select(Vehicle.id).where(Vehicle.active))) - excluded
    if runs is not None:
        others = {r.vehicle_id for r in plan_run.runs} - {r.vehicle_id for r in runs}
        usable -= others
    live = live_day(
        session,
        plan_run,
        plan_run.runs if runs is None else runs,
        extra_booking_ids=extra,
        extra_consignment_ids=extra_goods or (),
        vehicle_ids=usable,
    )
    problem = live.day.problem
    now_s = live.day.seconds(now)
    forecasts = {
        vid: forecast_route(problem, r, live.done, now_s) for vid, r in live.routes.items()
    }
    moving: set[str] | None = None  # None: every trip not yet started
    if mode == "keep":
        moving = set()
    elif mode == "at_risk":
        moving = _at_risk(problem, forecasts, live)
    cuts = {vid: _cut(problem, route, live, now_s, moving) for vid, route in forecasts.items()}
    kept = {s.request_id for c in cuts.values() for s in (*c.prefix, *c.rest)}
    # A leg of a booking read with these runs may ride on a run left out: it stays there.
    elsewhere = {
        f"b{s.booking_id}.{s.leg_seq}"
        for r in plan_run.runs
        if str(r.vehicle_id) not in live.routes and r.vehicle_id not in excluded
        for s in r.stops
    }
    free = [r for r in problem.requests if r.id not in kept and r.id not in elsewhere]
    if mode == "keep":
        # An insertion places the new trip or goods only: a leg of a booking read with
        # the runs that was left out before (its window passed, no room) stays out, and
        # its failing again must not refuse the new one (every booking of the day after
        # the first stop report went unplanned while one such leg rode nearby).
        new = _new_ids(live.day, extra, extra_goods or ())
        free = [r for r in free if r.id in new]
    outcome = ReplanOutcome(fixed_stops=sum(len(c.prefix) for c in cuts.values()))
    cut_problem, solution = _cut_problem(problem, cuts, free, now_s)
    placed, final_requests = _place(cut_problem, solution, free, outcome, live.day)
    if require_all and (outcome.unserved or outcome.broken):
        outcome.saved = False
        return outcome
    stitched = _stitch(problem, cuts, placed)
    final = copy.copy(problem)
    object.__setattr__(
        final,
        "requests",
        tuple(final_requests[r.id] for r in problem.requests if r.id in final_requests),
    )
    judged = judged_problem(final, stitched, live.done)
    report = verify(judged, solution_of_routes(judged, stitched))
    vehicle_of = {rid: r.vehicle_id for r in stitched for rid in r.request_ids()}
    errors = at_risk(report, vehicle_of).errors  # overtime is alerted, not refused
    if errors:
        outcome.saved = False
        found = [e for es in errors.values() for e in es]
        log.warning("re-plan refused by the verifier: %s", "; ".join(map(str, found[:5])))
        alerts.raise_alert(
            session,
            kind="plan_rejected",
            day=day,
            subject="replan",
            message="Omplaneringen underkändes av kontrollen och sparades inte "
            f"({findings_sv(found)}); planen är oförändrad.",
            at=now,
        )
        return outcome
    declined = {str(v) for v in excluded}
    save(session, plan_run, live, stitched, final, outcome, declined, now=now, actor=actor)
    change: PlanChange = "rest_of_day"
    if mode == "keep":
        change = "goods" if extra_goods else "booking"
    plan_run.note_change(change, by=actor.username, at=now)
    # The day's pages and every driver page follow the plan's topic: a re-plan moved
    # stops on runs whose pages showed the old ones until reloaded.
    topic = f"plan:{plan_run.service_date.isoformat()}"
    changes.announce(session, topic=topic, kind=change, at=now)
    return outcome


def _new_ids(
    day: DayProblem, booking_ids: Iterable[int], consignment_ids: Iterable[int]
) -> set[str]:
    """The planner ids of the legs of `booking_ids` and of the goods `consignment_ids`."""
    bookings, goods = set(booking_ids), set(consignment_ids)
    return {rid for rid, leg in day.legs.items() if leg.booking_id in bookings} | {
        rid for rid, g in day.consignments.items() if g.consignment_id in goods
    }


def _cut(
    problem: Problem, route: Route, live: LiveDay, now_s: float, moving: set[str] | None
) -> _Cut:
    """Split a route at what has happened. The stops after it stay on the vehicle in
    their order, except the trips in `moving` (all trips not yet started when None);
    riders on board always stay."""
    requests = {r.id: r for r in problem.requests}
    inner = list(route.stops[1:-1])
    done_n = 0
    for i, stop in enumerate(inner):
        reported = (stop.request_id or "", stop.kind.value) in live.done
        if reported or stale(stop.time, now_s):  # passed, reported or not (forecast)
            done_n = i + 1
    en_route = done_n > 0 or now_s >= route.stops[0].time
    n = min(len(inner), done_n + 1) if en_route else 0
    prefix = inner[:n]
    picked = {s.request_id for s in prefix if s.kind is StopKind.PICKUP}
    dropped = {s.request_id for s in prefix if s.kind is StopKind.DROPOFF}
    onboard = [
        requests[s.request_id or ""]
        for s in inner[n:]
        if s.kind is StopKind.DROPOFF and s.request_id in picked and s.request_id not in dropped
    ]
    riders = {r.id for r in onboard}
    rest = [
        s
        for s in inner[n:]
        if s.request_id in riders or (moving is not None and s.request_id not in moving)
    ]
    return _Cut(route.vehicle_id, prefix, route.stops[0], onboard, rest, route)


def _cut_problem(
    problem: Problem, cuts: dict[str, _Cut], free: list[Request], now_s: float
) -> tuple[Problem, Solution]:
    """The problem from here on: each vehicle starts where its fixed part ends, riders on
    board are picked up there at once (service already given), then the rest of its run
    and the free requests."""
    originals = {r.id: r for r in problem.requests}
    requests: dict[str, Request] = {r.id: r for r in free}
    vehicles = []
    routes: list[Route] = []
    for vehicle in problem.vehicles:
        cut = cuts.get(vehicle.id)
        if cut is None or not cut.prefix:
            t0 = max(vehicle.shift.earliest, now_s)
            if cut is not None and cut.rest:
                # Not yet on the road but keeping its run: the run as it stands.
                for stop in cut.rest:
                    requests[stop.request_id or ""] = originals[stop.request_id or ""]
                # From now on, as for a vehicle with no run: with its whole shift from the
                # morning, the re-plan put morning trips on it, hours before the re-plan
                # was made (walk-through of the seventh session of 2026-12-06).
                earliest = max(vehicle.shift.earliest, min(t0, cut.start.time))
                vehicles.append(
                    dataclasses.replace(vehicle, shift=Window(earliest, vehicle.shift.latest))
                )
                # Leaving stops out never makes the others later (travel times obey the
                # triangle inequality), so the forecast times still hold.
                routes.append(Route(vehicle.id, (cut.start, *cut.rest, cut.route.stops[-1])))
                continue
            if t0 > vehicle.shift.latest:
                continue  # the shift is over
            vehicles.append(dataclasses.replace(vehicle, shift=Window(t0, vehicle.shift.latest)))
            continue
        last = cut.prefix[-1]
        t0 = max(last.time + service_of(originals.get(last.request_id or ""), last.kind), now_s)
        here = last.location
        vehicles.append(
            dataclasses.replace(
                vehicle,
                start_depot=here,
                shift=Window(t0, max(t0, vehicle.shift.latest)),
                max_duration=None,
            )
        )
        stops = [Stop(StopKind.START, here, t0)]
        riders = {r.id for r in cut.onboard}
        boarded = {
            s.request_id: s.time + service_of(originals[s.request_id or ""], s.kind)
            for s in cut.prefix
            if s.kind is StopKind.PICKUP
        }
        for rider in cut.onboard:
            requests[rider.id] = _riding(rider, here, t0, boarded[rider.id], problem)
            stops.append(Stop(StopKind.PICKUP, here, t0, rider.id))
        t, loc = t0, here
        for stop in cut.rest:
            rid = stop.request_id or ""
            request = requests.get(rid) if rid in riders else originals[rid]
            assert request is not None
            requests[rid] = request
            t = max(t + problem.time[loc][stop.location], stop.time)
            stops.append(dataclasses.replace(stop, time=t))
            t += service_of(request, stop.kind)
            loc = stop.location
        for stop in stops:  # a run already late keeps what it needs; nothing more
            if stop.kind is StopKind.DROPOFF and stop.request_id in riders:
                aboard = requests[stop.request_id or ""]
                if aboard.max_ride is not None:
                    ride = max(aboard.max_ride, stop.time - t0)
                    requests[aboard.id] = dataclasses.replace(aboard, max_ride=ride)
        end = vehicle.end_depot
        stops.append(
            Stop(StopKind.END, end, max(t + problem.time[loc][end], cut.route.stops[-1].time))
        )
        if cut.rest:
            routes.append(Route(vehicle.id, tuple(stops)))
    cut_p = copy.copy(problem)
    object.__setattr__(cut_p, "vehicles", tuple(vehicles))
    object.__setattr__(cut_p, "requests", tuple(requests.values()))
    by_id = {v.id: v for v in vehicles}
    cost = sum(route_cost(cut_p, by_id[r.vehicle_id], r) for r in routes)
    return cut_p, Solution(tuple(routes), (), cost)


def _riding(rider: Request, here: int, t0: float, boarded: float, problem: Problem) -> Request:
    """A rider on board as a request picked up where the vehicle is, at once. The ride
    so far (from `boarded`, when the pickup's service ends, to `t0`) counts against the
    ride limit, so the rest of the run cannot make the whole ride too long (a ride
    already too long may only go straight to the drop-off, or keep what the run as it
    stands needs: `_cut_problem` widens it to that)."""
    direct = problem.time[here][rider.dropoff]
    left = None if rider.max_ride is None else max(direct, rider.max_ride - (t0 - boarded))
    return dataclasses.replace(
        rider,
        pickup=here,
        pickup_window=Window(t0, t0),
        pickup_service=0.0,
        promised_pickup=None,
        max_ride=left,
        dropoff_window=Window(
            min(rider.dropoff_window.earliest, t0 + problem.time[here][rider.dropoff]),
            max(rider.dropoff_window.latest, t0 + problem.time[here][rider.dropoff]),
        ),
    )


def _place(
    cut_p: Problem,
    solution: Solution,
    free: list[Request],
    outcome: ReplanOutcome,
    day: DayProblem,
) -> tuple[Solution, dict[str, Request]]:
    """Insert the free requests, promised ones first in time order."""
    final = {r.id: r for r in day.problem.requests}
    order = sorted(
        free, key=lambda r: (r.promised_pickup is None, r.effective_pickup_window.earliest)
    )
    settings = InsertionSettings()
    for request in order:
        answer = insert(cut_p, solution, request, settings)
        if isinstance(answer, Insertion):
            solution = answer.solution
            if request.promised_pickup is None:
                cut_p = with_request(cut_p, answer.request)
                final[request.id] = answer.request
            outcome.kept += 1
            continue
        if request.promised_pickup is None:
            outcome.unserved.append(request.id)
            continue
        late = _relaxed(request)
        answer = insert(with_request(cut_p, late), solution, late, settings)
        if isinstance(answer, Insertion):
            cut_p = with_request(cut_p, answer.request)
            final[request.id] = answer.request
            solution = answer.solution
            outcome.broken.append(request.id)
        else:
            outcome.unserved.append(request.id)
    return solution, final


def _relaxed(request: Request) -> Request:
    """A request whose promise cannot be kept: its windows opened later by RELAX_S."""
    pw, dw = request.pickup_window, request.dropoff_window
    return dataclasses.replace(
        request,
        promised_pickup=None,
        pickup_window=Window(pw.earliest, pw.latest + RELAX_S),
        dropoff_window=Window(dw.earliest, dw.latest + RELAX_S),
        max_ride=None if request.max_ride is None else request.max_ride + RELAX_S,
    )


def _stitch(problem: Problem, cuts: dict[str, _Cut], placed: Solution) -> list[Route]:
    """Each vehicle's fixed part followed by its newly planned rest."""
    vehicles = {v.id: v for v in problem.vehicles}
    planned = {r.vehicle_id: r for r in placed.routes}
    routes: list[Route] = []
    for vid in sorted(set(cuts) | set(planned), key=lambda v: int(v) if v.isdigit() else 0):
        cut = cuts.get(vid)
        rest = planned.get(vid)
        if cut is None or not cut.prefix:
            if rest is not None and rest.request_ids():
                routes.append(rest)
            continue
        riders = {r.id for r in cut.onboard}
        tail = [] if rest is None else list(rest.stops[1:])
        tail = [s for s in tail if not (s.kind is StopKind.PICKUP and s.request_id in riders)]
        if not tail:
            last = cut.prefix[-1]
            served = service_of(_request_of(problem, last.request_id), last.kind)
            end_at = last.time + served + problem.time[last.location][vehicles[vid].end_depot]
            tail = [Stop(StopKind.END, vehicles[vid].end_depot, end_at)]
        routes.append(Route(vid, (cut.start, *cut.prefix, *tail)))
    return routes


def _request_of(problem: Problem, rid: str | None) -> Request | None:
    return next((r for r in problem.requests if r.id == rid), None)
