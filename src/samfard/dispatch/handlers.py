"""Dispatch's subscriptions on the message bus (samfard.events): a planned day follows
its bookings without booking importing dispatch."""

from __future__ import annotations

from sqlalchemy.orm import Session

from samfard import changes, events
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.dispatch.live import on_transition


def booking_status_changed(session: Session, event: events.BookingStatusChanged) -> None:
    """Approved bookings are inserted live; cancelled and no-shows leave the plan."""
    booking = session.get(Booking, event.booking_id)
    if booking is None:  # pragma: no cover - published inside the booking's own transaction
        return
    changes.announce(
        session,
        topic=f"plan:{booking.service_date.isoformat()}",
        kind=event.current,
        ref_id=booking.id,
        at=event.at,
    )
    on_transition(
        session,
        booking,
        BookingStatus(event.previous),
        BookingStatus(event.current),
        actor=event.actor,
        now=event.at,
    )


events.subscribe(events.BookingStatusChanged, booking_status_changed)
