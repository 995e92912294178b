"""The assessor's page /bedomning: the queue, one case (`case_view`) with the engine's
proposal and its citations, the decision form (for one trip, or every waiting trip of its
series), and the preview of the letter the chosen decision would give. The letter itself,
as page and PDF, is `letter_pages`.

Every read and the decision go through the assessment services (`assessment.queue`,
`assessment.decide`, `series_decision.decide_series`, `reads.previewed_letter`), so scope,
audit and the fee ledger are the same as in the API. The page answers any signed-in
booking reader with its heading; only an assessor (ASSESSMENTS_DECIDE) sees the queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.assessment import reads as assessment_reads
from samfard.assessment import service as assessment
from samfard.assessment.case_view import case_view, principal_names
from samfard.assessment.letter_pages import letter_body
from samfard.assessment.queue_view import queue_rows
from samfard.assessment.series_decision import decide_series, decided_with
from samfard.assessment.standing import Standing
from samfard.booking import service as booking_service
from samfard.booking.models import Booking
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError
from samfard.rules.in_force import SERVICES_SV
from samfard.schemas_common import RecordId
from samfard.web.shell import FormErrors, page_router
from samfard.web.templating import render

router = page_router()

ACTIONS_SV = {"approve": "Bevilja", "deny": "Avslå"}
QUEUE_LIMIT = 200


@router.get("/bedomning")
def assessment_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
    arende: RecordId | None = None,
    beslut: RecordId | None = None,
) -> Response:
    """The queue and one open case (the first waiting one unless `arende` names one)."""
    if not actor.has(P.ASSESSMENTS_DECIDE):
        return render(request, "assessment/queue.html", {"may_decide": False})
    waiting = assessment.queue(
        session=session, actor=actor, now=now, principal=None, limit=QUEUE_LIMIT
    )
    chosen = arende if arende is not None else (waiting[0].id if waiting else None)
    return _queue_page(
        request,
        session,
        actor,
        now,
        waiting,
        chosen,
        decided=beslut,
        errors=FormErrors(),
    )


def _queue_page(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    waiting: list[Booking],
    chosen: int | None,
    *,
    decided: int | None,
    errors: FormErrors,
    form: dict[str, str] | None = None,
    stale: bool = False,
    preview: str | None = None,
) -> Response:
    """The page with the queue and the `chosen` case; `stale` when the service refused a
    decision because the case changed or was decided since the form was shown: said with
    the case as it stands now, so nothing asks the assessor to reload."""
    case = None
    if chosen is not None:
        booking = booking_service.get_booking(
            session=session, booking_id=chosen, actor=actor, now=now
        )
        case = case_view(session, booking, actor, principal_names(session))
        if stale:
            _say_stale(errors, case["standing"])
    done = None
    series_count = 1
    if decided is not None:
        done = booking_service.get_booking(
            session=session, booking_id=decided, actor=actor, now=now
        )
        series_count = decided_with(session, done)
    return render(
        request,
        "assessment/queue.html",
        {
            "may_decide": True,
            "queue": queue_rows(session, waiting, actor),
            "case": case,
            "decided": done,
            "errors": errors,
            "form": form or {},
            "preview": preview,
            "series_count": series_count,
            "actions": ACTIONS_SV,
            "service_sv": SERVICES_SV,
        },
    )


@router.post("/bedomning/{booking_id}/beslut")
def decide(
    request: Request,
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.ASSESSMENTS_DECIDE)],
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    version: Annotated[int | None, Form()] = None,
    omprovning: Annotated[bool, Form()] = False,
    hela_serien: Annotated[bool, Form()] = False,
    serie_versioner: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Approve or deny a case with the assessor's reason (or, from its own form, approve a
    denied one on reconsideration; or, with "Besluta alla resor i serien likadant", every
    waiting trip of its series); errors come back on the page."""
    stale = False
    reason_field, action_field = (
        ("omprovning-motivering", "omprovning-spara")
        if omprovning
        else ("motivering", "beslut-bevilja")
    )
    errors = _form_errors(action, reason, action_field=action_field, reason_field=reason_field)
    versions = _versions(serie_versioner) if hela_serien else {}
    if hela_serien and not versions:
        errors.add("hela-serien", SERIES_UNREAD_SV)
    if not errors:
        try:
            if hela_serien:
                decide_series(
                    session=session,
                    booking_id=booking_id,
                    action=action,
                    reason=reason.strip(),
                    versions=versions,
                    actor=actor,
                    now=now,
                )
            else:
                assessment.decide(
                    session=session,
                    booking_id=booking_id,
                    action=action,
                    reason=reason.strip(),
                    mode=None,
                    version=version,
                    actor=actor,
                    now=now,
                )
        except DomainError as error:
            if error.status in (401, 403, 404):
                raise
            if error.status == 409 and hela_serien:
                errors.add("hela-serien", SERIES_CHANGED_SV)
            elif error.status == 409:
                stale = True
            else:
                said = error.detail_sv or REFUSED_SV  # the rules' refusal says why
                errors.add(reason_field if error.field == "reason" else action_field, said)
        else:
            return RedirectResponse(f"/bedomning?beslut={booking_id}", status_code=303)
    form = {"action": action, "reason": reason, "hela_serien": "1" if hela_serien else ""}
    return _form_again(request, session, actor, now, booking_id, errors, form, stale=stale)


SERIES_UNREAD_SV = "Seriens resor kunde inte läsas från sidan. Öppna ärendet igen och besluta."
SERIES_CHANGED_SV = (
    "Seriens väntande resor har ändrats sedan du öppnade ärendet, så inget av besluten "
    "sparades. Läs vilka resor som väntar nu och besluta igen."
)


def _versions(said: str) -> dict[int, int]:
    """The series' waiting trips as the form lists them, "12:3,13:3" (id:version); empty
    when the list cannot be read."""
    try:
        pairs = [part.split(":") for part in said.split(",") if part]
        return {int(trip): int(version) for trip, version in pairs}
    except ValueError:
        return {}


def _form_errors(action: str, reason: str, *, action_field: str, reason_field: str) -> FormErrors:
    """What the decision form lacks, at its fields: a decision and a reason."""
    errors = FormErrors()
    if action not in ACTIONS_SV:
        errors.add(action_field, "Välj Bevilja eller Avslå.")
    if len(reason.strip()) < 2:
        errors.add(reason_field, "Skriv en motivering till beslutet (minst två tecken).")
    return errors


@router.post("/bedomning/{booking_id}/forhandsvisa")
def preview_decision(
    request: Request,
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.ASSESSMENTS_DECIDE)],
    action: Annotated[str, Form()] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    version: Annotated[int | None, Form()] = None,
    hela_serien: Annotated[bool, Form()] = False,
) -> Response:
    """The letter the decision chosen on the form would give, shown under the form, which
    keeps what was chosen and written; nothing is saved. (The case's preview link showed
    the letter of the case as it stands, "väntar på bedömning", not of the decision.)"""
    errors = _form_errors(action, reason, action_field="beslut-bevilja", reason_field="motivering")
    letter, stale = None, False
    if not errors:
        try:
            html = assessment_reads.previewed_letter(
                session=session,
                booking_id=booking_id,
                action=action,
                reason=reason.strip(),
                version=version,
                actor=actor,
                now=now,
            )
        except DomainError as error:
            if error.status in (401, 403, 404):
                raise
            if error.status == 409:
                stale = True
            else:
                errors.add("beslut-bevilja", error.detail_sv or RULES_REFUSE_SV)
        else:
            letter = letter_body(html, below=3)
    form = {"action": action, "reason": reason, "hela_serien": "1" if hela_serien else ""}
    return _form_again(
        request, session, actor, now, booking_id, errors, form, stale=stale, preview=letter
    )


def _form_again(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    booking_id: int,
    errors: FormErrors,
    form: dict[str, str],
    *,
    stale: bool,
    preview: str | None = None,
) -> Response:
    """The queue with the case whose decision form was posted, the form as it was sent:
    after a refusal, and under a preview of its letter."""
    waiting = assessment.queue(
        session=session, actor=actor, now=now, principal=None, limit=QUEUE_LIMIT
    )
    return _queue_page(request, session, actor, now, waiting, booking_id, decided=None,
                       errors=errors, form=form, stale=stale, preview=preview)  # fmt: skip


RULES_REFUSE_SV = (
    "Reglerna avslår resan med det föreslagna färdsättet, så den kan inte beviljas så. "
    "Avslå den, eller ändra färdsätt via beställningen."
)
REFUSED_SV = "Beslutet kunde inte sparas; kontrollera färdsätt och motivering och försök igen."


def _say_stale(errors: FormErrors, decided: Standing | None) -> None:
    """Why a decision was not saved: the case was decided meanwhile (by whom and when, at
    the decision shown instead of a form), or it changed and is shown again as it is now."""
    if decided is not None:
        errors.add(
            "beslut-status",
            f"Ärendet är redan avgjort och kan inte beslutas igen här. {decided.sentence_sv()}",
        )
    else:
        errors.add(
            "beslut-bevilja",
            "Ärendet har ändrats sedan du öppnade det. Läs ärendet som det är nu och besluta igen.",
        )
