"""The driver's page /forare (phone width): today's run, a button per report, the queue.

The page works without script (each button is a form posted to /forare/rapport, which
calls the same service as the API); with script (web/static/forare.js) each press becomes a
report with an id made in the browser, queued in localStorage and sent in order when there
is a connection, so a poor connection loses nothing and a resent report counts once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep
from samfard.dispatch.driver.rules import SV, refusal_sv
from samfard.dispatch.driver.schemas import ReportKind, StopEventCreate
from samfard.dispatch.driver.service import record_report
from samfard.dispatch.driver.views import driver_run
from samfard.errors import DomainError
from samfard.web.shell import page_router
from samfard.web.templating import render

router = page_router()

# The codes of needs (booking) and mobility aids (register) as the driver reads them.
AIDS_SV = {
    "wheelchair": "rullstol",
    "stretcher": "bår (liggande)",
    "front_seat": "framsäte",
    "ride_alone": "ensamåkning",
    "rollator": "rollator",
    "guide_dog": "ledarhund",
    "oxygen": "syrgas",
}


def _page(
    request: Request, session: SessionDep, actor: Actor, now: datetime, *, fragment: bool = False
) -> Response:
    run = None if actor.vehicle_id is None else driver_run(session=session, actor=actor, now=now)
    template = "driver/_stops.html" if fragment else "driver/run.html"
    context: dict[str, Any] = {
        "run": run,
        "sv": SV,
        "aids_sv": AIDS_SV,
        "new_id": lambda: uuid.uuid4().hex,
        "error": request.query_params.get("fel"),
        "no_vehicle": actor.vehicle_id is None,
        "now": now,
    }
    return render(request, template, context)


@router.get("/forare")
def driver_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.STOPS_REPORT)],
    del_: Annotated[str | None, Query(alias="del", max_length=10)] = None,
) -> Response:
    """Today's run of the driver's vehicle; `?del=stopp` answers the stop list alone."""
    return _page(request, session, actor, now, fragment=del_ == "stopp")


@router.post("/forare/rapport")
def report(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.STOPS_REPORT)],
    client_event_id: Annotated[str, Form(max_length=64)],
    run_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    stop_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    kind: Annotated[ReportKind, Form()],
) -> Response:
    """A report sent without script: happened now; a refusal is shown on the page."""
    target = request.url_for("driver_page")
    try:
        data = StopEventCreate(
            client_event_id=client_event_id, run_id=run_id, stop_id=stop_id, kind=kind, at=now
        )
        record_report(session=session, data=data, actor=actor, now=now)
    except ValidationError as error:  # a form not sent by the page (an id too short, a kind)
        why = error.errors()[0]["msg"]
        target = target.include_query_params(fel=f"{SV.get(kind, kind)} sparades inte: {why}")
    except DomainError as error:
        if error.status in (401, 403):
            raise
        said = refusal_sv(error.message)
        target = target.include_query_params(fel=f"{SV[kind]} sparades inte: {said}")
    return RedirectResponse(str(target), status_code=303)
