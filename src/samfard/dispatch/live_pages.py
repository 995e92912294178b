"""Pages of the live day: the controller's alerts on /trafik (a section htmx loads and
refreshes), the controller's live re-plan, offering the day's runs to the carriers, and
the carriers' run offers on /utforare.

Every action calls the same service function as its API route (dispatch.alerts,
dispatch.handoff, dispatch.live_service), so scope and checks are one. Forms work
without script; with htmx the alerts section swaps in place. A day is typed as on
/trafik (`pages.read_day`: "8/12" too), and one that cannot be read is said at the field.

/utforare answers one run at a time: after each answer the page says what was done in
the answered row, which takes the focus (with a link on to the next run still to
answer: with 30 runs the 20th was 60 Tabs from the top after every answer). Declining
takes the vehicle out of the whole day and cannot be undone, so Avböj asks first, on the
page (as deactivating an account does), keeping the reason typed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep
from samfard.dispatch import alerts, handoff, live_service
from samfard.dispatch.handoff import REASON_MAX, OfferPublic
from samfard.dispatch.models import Run
from samfard.dispatch.offer_notes import ANSWER_WITHIN_MIN, offers_summary, sent_note
from samfard.dispatch.offer_states import OFFERED
from samfard.dispatch.pages import read_day
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.errors import Conflict, DomainError, InputError, NotFound
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import FormErrors, is_htmx, page_router
from samfard.web.templating import render, sv_count
from samfard.web.typed import whole_number

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
    named = {a.run_id for a in rows if a.run_id is not None}
    context = {
        "alerts": rows,
        # A run an alert names may have left the plan (a declined run): no link to a 404.
        "runs": set(session.scalars(select(Run.id).where(Run.id.in_(named)))) if named else set(),
        "day": day,
        "note": note,
        "may_change": actor.has(P.PLANS_WRITE),
        "errors": errors or FormErrors(),
        "typed": typed,
        "in_place": is_htmx(request),  # larm.js shows the note, once, outside the section
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
            f"Resten av dagen är omplanerad: {sv_count(outcome.kept, 'resa', 'resor')} "
            f"behöll sin utlovade tid, {sv_count(len(outcome.broken), 'resa', 'resor')} fick "
            f"ny tid, {sv_count(len(outcome.unserved), 'resa', 'resor')} saknar fordon; "
            f"{sv_count(outcome.fixed_stops, 'stopp', 'stopp')} låg fast: de som "
            "rapporterats och det stopp som varje bil som kört ut är på väg till."
            if outcome.saved
            else "Kontrollen underkände omplaneringen; planen är oförändrad."
        )
    return _alerts(request, session, actor, datum, note=note)


@router.post("/trafik/erbjud")
def offer_runs(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    datum: Annotated[date, Form()],
    svarstid: Annotated[str, Form(max_length=12)] = str(handoff.DEFAULT_ANSWER_WITHIN_MIN),
) -> Response:
    """Offer the day's runs to their carriers (`handoff.offer_day`, as POST
    /api/v1/offers/{day}); the answer says how many went out and where they all stand."""
    minutes = whole_number(svarstid)
    if minutes not in ANSWER_WITHIN_MIN:
        raise InputError(
            f"svarstid must be one of {', '.join(map(str, ANSWER_WITHIN_MIN))}", field="svarstid"
        )
    try:
        before = {o.id for o in handoff.list_offers(session=session, day=datum, actor=actor)}
        offers = handoff.offer_day(
            session=session, day=datum, actor=actor, now=now, answer_within_min=minutes
        )
    except DomainError as error:
        if error.status in (401, 403) or not is_htmx(request):
            raise  # without script: the error page in the shell, in Swedish
        failed = (
            "Dagen har ingen plan att erbjuda ännu; planera den först."
            if isinstance(error, NotFound)
            else "Körningarna kunde inte erbjudas och ingenting skickades. Försök igen."
        )
        context = {"day": datum, "failed": failed, "sent": None, "summary": None}
        return render(request, "dispatch/_offered.html", context)
    sent = [o for o in offers if o.id not in before]
    if not is_htmx(request):
        target = request.url_for("traffic_page").include_query_params(
            datum=datum.isoformat(), erbjudet=str(len(sent))
        )
        return RedirectResponse(str(target), status_code=303)
    context = {
        "day": datum,
        "failed": None,
        "sent": sent_note(sent),
        "summary": offers_summary(offers),
    }
    return render(request, "dispatch/_offered.html", context)


@router.get("/utforare")
def offers_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.RUNS_READ)],
    datum: Annotated[str | None, Query(max_length=40)] = None,
    svarat: Annotated[str | None, Query(max_length=12)] = None,
) -> Response:
    """The carrier's runs of a day to accept or decline: the day typed, else today when it
    has offers, else the next day that has (the page opened on an empty today while the
    runs to answer were tomorrow's). `svarat` names the run just answered: its row says
    how, and takes the focus."""
    errors = FormErrors()
    today = now.astimezone(STOCKHOLM).date()
    day = read_day(datum, now, errors)
    if day is None:
        found = (
            None
            if errors
            else handoff.first_day_with_offers(session=session, actor=actor, today=today)
        )
        day = found or today
    offers = handoff.list_offers(session=session, day=day, actor=actor)
    answered = whole_number(svarat) if svarat else None
    return _offers(request, offers, day, errors, typed=datum if errors else None, answered=answered)


@router.post("/utforare/{offer_id}/svar")
def answer(
    request: Request,
    offer_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.RUNS_READ)],
    datum: Annotated[date, Form()],
    svar: Annotated[str, Form(max_length=20)] = "",
    skal: Annotated[str, Form()] = "",
    bekraftat: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Accept or decline one run. A decline needs a reason of at most `REASON_MAX`
    characters (said at the field, the text kept) and is asked about first: the vehicle
    leaves the whole day and the answer cannot be undone."""
    errors = FormErrors()
    field = f"skal-{offer_id}"
    reason = skal.strip()
    offers = handoff.list_offers(session=session, day=datum, actor=actor)
    offer = next((o for o in offers if o.id == offer_id), None)
    kept = {offer_id: skal}
    if svar not in ("acceptera", "avboj"):
        errors.add(field, "Välj Acceptera eller Avböj.")
    elif len(reason) > REASON_MAX:
        errors.add(
            field,
            f"Skälet får vara högst {REASON_MAX} tecken, nu är det {len(reason)}. "
            "Korta det och svara igen.",
        )
    elif svar == "avboj" and not reason:
        errors.add(field, "Skriv varför körningen avböjs.")
    elif offer is None:
        errors.add(field, "Körningen finns inte bland dagens erbjudanden. Ladda om sidan.")
    elif svar == "avboj" and offer.state == OFFERED and bekraftat != "ja":
        if bekraftat == "nej":  # back to the row, the reason kept, nothing declined
            return _offers(request, offers, datum, errors, kept=kept, focus=field)
        return _offers(request, offers, datum, errors, kept=kept, asking=offer)
    else:
        try:
            handoff.answer_offer(
                session=session,
                offer_id=offer_id,
                accept=svar == "acceptera",
                reason=reason or None,
                actor=actor,
                now=now,
            )
        except DomainError as error:
            if error.status in (401, 403):
                raise
            errors.add(field, _sv_answer_refusal(error))
        else:
            target = request.url_for("offers_page").include_query_params(
                datum=datum.isoformat(), svarat=str(offer_id)
            )
            return RedirectResponse(str(target), status_code=303)
        offers = handoff.list_offers(session=session, day=datum, actor=actor)
    return _offers(request, offers, datum, errors, kept=kept)


def _sv_answer_refusal(error: DomainError) -> str:
    if isinstance(error, NotFound):
        return "Körningen finns inte längre bland erbjudandena. Ladda om sidan."
    if isinstance(error, Conflict) and error.field == "offer_id" and "already" in error.message:
        return "Körningen är redan besvarad; sidan visar svaret."
    return (
        "Svaret gick inte att spara och ingenting ändrades. Försök igen eller ring trafikledningen."
    )


def _offers(
    request: Request,
    offers: list[OfferPublic],
    day: date,
    errors: FormErrors,
    typed: str | None = None,
    *,
    answered: int | None = None,
    kept: dict[int, str] | None = None,
    asking: OfferPublic | None = None,
    focus: str | None = None,
) -> Response:
    done = next((o for o in offers if o.id == answered and o.state != OFFERED), None)
    context = {
        "offers": offers,
        "day": day,
        "errors": errors,
        "typed": typed,
        "vehicle_name": vehicle_name_sv,
        "reason_max": REASON_MAX,
        "answered": done,
        "next_offer": None if done is None else _next_to_answer(offers, done),
        "kept": kept or {},
        "asking": asking,
        "focus": focus,
    }
    return render(request, "dispatch/offers.html", context)


def _next_to_answer(offers: list[OfferPublic], done: OfferPublic) -> OfferPublic | None:
    """The next run still to answer after `done` in the list, from the top again."""
    at = offers.index(done)
    later = [*offers[at + 1 :], *offers[:at]]
    return next((o for o in later if o.state == OFFERED), None)
