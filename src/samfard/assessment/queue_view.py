"""The assessor's queue as list rows: reference, traveller (masked when protected),
service and day, and whether the trip was changed (after an approval, or while it
waited), read with one query for all travellers and one for the approvals instead of a
full booking view per row (a busy day has hundreds of cases waiting)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, BookingEvent
from samfard.travellers.models import Traveller
from samfard.travellers.views import display_name

CHANGED_AFTER_APPROVAL = "Ändrad efter beviljande"
CHANGED_WHILE_WAITING = "Ändrad"


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    traveller_name: str
    service: str
    service_date: date
    changed: str | None = None  # how the row marks a changed trip; None when not changed


def _approved_before(session: Session, bookings: Sequence[Booking]) -> set[int]:
    """The bookings among `bookings` that were approved once (their events say so)."""
    ids = [b.id for b in bookings if (b.decision or {}).get("changed")]
    if not ids:
        return set()
    rows = session.scalars(
        select(BookingEvent.booking_id)
        .where(BookingEvent.booking_id.in_(ids))
        .where(BookingEvent.to_status == BookingStatus.APPROVED.value)
    )
    return set(rows)


def _changed(booking: Booking, approved_before: set[int]) -> str | None:
    if not (booking.decision or {}).get("changed"):
        return None
    return CHANGED_AFTER_APPROVAL if booking.id in approved_before else CHANGED_WHILE_WAITING


def queue_rows(session: Session, bookings: Sequence[Booking], actor: Actor) -> list[QueueRow]:
    """Rows for bookings the queue service returned (already scoped and audited)."""
    ids = {b.traveller_id for b in bookings}
    travellers = {t.id: t for t in session.scalars(select(Traveller).where(Traveller.id.in_(ids)))}
    approved_before = _approved_before(session, bookings)
    return [
        QueueRow(
            id=b.id,
            reference=b.reference,
            traveller_name=display_name(travellers[b.traveller_id], actor),
            service=b.service,
            service_date=b.service_date,
            changed=_changed(b, approved_before),
        )
        for b in bookings
    ]
