"""What the booking desk reads: the traveller card, and places to suggest while typing.

The card is one audited read of the traveller (plus the audited reads of their bookings
and fee ledger, through the same service functions the API uses); protected identities
are masked by `travellers.views` exactly as in the API.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.access.register import visible_principal
from samfard.assessment.reads import LedgerView, fee_ledger_view
from samfard.booking.desk_input import home_label, place_label, suggested_address
from samfard.booking.entitlement import check_record_scope
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg, Series
from samfard.booking.service import scoped
from samfard.course.words import MODES_SV
from samfard.db import transaction
from samfard.errors import NotFound
from samfard.geo.models import Place
from samfard.geo.places import search_places
from samfard.principals.models import Principal
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Certificate, Permit, Traveller
from samfard.travellers.schemas import TravellerPublic
from samfard.travellers.service import read_traveller
from samfard.travellers.views import can_see_identity, traveller_public

COMING_TRIPS = 20
# A certificate's modes as /intyg says them ("Taxi, dit och hem"), never the code "taxi".
MODE_WORDS_SV = {mode.value: words for mode, words in MODES_SV.items()}
# A trip that was not made, nor will be, uses none of a certificate's trips.
NOT_USING = (BookingStatus.CANCELLED.value, BookingStatus.DENIED.value)
SUGGESTIONS = 8
TRAVELLER_MATCHES = 8


@dataclass(frozen=True)
class CertificateLine:
    """A certificate as the card says it: "Taxi, enkel resa, 2026-12-08–2026-12-20,
    Sundsvalls sjukhus, 3 av 10 resor kvar" (two certificates of one period and unit, one
    one-way and one there and back, read alike as "taxi, …" twice)."""

    certificate: Certificate
    words: str  # the modes and whether the return is covered
    trips_left: int | None  # None: no count on the certificate


@dataclass(frozen=True)
class TravellerCard:
    """Kortet: who the caller is and what they may and have booked."""

    traveller: Traveller
    shown: TravellerPublic
    visible: bool
    permits: list[Permit]
    certificates: list[CertificateLine]
    series: list[Series]
    ledger: LedgerView | None
    coming: list[Booking]  # in the order they are made, cancelled ones left out
    coming_total: int  # how many such trips there are (the card shows at most COMING_TRIPS)
    principal_names: dict[str, str] = field(default_factory=dict)  # code -> name


def traveller_card(
    *, session: Session, traveller_id: int, actor: Actor, now: datetime
) -> TravellerCard:
    """The card for the desk: register data, permits, certificates, standing series, fees
    against the ceiling and coming trips; each part read through its audited use case."""
    traveller = read_traveller(
        session=session,
        traveller_id=traveller_id,
        actor=actor,
        now=now,
        record_type="traveller",
        purpose="booking desk card",
    )
    today = now.astimezone(STOCKHOLM).date()
    coming, total = coming_trips(session=session, actor=actor, now=now, traveller=traveller)
    region = traveller.municipality_code[:2]
    ledger = None
    if actor.covers_principal(region):
        try:
            ledger = fee_ledger_view(
                session=session,
                traveller_id=traveller.id,
                principal=region,
                day=today,
                actor=actor,
                now=now,
            )
        except NotFound:
            ledger = None  # the region has no fee ceiling
    # Only what the account may read, as the API lists it: the card showed one principal's
    # certificates, series and trips to another principal's desk (the probe of the seventh
    # session of 2026-12-06).
    series = [
        s
        for s in session.scalars(
            select(Series)
            .where(Series.traveller_id == traveller.id, Series.end_date >= today)
            .order_by(Series.start_date)
        )
        if _readable(actor, s)
    ]
    permits = [
        p
        for p in traveller.permits
        if (p.valid_until is None or p.valid_until >= today)
        and visible_principal(actor, p.principal_code)
    ]
    certificates = [
        c
        for c in traveller.certificates
        if c.valid_until >= today and c.revoked_at is None and _certificate_readable(actor, c)
    ]
    return TravellerCard(
        traveller=traveller,
        shown=traveller_public(traveller, actor),
        visible=can_see_identity(traveller, actor),
        permits=permits,
        certificates=certificate_lines(session, actor, traveller, certificates),
        series=[s for s in series if s.cancelled_from is None or s.cancelled_from > today],
        ledger=ledger,
        coming=coming,
        coming_total=total,
        principal_names=_principal_names(
            session, {p.principal_code for p in permits} | {s.principal_code for s in series}
        ),
    )


def certificate_words(certificate: Certificate) -> str:
    """The modes in words, capitalised, and whether the return is covered, as /intyg."""
    modes = " eller ".join(MODE_WORDS_SV.get(m, m) for m in certificate.modes)
    ways = "dit och hem" if certificate.covers_return else "enkel resa"
    return f"{modes[:1].upper()}{modes[1:]}, {ways}"


def _readable(actor: Actor, series: Series) -> bool:
    try:
        check_record_scope(actor, series, kind="series")
    except NotFound:
        return False
    return True


def _certificate_readable(actor: Actor, certificate: Certificate) -> bool:
    """A certificate of the account's principals; for care staff, of their own unit, as
    /intyg lists them."""
    if not visible_principal(actor, certificate.principal_code):
        return False
    return actor.role is not Role.CARE_ISSUER or certificate.unit == actor.care_unit


def certificate_lines(
    session: Session, actor: Actor, traveller: Traveller, certificates: list[Certificate]
) -> list[CertificateLine]:
    """Each certificate in words, with the trips left where it has a count: its count less
    the traveller's sjukresor of the certificate's region within its days, by one of its
    modes, each way a trip (a trip there and back uses two), cancelled and denied ones not
    counted. Bookings do not name the certificate they rest on, so two certificates of
    the same days and mode count the same trips. Only trips the account may read are
    counted (care staff: their unit's), so the count tells no one of trips they cannot see;
    for care staff it is then the trips their unit booked."""
    lines = []
    for certificate in certificates:
        left = None
        if certificate.trips_allowed:
            used = session.scalar(
                scoped(
                    select(func.count(Leg.id))
                    .join(Booking, Booking.id == Leg.booking_id)
                    .where(
                        Booking.traveller_id == traveller.id,
                        Booking.service == "sjukresa",
                        Booking.principal_code == certificate.principal_code,
                        Booking.service_date.between(
                            certificate.valid_from, certificate.valid_until
                        ),
                        Booking.status.not_in(NOT_USING),
                        Booking.mode.in_(certificate.modes),
                    ),
                    actor,
                )
            )
            left = max(certificate.trips_allowed - (used or 0), 0)
        lines.append(CertificateLine(certificate, certificate_words(certificate), left))
    return lines


def coming_trips(
    *, session: Session, actor: Actor, now: datetime, traveller: Traveller
) -> tuple[list[Booking], int]:
    """The traveller's trips from today on that the card lists (not the cancelled ones,
    which it does not show, so "Visar 20 av 23" counts only trips it could show), in the
    order they are made: by day, then the outward leg's pickup or, without one, its
    appointment, then id. Read in the actor's scope, and each listed trip audited as read
    (as `service.list_bookings`, the API's list, does)."""
    today = now.astimezone(STOCKHOLM).date()
    listed = scoped(select(Booking), actor).where(
        Booking.traveller_id == traveller.id,
        Booking.service_date >= today,
        Booking.status != BookingStatus.CANCELLED.value,
    )
    total = session.scalar(select(func.count()).select_from(listed.subquery())) or 0
    with transaction(session):
        rows = list(
            session.scalars(
                listed.join(Leg, (Leg.booking_id == Booking.id) & (Leg.seq == 0))
                .options(selectinload(Booking.legs))
                .order_by(
                    Booking.service_date,
                    func.coalesce(Leg.requested_pickup_at, Leg.appointment_at),
                    Booking.id,
                )
                .limit(COMING_TRIPS)
            )
        )
        audit.record_bookings(session, actor, rows, action="list", purpose="booking list", at=now)
    return rows, total


def _principal_names(session: Session, codes: set[str]) -> dict[str, str]:
    """The principals' names by code ("2380" -> "Östersunds kommun"), as the register
    holds them; a code it does not hold is left out (the card then shows the code)."""
    if not codes:
        return {}
    rows = session.execute(
        select(Principal.code, Principal.name).where(Principal.code.in_(sorted(codes)))
    )
    return {row.code: row.name for row in rows}


@dataclass(frozen=True)
class Suggestion:
    """One option of a place list: the value the form sends back and the words shown."""

    value: str
    label: str
    detail: str


def place_suggestions(
    *, session: Session, traveller_id: int, text: str, actor: Actor, now: datetime
) -> list[Suggestion]:
    """Places to offer while the operator types: the traveller's home and the places they
    travel to most, then gazetteer matches, then the text itself as a street address."""
    key = text.strip().lower()
    # In the actor's register only: the home and the places travelled to are the record.
    traveller = read_traveller(
        session=session,
        traveller_id=traveller_id,
        actor=actor,
        now=now,
        record_type="traveller",
        purpose="saved places for a booking",
    )
    visible = can_see_identity(traveller, actor)
    own = [Suggestion("home", home_label(traveller, visible=visible), "Sparad plats")]
    own += [
        Suggestion(f"place:{place.id}", place_label(place), "Tidigare resmål")
        for place in _frequent_places(session, actor, traveller.id)
    ]
    found = [s for s in own if not key or key in s.label.lower()]
    taken = {s.value for s in found}
    for place in search_places(session=session, query=text, limit=SUGGESTIONS):
        if f"place:{place.id}" not in taken:
            found.append(Suggestion(f"place:{place.id}", place_label(place), _kind_sv(place)))
    address = suggested_address(session, text) if "," in text else None
    if address is not None:
        found.append(Suggestion(f"address:{address.label}", address.label, "Gatuadress"))
    return found[:SUGGESTIONS]


def _frequent_places(
    session: Session, actor: Actor, traveller_id: int, most: int = 3
) -> list[Place]:
    """The places the traveller goes to most, among the trips the account may read: from
    every trip, Östersund's färdtjänst desk was offered a region's dialysis clinic (the
    probe of the seventh session of 2026-12-06)."""
    rows = session.scalars(
        scoped(
            select(Leg.destination_place_id)
            .join(Booking, Booking.id == Leg.booking_id)
            .where(Booking.traveller_id == traveller_id, Leg.destination_place_id.is_not(None)),
            actor,
        )
    )
    counted = Counter(place_id for place_id in rows if place_id is not None)
    places = [session.get(Place, place_id) for place_id, _ in counted.most_common(most)]
    return [p for p in places if p is not None]


PLACE_KINDS_SV = {
    "locality": "Ort",
    "hospital": "Sjukhus",
    "health_centre": "Hälsocentral",
    "dialysis": "Dialysmottagning",
    "tertiary": "Universitetssjukhus",
}


def _kind_sv(place: Place) -> str:
    return f"{PLACE_KINDS_SV.get(place.kind, place.kind)}, {place.municipality}"


def default_day(now: datetime) -> date:
    """The day the form starts on: tomorrow, when most trips are booked for."""
    return now.astimezone(STOCKHOLM).date() + timedelta(days=1)
