"""How bookings and series leave the service layer (names masked where protected)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.account_names import shown
from samfard.access.actor import Actor
from samfard.booking.models import Booking, BookingEvent, Leg, Series
from samfard.booking.schemas import (
    BookingPublic,
    EventPublic,
    LegPublic,
    SeriesPublic,
    StandingDecision,
)
from samfard.booking.series import exception_days
from samfard.rules.decision import cited, companion_fees
from samfard.travellers.free_text import HIDDEN_FREE_TEXT, shown_free_text
from samfard.travellers.models import Traveller
from samfard.travellers.views import MASKED_ADDRESS, can_see_identity, display_name


def booking_public(session: Session, booking: Booking, actor: Actor) -> BookingPublic:
    traveller = session.get(Traveller, booking.traveller_id)
    assert traveller is not None, "bookings reference a stored traveller"
    return _public(booking, traveller, actor)


def bookings_public(
    session: Session, bookings: Sequence[Booking], actor: Actor
) -> list[BookingPublic]:
    """Many bookings as shown, their travellers read in one query (not one per booking)."""
    ids = {b.traveller_id for b in bookings}
    travellers = {t.id: t for t in session.scalars(select(Traveller).where(Traveller.id.in_(ids)))}
    return [_public(b, travellers[b.traveller_id], actor) for b in bookings]


def _public(booking: Booking, traveller: Traveller, actor: Actor) -> BookingPublic:
    visible = can_see_identity(traveller, actor)
    return BookingPublic(
        id=booking.id,
        reference=booking.reference,
        traveller_id=booking.traveller_id,
        traveller_name=display_name(traveller, actor),
        principal=booking.principal_code,
        service=booking.service,
        status=booking.status,
        channel=booking.channel,
        purpose=shown_free_text(booking.purpose, visible=visible),
        service_date=booking.service_date,
        legs=[leg_public(leg, visible=visible) for leg in booking.legs],
        companions=list(booking.companions),
        needs=list(booking.needs),
        # Free text about the person may say where they live (a door code, a floor).
        message_to_driver=booking.message_to_driver if visible else None,
        series_id=booking.series_id,
        late_cancellation=booking.late_cancellation,
        mode=booking.mode,
        decided=standing_decision(booking.decision, booking.mode),
        decision=booking_decision(booking, visible=visible),
        version=booking.version,
        created_at=booking.created_at,
    )


def events_public(
    events: Sequence[BookingEvent], *, visible: bool, hidden: frozenset[str] = frozenset()
) -> list[EventPublic]:
    """A booking's history as a reader may see it: a reason a person typed (a
    cancellation's, an assessor's) may name the person or their home, and is hidden where
    they are; the system's own reasons (which rules refused, which plan) stay. An actor in
    `hidden` (the traveller's own account, named after them) is not named."""
    return [
        EventPublic.model_validate(e).model_copy(
            update={
                "reason": shown_free_text(e.reason, visible=visible or not e.reason_by_person),
                "actor": shown(e.actor, hidden),
            }
        )
        for e in events
    ]


def booking_decision(booking: Booking, *, visible: bool) -> dict[str, Any] | None:
    """The booking's stored decision as a reader may see it, if it has one."""
    return None if booking.decision is None else decision_shown(booking.decision, visible=visible)


# The stored outcome (rules' vocabulary, or an assessor's) as the decision that stands.
_STANDING = {
    "automatic": "approved",
    "approved": "approved",
    "refused": "denied",
    "denied": "denied",
    "needs_assessor": "needs_assessor",
}


def standing_decision(stored: dict[str, Any] | None, mode: str | None) -> StandingDecision | None:
    """What stands on a booking, read from its stored decision: approved or denied (by the
    rules or an assessor) or waiting; the fee is the approved legs' fee, 0 when denied."""
    if not stored or stored.get("outcome") not in _STANDING:
        return None
    outcome = _STANDING[stored["outcome"]]
    fee = {"approved": stored.get("fee_ore"), "denied": 0}.get(outcome)
    companions = sum(companion_fees(stored.get("companions") or ()).values())
    person = stored.get("assessor") or {}
    at = stored.get("decided_at")
    return StandingDecision(
        outcome=outcome,
        mode=mode,
        fee_ore=fee,
        companion_fee_ore={"approved": companions, "denied": 0}.get(outcome),
        decided_by="assessor" if stored.get("decided_by") == "assessor" else "rules",
        decided_by_user=person.get("username"),
        decided_at=datetime.fromisoformat(at) if at else None,
    )


HIDDEN_FACTS = "hidden: protected identity"


def decision_shown(stored: dict[str, Any], *, visible: bool) -> dict[str, Any]:
    """A stored decision as a reader may see it. For a protected identity the reader may
    not see, what the rules worked out from the person is left out: the input summary
    (distances, age), each reason's text and facts (km from the home, the walk to its
    stop, the bus from it) and the input's hash (of those facts). A trial assessment is
    free to pick any destination, so distances from a hidden home would locate it; for
    the same reason the reimbursement for an own car (so much per km) is left out. What
    was decided stays: outcome, modes, fees, the rule each reason cites (by its code)."""
    if visible:
        return stored
    person = stored.get("assessor")
    if isinstance(person, dict) and person.get("reason"):
        person = person | {"reason": HIDDEN_FREE_TEXT}  # the assessor's words about them
    reasons = [
        {**reason, "text": str(reason.get("code", "")), "facts": []}
        for reason in stored.get("reasons") or []
    ]
    legs = [{**leg, "reimbursement_ore": None} for leg in stored.get("legs") or []]
    return stored | {
        "assessor": person,
        "input_summary": HIDDEN_FACTS,
        "input_hash": None,
        "reasons": reasons,
        "legs": legs,
        "reimbursement_ore": None,
        "needs_assessor_because": _cited(stored, reasons, "needs_assessor"),
        "refused_because": _cited(stored, reasons, "refuse"),
    }


def _cited(stored: dict[str, Any], reasons: list[dict[str, Any]], effect: str) -> list[str]:
    """The reasons of one effect cited by code, as `assessment.service.cite` does. A
    decision the rules could not take has no reasons, only the error's message, which may
    name a distance: it is hidden too."""
    if not reasons:
        key = "needs_assessor_because" if effect == "needs_assessor" else "refused_because"
        return [HIDDEN_FACTS for _ in stored.get(key) or []]
    shown = []
    for reason in reasons:
        if reason.get("effect") != effect:
            continue
        c = reason.get("citation")
        said = str(reason["text"])
        shown.append(cited(said, c["file"], c["key"], c["valid_from"]) if c else said)
    return shown


def leg_public(leg: Leg, *, visible: bool) -> LegPublic:
    """A leg as shown; for a protected identity, every end that is not a public place
    (the home, a free address) is hidden with its coordinates."""
    shown = LegPublic.model_validate(leg)
    if visible:
        return shown
    hidden: dict[str, object] = {}
    for end in ("origin", "destination"):
        if getattr(leg, f"{end}_place_id") is None:
            hidden |= {f"{end}_address": MASKED_ADDRESS, f"{end}_lat": None, f"{end}_lon": None}
    return shown.model_copy(update=hidden)


def series_public(series: Series, bookings: list[Booking]) -> SeriesPublic:
    return SeriesPublic(
        id=series.id,
        traveller_id=series.traveller_id,
        principal=series.principal_code,
        service=series.service,
        weekdays=list(series.weekdays),
        start_date=series.start_date,
        end_date=series.end_date,
        exception_dates=exception_days(series),
        cancelled_from=series.cancelled_from,
        booking_ids=[b.id for b in bookings],
    )
