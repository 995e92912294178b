"""The assessor's page /bedomning: the queue, one case with the engine's proposal and its
citations, the decision form, and the decision letter as a preview and as PDF.

Every read and the decision go through the assessment services (`assessment.queue`,
`assessment.decide`, `assessment_reads.decision_letter`), so scope, audit and the fee
ledger are the same as in the API. The page answers any signed-in booking reader with its
heading; only an assessor (ASSESSMENTS_DECIDE) sees the queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.assessment import reads as assessment_reads
from samfard.assessment import service as assessment
from samfard.assessment.letter_pages import letter_body
from samfard.assessment.queue_view import queue_rows
from samfard.assessment.standing import Standing, standing
from samfard.assessment.words_sv import (
    MODES_SV,
    NEEDS_SV,
    PURPOSES_SV,
    changed_sv,
    companions_sv,
    reason_about_sv,
    reasons_about_sv,
    rule_part_sv,
    source_sv,
    summary_sv,
)
from samfard.booking import service as booking_service
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.views import booking_public
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError
from samfard.principals.service import list_principals
from samfard.rules.in_force import SERVICES_SV, rulebook_sv
from samfard.schemas_common import RecordId
from samfard.web.shell import FormErrors, page_router
from samfard.web.templating import render

router = page_router()

ACTIONS_SV = {"approve": "Bevilja", "deny": "Avslå"}
EFFECTS_SV = {
    "allow": "stöder beviljande",
    "refuse": "talar för avslag",
    "needs_assessor": "kräver handläggare",
    "info": "upplysning",
}
QUEUE_LIMIT = 200


def _citation(citation: Any) -> dict[str, Any] | None:
    """A reason's rule as a reader says it: the rulebook by service, principal and version,
    the part of it in words and what its value rests on; never the file or the key."""
    if not isinstance(citation, dict):
        return None
    file, valid_from = str(citation.get("file", "")), citation.get("valid_from")
    return {
        "rulebook_sv": rulebook_sv(file, valid_from, first=True),
        "part_sv": rule_part_sv(file, str(citation.get("key", "")), valid_from),
        "source_sv": source_sv(citation.get("source")),
    }


# Why the rules could not assess a trip (the stored error's field), as the assessor acts on it.
RULES_ERRORS_SV = (
    ("bus_fare", "Avgiften räknas på bussens taxa, och taxan för resan finns inte i Samfard."),
    ("distance_to_stop", "Avståndet till närmaste hållplats är inte känt."),
    ("service", "Tjänsten har inga regler i Samfard ännu."),
    ("day", "Inget regelverk gäller på resdagen."),
)
RULES_ERROR_THEN = (
    "Handläggaren beslutar utan regelmotorns förslag; ingen avgift tas ut enligt regel."
)


def _waiting_because(stored: dict[str, Any]) -> list[str]:
    """Why the case waits for a person, in Swedish: the reasons that ask for an assessor,
    or (when the rules could not assess the trip at all) what they lacked."""
    waiting = [r for r in stored.get("reasons") or [] if r.get("effect") == "needs_assessor"]
    if stored.get("reasons") or not stored.get("needs_assessor_because"):
        return reasons_about_sv(waiting)
    field = str(stored.get("error_field") or "")
    lacking = next((sv for part, sv in RULES_ERRORS_SV if part in field), None)
    return [
        lacking or "Reglerna kunde inte bedöma resan: en uppgift de behöver saknas.",
        RULES_ERROR_THEN,
    ]


def _approval_before(booking: Booking) -> dict[str, Any] | None:
    """The last approval of a trip now waiting again (its events keep it): when, and
    whether the rules or an assessor gave it."""
    approvals = [  # a time changed on an approved trip is an event approved -> approved
        e
        for e in booking.events
        if e.to_status == BookingStatus.APPROVED.value and e.from_status != e.to_status
    ]
    if not approvals:
        return None
    last = max(approvals, key=lambda e: e.seq)
    by_person = (last.reason or "").startswith("assessor:")
    return {"at": last.at, "by_sv": f"handläggaren {last.actor}" if by_person else "reglerna"}


def _change(booking: Booking, stored: dict[str, Any]) -> dict[str, Any] | None:
    """What the case says of a change to the trip (docs/assessment.md, "A changed trip is
    decided again"): the fields changed, and for a trip approved before, when and by whom,
    and the mode and fee it was approved with. None for a trip not changed."""
    fields = stored.get("changed")
    if not fields:
        return None
    before = stored.get("mode_before")
    return {
        "fields_sv": changed_sv(fields),
        "approved": _approval_before(booking),
        "mode_before_sv": MODES_SV.get(str(before), str(before)) if before else None,
        "fee_before_ore": stored.get("fee_before_ore"),
    }


def _case(
    session: Session, booking: Booking, actor: Actor, names: dict[str, str]
) -> dict[str, Any]:
    """A case as the page shows it: the booking's facts and the engine's proposal, said to
    the assessor (the traveller in the third person, payers and homes by name)."""
    public = booking_public(session, booking, actor)
    stored = public.decision or {}  # as the actor may see it (`decision_shown`)
    reasons = [
        {
            "text": reason_about_sv(r),
            "code": r.get("code", ""),
            "effect": EFFECTS_SV.get(str(r.get("effect")), str(r.get("effect", ""))),
            "citation": _citation(r.get("citation")),
            "facts": r.get("facts") or [],
        }
        for r in stored.get("reasons") or []
    ]
    mode = stored.get("chosen_mode")
    return {
        "booking": public,
        "service_sv": SERVICES_SV.get(booking.service, booking.service),
        "principal_sv": names.get(booking.principal_code, booking.principal_code),
        "purpose_sv": ", ".join(
            PURPOSES_SV.get(part, part) for part in (public.purpose or "").split("+") if part
        ),
        "needs_sv": [NEEDS_SV.get(need, need) for need in booking.needs or ()],
        "companions_sv": companions_sv(public.companions),
        "change": _change(booking, stored),
        "proposal_mode": MODES_SV.get(mode, mode) if mode else None,
        "fee_ore": stored.get("fee_ore"),
        "waiting_because": _waiting_because(stored),
        "reasons": reasons,
        "facts": summary_sv(str(stored.get("input_summary") or ""), names),
        "rulebooks": stored.get("rulebooks") or [],
        "assessor": stored.get("assessor"),
        "standing": standing(booking),
    }


def _names(session: Session) -> dict[str, str]:
    """Principals and municipalities by code, as the principals register names them."""
    return {p.code: p.name for p in list_principals(session=session)}


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
        request, session, actor, now, waiting, chosen, decided=beslut, errors=FormErrors()
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
        case = _case(session, booking, actor, _names(session))
        if stale:
            _say_stale(errors, case["standing"])
    done = None
    if decided is not None:
        done = booking_service.get_booking(
            session=session, booking_id=decided, actor=actor, now=now
        )
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
) -> Response:
    """Approve or deny a case with the assessor's reason (or, from its own form, approve a
    denied one on reconsideration); errors come back on the page."""
    stale = False
    reason_field, action_field = (
        ("omprovning-motivering", "omprovning-spara")
        if omprovning
        else ("motivering", "beslut-bevilja")
    )
    errors = _form_errors(action, reason, action_field=action_field, reason_field=reason_field)
    if not errors:
        try:
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
            if error.status == 409:
                stale = True
            else:
                errors.add(reason_field if error.field == "reason" else action_field, REFUSED_SV)
        else:
            return RedirectResponse(f"/bedomning?beslut={booking_id}", status_code=303)
    waiting = assessment.queue(
        session=session, actor=actor, now=now, principal=None, limit=QUEUE_LIMIT
    )
    return _queue_page(
        request,
        session,
        actor,
        now,
        waiting,
        booking_id,
        decided=None,
        errors=errors,
        form={"action": action, "reason": reason},
        stale=stale,
    )


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
                errors.add("beslut-bevilja", RULES_REFUSE_SV)
        else:
            letter = letter_body(html, below=3)
    waiting = assessment.queue(
        session=session, actor=actor, now=now, principal=None, limit=QUEUE_LIMIT
    )
    return _queue_page(
        request,
        session,
        actor,
        now,
        waiting,
        booking_id,
        decided=None,
        errors=errors,
        form={"action": action, "reason": reason},
        stale=stale,
        preview=letter,
    )


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
