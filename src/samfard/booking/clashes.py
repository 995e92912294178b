"""A traveller's other trips at the same time as a new one: a likely double booking.

The care unit books a patient's visit and the patient books it again by phone; a
relative books what the traveller booked the day before. Two vehicles are then sent for
one person and one comes back empty, paid for. The desk and the traveller's own pages
name the overlapping trips before booking and on the receipt, so the operator can ask.
The booking is not refused: the caller may be about to cancel the other trip, and which
of the two is the mistake is for the caller to say.

A trip takes the traveller from its pickup until it arrives (the travel-time model's
direct drive, `legs.model_drive_seconds`): after a pickup time, until the drive ends;
before an appointment, from when the drive must start. A booking with a return takes the
traveller from the outward pickup until home again: between the two they are at the
visit, and a new trip from home then would send a car to an empty house. Only the trips
the user may read are looked at (`service.scoped`, as the card's coming trips), and the
caller audits the ones it shows (`audit_shown`), since a preview's own reads are rolled
back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.booking.legs import Spot, model_drive_seconds
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.booking.service import scoped
from samfard.db import transaction

# A trip in one of these may still send a vehicle or take the traveller somewhere.
OPEN = (
    BookingStatus.REQUESTED,
    BookingStatus.APPROVED,
    BookingStatus.SCHEDULED,
    BookingStatus.ASSIGNED,
    BookingStatus.IN_PROGRESS,
)


@dataclass(frozen=True)
class Clash:
    """Another open trip of the traveller's, and when it takes them, that day."""

    id: int
    traveller_id: int
    reference: str
    starts: datetime
    ends: datetime


def leg_span(leg: Leg) -> tuple[datetime, datetime]:
    """From when to when the leg takes its traveller (to the second)."""
    drive = timedelta(
        seconds=round(
            model_drive_seconds(
                Spot(None, "", leg.origin_lat, leg.origin_lon, ""),
                Spot(None, "", leg.destination_lat, leg.destination_lon, ""),
            )
        )
    )
    if leg.requested_pickup_at is not None:
        return leg.requested_pickup_at, leg.requested_pickup_at + drive
    assert leg.appointment_at is not None, "a leg has a pickup time or an appointment time"
    return leg.appointment_at - drive, leg.appointment_at


def booking_spans(booking: Booking) -> list[tuple[datetime, datetime]]:
    """When the booking takes its traveller: each leg's span, or for a trip there and back
    the whole time from the first pickup to the last arrival."""
    spans = [leg_span(leg) for leg in booking.legs]
    if len(spans) > 1:
        return [(min(s for s, _ in spans), max(e for _, e in spans))]
    return spans


def clashes(session: Session, booking: Booking, actor: Actor) -> list[Clash]:
    """The traveller's other open trips that day, among those `actor` may read, that
    overlap the booking in time, in the order they start."""
    own = booking_spans(booking)
    others = session.scalars(
        scoped(select(Booking), actor)
        .where(
            Booking.traveller_id == booking.traveller_id,
            Booking.service_date == booking.service_date,
            Booking.id != booking.id,
            Booking.status.in_([s.value for s in OPEN]),
        )
        .options(selectinload(Booking.legs))  # one query for all their legs, not one each
        .order_by(Booking.id)
    )
    found: list[Clash] = []
    for other in others:
        spans = [
            span
            for span in booking_spans(other)
            if any(span[0] < end and start < span[1] for start, end in own)
        ]
        if spans:
            starts, ends = min(s for s, _ in spans), max(e for _, e in spans)
            found.append(Clash(other.id, other.traveller_id, other.reference, starts, ends))
    return sorted(found, key=lambda clash: clash.starts)


def audit_shown(session: Session, actor: Actor, shown: list[Clash], *, at: datetime) -> None:
    """Record that the user was shown these trips, in a transaction of its own."""
    if shown:
        with transaction(session):
            audit.record_reads(
                session,
                actor,
                ((clash.traveller_id, clash.id) for clash in shown),
                record_type="booking",
                action="read",
                purpose="double booking check",
                at=at,
            )
