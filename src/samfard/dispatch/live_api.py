"""Routes of the live day under /api/v1: alerts, offers to carriers, live re-planning."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session, sessionmaker

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep
from samfard.dispatch import alerts, handoff, live_service, sim_jobs
from samfard.dispatch.live_schemas import (
    AlertPublic,
    AnswerPublic,
    DeadlineCheck,
    DeclineBody,
    OfferPublic,
    ReplanPublic,
    SimulationIn,
    SimulationJobOut,
)
from samfard.dispatch.replan_save import ReplanOutcome
from samfard.jobs import Job
from samfard.schemas_common import RecordId

router = APIRouter(tags=["live day"])


def _replan(outcome: ReplanOutcome) -> ReplanPublic:
    return ReplanPublic(
        saved=outcome.saved,
        moved=outcome.moved,
        kept=outcome.kept,
        fixed_stops=outcome.fixed_stops,
        broken=outcome.broken,
        unserved=outcome.unserved,
    )


@router.get("/alerts")
def list_alerts(
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLANS_READ)],
    day: Annotated[date, Query(description="service day")],
    all: Annotated[bool, Query(description="acknowledged ones too")] = False,
) -> list[AlertPublic]:
    """The day's controller alerts, newest first (open ones unless `all`)."""
    rows = alerts.list_alerts(session=session, day=day, actor=actor, include_acknowledged=all)
    return [AlertPublic.model_validate(row) for row in rows]


@router.post("/alerts/{alert_id}/acknowledge")
def acknowledge_alert(
    alert_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
) -> AlertPublic:
    """The controller has seen the alert (recorded with who and when)."""
    return AlertPublic.model_validate(
        alerts.acknowledge(session=session, alert_id=alert_id, actor=actor, now=now)
    )


@router.get("/offers")
def list_offers(
    session: SessionDep,
    actor: Annotated[Actor, require(P.RUNS_READ)],
    day: Annotated[date, Query(description="service day")],
) -> list[OfferPublic]:
    """The day's run offers; a carrier's dispatcher sees their own carrier's."""
    rows = handoff.list_offers(session=session, day=day, actor=actor)
    return [OfferPublic.model_validate(row) for row in rows]


@router.post("/offers/{day}", status_code=201)
def offer_day(
    day: date,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    answer_within_min: Annotated[
        int, Query(ge=1, le=10080, description="minutes the carrier has to answer")
    ] = handoff.DEFAULT_ANSWER_WITHIN_MIN,
) -> list[OfferPublic]:
    """Offer each run of the day's newest plan to its carrier."""
    rows = handoff.offer_day(
        session=session, day=day, actor=actor, now=now, answer_within_min=answer_within_min
    )
    return [OfferPublic.model_validate(row) for row in rows]


@router.post("/offers/{offer_id}/accept")
def accept_offer(
    offer_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.RUNS_READ)],
) -> AnswerPublic:
    """The carrier takes the run: its bookings are assigned."""
    answer = handoff.answer_offer(
        session=session, offer_id=offer_id, accept=True, reason=None, actor=actor, now=now
    )
    return AnswerPublic(offer=OfferPublic.model_validate(answer.offer), replan=None)


@router.post("/offers/{offer_id}/decline")
def decline_offer(
    offer_id: RecordId,
    body: DeclineBody,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.RUNS_READ)],
) -> AnswerPublic:
    """The carrier declines the run: its trips are re-planned, the controller alerted."""
    answer = handoff.answer_offer(
        session=session, offer_id=offer_id, accept=False, reason=body.reason, actor=actor, now=now
    )
    replan = None if answer.replan is None else _replan(answer.replan)
    return AnswerPublic(offer=OfferPublic.model_validate(answer.offer), replan=replan)


@router.post("/offers/{day}/deadlines")
def check_deadlines(
    day: date,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
) -> DeadlineCheck:
    """Alert the controller of every offer unanswered past its deadline (once each)."""
    live_service.require_controller(actor)
    count = handoff.check_deadlines(session=session, day=day, actor=actor, now=now)
    return DeadlineCheck(alerted=count)


@router.post("/plans/{day}/replan-live")
def replan_live(
    day: date,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
) -> ReplanPublic:
    """Re-plan the rest of the day: what happened stays, promises are hard windows."""
    return _replan(live_service.replan_now(session=session, day=day, actor=actor, now=now))


def _simulation(job: Job) -> SimulationJobOut:
    result = job.result if job.state == "done" else None
    return SimulationJobOut(
        id=job.id,
        state=job.state,
        progress=job.progress,
        message=job.message,
        error=job.error,
        day=date.fromisoformat(str(job.args["day"])),
        seed=int(job.args["seed"]),
        trips=int(job.args["trips"]),
        figures=None if result is None else result["figures"],
    )


@router.post("/simulations", status_code=202)
def start_simulation(
    body: SimulationIn,
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
) -> SimulationJobOut:
    """Simulate a demo day in the background, on a database of its own (the centre's data
    is not changed); follow it at /simulations/{id}, whose figures appear when done."""
    sessions: sessionmaker[Session] = request.app.state.sessionmaker
    job = sim_jobs.start_simulation(
        session=session,
        sessions=sessions,
        actor=actor,
        day=body.day,
        seed=body.seed,
        trips=body.trips,
        now=now,
    )
    return _simulation(job)


@router.get("/simulations/{job_id}")
def simulation(
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLANS_READ)],
    job_id: Annotated[str, Path(max_length=64)],
) -> SimulationJobOut:
    """A simulation job's state and progress, and its figures once it is done."""
    return _simulation(sim_jobs.simulation_job(session=session, actor=actor, job_id=job_id))
