"""What the traveller's page shows: their own trips, coming and recent, and their
deviations, read through the booking and quality use cases with the traveller's actor
(so scope and audit are the API's: a traveller sees only their own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.models import Booking, Leg
from samfard.booking.service import BookingFilter, list_bookings
from samfard.quality.models import Deviation
from samfard.quality.service import DeviationFilter, list_deviations
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Permit, Traveller

RECENT = timedelta(days=30)
OPEN = frozenset({"requested", "approved", "scheduled", "assigned", "in_progress"})
PERMIT_SERVICES = ("fardtjanst", "riksfardtjanst")
NEVER_DRIVEN = frozenset({"cancelled", "denied"})


def begins_at(booking: Booking) -> datetime | None:
    """When the trip starts for the traveller: the earliest of the promised window, the
    pickup asked for and the appointment (a planned trip may be fetched before its time)."""
    times = [
        time
        for leg in booking.legs
        for time in (leg.promised_pickup_from, leg.requested_pickup_at, leg.appointment_at)
        if time is not None
    ]
    return min(times) if times else None


def has_begun(booking: Booking, now: datetime) -> bool:
    """Whether the trip's pickup time has come: only then can something have gone wrong on
    it, so only then may the traveller report a deviation about it."""
    start = begins_at(booking)
    return start is not None and start <= now


@dataclass(frozen=True)
class OwnTrip:
    booking: Booking
    legs: list[Leg]
    coming: bool
    begun: bool  # the pickup time has come: a deviation can be reported about it

    @property
    def cancellable(self) -> bool:
        return self.coming and self.booking.status in OPEN - {"in_progress"}

    @property
    def reportable(self) -> bool:
        """A deviation may be reported about it: its time has come and it was not called
        off (a cancelled or refused trip had no vehicle to report on)."""
        return self.begun and self.booking.status not in NEVER_DRIVEN


@dataclass(frozen=True)
class OwnPage:
    coming: list[OwnTrip]
    recent: list[OwnTrip]
    deviations: list[Deviation]


def own_page(*, session: Session, actor: Actor, now: datetime) -> OwnPage:
    today = now.astimezone(STOCKHOLM).date()
    rows, _ = list_bookings(
        session=session,
        actor=actor,
        now=now,
        filters=BookingFilter(date_from=today - RECENT),
        limit=200,
        offset=0,
    )
    trips = []
    for booking in rows:
        legs = sorted(booking.legs, key=lambda leg: leg.seq)
        coming = booking.service_date >= today and booking.status in OPEN
        trips.append(OwnTrip(booking, legs, coming, has_begun(booking, now)))
    deviations, _ = list_deviations(
        session=session, actor=actor, now=now, filters=DeviationFilter(), limit=50
    )
    return OwnPage(
        coming=[t for t in trips if t.coming],
        recent=[t for t in reversed(trips) if not t.coming and t.booking.service_date <= today],
        deviations=deviations,
    )


def bookable_services(traveller: Traveller, day: date) -> list[str]:
    """The permit services the traveller holds a permit for that is valid now or later."""

    def usable(p: Permit) -> bool:
        return p.valid_until is None or p.valid_until >= day

    kinds = {p.kind for p in traveller.permits if usable(p)}
    return [s for s in PERMIT_SERVICES if s in kinds]
