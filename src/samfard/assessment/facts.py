"""Facts for the rules engine, read from the register, the gazetteer and the fee ledger.

The engine never looks anything up (rules.facts); this module is where a stored or
proposed booking becomes an AssessmentRequest. Choices made here, each because the register
has no better source yet:

- the requested mode of a booking is the vehicle its needs call for (stretcher vehicle,
  wheelchair vehicle, else taxi): the coordination centre books rides in vehicles, public
  transport and own car are reimbursed afterwards and never booked here;
- purpose "referral" means a doctor's visit on referral (remiss); "<purpose>+referral"
  (e.g. "treatment+referral") gives both;
- road distance is the great-circle distance times the geodesic provider's road factor,
  the same model the planner uses when no road network is configured;
- the destination is "the nearest designated unit" when no place of the same kind in the
  gazetteer is closer to the traveller's home;
- places reach the rules by gazetteer key (Place.key), never by display name, so a rule
  about "roros-sykehus" holds whatever the place is called on screen;
- the traveller is listed (listad) at the health centre nearest home: the register holds
  no listing yet, and in the sparsely served west (Funäsdalen) the nearest is the one;
- a certificate's issuer is the person registered on it, named "unit [HSA-id]" so two
  issuers at one unit are never confused;
- an address (neither a place nor the home) is in the municipality whose boundary holds
  it, or outside the two regions (assessment.boundaries), never in the municipality of
  the nearest place, which made Stockholm part of Sundsvall;
- a student (riksfärdtjänst's 70 %) is one whose student status in the register is valid
  on the trip day; a specified disability (sjukresa companions free) is the register's
  flag; the färdtjänst trips outside the area this permit year are counted from the
  stored bookings (assessment.quota);
- booked lines and närtrafik take their facts from the timetable (booking.transit_facts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from samfard.assessment import quota
from samfard.assessment.boundaries import municipality_at, served_codes
from samfard.booking import transit_facts
from samfard.booking.models import Leg
from samfard.costs.fee_ledger import ceiling_rule, ledger_state
from samfard.errors import RuleError
from samfard.geo.distance import km_between
from samfard.geo.models import Place
from samfard.geo.traveltime import ROAD_MODEL, Point
from samfard.rules import facts
from samfard.rules.loader import RulebookSet
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Certificate, Permit, Traveller

CARE_KINDS = frozenset({"hospital", "health_centre", "dialysis", "tertiary"})
REFERRAL = "referral"
HOME_METRES = 50.0
# An address this near a gazetteer place is in that place's town: places.csv puts its
# points within about 2 km.
TOWN_KM = 3.0


@dataclass(frozen=True)
class TripInput:
    """A booking as the assessment sees it, stored or only proposed (POST /assessments)."""

    service: str
    principal: str
    purpose: str | None
    legs: Sequence[Leg]
    companions: Sequence[dict[str, Any]]
    needs: Sequence[str]
    booked_at: datetime
    mode: facts.Mode | None = None
    booking_id: int | None = None  # the stored booking assessed, None for a proposal
    # An assessor who names the mode is the central travel service deciding it.
    assessor_decides: bool = False


def age_on(birth: date, day: date) -> int:
    """Whole years completed on `day` (a birthday counts on the day itself)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def needs_of(needs: Sequence[str]) -> facts.Needs:
    """The rules' needs from a booking's list of them."""
    return facts.Needs(
        wheelchair="wheelchair" in needs,
        stretcher="stretcher" in needs,
        front_seat="front_seat" in needs,
        ride_alone="ride_alone" in needs,
    )


def requested_mode(needs: Sequence[str]) -> facts.Mode:
    if "stretcher" in needs:
        return facts.Mode.STRETCHER_VEHICLE
    if "wheelchair" in needs:
        return facts.Mode.WHEELCHAIR_VEHICLE
    return facts.Mode.TAXI


def split_purpose(purpose: str | None) -> tuple[str | None, bool]:
    """The rule purpose and the referral flag written in a booking's purpose."""
    if purpose is None:
        return None, False
    if purpose == REFERRAL:
        return "doctor_visit", True
    base, plus, flag = purpose.partition("+")
    if plus and flag == REFERRAL:
        return base, True
    return purpose, False


_GAZETTEER = "samfard.assessment.gazetteer"


def road_km(a: tuple[float, float], b: tuple[float, float]) -> Decimal:
    metres = ROAD_MODEL.road_m(Point(*a), Point(*b))
    return Decimal(round(metres / 1000, 1)).quantize(Decimal("0.1"))


class Gazetteer:
    """The places of one session, read once per session (`of`)."""

    def __init__(self, places: dict[int, Place]) -> None:
        self.places = places

    @classmethod
    def of(cls, session: Session) -> Gazetteer:
        """The session's gazetteer. Places are reference data, written only by `samfard db
        upgrade`, so one reading serves every assessment of the session: a day's bookings
        loaded in one session, or a series booked in one request, had each read all places
        again (a third of the time to assess a trip). Read again once a rollback has
        expired the places."""
        cached = session.info.get(_GAZETTEER)
        if isinstance(cached, Gazetteer) and cached.places:
            some = next(iter(cached.places.values()))
            if not inspect(some).expired_attributes:
                return cached
        gazetteer = cls({p.id: p for p in session.scalars(select(Place))})
        session.info[_GAZETTEER] = gazetteer
        return gazetteer

    def nearest(self, lat: float, lon: float, kind: str | None = None) -> Place:
        candidates = [p for p in self.places.values() if kind is None or p.kind == kind]
        return min(
            candidates, key=lambda p: ROAD_MODEL.road_m(Point(lat, lon), Point(p.lat, p.lon))
        )

    def municipality(self, place_id: int | None, lat: float, lon: float, home: Traveller) -> str:
        """A place's own municipality, the home's at the home; else facts.OUTSIDE_REGIONS
        for an address beyond the served municipalities' boundaries (assessment.boundaries),
        and within them the municipality of a served place within TOWN_KM (in a town the
        gazetteer's points are finer than the simplified boundary, which passes 1-2 km
        from Timrå's centre), or else the one whose boundary holds it."""
        if place_id is not None:
            return self.places[place_id].municipality_code
        if 1000 * km_between(lat, lon, home.lat, home.lon) < HOME_METRES:
            return home.municipality_code
        code = municipality_at(lat, lon)
        if code == facts.OUTSIDE_REGIONS:
            return code
        town = min(self.served(), key=lambda p: km_between(lat, lon, p.lat, p.lon), default=None)
        if town is not None and km_between(lat, lon, town.lat, town.lon) <= TOWN_KM:
            return town.municipality_code
        return code

    def served(self) -> list[Place]:
        """The places in the served municipalities (not the hospitals beyond them)."""
        codes = served_codes()
        return [p for p in self.places.values() if p.municipality_code in codes]


def _care_place(legs: Sequence[Leg], gazetteer: Gazetteer) -> Place | None:
    """The care unit the trip goes to: the outward leg's destination, else a return's origin."""
    for leg in legs:
        place_id = leg.destination_place_id if leg.direction == "outward" else leg.origin_place_id
        if place_id is not None and gazetteer.places[place_id].kind in CARE_KINDS:
            return gazetteer.places[place_id]
    return None


def _legs(
    trip: TripInput, traveller: Traveller, gazetteer: Gazetteer, nearest_km: Decimal | None
) -> tuple[facts.Leg, ...]:
    def key(place_id: int | None) -> str | None:
        return None if place_id is None else gazetteer.places[place_id].key

    return tuple(
        facts.Leg(
            direction=leg.direction,
            depart_at=leg.reference_time,
            distance_km=road_km(
                (leg.origin_lat, leg.origin_lon), (leg.destination_lat, leg.destination_lon)
            ),
            origin_municipality=gazetteer.municipality(
                leg.origin_place_id, leg.origin_lat, leg.origin_lon, traveller
            ),
            destination_municipality=gazetteer.municipality(
                leg.destination_place_id, leg.destination_lat, leg.destination_lon, traveller
            ),
            origin_place=key(leg.origin_place_id),
            destination_place=key(leg.destination_place_id),
            nearest_unit_km=nearest_km,
            origin_point=(leg.origin_lat, leg.origin_lon),
            destination_point=(leg.destination_lat, leg.destination_lon),
            arrive_by=leg.requested_pickup_at is None,
        )
        for leg in sorted(trip.legs, key=lambda leg: leg.seq)
    )


def _permits(rows: Sequence[Permit]) -> tuple[facts.Permit, ...]:
    return tuple(
        facts.Permit(
            service=facts.Service(p.kind),
            municipality=p.principal_code,
            valid_from=p.valid_from,
            valid_until=p.valid_until,
            special_vehicle=p.special_vehicle,
            escort=p.escort,
            fellow_passenger=p.fellow_passenger,
            front_seat=p.front_seat,
            ride_alone=p.ride_alone,
            allergy_free=p.allergy_free,
            guide_dog=p.guide_dog,
            extra_areas=tuple(p.service_area),
        )
        for p in rows
    )


def issuer_label(row: Certificate) -> str:
    if row.issuer is None:
        return row.unit
    return f"{row.issuer.unit} [{row.issuer.hsa_id}]"


def _certificates(
    rows: Sequence[Certificate], principal: str
) -> tuple[tuple[facts.Certificate, ...], tuple[facts.Issuer, ...]]:
    certificates: list[facts.Certificate] = []
    issuers: dict[str, facts.Issuer] = {}
    for row in rows:
        if row.principal_code != principal or row.revoked_at is not None:
            continue  # a revoked certificate allows nothing
        label = issuer_label(row)
        certificates.append(
            facts.Certificate(
                issuer_unit=label,
                issued_on=row.issued_at.astimezone(STOCKHOLM).date(),
                valid_from=row.valid_from,
                valid_until=row.valid_until,
                modes=tuple(facts.Mode(m) for m in row.modes),
                covers_return=row.covers_return,
            )
        )
        if row.issuer is not None:
            issuers[label] = facts.Issuer(
                unit=label,
                course_passed_on=row.issuer.course_passed_on,
                certified_until=row.issuer.certified_until,
            )
    return tuple(certificates), tuple(issuers.values())


def _companions(rows: Sequence[dict[str, Any]]) -> tuple[facts.Companion, ...]:
    return tuple(
        facts.Companion(kind=facts.CompanionKind(c["kind"]), age=c.get("age")) for c in rows
    )


def _assessor_decision(trip: TripInput, day: date) -> tuple[facts.TravelDecision, ...]:
    if not trip.assessor_decides or trip.mode is None:
        return ()
    last = max(leg.reference_time for leg in trip.legs).astimezone(STOCKHOLM).date()
    return (facts.TravelDecision(mode=trip.mode, valid_from=day, valid_until=last),)


def _outside_area_trips(
    session: Session, trip: TripInput, traveller: Traveller, service: facts.Service
) -> int:
    """Färdtjänst trips outside the area already on this permit year's quota (0 for other
    services, or without a permit, which the rules refuse anyway)."""
    if service is not facts.Service.FARDTJANST:
        return 0
    days = sorted(leg.reference_time.astimezone(STOCKHOLM).date() for leg in trip.legs)
    permit = quota.fardtjanst_permit(traveller.permits, trip.principal, days)
    if permit is None:
        return 0
    return quota.outside_area_trips(
        session,
        traveller_id=traveller.id,
        principal=trip.principal,
        year=quota.permit_year(permit.valid_from, days[0]),
        leave_out=trip.booking_id,
    )


def student_on(traveller: Traveller, day: date) -> bool:
    """Whether the register's student status (studerande, valid until a date) holds on
    the trip day."""
    return traveller.student_until is not None and day <= traveller.student_until


def build_request(
    session: Session, trip: TripInput, traveller: Traveller, rulebooks: RulebookSet
) -> facts.AssessmentRequest:
    """The AssessmentRequest for `trip` by `traveller`, as the register stands now."""
    try:
        service = facts.Service(trip.service)
    except ValueError:
        raise RuleError(
            f"service {trip.service} has no assessment rules; an assessor decides",
            field="service",
        ) from None
    gazetteer = Gazetteer.of(session)
    day = min(leg.reference_time for leg in trip.legs).astimezone(STOCKHOLM).date()
    care = _care_place(trip.legs, gazetteer)
    is_nearest, nearest_km = True, None
    if care is not None:
        nearest = gazetteer.nearest(traveller.lat, traveller.lon, care.kind)
        is_nearest = nearest.id == care.id
        if not is_nearest:
            nearest_km = road_km((traveller.lat, traveller.lon), (nearest.lat, nearest.lon))
    rule = ceiling_rule(rulebooks, trip.principal, day)
    ledger = None
    if rule is not None:
        ledger = ledger_state(
            session, traveller_id=traveller.id, principal=trip.principal, rule=rule, day=day
        )
    certificates, issuers = _certificates(traveller.certificates, trip.principal)
    purpose, referral = split_purpose(trip.purpose)
    legs = _legs(trip, traveller, gazetteer, nearest_km)
    stops: tuple[str, ...] = ()
    stop_km: Decimal | None = None
    if service is facts.Service.ANROPSSTYRD_LINJETRAFIK:
        legs = transit_facts.with_line_rides(
            session, legs, gazetteer.places, booking_id=trip.booking_id
        )
    if service is facts.Service.NARTRAFIK:
        home = Point(traveller.lat, traveller.lon)
        stops, stop_km = transit_facts.nearest_stops(session, gazetteer.places, home)
    return facts.AssessmentRequest(
        traveller=facts.TravellerFacts(
            age=age_on(traveller.birth_date, day),
            municipality=traveller.municipality_code,
            county=traveller.municipality_code[:2],
            listed_unit=gazetteer.nearest(traveller.lat, traveller.lon, "health_centre").key,
            specified_disability=traveller.specified_disability,
            student=student_on(traveller, day),
            asylum_housing=traveller.asylum_housing,
            permits=_permits(traveller.permits),
            decisions=_assessor_decision(trip, day),
            certificates=certificates,
            ledger=ledger,
            outside_area_trips_this_year=_outside_area_trips(session, trip, traveller, service),
        ),
        trip=facts.Trip(
            service=service,
            principal=trip.principal,
            legs=legs,
            purpose=purpose,
            referral=referral,
            destination_is_nearest=is_nearest,
            destination_place=None if care is None else care.key,
            destination_name=None if care is None else care.name,
            destination_kind=None if care is None else care.kind,
            companions=_companions(trip.companions),
            needs=needs_of(trip.needs),
            requested_mode=trip.mode or requested_mode(trip.needs),
            booked_at=trip.booked_at,
            distance_to_stop_km=stop_km,
            nearest_stops=stops,
        ),
        issuers=issuers,
    )
