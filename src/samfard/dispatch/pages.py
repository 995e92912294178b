"""The traffic controller's page /trafik: the day's runs on a timeline and a map, the legs
left unplanned, moving a leg to another run, re-planning the day in the background with
its progress, and a run's manifest to print.

Reads go through `day_view` (plan scope and masking as in the API); a move goes through
`moves.move_leg`, which saves only what the verifier accepts; re-planning starts
a "replan" job (samfard.jobs: a thread on SQLite, a worker on PostgreSQL) and the page
polls its progress, stored in the database, with htmx. Read-only at phone width: the
timeline and tables scroll sideways.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from samfard import jobs
from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.db import transaction
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.dispatch import day_view as views
from samfard.dispatch.jobs import REPLAN
from samfard.dispatch.moves import MoveRefused, move_leg
from samfard.dispatch.run_sheet import run_sheet
from samfard.dispatch.vehicle_names import VEHICLE_TYPES_SV, vehicle_name_sv
from samfard.dispatch.words_sv import AIDS_SV
from samfard.errors import DomainError, InputError, NotFound
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM, check_year
from samfard.web.shell import FormErrors, is_htmx, page_router
from samfard.web.templating import render
from samfard.web.typed import whole_number

router = page_router()

REPLAN_SECONDS = (5, 10, 30, 60)


def _day_page(
    request: Request,
    session: Session,
    actor: Actor,
    day: date,
    now: datetime,
    *,
    moved: str | None = None,
    job: jobs.Job | None = None,
) -> Response:
    view = views.day_view(session=session, day=day, actor=actor, now=now)
    with transaction(session):
        job = job or jobs.active(session, REPLAN, day.isoformat())
    return render(
        request,
        "dispatch/day.html",
        {
            "day": day,
            "view": view,
            "moved": moved,
            "job": job,
            "replan_seconds": REPLAN_SECONDS,
            "may_change": views.may_change_plans(actor),
            # Alerts concern every principal's trips (dispatch.alerts.list_alerts).
            "sees_alerts": actor.owns_everything,
            "vehicle_types": VEHICLE_TYPES_SV,
            "tile_url": request.app.state.settings.tile_url,
        },
    )


@router.get("/trafik")
def traffic_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_READ)],
    datum: Annotated[date | None, Query()] = None,
    flyttad: Annotated[str | None, Query(max_length=120)] = None,
    jobb: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The day's plan (the first planned day from today unless `datum` names one)."""
    day = datum or views.default_day(session, now.astimezone(STOCKHOLM).date())
    job = None
    if jobb:
        with transaction(session):
            job = session.get(jobs.Job, jobb)
        if job is not None and job.kind != REPLAN:
            job = None
    return _day_page(request, session, actor, day, now, moved=flyttad, job=job)


@router.get("/trafik/flytta")
def move_page(
    request: Request,
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    datum: Annotated[date, Query()],
    booking_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
    leg_seq: Annotated[int, Query(ge=0, le=20)],
) -> Response:
    """The form to move one leg: the leg, where it rides now, and the runs to choose."""
    form = views.move_form(
        session=session, day=datum, booking_id=booking_id, leg_seq=leg_seq, actor=actor
    )
    return render(request, "dispatch/move.html", {"form": form, "errors": FormErrors()})


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
    if not run_id:
        errors.add("till-korning", "Välj den körning resan ska flyttas till.")
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
            pickup = outcome.pickup_at.astimezone(STOCKHOLM)
            done = (
                f"{outcome.booking_reference} resa {outcome.leg_seq + 1} går nu med "
                f"{vehicle_name_sv(outcome.to_vehicle)}, hämtas {pickup:%H:%M}"
            )
            target = request.url_for("traffic_page").include_query_params(
                datum=datum.isoformat(), flyttad=done
            )
            return RedirectResponse(str(target), status_code=303)
    form = views.move_form(
        session=session, day=datum, booking_id=booking_id, leg_seq=leg_seq, actor=actor
    )
    context = {"form": form, "errors": errors, "chosen": to_run_id}
    return render(request, "dispatch/move.html", context)


MOVE_REFUSALS_SV = {
    "no_position": (
        "Resan ryms inte i den körningen utan att bryta en utlovad tid, ett tidsfönster, "
        "den längsta restiden eller fordonets platser. Välj en annan körning."
    ),
    "verifier": "Kontrollen av den ändrade planen hittade fel, så ingenting sparades.",
    "no_vehicle": "Inget fordon i flottan har platser för resan.",
}


def _sv_move_refusal(error: DomainError) -> str:
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


@router.get("/trafik/jobb/{job_id}")
def job_progress(
    request: Request,
    session: SessionDep,
    job_id: Annotated[str, Path(max_length=64)],
    actor: Annotated[Actor, require(P.PLANS_READ)],
) -> Response:
    """A job's progress as a fragment htmx swaps in every second while it runs."""
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
    datum: Annotated[date, Query()],
) -> Response:
    """One run's stops in order, with a move link on each pickup for a controller."""
    run = views.run_view(session=session, day=datum, run_id=run_id, actor=actor, now=now)
    return render(
        request,
        "dispatch/run.html",
        {"run": run, "day": datum, "may_change": views.may_change_plans(actor)},
    )


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
