"""Registerutdrag: everything Samfard stores about one traveller, as JSON.

Built from the same public views the API uses, so protected identities stay masked for an
actor without the right, also in the leg addresses (a protected person's home address must
not leak through a trip). The extract itself is an audited export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.models import AuditEntry
from samfard.access.permissions import Permission
from samfard.access.schemas import AuditEntryPublic
from samfard.access.trail import require_traveller_scope
from samfard.booking.models import Booking, Series
from samfard.booking.schemas import EventPublic, LegPublic
from samfard.booking.views import booking_decision, leg_public
from samfard.db import transaction
from samfard.travellers.schemas import CertificatePublic, PermitPublic, TravellerPublic
from samfard.travellers.service import load_traveller
from samfard.travellers.views import can_see_identity, traveller_public


class BookingExtract(BaseModel):
    id: int
    reference: str
    principal: str
    service: str
    status: str
    channel: str
    purpose: str | None
    service_date: date
    companions: list[dict[str, Any]]
    needs: list[str]
    message_to_driver: str | None
    series_id: int | None
    late_cancellation: bool
    decision: dict[str, Any] | None
    created_by: str
    created_at: datetime
    legs: list[LegPublic]
    events: list[EventPublic]


class TravellerExtract(BaseModel):
    """Registerutdrag: the traveller, permits, certificates, series, bookings and who read."""

    produced_at: datetime
    produced_by: str
    traveller: TravellerPublic
    permits: list[PermitPublic]
    certificates: list[CertificatePublic]
    series: list[dict[str, Any]]
    bookings: list[BookingExtract]
    audit_entries: list[AuditEntryPublic]


def _booking(booking: Booking, *, visible: bool) -> BookingExtract:
    return BookingExtract(
        id=booking.id,
        reference=booking.reference,
        principal=booking.principal_code,
        service=booking.service,
        status=booking.status,
        channel=booking.channel,
        purpose=booking.purpose,
        service_date=booking.service_date,
        companions=list(booking.companions),
        needs=list(booking.needs),
        message_to_driver=booking.message_to_driver if visible else None,
        series_id=booking.series_id,
        late_cancellation=booking.late_cancellation,
        decision=booking_decision(booking, visible=visible),
        created_by=booking.created_by,
        created_at=booking.created_at,
        legs=[leg_public(leg, visible=visible) for leg in booking.legs],
        events=[EventPublic.model_validate(e) for e in booking.events],
    )


def _series(series: Series) -> dict[str, Any]:
    return {
        "id": series.id,
        "principal": series.principal_code,
        "service": series.service,
        "weekdays": list(series.weekdays),
        "start_date": series.start_date.isoformat(),
        "end_date": series.end_date.isoformat(),
        "cancelled_from": series.cancelled_from.isoformat() if series.cancelled_from else None,
    }


def extract(
    *, session: Session, actor: Actor, traveller_id: int, now: datetime
) -> TravellerExtract:
    actor.require(Permission.AUDIT_READ)
    with transaction(session):
        traveller = load_traveller(session=session, traveller_id=traveller_id)
        require_traveller_scope(session, actor, traveller)
        visible = can_see_identity(traveller, actor)
        bookings = session.scalars(
            select(Booking).where(Booking.traveller_id == traveller_id).order_by(Booking.id)
        )
        series = session.scalars(
            select(Series).where(Series.traveller_id == traveller_id).order_by(Series.id)
        )
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.traveller_id == traveller_id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        result = TravellerExtract(
            produced_at=now,
            produced_by=actor.username,
            traveller=traveller_public(traveller, actor),
            permits=[PermitPublic.model_validate(p) for p in traveller.permits],
            certificates=[CertificatePublic.model_validate(c) for c in traveller.certificates],
            series=[_series(s) for s in series],
            bookings=[_booking(b, visible=visible) for b in bookings],
            audit_entries=[AuditEntryPublic.model_validate(e) for e in entries],
        )
        audit.record(
            session,
            actor,
            traveller_id=traveller_id,
            record_type="traveller",
            record_id=traveller_id,
            action="export",
            purpose="registerutdrag",
            at=now,
        )
    return result
