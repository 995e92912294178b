"""Use cases of dispatch: plan a day, read the plan, a driver's manifest, re-verify.

`plan_day` stores a new plan version in one transaction together with the promised pickup
windows and the bookings' move to scheduled, so a plan, its promises and the bookings'
states never disagree. When the day already has a plan, it is re-optimised from that plan
with every promise kept (planning.reoptimise); otherwise it is planned from scratch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from samfard import changes
from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.access.permissions import Role
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.day_from_now import from_now, under_way, under_way_refusal
from samfard.dispatch.day_reading import (
    DayReading,
    carry_over,
    moved_by_hand,
    read_day,
    same_vehicles,
    unchanged,
)
from samfard.dispatch.models import PlanRun, Run
from samfard.dispatch.planning_inputs import DayProblem, PlanningDefaults
from samfard.dispatch.problem_builder import build_problem
from samfard.dispatch.schemas import ManifestPublic, PlanPublic
from samfard.dispatch.views import manifest_public, plan_public
from samfard.errors import Conflict, Forbidden, InputError, NotFound
from samfard.geo.traveltime import TravelTimeProvider
from samfard.planning.engine import NOT_INSERTED, Solver
from samfard.planning.fleet_bound import PROOF_LIMIT_S, explain_left_out
from samfard.planning.insertion import Insertion, insert
from samfard.planning.model import Solution, StopKind
from samfard.planning.model import Stop as PlanStop
from samfard.planning.reoptimise import promises_lost, reoptimise
from samfard.planning.solve import PlanRejected, VerifiedSolution, default_solver, plan
from samfard.planning.verifier import Report, verify
from samfard.timeutil import STOCKHOLM


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    """What a planning did: the stored plan, and counts for the operator."""

    plan_run_id: int
    version: int
    requests: int
    served: int
    unserved: tuple[dict[str, Any], ...]
    vehicles_used: int
    distance_km: float
    passengers_per_vehicle_trip: float
    objective: float


def day_problem(
    session: Session,
    day: date,
    provider: TravelTimeProvider,
    booking_ids: set[int] | None = None,
    defaults: PlanningDefaults | None = None,
    consignment_ids: set[int] | None = None,
) -> DayProblem:
    """The day's legs and goods on the day's fleet (or only the bookings and consignments
    given, as a stored plan carries them)."""
    bookings = store.read_bookings(session, day, booking_ids)
    legs = store.leg_inputs(session, bookings)
    goods = store.consignment_inputs(store.read_consignments(session, day, consignment_ids))
    fleet = store.read_fleet(session, day)
    return build_problem(day, legs, fleet, provider, defaults, consignments=goods)


def plan_day(
    *,
    session: Session,
    day: date,
    actor: Actor,
    now: datetime,
    time_limit_s: float = 10.0,
    seed: int = 0,
    osrm_url: str | None = None,
    defaults: PlanningDefaults | None = None,
    solver: Solver | None = None,
) -> PlanOutcome:
    """Plan (or re-plan) `day`, store it as a new version, promise windows, schedule.

    `solver` is the engine (the default, native one when None); the stored settings name
    it. A day's plan moves every principal's trips, so only an account scoped to all
    principals (`*`) plans or re-plans a day. The day is planned as at `now`
    (`day_from_now`): nothing before it, and a day under way or over is refused."""
    actor.require(P.PLANS_WRITE)
    if not actor.owns_everything:
        raise Forbidden(
            f"planning {day} re-plans the trips of every principal; only an account scoped "
            "to all principals (*) may plan a day",
            field="date",
        )
    if not 0 < time_limit_s <= 600:
        raise InputError(
            f"time limit must be between 0 and 600 seconds, got {time_limit_s}",
            field="time_limit",
        )
    defaults = defaults or PlanningDefaults()
    solver = solver or default_solver()
    provider = store.provider_for(osrm_url)
    with transaction(session):  # reads only: on SQLite it takes no write lock
        if not session.in_transaction():
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        current = store.latest_plan(session, day)
        if under_way(session, day, current, now):
            raise under_way_refusal(day)
        reading = read_day(session, day, current)
        day_p = from_now(reading.problem(provider, defaults), now)
        start = None if current is None else store.solution_of(current, day_p)
    # Solved with no transaction open (day_reading says why), then stored as the day stands.
    if start is None:
        verified = plan(day_p.problem, time_limit_s=time_limit_s, seed=seed, solver=solver)
    else:
        verified = reoptimise(
            day_p.problem, start, time_limit_s=time_limit_s, seed=seed, solver=solver
        )
    verified = _fill_in(day_p, verified, solver, seed)
    with transaction(session):
        session.expire_all()  # what other transactions wrote meanwhile, not the first reading
        current = store.latest_plan(session, day)
        now_reading = read_day(session, day, current)
        if now_reading != reading:
            day_p, verified = _as_the_day_stands(
                reading, now_reading, current, verified, provider, defaults, solver, seed, now
            )
        solution = verified.solution
        plan_run = PlanRun(
            service_date=day,
            version=(current.version + 1) if current else 1,
            kind="reoptimised" if current else "day_ahead",
            created_at=now,
            created_by=actor.username,
            settings={
                "engine": type(solver).__name__,
                "time_limit_s": time_limit_s,
                "seed": seed,
                "provider": provider.name,
                "osrm_url": osrm_url,
                "pickup_tolerance_min": defaults.pickup_before_min,
            },
            objective=verified.report.cost,
            verified=verified.report.ok,
            unserved=store.unserved_rows(day_p, solution),
        )
        legs = store.legs_by_id(session, day_p)
        _promise(day_p, solution, legs, defaults, now)
        for route in solution.routes:
            plan_run.runs.append(store.run_rows(day_p, route, legs))
        session.add(plan_run)
        try:
            session.flush()  # claims the version number before anything else is written
        except IntegrityError as error:
            raise Conflict(
                f"another planning of {day} stored version {plan_run.version} first; "
                "plan again to re-optimise from it",
                field="date",
            ) from error
        _update_statuses(session, day_p, solution, actor=actor, now=now, version=plan_run.version)
        served = solution.served_ids()
        store.goods_follow_runs(session, day_p, served, now=now)
        changes.announce(session, topic=f"plan:{day.isoformat()}", kind="planned", at=now)
        session.flush()
        return _outcome(plan_run, day_p, solution)


def _as_the_day_stands(
    before: DayReading,
    after: DayReading,
    newest: PlanRun | None,
    verified: VerifiedSolution,
    provider: TravelTimeProvider,
    defaults: PlanningDefaults,
    solver: Solver,
    seed: int,
    now: datetime,
) -> tuple[DayProblem, VerifiedSolution]:
    """The plan solved from `before`, carried to the day as read again (`after`) just
    before it is stored: what changed meanwhile is inserted again, and every promise the
    newest plan keeps is kept. Where that cannot be done the plan stays as it is and the
    controller plans again (a Conflict says why)."""
    day = after.day
    if before.plan_id != after.plan_id:
        raise _changed_meanwhile(
            f"another planning of {day} stored a new plan while this one was solved; "
            "plan again to re-optimise from it",
            "en annan planering sparade en ny plan under tiden",
        )
    kept = unchanged(before, after)
    if moved_by_hand(before, after, kept):
        raise _changed_meanwhile(
            f"trips of {day} were moved by hand while the day was re-planned, and the new "
            "plan would undo the moves; the plan is unchanged, plan again to start from them",
            "resor flyttades för hand under tiden, och den nya planen skulle ha ångrat flyttarna",
        )
    fresh = from_now(after.problem(provider, defaults), now)
    carried = carry_over(verified.solution, fresh, kept, same_vehicles(before, after))
    report = verify(fresh.problem, carried)
    if not report.ok:
        raise PlanRejected(report)
    result = _fill_in(fresh, VerifiedSolution(carried, report), solver, seed)
    if newest is not None:
        lost = promises_lost(fresh.problem, store.solution_of(newest, fresh), result.solution)
        if lost:
            raise _changed_meanwhile(
                f"the day {day} changed while it was re-planned, and {len(lost)} promised "
                "trips no longer fit the new plan; the plan is unchanged, plan again",
                f"dagen ändrades under tiden, och {len(lost)} utlovade resor fick inte plats "
                "i den nya planen",
            )
    return fresh, result


def _changed_meanwhile(message: str, why_sv: str) -> Conflict:
    """A re-plan not stored because the day changed while it was solved; the words in
    Swedish are what /trafik shows of the failed job."""
    conflict = Conflict(message, field="date")
    conflict.detail_sv = f"Dagen planerades inte om: {why_sv}. Planera om igen."
    return conflict


def _fill_in(
    day: DayProblem, verified: VerifiedSolution, solver: Solver | None = None, seed: int = 0
) -> VerifiedSolution:
    """Offer each leg the solver left out to live insertion before giving up on it.

    Under a short time limit the search can leave feasible legs unplaced; cheapest
    insertion into the finished plan places many of them in milliseconds. Legs that
    cannot be carried at all keep the solver's reason; legs still left out where the
    vehicles that alone may carry them are proven too few that day get that reason
    instead (`fleet_bound`), so the controller hires a vehicle rather than plans again;
    where the proof's own plan of those vehicles carries more of them, `solver` starts
    again from it. The result is verified again.
    """
    solution = verified.solution
    for unserved in verified.solution.unserved:
        if unserved.reason != NOT_INSERTED:
            continue
        answer = insert(day.problem, solution, day.problem.request(unserved.request_id))
        if isinstance(answer, Insertion):
            solution = answer.solution
    solution = explain_left_out(
        day.problem, solution, time_limit_s=PROOF_LIMIT_S, solver=solver, seed=seed
    )
    if solution is verified.solution:
        return verified
    report = verify(day.problem, solution)
    if not report.ok:
        raise PlanRejected(report)
    return VerifiedSolution(solution, report)


def _promise(
    day: DayProblem,
    solution: Solution,
    legs: dict[int, Leg],
    defaults: PlanningDefaults,
    now: datetime,
) -> None:
    """Give each newly planned leg a pickup window, none of it before `now`'s minute (a
    plan made after its day began promises no time gone by); legs already promised keep
    theirs. The promise is `store.promise_at`'s, as a live insertion's, a move's and a
    re-plan's, in whole minutes: this one clipped to the exact moment instead, so a plan
    made at 12:00:30 stored "from 12:00:30" where a live insertion stored "from 12:00"."""
    for route in solution.routes:
        for stop in route.stops:
            rid = stop.request_id
            if stop.kind is not StopKind.PICKUP or rid is None or rid not in day.legs:
                continue  # goods keep the windows they were booked with
            leg_input = day.legs[rid]
            leg = legs[leg_input.leg_id]
            if leg.promised_pickup_from is not None and leg.promised_pickup_until is not None:
                continue
            tolerance = store.pickup_tolerance_s(leg_input, defaults.pickup_before_min)
            request = day.problem.request(rid)
            promised = store.promise_at(day, request, stop.time, tolerance, now=now)
            leg.promised_pickup_from, leg.promised_pickup_until = promised


def _update_statuses(
    session: Session,
    day: DayProblem,
    solution: Solution,
    *,
    actor: Actor,
    now: datetime,
    version: int,
) -> None:
    """The lifecycle follows the runs: scheduled when a leg of the booking is on a run
    (its driver can pick it up; a leg that did not fit is on the unserved list); back to
    approved when none is."""
    served = solution.served_ids() & day.legs.keys()
    legs_per_booking = Counter(leg.booking_id for leg in day.legs.values())
    planned = Counter(day.legs[rid].booking_id for rid in served)
    bookings = session.scalars(select(Booking).where(Booking.id.in_(list(legs_per_booking))))
    for booking in bookings:
        placed = planned[booking.id] > 0
        status = BookingStatus(booking.status)
        if placed and status is BookingStatus.APPROVED:
            target, reason = BookingStatus.SCHEDULED, f"planned in plan version {version}"
        elif not placed and status is BookingStatus.SCHEDULED:
            target = BookingStatus.APPROVED
            reason = f"no leg fits plan version {version}; see its unserved list"
        else:
            continue
        apply_transition(session, booking, target, actor=actor, now=now, reason=reason)


def _outcome(plan_run: PlanRun, day: DayProblem, solution: Solution) -> PlanOutcome:
    served = sum(len(route.request_ids()) for route in solution.routes)
    # The coordination rate is about people: goods neither count nor open a trip.
    passengers = [
        tuple(s for s in route.stops if s.request_id is None or s.request_id in day.legs)
        for route in solution.routes
    ]
    riders = sum(1 for stops in passengers for s in stops if s.kind is StopKind.PICKUP)
    trips = sum(_vehicle_trips(stops) for stops in passengers)
    return PlanOutcome(
        plan_run_id=plan_run.id,
        version=plan_run.version,
        requests=len(day.legs) + len(day.consignments),
        served=served,
        unserved=tuple(plan_run.unserved),
        vehicles_used=len(solution.routes),
        distance_km=round(sum(run.distance_km for run in plan_run.runs), 1),
        passengers_per_vehicle_trip=round(riders / trips, 2) if trips else 0.0,
        objective=plan_run.objective,
    )


def _vehicle_trips(stops: Sequence[PlanStop]) -> int:
    """Loaded stretches of a route: a trip starts when the vehicle leaves empty.

    This is the denominator of the coordination rate (samordningsgrad) in rules.md.
    """
    on_board = trips = 0
    for stop in stops:
        if stop.kind is StopKind.PICKUP:
            trips += on_board == 0
            on_board += 1
        elif stop.kind is StopKind.DROPOFF:
            on_board -= 1
    return trips


def get_plan(*, session: Session, day: date, actor: Actor) -> PlanRun:
    """The newest plan of `day` with runs and stops, or NotFound naming the command."""
    actor.require(P.PLANS_READ)
    with transaction(session):
        found = store.latest_plan(session, day)
    if found is None:
        raise NotFound(
            f"no plan for {day} yet: POST /api/v1/plans/{day} or run `samfard plan --date {day}`",
            field="date",
        )
    return found


def require_run_shown(*, session: Session, day: date, actor: Actor, run_id: int) -> None:
    """NotFound unless run `run_id` is in `day`'s newest plan as the actor sees it (the run's
    page answers so): reads no one, audits nothing. The run page's live stream took any run
    id, so a principal's staff heard another principal's run report, live (probe of
    2026-12-06)."""
    plan_run = get_plan(session=session, day=day, actor=actor)
    with transaction(session):
        runs = plan_public(session, plan_run, actor).plan.runs
    if not any(run.id == run_id for run in runs):
        raise NotFound(f"run {run_id} is not in the newest plan of {day}", field="korning")


def read_plan(
    *, session: Session, day: date, actor: Actor, now: datetime, run_id: int | None = None
) -> PlanPublic:
    """The newest plan of `day` as the actor may see it (views.plan_public); each traveller
    whose stop is shown is audited as read: on the whole day, or only on run `run_id` when
    the caller shows that one run (the trail said a day's people were read for one run)."""
    plan_run = get_plan(session=session, day=day, actor=actor)
    with transaction(session):
        view = plan_public(session, plan_run, actor)
        shown = set(view.shown_travellers)
        if run_id is not None:
            stops = [s for r in view.plan.runs if r.id == run_id for s in r.stops]
            bookings = {s.booking_id for s in stops if s.booking_id is not None}
            on_run = select(Booking.traveller_id).where(Booking.id.in_(bookings))
            shown &= set(session.scalars(on_run))
        audit.record_reads(
            session,
            actor,
            ((traveller_id, plan_run.id) for traveller_id in sorted(shown)),
            record_type="plan",
            action="read",
            purpose="day plan" if run_id is None else f"run {run_id}",
            at=now,
        )
    return view.plan


def get_manifest(*, session: Session, run_id: int, actor: Actor, now: datetime) -> ManifestPublic:
    """A driver's manifest of one run: carrier staff see only their own carrier's runs, a
    driver only the newest run of their own vehicle, today (docs/dispatch.md)."""
    actor.require(P.MANIFEST_READ)
    with transaction(session):
        run = session.get(
            Run,
            run_id,
            options=[selectinload(Run.stops), selectinload(Run.vehicle)],
        )
        if run is None:
            raise NotFound(f"no run with id {run_id}", field="run_id")
        if actor.carrier_id is not None and run.vehicle.carrier_id != actor.carrier_id:
            raise NotFound(f"no run with id {run_id}", field="run_id")  # as if missing
        if actor.role is Role.DRIVER:
            _require_own_run_today(session, run, actor, now)
        drives_it = actor.role is Role.DRIVER
        return manifest_public(session, run, actor, now, drives_it=drives_it)


def _require_own_run_today(session: Session, run: Run, actor: Actor, now: datetime) -> None:
    today = now.astimezone(STOCKHOLM).date()
    if actor.vehicle_id is None or run.vehicle_id != actor.vehicle_id:
        raise NotFound(f"no run with id {run.id}", field="run_id")  # another vehicle's
    latest = store.latest_plan(session, today)
    if run.plan_run.service_date != today or latest is None or latest.id != run.plan_run_id:
        raise Forbidden(
            f"run {run.id} is not your run of today ({today}) in the newest plan",
            field="run_id",
        )


def verify_stored(
    *, session: Session, day: date, osrm_url: str | None = None
) -> tuple[PlanRun, Report]:
    """Rebuild the newest stored plan of `day` from the database and verify it again."""
    found = store.latest_plan(session, day)
    if found is None:
        raise NotFound(f"no plan for {day}", field="date")
    stops = [stop for run in found.runs for stop in run.stops]
    day_p = day_problem(
        session,
        day,
        store.provider_for(osrm_url),
        booking_ids={s.booking_id for s in stops if s.booking_id is not None},
        consignment_ids={s.consignment_id for s in stops if s.consignment_id is not None},
    )
    return found, verify(day_p.problem, store.solution_of(found, day_p))
