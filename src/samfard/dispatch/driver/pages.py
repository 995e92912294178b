"""The driver's page /forare (phone width): today's run, a button per report, the queue.

The page works without script (each button is a form posted to /forare/rapport, which
calls the same service as the API); with script (web/static/forare.js) each press becomes a
report with an id made in the browser, queued in localStorage and sent in order when there
is a connection, so a poor connection loses nothing and a resent report counts once.

A first report at a pickup far ahead of its time (`rules.asks_first`: one tap at 03:15 for a
pickup promised 10:20 was stored as Framme, Hämtad and Lämnad) is asked about before it is
sent: by forare.js with the phone's clock before it queues (so offline too), and here, on a
page of its own, when the form is posted without script. Uteblev is shown disabled with
the time it opens until the promised window starts; so are Framme and Lämnad at a drop-off
until its pickup is reported Hämtad (`_waiting`), which the server would refuse. Uteblev
ends the trip and may cost the traveller a fee, so it is always asked about ("Rapportera
att Nils uteblev?"): by forare.js in a dialog on the page, here on a page of its own.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.db import transaction
from samfard.deps import NowDep, SessionDep
from samfard.dispatch.driver.rules import EARLY_REPORT, SV, refusal_sv, stop_time
from samfard.dispatch.driver.schemas import DriverRun, DriverStop, ReportKind, StopEventCreate
from samfard.dispatch.driver.service import EarlyReport, early_report, record_report
from samfard.dispatch.driver.views import driver_run
from samfard.dispatch.models import Stop
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.dispatch.words_sv import AIDS_SV
from samfard.errors import DomainError
from samfard.web.shell import page_router
from samfard.web.templating import render

router = page_router()
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Ahead:
    """A stop's time, and the moment before which its first report is asked about."""

    stop_at: datetime
    until: datetime


def _ahead(run: DriverRun | None) -> dict[int, Ahead]:
    """The pickups nothing was reported at yet, with their times (the page compares them
    with the phone's clock: a report queued offline is asked about as one sent at once)."""
    if run is None:
        return {}
    out = {}
    for stop in run.stops:
        if stop.kind == "pickup" and not stop.reports:
            at = stop_time(stop.planned_at, stop.promised_from)
            out[stop.stop_id] = Ahead(at, at - EARLY_REPORT)
    return out


def _waiting(session: Session, run: DriverRun | None) -> dict[int, DriverStop]:
    """The drop-offs whose pickup on the run is not reported Hämtad yet, each with that
    pickup. The page offered Framme and Lämnad there and the server refused them
    ("Resenären är inte rapporterad hämtad än"); now they wait, disabled with the reason,
    and forare.js opens them once the pickup's Hämtad is queued (offline too)."""
    if run is None:
        return {}
    with transaction(session):
        rows = session.execute(
            select(Stop.id, Stop.kind, Stop.leg_id, Stop.consignment_id).where(
                Stop.run_id == run.run_id
            )
        ).all()
    shown = {stop.stop_id: stop for stop in run.stops}
    pickups = {
        (row.leg_id, row.consignment_id): shown[row.id]
        for row in rows
        if row.kind == "pickup" and row.id in shown
    }
    on_board = {key for key, stop in pickups.items() if _picked_up(stop)}
    return {
        row.id: pickups[(row.leg_id, row.consignment_id)]
        for row in rows
        if row.kind == "dropoff"
        and (row.leg_id, row.consignment_id) in pickups
        and (row.leg_id, row.consignment_id) not in on_board
    }


def _picked_up(stop: DriverStop) -> bool:
    return any(report.kind == "picked_up" for report in stop.reports)


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
        "vehicle_name": vehicle_name_sv,
        "early": _ahead(run),
        "waiting": _waiting(session, run),
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


# What the page says of a report form it did not send itself (pydantic's words are English).
MALFORMED = "Rapporten var felaktig och kom inte från sidan. Ladda om sidan och rapportera igen."


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
    bekraftat: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """A report sent without script: happened now; a refusal is shown on the page, and a
    first report far ahead of the stop's time is asked about first (`_confirm`)."""
    target = request.url_for("driver_page")
    try:
        if bekraftat != "ja" and kind != "position":
            form = {"client_event_id": client_event_id, "run_id": run_id, "stop_id": stop_id}
            ahead = early_report(
                session=session, actor=actor, run_id=run_id, stop_id=stop_id, now=now
            )
            if ahead is not None:
                return _confirm(request, ahead, kind, form, now)
            if kind == "no_show":
                return _ask_no_show(request, session, actor, now, form)
        data = StopEventCreate(
            client_event_id=client_event_id, run_id=run_id, stop_id=stop_id, kind=kind, at=now
        )
        record_report(session=session, data=data, actor=actor, now=now)
    except ValidationError as error:  # a form not sent by the page (an id too short, a kind)
        log.info("driver report form refused: %s", error.errors()[0]["msg"])
        target = target.include_query_params(fel=f"{SV.get(kind, kind)} sparades inte: {MALFORMED}")
    except DomainError as error:
        if error.status in (401, 403):
            raise
        said = refusal_sv(error.message)
        target = target.include_query_params(fel=f"{SV[kind]} sparades inte: {said}")
    return RedirectResponse(str(target), status_code=303)


def _confirm(
    request: Request, ahead: EarlyReport, kind: str, form: dict[str, Any], now: datetime
) -> Response:
    """The question the page with script asks before it queues, as a page: send the same
    report (the same id: a second press counts once) or go back without it."""
    context = {"ahead": ahead, "kind": kind, "sv": SV, "form": form, "left": _left(ahead, now)}
    return render(request, "driver/confirm.html", context)


def _ask_no_show(
    request: Request, session: Session, actor: Actor, now: datetime, form: dict[str, Any]
) -> Response:
    """Uteblev ends the trip and may cost the traveller the no-show fee, so it is asked
    about first, always (forare.js asks on the page; this is the page without script):
    one Enter on it recorded the no-show and charged the fee with no question."""
    run = None if actor.vehicle_id is None else driver_run(session=session, actor=actor, now=now)
    stop = next((s for s in (run.stops if run else ()) if s.stop_id == form["stop_id"]), None)
    context = {"name": no_show_name(stop), "form": form, "stop_id": form["stop_id"]}
    return render(request, "driver/no_show.html", context)


def no_show_name(stop: DriverStop | None) -> str:
    """Who the question names: the traveller's first name as the stop shows it."""
    return (stop.first_name if stop is not None else None) or "resenären"


def _left(ahead: EarlyReport, now: datetime) -> str:
    """How long until the stop, as the driver reads it: "7 tim 5 min", "45 min"."""
    minutes = max(0, round((ahead.stop_at - now).total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} tim {minutes} min" if hours else f"{minutes} min"
