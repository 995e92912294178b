"""The assessor's queue as list rows: reference, traveller (masked when protected),
service and day, read with one query for all travellers instead of a full booking view
per row (a busy day has hundreds of cases waiting)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.models import Booking
from samfard.travellers.models import Traveller
from samfard.travellers.views import display_name


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    traveller_name: str
    service: str
    service_date: date


def queue_rows(session: Session, bookings: Sequence[Booking], actor: Actor) -> list[QueueRow]:
    """Rows for bookings the queue service returned (already scoped and audited)."""
    ids = {b.traveller_id for b in bookings}
    travellers = {t.id: t for t in session.scalars(select(Traveller).where(Traveller.id.in_(ids)))}
    return [
        QueueRow(
            id=b.id,
            reference=b.reference,
            traveller_name=display_name(travellers[b.traveller_id], actor),
            service=b.service,
            service_date=b.service_date,
        )
        for b in bookings
    ]
