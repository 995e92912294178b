"""Use cases that move a booking through its lifecycle; each in one transaction with its
event, so the history always explains the state."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from samfard import events
from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.entitlement import check_record_scope
from samfard.booking.lifecycle import BookingStatus, check_transition, is_late_cancellation
from samfard.booking.models import Booking, BookingEvent
from samfard.booking.service import check_version, first_pickup, load_booking
from samfard.db import transaction
from samfard.errors import Conflict, Forbidden, InputError
from samfard.timeutil import local

REASON_REQUIRED = {BookingStatus.DENIED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW}
# Deciding eligibility belongs to the central assessment function (assessment/service.py),
# which records fees with the decision; the plain transition route does not decide.
DECIDED_FROM = {BookingStatus.REQUESTED, BookingStatus.DENIED}
DECISIONS = {BookingStatus.APPROVED, BookingStatus.DENIED}


def _require_may_move(actor: Actor, booking: Booking, target: BookingStatus, now: datetime) -> None:
    """Cancelling is anyone's in scope who books (the desk, care staff, the traveller);
    every other move by hand (scheduled, assigned, under way, completed, no-show, out of
    the plan) is what the plan and the drivers record, so only the traffic controller
    (plans:write over every principal) sets it, e.g. after a driver's phone call. A
    traveller once marked their own trips completed, and a desk scoped to one municipality
    recorded a no-show, and its fee, for a trip ten hours away."""
    if target is BookingStatus.CANCELLED:
        return
    if not (actor.has(P.PLANS_WRITE) and actor.owns_everything):
        raise Forbidden(
            f"moving booking {booking.reference} to {target} is the plan's and the drivers' "
            "work, set by hand only by the traffic controller; cancel it with "
            f"POST /api/v1/bookings/{booking.id}/cancel",
            field="to",
        )
    opens = _pickup_opens(booking)
    if target is BookingStatus.NO_SHOW and now < opens:
        raise Conflict(
            f"booking {booking.reference} is picked up from {opens.isoformat(timespec='minutes')}"
            ": a traveller cannot fail to show before then",
            field="to",
        )


def _pickup_opens(booking: Booking) -> datetime:
    """When the first pickup may begin: its promised window's start, else the time asked
    for, else the start of the trip's day (an appointment's pickup is the planner's)."""
    first = min(booking.legs, key=lambda leg: leg.reference_time)
    return (
        first.promised_pickup_from
        or first.requested_pickup_at
        or local(booking.service_date, time(0, 0))
    )


def apply_transition(
    session: Session,
    booking: Booking,
    target: BookingStatus,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None,
    late_notice: timedelta | None = None,
    reason_by_person: bool = False,
) -> BookingEvent:
    """Move `booking` to `target` inside the caller's transaction and record the event;
    `reason_by_person` when a person typed the reason (the history hides it from those who
    may not see a protected traveller)."""
    current = BookingStatus(booking.status)
    check_transition(current, target)
    if target in REASON_REQUIRED and not (reason and reason.strip()):
        raise InputError(f"moving a booking to {target} needs a reason", field="reason")
    late = (
        target is BookingStatus.CANCELLED
        and late_notice is not None
        and is_late_cancellation(now=now, first_pickup=first_pickup(booking), notice=late_notice)
    )
    event = BookingEvent(
        seq=len(booking.events),
        from_status=current.value,
        to_status=target.value,
        at=now,
        actor=actor.username,
        reason=reason,
        reason_by_person=reason_by_person and bool(reason),
        late=late,
    )
    booking.events.append(event)
    booking.status = target.value
    booking.late_cancellation = booking.late_cancellation or late
    booking.updated_at = now
    audit.record_booking(
        session, actor, booking, action="update", purpose=f"status {current} -> {target}", at=now
    )
    # A planned day follows its bookings: dispatch subscribes (approved placed, cancelled leave).
    session.flush()  # handlers look the booking up by id
    events.publish(
        session,
        events.BookingStatusChanged(
            actor=actor, at=now, booking_id=booking.id, previous=current.value, current=target.value
        ),
    )
    return event


def transition(
    *,
    session: Session,
    booking_id: int,
    target: BookingStatus,
    actor: Actor,
    now: datetime,
    reason: str | None,
    version: int | None,
    late_notice: timedelta,
    reason_by_person: bool = True,
) -> Booking:
    """A transition asked for by a user (the API, the desk, Mina resor); its reason is
    typed unless the caller says it is the page's own words."""
    with transaction(session):
        booking = load_booking(session=session, booking_id=booking_id)
        check_record_scope(actor, booking)
        check_version(booking, version)
        if target in DECISIONS and BookingStatus(booking.status) in DECIDED_FROM:
            raise Conflict(
                f"approving or denying booking {booking.reference} is an assessment decision "
                "(fees, ceiling, letter): an assessor uses "
                f"POST /api/v1/bookings/{booking.id}/assessment",
                field="to",
            )
        if target is BookingStatus.REQUESTED:
            raise Conflict(
                f"booking {booking.reference} goes back to requested only when a change "
                "needs an assessor's decision again: change it with "
                f"PATCH /api/v1/bookings/{booking.id}",
                field="to",
            )
        _require_may_move(actor, booking, target, now)
        apply_transition(
            session,
            booking,
            target,
            actor=actor,
            now=now,
            reason=reason,
            late_notice=late_notice,
            reason_by_person=reason_by_person,
        )
    return booking


def history(
    *, session: Session, booking_id: int, actor: Actor, now: datetime
) -> list[BookingEvent]:
    with transaction(session):
        booking = load_booking(session=session, booking_id=booking_id)
        check_record_scope(actor, booking)
        audit.record_booking(
            session, actor, booking, action="read", purpose="booking history", at=now
        )
        return list(booking.events)
