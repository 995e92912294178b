"""Use cases of recurring series: expand into bookings all at once, cancel from a date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.entitlement import check_record_scope
from samfard.booking.horizon import horizon_for
from samfard.booking.legs import PlannedLeg, check_leg, resolve_ends
from samfard.booking.lifecycle import ALLOWED, BookingStatus
from samfard.booking.models import Booking, Series
from samfard.booking.recurrence import expand
from samfard.booking.schemas import SeriesCancel, SeriesCreate
from samfard.booking.service import BookingDraft, prepare, store_draft
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.errors import InputError, NotFound
from samfard.timeutil import STOCKHOLM, local


def create_series(
    *, session: Session, data: SeriesCreate, actor: Actor, now: datetime
) -> tuple[Series, list[Booking]]:
    """Store the series and every booking it expands into, or nothing at all."""
    today = now.astimezone(STOCKHOLM).date()
    horizon_for(data.principal, data.service, today=today).check(
        data.end_date, today=today, field="end_date"
    )
    days = expand(
        weekdays=data.weekdays,
        start=data.start_date,
        end=data.end_date,
        exceptions=data.exception_dates,
    )
    if not days:
        raise InputError("the series has no trip days between its dates", field="weekdays")
    with transaction(session):
        traveller = prepare(
            session,
            traveller_id=data.traveller_id,
            principal_code=data.principal,
            service=data.service,
            actor=actor,
        )
        spots = [
            resolve_ends(
                session,
                leg.origin,
                leg.destination,
                traveller,
                fields=(f"legs[{i}].origin", f"legs[{i}].destination"),
            )
            for i, leg in enumerate(data.legs)
        ]
        series = Series(
            traveller_id=traveller.id,
            principal_code=data.principal,
            service=data.service,
            weekdays=[w.value for w in data.weekdays],
            start_date=data.start_date,
            end_date=data.end_date,
            exception_dates=[d.isoformat() for d in data.exception_dates],
            template=data.model_dump(
                mode="json", include={"legs", "companions", "needs", "purpose", "message_to_driver"}
            ),
            created_by=actor.username,
            created_at=now,
            care_unit=actor.care_unit if actor.role is Role.CARE_ISSUER else None,
        )
        session.add(series)
        session.flush()
        bookings = []
        for day in days:
            legs: list[PlannedLeg] = []
            for index, (leg, (origin, destination)) in enumerate(
                zip(data.legs, spots, strict=True)
            ):
                candidate = PlannedLeg(
                    origin,
                    destination,
                    local(day, leg.pickup_time) if leg.pickup_time else None,
                    local(day, leg.appointment_time) if leg.appointment_time else None,
                    leg.return_of,
                )
                try:
                    legs.append(
                        check_leg(
                            candidate,
                            index=index,
                            now=now,
                            earlier=legs,
                            protected_home=traveller.protected_identity,
                        )
                    )
                except InputError as error:
                    raise InputError(f"{day}: {error.message}", field=error.field) from None
            draft = BookingDraft(
                traveller=traveller,
                principal_code=data.principal,
                service=data.service,
                legs=legs,
                companions=data.companions,
                needs=data.needs,
                purpose=data.purpose,
                message_to_driver=data.message_to_driver,
                channel=data.channel.value,
                series_id=series.id,
            )
            bookings.append(store_draft(session, draft, actor=actor, now=now))
    return series, bookings


def load_series(session: Session, series_id: int) -> Series:
    series = session.get(Series, series_id)
    if series is None:
        raise NotFound(f"no series with id {series_id}", field="series_id")
    return series


def series_bookings(session: Session, series_id: int) -> list[Booking]:
    return list(
        session.scalars(
            select(Booking).where(Booking.series_id == series_id).order_by(Booking.service_date)
        )
    )


def get_series(
    *, session: Session, series_id: int, actor: Actor, now: datetime
) -> tuple[Series, list[Booking]]:
    """A series and its bookings; the read is audited like a booking card."""
    with transaction(session):
        series = load_series(session, series_id)
        check_record_scope(actor, series, kind="series")
        bookings = series_bookings(session, series_id)
        audit.record(
            session,
            actor,
            traveller_id=series.traveller_id,
            record_type="series",
            record_id=series.id,
            action="read",
            purpose="series card",
            at=now,
        )
    return series, bookings


def cancel_series(
    *,
    session: Session,
    series_id: int,
    data: SeriesCancel,
    actor: Actor,
    now: datetime,
    late_notice: timedelta,
) -> tuple[Series, list[Booking]]:
    """Cancel every not-yet-final booking from a date on, and stop the series there."""
    with transaction(session):
        series = load_series(session, series_id)
        check_record_scope(actor, series, kind="series")
        if data.from_date < series.start_date:
            raise InputError(
                f"from_date {data.from_date} is before the series starts ({series.start_date})",
                field="from_date",
            )
        bookings = series_bookings(session, series_id)
        for booking in bookings:
            cancellable = BookingStatus.CANCELLED in ALLOWED[BookingStatus(booking.status)]
            if booking.service_date >= data.from_date and cancellable:
                apply_transition(
                    session,
                    booking,
                    BookingStatus.CANCELLED,
                    actor=actor,
                    now=now,
                    reason=f"series cancelled from {data.from_date}: {data.reason}",
                    late_notice=late_notice,
                    reason_by_person=True,
                )
        series.cancelled_from = data.from_date
    return series, bookings


def exception_days(series: Series) -> list[date]:
    return [date.fromisoformat(d) for d in series.exception_dates]
