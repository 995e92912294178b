"""How bookings and series leave the service layer (names masked where protected)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.models import Booking, Leg, Series
from samfard.booking.schemas import BookingPublic, LegPublic, SeriesPublic, StandingDecision
from samfard.booking.series import exception_days
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
    return BookingPublic(
        id=booking.id,
        reference=booking.reference,
        traveller_id=booking.traveller_id,
        traveller_name=display_name(traveller, actor),
        principal=booking.principal_code,
        service=booking.service,
        status=booking.status,
        channel=booking.channel,
        purpose=booking.purpose,
        service_date=booking.service_date,
        legs=[leg_public(leg, visible=can_see_identity(traveller, actor)) for leg in booking.legs],
        companions=list(booking.companions),
        needs=list(booking.needs),
        message_to_driver=booking.message_to_driver,
        series_id=booking.series_id,
        late_cancellation=booking.late_cancellation,
        mode=booking.mode,
        decided=standing_decision(booking.decision, booking.mode),
        decision=booking.decision,
        version=booking.version,
        created_at=booking.created_at,
    )


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
    person = stored.get("assessor") or {}
    at = stored.get("decided_at")
    return StandingDecision(
        outcome=outcome,
        mode=mode,
        fee_ore=fee,
        decided_by="assessor" if stored.get("decided_by") == "assessor" else "rules",
        decided_by_user=person.get("username"),
        decided_at=datetime.fromisoformat(at) if at else None,
    )


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
