"""Registerutdrag: everything Samfard stores about one traveller, as JSON.

Built from the same public views the API uses, so protected identities stay masked for an
actor without the right, also in the leg addresses (a protected person's home address must
not leak through a trip). What later steps keep about the person (deviations, goods,
messages, drivers' reports, plans, fees, settlement, alerts) is read by
`access.extract_related`. The extract itself is an audited export.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access import extract_related as related
from samfard.access.account_names import own_usernames, shown
from samfard.access.actor import Actor
from samfard.access.models import AuditEntry
from samfard.access.permissions import Permission
from samfard.access.schemas import AuditEntryPublic
from samfard.access.trail import require_traveller_scope
from samfard.booking.models import Booking, Series
from samfard.booking.schemas import EventPublic, LegPublic
from samfard.booking.views import booking_decision, events_public, leg_public
from samfard.db import transaction
from samfard.travellers.free_text import shown_free_text
from samfard.travellers.schemas import CertificatePublic, PermitPublic, TravellerPublic
from samfard.travellers.service import load_traveller
from samfard.travellers.views import can_see_identity, permit_public, traveller_public


class BookingExtract(BaseModel):
    id: int
    reference: str
    principal: str
    service: str
    status: str
    channel: str
    purpose: str | None
    mode: str | None
    care_unit: str | None
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


class CertificateExtract(CertificatePublic):
    """A certificate with what the register's card leaves out: the visit, who issued it
    and when, and its revocation."""

    covers_return: bool
    visit_place: str | None
    visit_on: date | None
    issued_at: datetime
    issued_by: str | None
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str | None


class TravellerExtract(BaseModel):
    """Registerutdrag: the traveller, permits, certificates, series, bookings, what later
    steps keep about them and their trips, and who read or changed their data."""

    produced_at: datetime
    produced_by: str
    traveller: TravellerPublic
    registrations: list[related.RegistrationExtract]
    accounts: list[related.AccountExtract]
    permits: list[PermitPublic]
    certificates: list[CertificateExtract]
    series: list[dict[str, Any]]
    bookings: list[BookingExtract]
    fees: list[related.FeeExtract]
    planned_stops: list[related.PlannedStopExtract]
    stop_reports: list[related.StopReportExtract]
    no_show_charges: list[related.NoShowChargeExtract]
    settled_trips: list[related.SettledTripExtract]
    alerts: list[related.AlertExtract]
    deviations: list[related.DeviationExtract]
    consignments: list[related.ConsignmentExtract]
    messages: list[related.MessageExtract]
    audit_entries: list[AuditEntryPublic]


def _booking(booking: Booking, *, visible: bool, hidden: frozenset[str]) -> BookingExtract:
    return BookingExtract(
        id=booking.id,
        reference=booking.reference,
        principal=booking.principal_code,
        service=booking.service,
        status=booking.status,
        channel=booking.channel,
        purpose=shown_free_text(booking.purpose, visible=visible),
        mode=booking.mode,
        care_unit=booking.care_unit,
        service_date=booking.service_date,
        companions=list(booking.companions),
        needs=list(booking.needs),
        message_to_driver=booking.message_to_driver if visible else None,
        series_id=booking.series_id,
        late_cancellation=booking.late_cancellation,
        decision=booking_decision(booking, visible=visible),
        created_by=shown(booking.created_by, hidden),
        created_at=booking.created_at,
        legs=[leg_public(leg, visible=visible) for leg in booking.legs],
        events=events_public(booking.events, visible=visible, hidden=hidden),
    )


def _series(series: Series, *, visible: bool) -> dict[str, Any]:
    return {
        "id": series.id,
        "principal": series.principal_code,
        "service": series.service,
        "weekdays": list(series.weekdays),
        "start_date": series.start_date.isoformat(),
        "end_date": series.end_date.isoformat(),
        "exception_dates": list(series.exception_dates),
        "cancelled_from": series.cancelled_from.isoformat() if series.cancelled_from else None,
        # The template's legs and message may hold the home or a typed address.
        "template": dict(series.template) if visible else None,
        "care_unit": series.care_unit,
        "created_by": series.created_by,
        "created_at": series.created_at.isoformat(),
    }


def extract(
    *, session: Session, actor: Actor, traveller_id: int, now: datetime
) -> TravellerExtract:
    actor.require(Permission.AUDIT_READ)
    with transaction(session):
        traveller = load_traveller(session=session, traveller_id=traveller_id)
        require_traveller_scope(session, actor, traveller)
        visible = can_see_identity(traveller, actor)
        # Its own accounts are named after the person: not named where the person is hidden.
        hidden = frozenset() if visible else own_usernames(session, traveller_id)
        bookings = list(
            session.scalars(
                select(Booking).where(Booking.traveller_id == traveller_id).order_by(Booking.id)
            )
        )
        booking_ids = [b.id for b in bookings]
        series = list(
            session.scalars(
                select(Series).where(Series.traveller_id == traveller_id).order_by(Series.id)
            )
        )
        entries = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.traveller_id == traveller_id)
                .order_by(AuditEntry.at, AuditEntry.id)
            )
        )
        goods = related.consignments(session, traveller_id)
        goods_ids = [c.id for c in goods]
        result = TravellerExtract(
            produced_at=now,
            produced_by=actor.username,
            traveller=traveller_public(traveller, actor),
            registrations=related.registrations(session, traveller_id),
            accounts=related.accounts(session, traveller_id, hidden),
            permits=[permit_public(p, visible=visible) for p in traveller.permits],
            certificates=[
                CertificateExtract.model_validate(c).model_copy(
                    update={"reason": shown_free_text(c.reason, visible=visible)}
                )
                for c in traveller.certificates
            ],
            series=[_series(s, visible=visible) for s in series],
            bookings=[_booking(b, visible=visible, hidden=hidden) for b in bookings],
            fees=related.fees(session, traveller_id),
            planned_stops=related.planned_stops(session, booking_ids, goods_ids),
            stop_reports=related.stop_reports(session, bookings, goods_ids, visible=visible),
            no_show_charges=related.no_show_charges(session, traveller_id),
            settled_trips=related.settled_trips(session, booking_ids, visible=visible),
            alerts=related.alerts(session, booking_ids),
            deviations=related.deviations(
                session, traveller_id, booking_ids, visible=visible, names=hidden
            ),
            consignments=related.consignments_extract(goods, traveller, actor),
            messages=related.messages(session, traveller_id, visible=visible),
            audit_entries=[
                AuditEntryPublic.model_validate(e).model_copy(
                    update={"username": shown(e.username, hidden)}
                )
                for e in entries
            ],
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
