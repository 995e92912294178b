"""A day's bookings as the rows of the day overview (`/`): eight columns, one query.

`service.list_bookings` returns the API's booking objects (every leg, the stored
decision) and `views.booking_public` turns each into the full public view; for a table
of up to 500 rows that shows a reference, a time, a name, two addresses, the service,
the needs and the status, that was most of the page's time. This read takes only those
columns and each booking's first leg, under the same scope (`service.scoped`), masking
(`travellers.views`: a protected traveller's name, and the ends of the leg that are not
public places, are hidden from a reader without the right) and audit (one entry per
booking listed, as `list_bookings` writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking, Leg
from samfard.booking.service import S, scoped
from samfard.db import transaction
from samfard.travellers.models import Traveller
from samfard.travellers.views import MASK, MASKED_ADDRESS


@dataclass(frozen=True, slots=True)
class DayRow:
    id: int
    reference: str
    traveller_name: str
    service: str
    needs: tuple[str, ...]
    status: str
    at: datetime  # the first leg's pickup time, or its appointment when it has none
    by_appointment: bool
    origin_address: str
    destination_address: str
    origin_lat: float | None  # None: hidden (a protected traveller's own address)
    origin_lon: float | None


def day_rows(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    day: date,
    status: str | None,
    limit: int,
) -> tuple[list[DayRow], int]:
    """The first `limit` of `day`'s bookings the actor may read (by the time of the
    trip, then id), and how many
    there are; each listed booking is audited as read."""
    actor.require(P.BOOKINGS_READ)
    entitled = actor.has(P.PROTECTED_IDENTITY_READ)

    def of_the_day(statement: S) -> S:
        statement = scoped(statement, actor).where(Booking.service_date == day)
        return statement if status is None else statement.where(Booking.status == status)

    total = session.scalar(of_the_day(select(func.count(Booking.id)))) or 0
    statement = of_the_day(
        select(
            Booking.id,
            Booking.reference,
            Booking.traveller_id,
            Booking.service,
            Booking.needs,
            Booking.status,
            Traveller.first_name,
            Traveller.last_name,
            Traveller.protected_identity,
            Leg.requested_pickup_at,
            Leg.appointment_at,
            Leg.origin_place_id,
            Leg.origin_address,
            Leg.origin_lat,
            Leg.origin_lon,
            Leg.destination_place_id,
            Leg.destination_address,
        )
        .join(Traveller, Booking.traveller_id == Traveller.id)
        .join(Leg, (Leg.booking_id == Booking.id) & (Leg.seq == 0))  # the outward leg
        # In the order of the day: the outward leg's pickup, or its appointment when it has
        # none (the time the row shows), then the booking's id.
        .order_by(func.coalesce(Leg.requested_pickup_at, Leg.appointment_at), Booking.id)
        .limit(limit)
    )
    rows = []
    with transaction(session):
        listed = session.execute(statement).all()
        audit.record_reads(
            session,
            actor,
            ((row.traveller_id, row.id) for row in listed),
            record_type="booking",
            action="list",
            purpose="booking list",
            at=now,
        )
    for row in listed:
        hidden = row.protected_identity and not entitled
        origin_hidden = hidden and row.origin_place_id is None
        rows.append(
            DayRow(
                id=row.id,
                reference=row.reference,
                traveller_name=MASK if hidden else f"{row.first_name} {row.last_name}",
                service=row.service,
                needs=tuple(row.needs or ()),
                status=row.status,
                at=row.requested_pickup_at or row.appointment_at,
                by_appointment=row.requested_pickup_at is None,
                origin_address=MASKED_ADDRESS if origin_hidden else row.origin_address,
                destination_address=(
                    MASKED_ADDRESS
                    if hidden and row.destination_place_id is None
                    else row.destination_address
                ),
                origin_lat=None if origin_hidden else row.origin_lat,
                origin_lon=None if origin_hidden else row.origin_lon,
            )
        )
    return rows, total
