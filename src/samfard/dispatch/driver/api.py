"""The driver's routes under /api/v1/driver: today's run, and reports from the vehicle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep
from samfard.dispatch.driver.rules import refusal_sv
from samfard.dispatch.driver.schemas import DriverRun, StopEventCreate, StopEventPublic
from samfard.dispatch.driver.service import record_report
from samfard.dispatch.driver.views import driver_run
from samfard.errors import DomainError, NotFound

router = APIRouter(prefix="/driver", tags=["driver"])


@router.get("/run")
def get_todays_run(
    session: SessionDep, now: NowDep, actor: Annotated[Actor, require(P.MANIFEST_READ)]
) -> DriverRun:
    """The run of the driver's vehicle in today's newest plan, with each stop's reports."""
    run = driver_run(session=session, actor=actor, now=now)
    if run is None:
        raise NotFound("your vehicle has no run in today's plan", field="vehicle_id")
    return run


@router.post(
    "/events",
    status_code=201,
    responses={200: {"model": StopEventPublic, "description": "a replay: stored before"}},
)
def post_report(
    data: StopEventCreate,
    response: Response,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.STOPS_REPORT)],
) -> StopEventPublic:
    """Report arrived, picked up, no-show, dropped off or a position. 201 when stored; 200
    with the stored report when this `client_event_id` was posted before (a replayed queue);
    409 when it cannot follow what was reported at the stop; 403 for another vehicle's run."""
    try:
        recorded = record_report(session=session, data=data, actor=actor, now=now)
    except DomainError as error:
        error.detail_sv = refusal_sv(error.message)  # the page's queue shows it as it is
        raise
    if recorded.replayed:
        response.status_code = 200
    return recorded.event
