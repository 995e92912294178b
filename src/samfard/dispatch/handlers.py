"""Dispatch's subscriptions on the message bus (samfard.events): a planned day follows
its bookings and the drivers' reports without booking or the driver's page importing
dispatch's use cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from samfard import changes, events
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.dispatch.delays import on_stop_reported
from samfard.dispatch.live import on_transition
from samfard.dispatch.no_show import record_no_show


def booking_status_changed(session: Session, event: events.BookingStatusChanged) -> None:
    """Approved bookings are inserted live; cancelled and no-shows leave the plan; a
    no-show is charged the fee its rulebook sets."""
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
    if event.current == BookingStatus.NO_SHOW.value:
        record_no_show(session, booking, at=event.at, by=event.actor.username)


events.subscribe(events.BookingStatusChanged, booking_status_changed)
events.subscribe(events.StopReported, on_stop_reported)
