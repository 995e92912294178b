"""How bookings and series leave the service layer (names masked where protected)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.models import Booking, Leg, Series
from samfard.booking.schemas import BookingPublic, LegPublic, SeriesPublic
from samfard.booking.series import exception_days
from samfard.travellers.models import Traveller
from samfard.travellers.views import MASKED_ADDRESS, can_see_identity, display_name


def booking_public(session: Session, booking: Booking, actor: Actor) -> BookingPublic:
    traveller = session.get(Traveller, booking.traveller_id)
    assert traveller is not None, "bookings reference a stored traveller"
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
        decision=booking.decision,
        version=booking.version,
        created_at=booking.created_at,
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
