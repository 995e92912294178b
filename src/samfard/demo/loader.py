"""Storing a generated demo day through the same use cases an operator would use, so the
demo data passes every validation and leaves the same audit trail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM, Actor
from samfard.access.permissions import Role
from samfard.assessment import service as assessment
from samfard.booking import series as series_service
from samfard.booking import service as booking_service
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.recurrence import Weekday
from samfard.booking.schemas import (
    BookingCreate,
    Channel,
    Companion,
    CompanionKind,
    LegCreate,
    Location,
    Need,
    SeriesCreate,
    SeriesLeg,
)
from samfard.demo.generator import DemoBooking, DemoDay, DemoTraveller, Spot, booked_at
from samfard.geo.models import Place
from samfard.timeutil import STOCKHOLM
from samfard.travellers import credentials
from samfard.travellers import service as traveller_service
from samfard.travellers.models import CertificateKind, MobilityAid, PermitKind
from samfard.travellers.schemas import (
    Address,
    CertificateCreate,
    IssuerCreate,
    PermitCreate,
    TravellerCreate,
)

SERIES_WEEKS = 2
DEMO_ACTOR = Actor(
    user_id=None, username="demo-loader", role=SYSTEM.role, principal_codes=SYSTEM.principal_codes
)
DEMO_ASSESSOR = Actor(
    user_id=None, username="demo-assessor", role=Role.ASSESSOR, principal_codes=frozenset({"*"})
)


@dataclass(frozen=True)
class LoadResult:
    """What was stored: `bookings` on the demo day itself, and the bookings the dialysis
    series add on their later days (`later_series_bookings`), counted apart."""

    travellers: int
    bookings: int
    series: int
    later_series_bookings: int


def day_is_loaded(session: Session, day: date) -> bool:
    return bool(session.scalar(select(func.count(Booking.id)).where(Booking.service_date == day)))


def load_day(*, session: Session, demo: DemoDay, now: datetime | None = None) -> LoadResult:
    """Register the travellers and book their trips as of the afternoon before the day."""
    now = now or booked_at(demo.day)
    places = {p.name: p.id for p in session.scalars(select(Place))}
    ids: dict[int, int] = {}
    for traveller in demo.travellers:
        ids[traveller.key] = _register(session, traveller, now=now, day=demo.day)
    issuers = _demo_issuers(session, day=demo.day)
    bookings = series = later = 0
    for index, booking in enumerate(demo.bookings):
        traveller_id = ids[booking.traveller_key]
        # Västernorrland's treating units issue taxi certificates in advance; a few patients
        # book without one, and the assessment refuses their taxi.
        if booking.service == "sjukresa" and booking.principal_code == "22" and index % 12:
            _certify(session, booking, traveller_id, issuers, now=now, day=demo.day)
        if booking.dialysis_weekdays:
            _, created = series_service.create_series(
                session=session,
                data=_series(booking, traveller_id, places, demo.day),
                actor=DEMO_ACTOR,
                now=now,
            )
            series += 1
            on_day = sum(1 for row in created if row.service_date == demo.day)
            bookings += on_day
            later += len(created) - on_day
            stored = created
        else:
            one, _ = booking_service.create_booking(
                session=session,
                data=_booking(booking, traveller_id, places),
                actor=DEMO_ACTOR,
                now=now,
            )
            bookings += 1
            stored = [one]
        # The assessment decided what it could; an assessor clears most of the queue too,
        # through the assessor's own action (fees recorded in the ledger, the decision and
        # its author stored), leaving some bookings waiting so the demo shows a queue.
        if index % 10 != 9:
            for row in stored:
                if row.status == BookingStatus.REQUESTED:
                    assessment.decide(
                        session=session,
                        booking_id=row.id,
                        action="approve",
                        reason="demo: the assessor approves the suggested mode",
                        mode=None,
                        version=None,
                        actor=DEMO_ASSESSOR,
                        now=now,
                    )
    return LoadResult(
        travellers=len(ids), bookings=bookings, series=series, later_series_bookings=later
    )


def _demo_issuers(session: Session, *, day: date) -> dict[str, int]:
    """One certified issuer at each Västernorrland care unit, by unit name."""
    units = session.scalars(
        select(Place).where(
            Place.kind.in_(("hospital", "health_centre", "dialysis")),
            Place.municipality_code.like("22%"),
        )
    )
    existing = {i.unit: i.id for i in credentials.list_issuers(session=session)}
    for unit in units:
        if unit.name not in existing:
            issuer = credentials.register_issuer(
                session=session,
                actor=DEMO_ACTOR,
                data=IssuerCreate(
                    hsa_id=f"SE2321000016-DEMO{unit.id:04d}",
                    name=f"Sjuksköterska vid {unit.name} (syntetisk)",
                    unit=unit.name,
                    principal="22",
                    course_passed_on=day - timedelta(days=200),
                    certified_until=day + timedelta(days=365),
                ),
            )
            existing[unit.name] = issuer.id
    return existing


def _certify(
    session: Session,
    booking: DemoBooking,
    traveller_id: int,
    issuers: dict[str, int],
    *,
    now: datetime,
    day: date,
) -> None:
    unit = booking.legs[0].destination.name
    mode = (
        "stretcher_vehicle"
        if "stretcher" in booking.needs
        else "wheelchair_vehicle"
        if "wheelchair" in booking.needs
        else "taxi"
    )
    series = bool(booking.dialysis_weekdays)
    credentials.issue_certificate(
        session=session,
        traveller_id=traveller_id,
        actor=DEMO_ACTOR,
        now=now,
        data=CertificateCreate(
            principal="22",
            kind=CertificateKind.TREATMENT_SERIES if series else CertificateKind.SINGLE_TRIP,
            modes=[mode],
            valid_from=day,
            valid_until=day + timedelta(weeks=SERIES_WEEKS) if series else day,
            issuer_id=issuers.get(unit) or next(iter(issuers.values())),
            reason="kan inte resa med allmänna kommunikationer (syntetiskt intyg)",
        ),
    )


def _register(session: Session, t: DemoTraveller, *, now: datetime, day: date) -> int:
    aids = [MobilityAid(a) for a in t.mobility_aids]
    stored = traveller_service.register_traveller(
        session=session,
        actor=DEMO_ACTOR,
        now=now,
        synthetic=True,
        data=TravellerCreate(
            personal_number=t.personal_number,
            first_name=t.first_name,
            last_name=t.last_name,
            protected_identity=t.protected_identity,
            asylum_housing=t.asylum_housing,
            phone=t.phone,
            mobility_aids=aids,
            address=Address(
                street=t.street,
                postal_code=t.postal_code,
                city=t.city,
                municipality_code=t.municipality_code,
                lat=t.lat,
                lon=t.lon,
            ),
        ),
    )
    if t.permit_municipality is not None:
        for kind in (PermitKind.FARDTJANST, PermitKind.RIKSFARDTJANST):
            credentials.add_permit(
                session=session,
                traveller_id=stored.id,
                actor=DEMO_ACTOR,
                now=now,
                data=PermitCreate(
                    kind=kind,
                    principal=t.permit_municipality,
                    valid_from=day - timedelta(days=400),
                    valid_until=day + timedelta(days=700),
                    special_vehicle=t.permit_special_vehicle,
                ),
            )
    return stored.id


def _location(spot: Spot, places: dict[str, int]) -> Location:
    if spot.kind == "home":
        return Location(home=True)
    return Location(place_id=places[spot.name])


def _extras(b: DemoBooking) -> dict[str, object]:
    return {
        "companions": [Companion(kind=CompanionKind(k), age=a) for k, a in b.companions],
        "needs": [Need(n) for n in b.needs],
        "purpose": b.purpose,
        "message_to_driver": b.message_to_driver,
    }


def _booking(b: DemoBooking, traveller_id: int, places: dict[str, int]) -> BookingCreate:
    legs = [
        LegCreate(
            origin=_location(leg.origin, places),
            destination=_location(leg.destination, places),
            pickup_at=leg.pickup_at,
            appointment_at=leg.appointment_at,
            return_of=leg.return_of,
        )
        for leg in b.legs
    ]
    return BookingCreate(
        traveller_id=traveller_id,
        service=b.service,
        principal=b.principal_code,
        legs=legs,
        channel=Channel.PHONE,
        **_extras(b),
    )


def _series(b: DemoBooking, traveller_id: int, places: dict[str, int], day: date) -> SeriesCreate:
    def clock(moment: datetime | None) -> time | None:
        return None if moment is None else moment.astimezone(STOCKHOLM).time()

    legs = [
        SeriesLeg(
            origin=_location(leg.origin, places),
            destination=_location(leg.destination, places),
            pickup_time=clock(leg.pickup_at),
            appointment_time=clock(leg.appointment_at),
            return_of=leg.return_of,
        )
        for leg in b.legs
    ]
    return SeriesCreate(
        traveller_id=traveller_id,
        service=b.service,
        principal=b.principal_code,
        weekdays=[Weekday(w) for w in b.dialysis_weekdays],
        start_date=day,
        end_date=day + timedelta(weeks=SERIES_WEEKS) - timedelta(days=1),
        legs=legs,
        channel=Channel.PHONE,  # the dialysis unit calls the centre with the series
        **_extras(b),
    )
