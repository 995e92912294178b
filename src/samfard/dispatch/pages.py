"""The traffic controller's page /trafik: the day's runs on a timeline and a map, the legs
left unplanned, moving a leg to another run, re-planning the day in the background with
its progress, and a run's manifest to print.

A day is typed as the booking desk takes it ("8/12", "2026-12-08", `read_day`); a day
that cannot be read is said at the Datum field, on the page. A run or a leg finds its
own day, so its links need no date.

Reads go through `day_view` (plan scope and masking as in the API); a move goes through
`moves.move_leg`, which saves only what the verifier accepts; re-planning starts
a "replan" job (samfard.jobs: a thread on SQLite, a worker on PostgreSQL) and the page
polls its progress, stored in the database, with htmx. Read-only at phone width: the
timeline and tables scroll sideways.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.dispatch import day_view as views
from samfard.dispatch import handoff, service, store
from samfard.dispatch.day_overview import OverviewStop, run_stops
from samfard.dispatch.jobs import REPLAN
from samfard.dispatch.models import PlanRun, Run
from samfard.dispatch.move_order import Passing, nearness
from samfard.dispatch.moves import MoveRefused, move_leg
from samfard.dispatch.offer_notes import ANSWER_WITHIN_MIN, offers_summary, sent_count_note
from samfard.dispatch.run_sheet import run_sheet
from samfard.dispatch.run_view import run_view
from samfard.dispatch.vehicle_names import VEHICLE_TYPES_SV, vehicle_name_sv
from samfard.dispatch.words_sv import AIDS_SV, PLAN_CHANGES_SV
from samfard.errors import DomainError, InputError, NotFound
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM, check_year
from samfard.web.shell import FormErrors, is_htmx, page_router
from samfard.web.templating import render
from samfard.web.typed import FieldError, parse_picked_day, whole_number

router = page_router()

REPLAN_SECONDS = (5, 10, 30, 60)


def read_day(typed: str | None, now: datetime, errors: FormErrors) -> date | None:
    """The day typed in a page's Datum field, in the booking desk's formats ("8/12",
    "8/12/2026", "2026-12-08"; `parse_picked_day`); None when none was typed, or when it
    cannot be read: then
    `errors` says at the field how to write it (the page had answered a bare 422)."""
    if typed is None or not typed.strip():
        return None
    try:
        return parse_picked_day(typed, today=now.astimezone(STOCKHOLM).date())
    except FieldError as error:
        errors.add("datum", str(error))
        return None


def _day_page(
    request: Request,
    session: Session,
    actor: Actor,
    day: date,
    now: datetime,
    *,
    moved: str | None = None,
    job: jobs.Job | None = None,
    errors: FormErrors | None = None,
    typed: str | None = None,
    offered: int | None = None,
) -> Response:
    view = views.day_view(session=session, day=day, actor=actor, now=now)
    with transaction(session):
        job = job or jobs.active(session, REPLAN, day.isoformat())
    offers_note = None
    if offered is not None and views.may_change_plans(actor):
        offers = handoff.list_offers(session=session, day=day, actor=actor)
        offers_note = f"{sent_count_note(offered)} {offers_summary(offers)}"
    return render(
        request,
        "dispatch/day.html",
        {
            "day": day,
            "errors": errors or FormErrors(),
            "typed": typed,
            "view": view,
            "moved": moved,
            "job": job,
            "replan_seconds": REPLAN_SECONDS,
            "answer_within": ANSWER_WITHIN_MIN,
            "default_answer_within": handoff.DEFAULT_ANSWER_WITHIN_MIN,
            "offers_note": offers_note,
            "may_change": views.may_change_plans(actor),
            # Alerts concern every principal's trips (dispatch.alerts.list_alerts).
            "sees_alerts": actor.owns_everything,
            "vehicle_types": VEHICLE_TYPES_SV,
            "plan_changes": PLAN_CHANGES_SV,
            "tile_url": request.app.state.settings.tile_url,
        },
    )


@router.get("/trafik")
def traffic_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_READ)],
    datum: Annotated[str | None, Query(max_length=40)] = None,
    flyttad: Annotated[str | None, Query(max_length=40)] = None,
    jobb: Annotated[str | None, Query(max_length=64)] = None,
    erbjudet: Annotated[str | None, Query(max_length=6)] = None,
) -> Response:
    """The day's plan (the first planned day from today unless `datum` names one); a
    `datum` that cannot be read shows that day with the message at the Datum field.
    `erbjudet` (how many runs were just offered to the carriers) shows where the offers
    stand."""
    errors = FormErrors()
    chosen = read_day(datum, now, errors)
    day = chosen or views.default_day(session, now.astimezone(STOCKHOLM).date())
    job = None
    if jobb:
        with transaction(session):
            job = session.get(jobs.Job, jobb)
        if job is not None and job.kind != REPLAN:
            job = None
    shown = datum if errors else None
    offered = whole_number(erbjudet) if erbjudet else None
    return _day_page(
        request,
        session,
        actor,
        day,
        now,
        moved=_moved_sv(session, day, flyttad, actor) if flyttad else None,
        job=job,
        errors=errors,
        typed=shown,
        offered=offered,
    )


@router.get("/trafik/flytta")
def move_page(
    request: Request,
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    booking_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
    leg_seq: Annotated[int, Query(ge=0, le=20)],
) -> Response:
    """The form to move one leg: the leg, where it rides now, and the runs to choose. The
    leg's day is its booking's (a `datum` in the link is not needed, and not read)."""
    views.require_may_change_plans(actor)  # before a booking id is looked up
    day = _booking_day(session, booking_id)
    form = _move_form(session, day, booking_id, leg_seq, actor)
    return render(request, "dispatch/move.html", {"form": form, "errors": FormErrors()})


def _booking_day(session: Session, booking_id: int) -> date:
    """The service day of a booking, so a page naming one of its legs needs no date."""
    with transaction(session):
        found = session.scalar(select(Booking.service_date).where(Booking.id == booking_id))
    if found is None:
        raise NotFound(f"no booking {booking_id}", field="booking_id")
    return found


def _move_form(
    session: Session, day: date, booking_id: int, leg_seq: int, actor: Actor
) -> views.MoveForm:
    """The move form with the runs that pass nearest the trip first, in place and time
    (`move_order`): listed by vehicle name, a controller tried one run after another (six
    tries) to find one that could take it; listed by time alone, a Frösön trip got a
    Sundsvall taxi first. The run the trip is on now is not among them."""
    form = views.move_form(
        session=session, day=day, booking_id=booking_id, leg_seq=leg_seq, actor=actor
    )
    choices = tuple(c for c in form.choices if c.id != form.current_run_id)
    at = form.at
    if at is None:
        return replace(form, choices=choices)
    plan = service.get_plan(session=session, day=day, actor=actor)
    with transaction(session):
        stops = run_stops(session, plan.id, actor)
    near = {
        run.id: nearness(_passings(run, stops.get(run.id, [])), at, form.pickup)
        for run in plan.runs
    }
    far = (float("inf"), float("inf"))
    nearest = sorted(choices, key=lambda choice: near.get(choice.id, far))
    return replace(form, choices=tuple(nearest))


def _passings(run: Run, stops: list[OverviewStop]) -> list[Passing]:
    """Where the run is when: its depot at its start and end, and each stop whose place
    the controller may see."""
    vehicle = run.vehicle
    depot = (vehicle.depot_lat, vehicle.depot_lon)
    return [
        Passing(run.start_at, *depot),
        *(Passing(stop.planned_at, stop.lat, stop.lon) for stop in stops),
        Passing(run.end_at, *depot),
    ]


@router.post("/trafik/flytta")
def move(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    datum: Annotated[date, Form()],
    booking_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    leg_seq: Annotated[int, Form(ge=0, le=20)],
    to_run_id: Annotated[str, Form()] = "",
) -> Response:
    """Move one leg to the chosen run; a refusal comes back on the form in Swedish."""
    errors = FormErrors()
    run_id = whole_number(to_run_id)
    current = _current_run(session, datum, booking_id, leg_seq) if run_id else None
    if not run_id:
        errors.add("till-korning", "Välj den körning resan ska flyttas till.")
    elif current is not None and current.id == run_id:
        errors.add(
            "till-korning",
            f"Resan går redan med {vehicle_name_sv(current.vehicle.code)}. "
            "Välj en annan körning att flytta den till.",
        )
    else:
        try:
            outcome = move_leg(
                session=session,
                day=datum,
                booking_id=booking_id,
                leg_seq=leg_seq,
                to_run_id=run_id,
                actor=actor,
                now=now,
            )
        except DomainError as error:
            if error.status in (401, 403):
                raise
            errors.add("till-korning", _sv_move_refusal(error))
        else:
            target = request.url_for("traffic_page").include_query_params(
                datum=datum.isoformat(), flyttad=f"{booking_id}-{outcome.leg_seq}"
            )
            return RedirectResponse(str(target), status_code=303)
    form = _move_form(session, datum, booking_id, leg_seq, actor)
    context = {"form": form, "errors": errors, "chosen": to_run_id}
    return render(request, "dispatch/move.html", context)


def _moved_sv(session: Session, day: date, moved: str, actor: Actor) -> str | None:
    """What a move's redirect confirms, said from the plan as it stands: "SF-… resa 1 går
    nu med Östersund taxi 3, hämtas 10:42". The address names the leg (booking-leg), never
    the words, so a link cannot put words of its own on the page; a leg not on the day's
    plan, or one the reader may not move, confirms nothing."""
    booking_id, _, leg_seq = moved.partition("-")
    booking, seq = whole_number(booking_id), whole_number(leg_seq)
    if booking is None or seq is None or not actor.owns_everything:
        return None
    run = _current_run(session, day, booking, seq)
    if run is None:
        return None
    pickup = next(
        (
            s
            for s in run.stops
            if s.booking_id == booking and s.leg_seq == seq and s.kind == "pickup"
        ),
        None,
    )
    reference = session.scalar(select(Booking.reference).where(Booking.id == booking))
    if pickup is None or reference is None:
        return None
    at = pickup.planned_at.astimezone(STOCKHOLM)
    vehicle = vehicle_name_sv(run.vehicle.code)
    return f"{reference} resa {seq + 1} går nu med {vehicle}, hämtas {at:%H:%M}"


def _current_run(session: Session, day: date, booking_id: int, leg_seq: int) -> Run | None:
    """The run of the day's newest plan the leg rides on now, if any (a form sent from an
    old page, or with the back button after a move, may name it as the target)."""
    with transaction(session):
        plan = store.latest_plan(session, day)
        if plan is None:
            return None
        return next(
            (
                run
                for run in plan.runs
                if any(s.booking_id == booking_id and s.leg_seq == leg_seq for s in run.stops)
            ),
            None,
        )


MOVE_REFUSALS_SV = {
    "no_position": (
        "Resan ryms inte i den körningen utan att bryta en utlovad tid, ett tidsfönster, "
        "den längsta restiden eller fordonets platser. Välj en annan körning."
    ),
    "verifier": "Kontrollen av den ändrade planen hittade fel, så ingenting sparades.",
    "no_vehicle": "Inget fordon i flottan har platser för resan.",
}


def _sv_move_refusal(error: DomainError) -> str:
    """The refusal as the form says it: the service's own Swedish where it has it (a leg
    under way, the verifier's findings by trip and run), else by kind."""
    if error.detail_sv:
        return error.detail_sv
    if isinstance(error, MoveRefused):
        return MOVE_REFUSALS_SV[error.kind]
    if error.status == 404:
        return "Flytten gick inte: resan eller körningen finns inte längre. Ladda om sidan."
    return "Flytten gick inte och planen är oförändrad. Ladda om sidan och försök igen."


@router.post("/trafik/planera")
def replan(
    request: Request,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    datum: Annotated[date, Form()],
    sekunder: Annotated[int, Form()] = 10,
) -> Response:
    """Start re-planning the day in the background (or show the one already running)."""
    check_year(datum, field="datum")  # refused here, not by the job after a 303
    if sekunder not in REPLAN_SECONDS:
        raise InputError(
            f"sekunder must be one of {', '.join(map(str, REPLAN_SECONDS))}", field="sekunder"
        )
    if actor.user_id is None:
        raise InputError("only a signed-in user can re-plan from the page", field="user")
    sessions: sessionmaker[Session] = request.app.state.sessionmaker
    job = jobs.start(
        session=session,
        sessions=sessions,
        kind=REPLAN,
        subject=datum.isoformat(),
        args={
            "user_id": actor.user_id,
            "day": datum.isoformat(),
            "time_limit_s": float(sekunder),
            "now": now.isoformat(),
            "osrm_url": settings.osrm_url,
        },
        started_by=actor.username,
        now=now,
    )
    if is_htmx(request):
        return render(request, "dispatch/_job.html", {"job": job, "day": datum})
    target = request.url_for("traffic_page").include_query_params(
        datum=datum.isoformat(), jobb=job.id
    )
    return RedirectResponse(str(target), status_code=303)


def reads_only(session: SessionDep) -> None:
    """Declared before the permission check: the request's transaction only reads, so on
    SQLite it begins DEFERRED (db._sqlite_begin) and reads beside a writer: a poll of a
    re-plan's progress does not queue behind the re-plan's store step, nor behind any
    other request's write. (A session already in a transaction, as a test's shared one,
    keeps its own.)"""
    if not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})


@router.get("/trafik/jobb/{job_id}")
def job_progress(
    request: Request,
    session: SessionDep,
    job_id: Annotated[str, Path(max_length=64)],
    _reads: Annotated[None, Depends(reads_only)],
    actor: Annotated[Actor, require(P.PLANS_READ)],
) -> Response:
    """A job's progress as a fragment htmx swaps in every second while it runs; it reads
    while the re-plan writes (`reads_only`)."""
    with transaction(session):
        job = jobs.get(session, job_id)
    if job.kind != REPLAN:  # other kinds have their own pages and scope (reports/jobs.py)
        raise NotFound(f"no re-planning job {job_id}", field="job_id")
    context = {"job": job, "day": date.fromisoformat(job.subject)}
    return render(request, "dispatch/_job.html", context)


@router.get("/trafik/korning/{run_id}")
def run_page(
    request: Request,
    run_id: RecordId,
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLANS_READ)],
    now: NowDep,
) -> Response:
    """One run's stops in order, with a move link on each pickup for a controller. The run
    finds its own day (a link without `?datum=` got a bare 422; one with it still works).
    htmx fetches the stops alone again when the run or the day changes (trafik-live.js)."""
    day = _run_day(session, run_id)
    run = run_view(session=session, day=day, run_id=run_id, actor=actor, now=now)
    template = "dispatch/_run_stops.html" if is_htmx(request) else "dispatch/run.html"
    return render(
        request, template, {"run": run, "day": day, "may_change": views.may_change_plans(actor)}
    )


def _run_day(session: Session, run_id: int) -> date:
    """The service day of the plan a run belongs to."""
    with transaction(session):
        found = session.scalar(
            select(PlanRun.service_date)
            .join(Run, Run.plan_run_id == PlanRun.id)
            .where(Run.id == run_id)
        )
    if found is None:
        raise NotFound(f"no run {run_id}", field="run_id")
    return found


@router.get("/trafik/korning/{run_id}/korlista")
def manifest(
    request: Request,
    run_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.RUNS_READ)],
) -> Response:
    """A run's manifest laid out for printing (the print style hides the shell)."""
    sheet = run_sheet(session=session, run_id=run_id, actor=actor, now=now)
    context = {"sheet": sheet, "vehicle": vehicle_name_sv(sheet.vehicle_code), "aids_sv": AIDS_SV}
    return render(request, "dispatch/manifest.html", context)
