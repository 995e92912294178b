"""One decision for the waiting trips of a series: "Besluta alla resor i serien likadant".

A dialysis series is booked as one booking per day, and each that the rules cannot settle
waits for an assessor on its own; a walk-through decided six such cases one by one with
the same reason. Here the assessor decides them together: one action and one reason, each
trip decided as `assessment.service.decide` decides one (its event, audit entry, fees and
so its letter), in date order so the fee ceiling is applied across them, all in one
transaction: if one cannot be decided, none is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from samfard.access.actor import Actor
from samfard.assessment.service import WAITING, decide_loaded
from samfard.booking.entitlement import check_record_scope
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, BookingEvent
from samfard.booking.service import check_version, load_booking
from samfard.db import transaction
from samfard.errors import Conflict, InputError

SERIES_ACTIONS = frozenset({"approve", "deny"})


def series_waiting(session: Session, series_id: int) -> list[Booking]:
    """The trips of a series that wait for an assessor, in date order (reads only)."""
    rows = session.scalars(
        select(Booking)
        .where(Booking.series_id == series_id)
        .where(Booking.status == BookingStatus.REQUESTED.value)
        .options(selectinload(Booking.legs))
        .order_by(Booking.service_date, Booking.id)
    )
    return [b for b in rows if (b.decision or {}).get("outcome") == WAITING]


def decide_series(
    *,
    session: Session,
    booking_id: int,
    action: str,
    reason: str,
    versions: Mapping[int, int],
    actor: Actor,
    now: datetime,
) -> list[Booking]:
    """Approve or deny every waiting trip of the series `booking_id` belongs to, alike.

    `versions` are the waiting trips and their versions as the assessor saw them: a trip
    that has since begun or stopped waiting, or changed, is a Conflict and nothing is
    decided, so the decision covers exactly the trips the assessor was shown."""
    if action not in SERIES_ACTIONS:
        raise InputError(f"a series is approved or denied, got {action!r}", field="action")
    if not reason.strip():
        raise InputError("an assessor's decision needs a reason", field="reason")
    with transaction(session):
        booking = load_booking(session=session, booking_id=booking_id)
        check_record_scope(actor, booking)
        if booking.series_id is None:
            raise InputError(
                f"booking {booking.reference} is not part of a series", field="booking_id"
            )
        waiting = series_waiting(session, booking.series_id)
        if {b.id for b in waiting} != set(versions):
            raise Conflict(
                f"the trips of the series of booking {booking.reference} waiting for an "
                "assessor are not those sent; read the series again",
                field="version",
            )
        for trip in waiting:
            check_record_scope(actor, trip)
            check_version(trip, versions[trip.id])
            decide_loaded(
                session, trip, action=action, reason=reason, mode=None, actor=actor, now=now
            )
    return waiting


def decided_with(session: Session, booking: Booking) -> int:
    """How many trips of `booking`'s series were decided in the same act as it (the same
    assessor, moment and outcome: `decide_series` decides them in one transaction), itself
    included; 1 for a trip decided alone or outside a series. The page's confirmation
    took this count from its address, so a link could make it claim a series decision
    that never was (probe of 2026-12-06)."""
    decisions = (BookingStatus.APPROVED.value, BookingStatus.DENIED.value)
    last = session.scalar(  # the decision, not a later step (scheduled once placed)
        select(BookingEvent)
        .where(BookingEvent.booking_id == booking.id, BookingEvent.to_status.in_(decisions))
        .order_by(BookingEvent.seq.desc())
        .limit(1)
    )
    if booking.series_id is None or last is None:
        return 1
    together = session.scalar(
        select(func.count(func.distinct(BookingEvent.booking_id)))
        .join(Booking, Booking.id == BookingEvent.booking_id)
        .where(
            Booking.series_id == booking.series_id,
            BookingEvent.at == last.at,
            BookingEvent.actor == last.actor,
            BookingEvent.to_status == last.to_status,
        )
    )
    return int(together or 1)
