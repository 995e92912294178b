"""What the booking desk reads: the traveller card, and places to suggest while typing.

The card is one audited read of the traveller (plus the audited reads of their bookings
and fee ledger, through the same service functions the API uses); protected identities
are masked by `travellers.views` exactly as in the API.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.assessment.reads import LedgerView, fee_ledger_view
from samfard.booking.desk_input import home_label, place_label, suggested_address
from samfard.booking.models import Booking, Leg, Series
from samfard.booking.service import BookingFilter, list_bookings
from samfard.errors import NotFound
from samfard.geo.models import Place
from samfard.geo.places import search_places
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Certificate, Permit, Traveller
from samfard.travellers.schemas import TravellerPublic
from samfard.travellers.service import read_traveller
from samfard.travellers.views import can_see_identity, traveller_public

COMING_TRIPS = 20
SUGGESTIONS = 8
TRAVELLER_MATCHES = 8


@dataclass(frozen=True)
class TravellerCard:
    """Kortet: who the caller is and what they may and have booked."""

    traveller: Traveller
    shown: TravellerPublic
    visible: bool
    permits: list[Permit]
    certificates: list[Certificate]
    series: list[Series]
    ledger: LedgerView | None
    coming: list[Booking]
    coming_total: int


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
    coming, total = list_bookings(
        session=session,
        actor=actor,
        now=now,
        filters=BookingFilter(date_from=today, traveller_id=traveller.id),
        limit=COMING_TRIPS,
        offset=0,
    )
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
    series = list(
        session.scalars(
            select(Series)
            .where(Series.traveller_id == traveller.id, Series.end_date >= today)
            .order_by(Series.start_date)
        )
    )
    return TravellerCard(
        traveller=traveller,
        shown=traveller_public(traveller, actor),
        visible=can_see_identity(traveller, actor),
        permits=[p for p in traveller.permits if p.valid_until is None or p.valid_until >= today],
        certificates=[c for c in traveller.certificates if c.valid_until >= today],
        series=[s for s in series if s.cancelled_from is None or s.cancelled_from > today],
        ledger=ledger,
        coming=[b for b in coming if b.status not in ("cancelled",)],
        coming_total=total,
    )


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
        for place in _frequent_places(session, traveller.id)
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


def _frequent_places(session: Session, traveller_id: int, most: int = 3) -> list[Place]:
    rows = session.scalars(
        select(Leg.destination_place_id)
        .join(Booking, Booking.id == Leg.booking_id)
        .where(Booking.traveller_id == traveller_id, Leg.destination_place_id.is_not(None))
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
