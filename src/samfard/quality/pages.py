"""/kvalitet: deviations at the centre, at the carrier and for the principal.

The list (in the reader's scope, newest first) with the reader's own alerts of serious
deviations at the top, a form to report a deviation by booking number, and each
deviation's card with its history and the next steps the reader's part allows: the centre
investigates, decides and closes, the carrier answers. Every action is the API's use case
(`quality.service`), so scope, audit and penalties are the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking
from samfard.costs.penalties import penalty_amount
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError, NotFound
from samfard.notify.service import inbox
from samfard.principals.models import Principal
from samfard.quality import service
from samfard.quality.driver_reports import driver_reports
from samfard.quality.models import Deviation
from samfard.quality.schemas import (
    Action,
    DeviationCreate,
    DeviationStatus,
    DeviationStep,
    Outcome,
)
from samfard.quality.scope import carrier_answers
from samfard.quality.views import deviation_public
from samfard.quality.words import (
    ACTION_SV,
    KIND_SV,
    OUTCOME_SV,
    ROLE_REPORTER_SV,
    SEVERITY_SV,
    STATUS_SV,
)
from samfard.schemas_common import RecordId
from samfard.timeutil import local
from samfard.web.shell import FormDep, FormErrors, page_router
from samfard.web.templating import render
from samfard.web.typed import FieldError, parse_clock, whole_number

router = page_router()
Reporter = Annotated[Actor, require(P.DEVIATIONS_REPORT)]
WORDS = {
    "kind_sv": KIND_SV,
    "severity_sv": SEVERITY_SV,
    "status_sv": STATUS_SV,
    "outcome_sv": OUTCOME_SV,
    "action_sv": ACTION_SV,
    "reporter_sv": ROLE_REPORTER_SV,
}


def _list(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    *,
    status: str | None,
    overdue: bool = False,
    form: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    reported: str | None = None,
    earlier: list[Deviation] | None = None,
    own_earlier: Deviation | None = None,
) -> Response:
    rows, total = service.list_deviations(
        session=session,
        actor=actor,
        now=now,
        filters=service.DeviationFilter(status=status, answer_overdue_at=now if overdue else None),
        limit=100,
    )
    overdue_count = service.count_overdue(session=session, actor=actor, now=now)
    return render(
        request,
        "quality/list.html",
        {
            "rows": rows,
            "total": total,
            "status": status or "",
            "overdue": overdue,
            "overdue_ids": {d.id for d in rows if service.answer_overdue(d, now)},
            "overdue_count": overdue_count,
            "alerts": inbox(session, actor=actor),
            "form": form or {"allvar": "minor"},
            "errors": errors or FormErrors(),
            "reported": reported,
            "earlier": earlier or [],
            "own_earlier": own_earlier,
            **WORDS,
        },
    )


@router.get("/kvalitet")
def deviations_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Reporter,
    status: str | None = None,
    forsenat: str | None = None,
    rapporterad: str | None = None,
) -> Response:
    chosen = status if status in STATUS_SV else None
    overdue = forsenat == "1"
    return _list(request, session, actor, now, status=chosen, overdue=overdue, reported=rapporterad)


@router.post("/kvalitet")
def report(
    request: Request, session: SessionDep, now: NowDep, actor: Reporter, form: FormDep
) -> Response:
    """Report a deviation about a trip named by its booking number, and when it happened if
    the reporter knows (a time of the trip's day: a complaint taken by phone names it; left
    empty, the service dates it at the trip's first pickup)."""
    errors = FormErrors()
    reference = form.get("bokning", "").strip().upper()
    found = session.execute(
        select(Booking.id, Booking.service_date).where(Booking.reference == reference)
    ).first()
    booking_id = found.id if found else None
    occurred = None
    if form.get("klockan", "").strip():
        try:
            clock = parse_clock(form["klockan"])
        except FieldError as error:
            errors.add("klockan", str(error))
        else:
            occurred = local(found.service_date, clock) if found else None
    if not reference:
        errors.add("bokning", "Skriv bokningsnumret, till exempel SF-ABCD2345")
    elif booking_id is None:
        errors.add("bokning", f"Hittar ingen resa med bokningsnummer {reference[:20]}")
    if form.get("typ") not in KIND_SV:
        errors.add("typ", "Välj vad som hände")
    if len(form.get("beskrivning", "").strip()) < 3:
        errors.add("beskrivning", "Beskriv vad som hände")
    if not errors and booking_id is not None:
        try:
            data = DeviationCreate.model_validate(
                {
                    "booking_id": booking_id,
                    "kind": form["typ"],
                    "severity": form.get("allvar") or "minor",
                    "description": form["beskrivning"].strip()[:4000],
                    "occurred_at": occurred,
                }
            )
        except ValidationError:
            errors.add("allvar", "Välj en allvarlighetsgrad i listan")
            return _list(request, session, actor, now, status=None, form=form, errors=errors)
        earlier = service.same_trip_and_kind(
            session=session, actor=actor, now=now, booking_id=booking_id, kind=data.kind.value
        )
        if earlier and form.get("bekraftat") != "ja":
            # Asked first, with a link to each earlier report: the same trip's lateness
            # was reported three times, counted thrice and could be charged thrice.
            return _list(request, session, actor, now, status=None, form=form, earlier=earlier)
        try:
            deviation = service.report_deviation(session=session, data=data, actor=actor, now=now)
        except service.DuplicateReport as duplicate:
            errors.add("typ", DUPLICATE_SV.format(ref=duplicate.existing.reference))
            return _list(request, session, actor, now, status=None, form=form, errors=errors,
                         own_earlier=duplicate.existing)  # fmt: skip
        except NotFound:
            errors.add("bokning", f"Hittar ingen resa med bokningsnummer {reference[:20]}")
        except DomainError as error:
            field = "klockan" if error.field == "occurred_at" else "bokning"
            errors.add(field, error.detail_sv or "Avvikelsen kunde inte tas emot.")
        else:
            return RedirectResponse(f"/kvalitet/{deviation.id}?klart=report", status_code=303)
    return _list(request, session, actor, now, status=None, form=form, errors=errors)


DUPLICATE_SV = (
    "Du har redan rapporterat avvikelsen om resan med samma typ och beskrivning ({ref}): "
    "öppna den i stället; hände något mer, beskriv det"
)
# What the card says after each step, read out and focused (role=status).
DONE_SV = {
    "report": "Avvikelsen är rapporterad.",
    "investigate": "Utredningen är startad.",
    "answer": "Utförarens svar är sparat.",
    "decide": "Beslutet är sparat.",
    "close": "Ärendet är avslutat.",
    "comment": "Kommentaren är sparad.",
}


def _principal_name(session: Session, code: str) -> str:
    name = session.scalar(select(Principal.name).where(Principal.code == code))
    return name or code


def _penalty_ore(session: Session, deviation: Deviation, kind: str, severity: str) -> int:
    """The penalty an upheld decision would charge now, by the carrier's contract in force
    on the trip's day (what `service.take_step` would charge), without charging it."""
    if not deviation.carrier_name:
        return 0
    case = service.penalty_case(deviation, kind=kind, severity=severity)
    return penalty_amount(session, case)


def _card(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    deviation_id: int,
    *,
    errors: FormErrors | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
    asked: dict[str, object] | None = None,
) -> Response:
    deviation = service.get_deviation(
        session=session, deviation_id=deviation_id, actor=actor, now=now
    )
    status = DeviationStatus(deviation.status)
    handles = actor.has(P.DEVIATIONS_HANDLE)
    shown = deviation_public(session, deviation, actor, now)
    return render(
        request,
        "quality/card.html",
        {
            "d": shown,
            "driver_reports": driver_reports(session, deviation.booking_id),
            "principal_name": _principal_name(session, deviation.principal_code),
            "errors": errors or FormErrors(),
            "form": form or {},
            "done": DONE_SV.get(done or ""),
            "asked": asked,
            "can_investigate": handles and status is DeviationStatus.RECEIVED,
            "can_answer": status is DeviationStatus.INVESTIGATING
            and (handles or carrier_answers(actor, deviation)),
            "can_decide": handles
            and status in (DeviationStatus.RECEIVED, DeviationStatus.INVESTIGATING),
            "can_close": handles and status is DeviationStatus.DECIDED,
            **WORDS,
        },
    )


@router.get("/kvalitet/{deviation_id}")
def deviation_card(
    request: Request,
    deviation_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Reporter,
    klart: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    return _card(request, session, actor, now, deviation_id, done=klart)


def _step_errors(form: dict[str, str]) -> FormErrors:
    """What the step's form lacks, at its fields, in Swedish (the page checks before the
    service does, so the browser's own bubble never answers)."""
    errors = FormErrors()
    action = form.get("steg", "")
    note = form.get("anteckning", "").strip()
    if action == "decide":
        if form.get("utfall") not in OUTCOME_SV:
            errors.add("utfall-upheld", "Välj utfall: Befogad eller Ej befogad")
        if not note:
            errors.add("anteckning-decide", "Skriv motiveringen: varför beslutet blev så")
    elif action == "answer" and not note:
        errors.add("anteckning-answer", "Skriv utförarens svar")
    return errors


@router.post("/kvalitet/{deviation_id}/steg")
def take_step(
    request: Request,
    deviation_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Reporter,
    form: FormDep,
) -> Response:
    """One handling step from the card; the card again, with the step's outcome focused,
    the form's faults at their fields, or (an upheld decision that charges a penalty) the
    question first."""
    fields = {
        "action": form.get("steg", ""),
        "note": form.get("anteckning", "").strip()[:4000] or None,
        "outcome": form.get("utfall") or None,
        "kind": form.get("typ") or None,
        "severity": form.get("allvar") or None,
        "version": whole_number(form.get("version", "")),
    }
    errors = _step_errors(form)
    if errors:
        return _card(request, session, actor, now, deviation_id, errors=errors, form=form)
    try:
        data = DeviationStep.model_validate(fields)
    except ValidationError:
        errors.add("steg", "Välj ett steg i listan.")
        return _card(request, session, actor, now, deviation_id, errors=errors, form=form)
    if data.action is Action.DECIDE and data.outcome is Outcome.UPHELD:
        asked = _penalty_question(session, actor, now, deviation_id, data, form)
        if asked is not None:
            return _card(request, session, actor, now, deviation_id, form=form, asked=asked)
    try:
        service.take_step(
            session=session, deviation_id=deviation_id, data=data, actor=actor, now=now
        )
    except DomainError as error:
        if error.status == 404:
            raise
        errors.add(_error_field(error, data.action), _step_sv(error))
        return _card(request, session, actor, now, deviation_id, errors=errors, form=form)
    return RedirectResponse(f"/kvalitet/{deviation_id}?klart={data.action.value}", status_code=303)


def _penalty_question(
    session: Session,
    actor: Actor,
    now: datetime,
    deviation_id: int,
    data: DeviationStep,
    form: dict[str, str],
) -> dict[str, object] | None:
    """The question before an upheld decision that charges the carrier a penalty: how
    much, deducted when, and whether the carrier has answered. None when there is no
    penalty or the user has said yes."""
    if form.get("bekraftat") == "ja":
        return None
    deviation = service.load_deviation(session, deviation_id)
    if deviation is None:
        return None
    kind = data.kind.value if data.kind else deviation.kind
    severity = data.severity.value if data.severity else deviation.severity
    penalty = _penalty_ore(session, deviation, kind, severity)
    if not penalty:
        return None
    return {
        "penalty_ore": penalty,
        "carrier": deviation.carrier_name,
        "day": deviation.day,
        "answered": deviation.carrier_answered_at is not None,
        "due": deviation.carrier_due_at,
        "overdue": service.answer_overdue(deviation, now),
    }


def _error_field(error: DomainError, action: Action) -> str:
    if error.field == "outcome":
        return "utfall-upheld"
    if error.field == "note":
        return f"anteckning-{action.value}"
    return f"anteckning-{action.value}"


def _step_sv(error: DomainError) -> str:
    """The service's refusal in Swedish."""
    if error.field == "version":
        return "Avvikelsen har ändrats av någon annan. Ladda om sidan och försök igen."
    if error.field == "outcome":
        return "Ett beslut behöver utfall och en motivering."
    if error.field == "note":
        return "Skriv utförarens svar."
    if error.field in ("kind", "severity"):
        return (
            "Typ och allvarlighetsgrad ändras av beställningscentralen och senast i beslutet; "
            "vitet följer beslutets klassning."
        )
    if error.status == 403:
        return "Ditt konto får inte ta det steget."
    return "Steget passar inte avvikelsens status. Ladda om sidan."
