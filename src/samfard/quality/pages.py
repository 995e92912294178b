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

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError, NotFound
from samfard.notify.service import inbox
from samfard.quality import service
from samfard.quality.schemas import DeviationCreate, DeviationStatus, DeviationStep
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
from samfard.web.shell import FormDep, FormErrors, page_router
from samfard.web.templating import render
from samfard.web.typed import whole_number

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
    """Report a deviation about a trip named by its booking number."""
    errors = FormErrors()
    reference = form.get("bokning", "").strip().upper()
    booking_id = session.scalar(select(Booking.id).where(Booking.reference == reference))
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
                }
            )
            deviation = service.report_deviation(session=session, data=data, actor=actor, now=now)
        except ValidationError:
            errors.add("allvar", "Välj en allvarlighetsgrad i listan")
        except NotFound:
            errors.add("bokning", f"Hittar ingen resa med bokningsnummer {reference[:20]}")
        except DomainError as error:
            errors.add("bokning", error.detail_sv or "Avvikelsen kunde inte tas emot.")
        else:
            return RedirectResponse(f"/kvalitet/{deviation.id}", status_code=303)
    return _list(request, session, actor, now, status=None, form=form, errors=errors)


def _card(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    deviation_id: int,
    *,
    error: str | None = None,
) -> Response:
    deviation = service.get_deviation(
        session=session, deviation_id=deviation_id, actor=actor, now=now
    )
    status = DeviationStatus(deviation.status)
    handles = actor.has(P.DEVIATIONS_HANDLE)
    return render(
        request,
        "quality/card.html",
        {
            "d": deviation_public(session, deviation, actor, now),
            "error": error,
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
    request: Request, deviation_id: RecordId, session: SessionDep, now: NowDep, actor: Reporter
) -> Response:
    return _card(request, session, actor, now, deviation_id)


@router.post("/kvalitet/{deviation_id}/steg")
def take_step(
    request: Request,
    deviation_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Reporter,
    form: FormDep,
) -> Response:
    """One handling step from the card; the card again, with the step or the refusal."""
    fields = {
        "action": form.get("steg", ""),
        "note": form.get("anteckning", "").strip()[:4000] or None,
        "outcome": form.get("utfall") or None,
        "kind": form.get("typ") or None,
        "severity": form.get("allvar") or None,
        "version": whole_number(form.get("version", "")),
    }
    try:
        data = DeviationStep.model_validate(fields)
        service.take_step(
            session=session, deviation_id=deviation_id, data=data, actor=actor, now=now
        )
    except ValidationError:
        return _card(request, session, actor, now, deviation_id, error="Välj ett steg i listan.")
    except DomainError as error:
        if error.status == 404:
            raise
        return _card(request, session, actor, now, deviation_id, error=_step_sv(error))
    return RedirectResponse(f"/kvalitet/{deviation_id}", status_code=303)


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
