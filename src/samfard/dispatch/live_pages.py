"""Pages of the live day: the controller's alerts on /trafik (a section htmx loads and
refreshes), the controller's live re-plan, and the carriers' run offers on /utforare.

Every action calls the same service function as its API route (dispatch.alerts,
dispatch.handoff, dispatch.live_service), so scope and checks are one. Forms work
without script; with htmx the alerts section swaps in place. A day is typed as on
/trafik (`pages.read_day`: "8/12" too), and one that cannot be read is said at the field.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep
from samfard.dispatch import alerts, handoff, live_service
from samfard.dispatch.pages import read_day
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.errors import DomainError
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import FormErrors, is_htmx, page_router
from samfard.web.templating import render

router = page_router()


def _alerts(
    request: Request,
    session: SessionDep,
    actor: Actor,
    day: date,
    note: str | None = None,
    errors: FormErrors | None = None,
    typed: str | None = None,
) -> Response:
    rows = alerts.list_alerts(session=session, day=day, actor=actor)
    context = {
        "alerts": rows,
        "day": day,
        "note": note,
        "may_change": actor.has(P.PLANS_WRITE),
        "errors": errors or FormErrors(),
        "typed": typed,
    }
    template = "dispatch/_alerts.html" if is_htmx(request) else "dispatch/alerts.html"
    return render(request, template, context)


@router.get("/trafik/larm")
def alerts_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_READ)],
    datum: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The day's open alerts (the section /trafik loads, or a page of its own)."""
    errors = FormErrors()
    day = read_day(datum, now, errors) or now.astimezone(STOCKHOLM).date()
    return _alerts(request, session, actor, day, errors=errors, typed=datum if errors else None)


@router.post("/trafik/larm/{alert_id}/kvittera")
def acknowledge(
    request: Request,
    alert_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    datum: Annotated[date, Form()],
) -> Response:
    """Acknowledge one alert; the list comes back without it."""
    alerts.acknowledge(session=session, alert_id=alert_id, actor=actor, now=now)
    if is_htmx(request):
        return _alerts(request, session, actor, datum, note="Larmet är kvitterat.")
    target = request.url_for("traffic_page").include_query_params(datum=datum.isoformat())
    return RedirectResponse(str(target), status_code=303)


@router.post("/trafik/planera-om-nu")
def replan_now(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    datum: Annotated[date, Form()],
) -> Response:
    """Re-plan the rest of the day now; what happened stays, promises are kept."""
    try:
        outcome = live_service.replan_now(session=session, day=datum, actor=actor, now=now)
    except DomainError as error:
        if error.status in (401, 403):
            raise
        note = f"Omplaneringen gick inte: {error.message}"
    else:
        note = (
            f"Resten av dagen är omplanerad: {outcome.kept} resor behöll sin utlovade tid, "
            f"{len(outcome.broken)} fick ny tid, {len(outcome.unserved)} saknar fordon; "
            f"{outcome.fixed_stops} stopp låg fast: de som rapporterats och det stopp som "
            "varje bil som kört ut är på väg till."
            if outcome.saved
            else "Kontrollen underkände omplaneringen; planen är oförändrad."
        )
    return _alerts(request, session, actor, datum, note=note)


@router.get("/utforare")
def offers_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.RUNS_READ)],
    datum: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The carrier's runs of the day to accept or decline."""
    errors = FormErrors()
    day = read_day(datum, now, errors) or now.astimezone(STOCKHOLM).date()
    offers = handoff.list_offers(session=session, day=day, actor=actor)
    return _offers(request, offers, day, errors, typed=datum if errors else None)


@router.post("/utforare/{offer_id}/svar")
def answer(
    request: Request,
    offer_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.RUNS_READ)],
    datum: Annotated[date, Form()],
    svar: Annotated[str, Form()],
    skal: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Accept or decline one run; a decline needs a reason (shown on the form)."""
    errors = FormErrors()
    if svar not in ("acceptera", "avboj"):
        errors.add(f"skal-{offer_id}", "Välj Acceptera eller Avböj.")
    elif svar == "avboj" and not skal.strip():
        errors.add(f"skal-{offer_id}", "Skriv varför körningen avböjs.")
    else:
        try:
            handoff.answer_offer(
                session=session,
                offer_id=offer_id,
                accept=svar == "acceptera",
                reason=skal or None,
                actor=actor,
                now=now,
            )
        except DomainError as error:
            if error.status in (401, 403):
                raise
            errors.add(f"skal-{offer_id}", f"Svaret gick inte att spara: {error.message}")
        else:
            target = request.url_for("offers_page").include_query_params(datum=datum.isoformat())
            return RedirectResponse(str(target), status_code=303)
    offers = handoff.list_offers(session=session, day=datum, actor=actor)
    return _offers(request, offers, datum, errors)


def _offers(
    request: Request,
    offers: list[handoff.OfferPublic],
    day: date,
    errors: FormErrors,
    typed: str | None = None,
) -> Response:
    context = {
        "offers": offers,
        "day": day,
        "errors": errors,
        "typed": typed,
        "vehicle_name": vehicle_name_sv,
    }
    return render(request, "dispatch/offers.html", context)
