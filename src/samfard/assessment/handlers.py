"""Assessment's subscriptions on the message bus (samfard.events): a booking is assessed
in the transaction that stores it, without booking importing assessment."""

from __future__ import annotations

from sqlalchemy.orm import Session

from samfard import events
from samfard.assessment.changed import decide_again
from samfard.assessment.service import assess_new_booking
from samfard.booking.models import Booking
from samfard.travellers.models import Traveller


def booking_created(session: Session, event: events.BookingCreated) -> None:
    """Decide the new booking by the rules: approved, denied, or waiting for an assessor."""
    booking = session.get(Booking, event.booking_id)
    assert booking is not None, "published inside the booking's own transaction"
    traveller = session.get(Traveller, booking.traveller_id)
    assert traveller is not None, "bookings reference a stored traveller"
    assess_new_booking(session, booking, traveller, actor=event.actor, now=event.at)


def booking_changed(session: Session, event: events.BookingChanged) -> None:
    """Decide a changed booking again, so no approval or fee stands for the trip as it was."""
    booking = session.get(Booking, event.booking_id)
    assert booking is not None, "published inside the booking's own transaction"
    traveller = session.get(Traveller, booking.traveller_id)
    assert traveller is not None, "bookings reference a stored traveller"
    decide_again(session, booking, traveller, fields=event.fields, actor=event.actor, now=event.at)


events.subscribe(events.BookingCreated, booking_created)
events.subscribe(events.BookingChanged, booking_changed)
