"""Dispatch's subscriptions on the message bus (samfard.events): a planned day follows
its bookings, its goods and the drivers' reports without booking, goods or the driver's
page importing dispatch's use cases."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from samfard import changes, events
from samfard.access.retention import coarse
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.dispatch.delays import on_stop_reported
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.live import on_change, on_transition
from samfard.dispatch.live_goods import insert_consignment, remove_consignment
from samfard.dispatch.no_show import record_no_show
from samfard.goods.models import Consignment


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


def booking_changed(session: Session, event: events.BookingChanged) -> None:
    """A booking whose loads changed is placed again (after its assessment, which runs
    first: samfard.events.HANDLER_MODULES)."""
    booking = session.get(Booking, event.booking_id)
    if booking is None:  # pragma: no cover - published inside the booking's own transaction
        return
    on_change(
        session,
        booking,
        fields=event.fields,
        status_when_changed=BookingStatus(event.status),
        actor=event.actor,
        now=event.at,
    )


def consignment_booked(session: Session, event: events.ConsignmentBooked) -> None:
    """Goods booked for a day already planned go straight into its newest plan."""
    consignment = session.get(Consignment, event.consignment_id)
    if consignment is None:  # pragma: no cover - published inside the goods' own transaction
        return
    if insert_consignment(session, consignment, actor=event.actor, now=event.at):
        _announce(session, consignment, "goods_planned", event)


def consignment_cancelled(session: Session, event: events.ConsignmentCancelled) -> None:
    """Cancelled goods leave the newest plan, so no driver drives to them."""
    consignment = session.get(Consignment, event.consignment_id)
    if consignment is None:  # pragma: no cover - published inside the goods' own transaction
        return
    if remove_consignment(session, consignment):
        _announce(session, consignment, "goods_cancelled", event)


def _announce(
    session: Session, consignment: Consignment, kind: str, event: events.DomainEvent
) -> None:
    changes.announce(
        session,
        topic=f"plan:{consignment.service_date.isoformat()}",
        kind=kind,
        ref_id=consignment.id,
        at=event.at,
    )


def traveller_pseudonymised(session: Session, event: events.TravellerPseudonymised) -> None:
    """What drivers reported at the traveller's stops (and at their aids') keeps the
    vehicle's position there: about a kilometre after retention, as the legs keep."""
    consignments = select(Consignment.id).where(
        Consignment.recipient_traveller_id == event.traveller_id
    )
    reported = select(StopEvent).where(
        or_(
            StopEvent.booking_id.in_(event.booking_ids),
            StopEvent.consignment_id.in_(consignments),
        ),
        StopEvent.lat.is_not(None),
    )
    for report in session.scalars(reported):
        assert report.lat is not None and report.lon is not None
        report.lat, report.lon = coarse(report.lat), coarse(report.lon)


events.subscribe(events.BookingStatusChanged, booking_status_changed)
events.subscribe(events.BookingChanged, booking_changed)
events.subscribe(events.ConsignmentBooked, consignment_booked)
events.subscribe(events.ConsignmentCancelled, consignment_cancelled)
events.subscribe(events.StopReported, on_stop_reported)
events.subscribe(events.TravellerPseudonymised, traveller_pseudonymised)
