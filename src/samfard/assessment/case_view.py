"""A case on /bedomning as the assessor reads it: the booking's facts and the engine's
proposal said about the traveller (payers and homes by name, the rules in words), what a
change to the trip was, what stands once it is decided, and the series it belongs to
with the trips of it that still wait (for "Besluta alla resor i serien likadant")."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.assessment.queue_view import series_marks
from samfard.assessment.series_decision import series_waiting
from samfard.assessment.standing import standing
from samfard.assessment.words_sv import (
    MODES_SV,
    NEEDS_SV,
    PURPOSES_SV,
    and_sv,
    changed_sv,
    companions_sv,
    reason_about_sv,
    reasons_about_sv,
    rule_part_sv,
    source_sv,
    summary_sv,
)
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.views import booking_public
from samfard.dates_sv import MONTHS_SV
from samfard.principals.service import list_principals
from samfard.rules.in_force import SERVICES_SV, rulebook_sv

EFFECTS_SV = {
    "allow": "stöder beviljande",
    "refuse": "talar för avslag",
    "needs_assessor": "kräver handläggare",
    "info": "upplysning",
}


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


def approval_before(booking: Booking) -> dict[str, Any] | None:
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
        "approved": approval_before(booking),
        "mode_before_sv": MODES_SV.get(str(before), str(before)) if before else None,
        "fee_before_ore": stored.get("fee_before_ore"),
    }


def case_view(
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
        "series": _series(session, booking),
    }


def principal_names(session: Session) -> dict[str, str]:
    """Principals and municipalities by code, as the principals register names them."""
    return {p.code: p.name for p in list_principals(session=session)}


def _series(session: Session, booking: Booking) -> dict[str, Any] | None:
    """The series of a booking: its mark, and while the booking waits the series' trips
    that wait with it, their days and versions (what a decision of them all covers)."""
    if booking.series_id is None:
        return None
    mark = series_marks(session, {booking.series_id}).get(booking.series_id)
    waiting = series_waiting(session, booking.series_id) if standing(booking) is None else []
    return {
        "mark": mark,
        "count": len(waiting),
        "days_sv": days_sv([b.service_date for b in waiting]),
        "versions": ",".join(f"{b.id}:{b.version}" for b in waiting),
    }


def days_sv(days: list[Any]) -> str:
    """'7, 9 och 11 december'; days of several months each with its month."""
    if len({(d.year, d.month) for d in days}) == 1:
        return f"{and_sv([str(d.day) for d in days])} {MONTHS_SV[days[0].month - 1]}"
    return and_sv([f"{d.day} {MONTHS_SV[d.month - 1]}" for d in days])
