"""The trip a deviation is about: a booking, or a settled trip as the invoice basis names
it, with its principal, service, traveller and carrier, found only within the reporter's
scope (anything else answers as unknown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.costs.models import Carrier, SettledRun, SettledTrip
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.models import Run, Stop, Vehicle
from samfard.dispatch.store import latest_plan
from samfard.errors import NotFound
from samfard.quality.scope import require_reportable


@dataclass(frozen=True)
class TripCarrier:
    """The carrier whose vehicle drives a booking in the newest plan of its day."""

    carrier_id: int | None
    name: str
    vehicle_type: str


def carrier_of(session: Session, booking: Booking) -> TripCarrier | None:
    """The carrier of the vehicle the newest plan has the trip on, or else of the vehicle
    that reported a stop of it: a no-show takes the trip out of the plan, and its report
    then found no carrier ("Ingen utförare i planen"; walk-through of the seventh session
    of 2026-12-06); or else the carrier it was settled to. A trip driven and settled with
    no plan kept (a past day's, the care units' year in the demo) had none either, so an
    upheld deviation charged no penalty and no carrier was asked to answer (walk-through
    of the eighth session of 2026-12-06)."""
    plan = latest_plan(session, booking.service_date)
    run = None
    if plan is not None:
        run = session.scalar(
            select(Run)
            .join(Stop, Stop.run_id == Run.id)
            .where(Run.plan_run_id == plan.id, Stop.booking_id == booking.id)
            .options(selectinload(Run.vehicle))
            .limit(1)
        )
    vehicle = run.vehicle if run is not None else None
    if vehicle is None:
        reported = session.scalar(
            select(StopDone.vehicle_id)
            .where(StopDone.booking_id == booking.id)
            .order_by(StopDone.at.desc())
            .limit(1)
        )
        vehicle = None if reported is None else session.get(Vehicle, reported)
    if vehicle is None:
        settled = _settled(session, SettledTrip.booking_id == booking.id)
        return None if settled is None else settled[1]
    return TripCarrier(vehicle.carrier_id, vehicle.carrier_name, vehicle.vehicle_type)


def _settled(
    session: Session, which: ColumnElement[bool]
) -> tuple[SettledTrip, TripCarrier] | None:
    """The first settled trip `which` picks, with the carrier it was settled to."""
    row = session.execute(
        select(SettledTrip, SettledRun.vehicle_type, Carrier.id)
        .join(SettledRun, SettledRun.run_ref == SettledTrip.run_ref)
        .outerjoin(Carrier, Carrier.name == SettledTrip.carrier)
        .where(which)
        .order_by(SettledTrip.leg_seq, SettledTrip.id)
        .limit(1)
    ).first()
    if row is None:
        return None
    trip, vehicle_type, carrier_id = row
    return trip, TripCarrier(carrier_id, trip.carrier, vehicle_type)


def likely_moment(session: Session, booking: Booking) -> datetime | None:
    """When a deviation about the trip most likely happened, for its "Inträffade" when the
    reporter gives no time: where the vehicle met, or was to meet, the traveller at the
    trip's first pickup. Most deviations happen there (late, early, no vehicle, the wrong
    vehicle) or start there (conduct, injury on the way), and a quality officer reads the
    driver's reports against it. In order of what is known:

    1. the driver's report at that pickup (Framme, Hämtad or Uteblev): when the vehicle
       was there;
    2. the pickup stop's time in the newest plan of the day;
    3. the start of the pickup window promised to the traveller;
    4. the pickup time asked for, or for a trip timed by its visit the visit's time.

    It was the booking's first time alone: for a trip to a 10:30 visit, 10:30, the time
    the traveller was to arrive, not the 09:45 the car came, and before 10:30 such a report
    was refused as about a trip still to come.
    """
    if not booking.legs:
        return None
    first = min(booking.legs, key=lambda leg: leg.seq)
    reported = session.scalar(
        select(func.min(StopDone.at)).where(
            StopDone.booking_id == booking.id,
            StopDone.leg_seq == first.seq,
            StopDone.kind == "pickup",
        )
    )
    if reported is not None:
        return reported
    plan = latest_plan(session, booking.service_date)
    planned = None
    if plan is not None:
        planned = session.scalar(
            select(func.min(Stop.planned_at))
            .join(Run, Run.id == Stop.run_id)
            .where(
                Run.plan_run_id == plan.id,
                Stop.booking_id == booking.id,
                Stop.leg_seq == first.seq,
                Stop.kind == "pickup",
            )
        )
    if planned is not None:
        return planned
    return first.promised_pickup_from or first.reference_time


@dataclass(frozen=True)
class TripFacts:
    """What a deviation copies from the trip it is about."""

    booking_id: int | None
    trip_key: str | None
    traveller_id: int | None
    principal_code: str
    service: str
    carrier: TripCarrier | None
    day: date
    likely_at: datetime | None  # when it most likely happened (`likely_moment`)


def booked_trip(session: Session, actor: Actor, booking_id: int) -> TripFacts:
    booking = session.get(Booking, booking_id, options=[selectinload(Booking.legs)])
    found = carrier_of(session, booking) if booking is not None else None
    booking = require_reportable(
        actor, booking, booking_id, carrier_id=found.carrier_id if found else None
    )
    return TripFacts(
        booking.id, None, booking.traveller_id, booking.principal_code, booking.service,
        found, booking.service_date, likely_moment(session, booking),
    )  # fmt: skip


def settled_trip(session: Session, actor: Actor, trip_key: str) -> TripFacts:
    """A settled trip (as the invoice basis lists it), in the same scope as a booking:
    its booking's when it has one, else its principal (staff) or its carrier."""
    unknown = NotFound(f"no settled trip {trip_key}", field="trip_key")
    found = _settled(session, SettledTrip.trip_key == trip_key)
    if found is None:
        raise unknown
    trip, carrier = found
    carrier_id = carrier.carrier_id
    if trip.booking_id is not None:
        facts = booked_trip(session, actor, trip.booking_id)
        return TripFacts(
            facts.booking_id, trip_key, facts.traveller_id, facts.principal_code,
            facts.service, carrier, trip.day, trip.pickup_at,
        )  # fmt: skip
    if actor.role in (Role.CARRIER_DISPATCHER, Role.DRIVER):
        if actor.carrier_id is None or actor.carrier_id != carrier_id:
            raise unknown
    elif actor.role in (Role.TRAVELLER, Role.CARE_ISSUER):
        raise unknown  # a trip without a booking is no traveller's or care unit's
    elif not actor.covers_principal(trip.principal_code):
        raise unknown
    return TripFacts(
        None, trip_key, None, trip.principal_code, trip.service, carrier, trip.day,
        trip.pickup_at,
    )  # fmt: skip
