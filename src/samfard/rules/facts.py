"""What the engine is told: traveller facts and the trip, as frozen dataclasses.

The engine never looks anything up. Everything a rule depends on arrives here, so the same
facts always give the same decision and a decision can be reproduced from its input hash.
Each type checks its own values where it is made, naming the field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from samfard.errors import InputError
from samfard.rules.ledger import LedgerState
from samfard.timeutil import STOCKHOLM, require_aware


class Service(StrEnum):
    """The kinds of community-paid travel a rulebook can govern."""

    SJUKRESA = "sjukresa"
    FARDTJANST = "fardtjanst"
    RIKSFARDTJANST = "riksfardtjanst"
    ANROPSSTYRD_LINJETRAFIK = "anropsstyrd_linjetrafik"
    NARTRAFIK = "nartrafik"


class Mode(StrEnum):
    """Ways to travel (färdsätt), declared in cost order (cheapest first); flight is priced
    apart. public_transport is bus or regional train within the county; train is a
    long-distance train beyond it."""

    PUBLIC_TRANSPORT = "public_transport"
    TRAIN = "train"
    OWN_CAR = "own_car"
    TAXI = "taxi"
    WHEELCHAIR_VEHICLE = "wheelchair_vehicle"
    STRETCHER_VEHICLE = "stretcher_vehicle"
    FLIGHT = "flight"


MODE_ORDER: tuple[Mode, ...] = tuple(Mode)
# The modes the centre drives in its carriers' vehicles: only these are planned into runs.
# The others are the traveller's own journey (ticket, car, flight), refunded or reimbursed.
VEHICLE_MODES: frozenset[Mode] = frozenset(
    {Mode.TAXI, Mode.WHEELCHAIR_VEHICLE, Mode.STRETCHER_VEHICLE}
)


# The municipality of a leg's end that lies beyond the centre's municipalities (Stockholm,
# Gävle, Norway): the facts say "outside the two regions" rather than guess a municipality
# the address is not in. It equals no municipality code, so a färdtjänst area never holds
# it and riksfärdtjänst sees a leg to it as going to another municipality.
OUTSIDE_REGIONS = "outside"


class CompanionKind(StrEnum):
    """Escort (ledsagare) helps during the ride; fellow passenger (medresenär) just comes."""

    ESCORT = "escort"
    FELLOW_PASSENGER = "fellow_passenger"
    CHILD = "child"


def _require(condition: bool, message: str, field_name: str) -> None:
    if not condition:
        raise InputError(message, field=field_name)


@dataclass(frozen=True)
class Permit:
    """Permit: färdtjänsttillstånd (or a riksfärdtjänst decision), with its conditions.

    fellow_passenger: the permit lets a fellow passenger (medresenär) come along, paying
    as the holder; allergy_free (allergisanerat fordon) and guide_dog (ledarhund) are what
    the vehicle must honour, so they travel with the decision to the planner and driver.
    """

    service: Service
    municipality: str
    valid_from: date
    valid_until: date | None = None
    special_vehicle: bool = False
    escort: bool = False
    fellow_passenger: bool = False
    front_seat: bool = False
    ride_alone: bool = False
    allergy_free: bool = False
    guide_dog: bool = False
    extra_areas: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.valid_until is not None:
            _require(
                self.valid_until >= self.valid_from,
                f"permit valid_until {self.valid_until} is before valid_from {self.valid_from}",
                "permit.valid_until",
            )

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class TravelDecision:
    """Decision (beslut) by the central travel service: a mode or a companion for a period."""

    mode: Mode | None
    valid_from: date
    valid_until: date
    companion: bool = False

    def __post_init__(self) -> None:
        _require(
            self.valid_until >= self.valid_from,
            f"travel decision valid_until {self.valid_until} is before {self.valid_from}",
            "travel_decision.valid_until",
        )

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_until


@dataclass(frozen=True)
class Certificate:
    """Certificate: sjukreseintyg, issued in advance by the treating unit for given modes."""

    issuer_unit: str
    issued_on: date
    valid_from: date
    valid_until: date
    modes: tuple[Mode, ...]
    covers_return: bool = True

    def __post_init__(self) -> None:
        _require(
            self.valid_until >= self.valid_from,
            f"certificate valid_until {self.valid_until} is before {self.valid_from}",
            "certificate.valid_until",
        )
        _require(bool(self.modes), "certificate must name at least one mode", "certificate.modes")


@dataclass(frozen=True)
class Issuer:
    """Certified issuer (intygsutfärdare): a care unit whose staff passed the course."""

    unit: str
    course_passed_on: date | None
    certified_until: date | None


@dataclass(frozen=True)
class TravellerFacts:
    """What the register knows about the traveller that rules depend on."""

    age: int
    municipality: str
    county: str
    listed_unit: str | None = None  # gazetteer key of the health centre listed at
    specified_disability: bool = False
    student: bool = False
    asylum_housing: bool = False  # lives in asylum housing (anläggningsboende)
    permits: tuple[Permit, ...] = ()
    decisions: tuple[TravelDecision, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    ledger: LedgerState | None = None
    outside_area_trips_this_year: int = 0

    def __post_init__(self) -> None:
        _require(0 <= self.age <= 130, f"age must be 0-130, got {self.age}", "traveller.age")
        _require(
            self.outside_area_trips_this_year >= 0,
            f"outside_area_trips_this_year must be >= 0, got {self.outside_area_trips_this_year}",
            "traveller.outside_area_trips_this_year",
        )


@dataclass(frozen=True)
class Companion:
    """Someone travelling with the traveller; a child gives an age."""

    kind: CompanionKind
    age: int | None = None

    def __post_init__(self) -> None:
        if self.kind is CompanionKind.CHILD:
            _require(
                self.age is not None and 0 <= self.age <= 25,
                f"a child companion needs an age 0-25, got {self.age}",
                "companion.age",
            )


@dataclass(frozen=True)
class Needs:
    """Needs that decide which vehicles fit."""

    wheelchair: bool = False
    stretcher: bool = False
    front_seat: bool = False
    ride_alone: bool = False

    def fits(self, mode: Mode) -> bool:
        """A stretcher needs a stretcher vehicle; a wheelchair a wheelchair vehicle or better;
        front seat and riding alone need a car."""
        if self.stretcher:
            return mode is Mode.STRETCHER_VEHICLE
        if self.wheelchair:
            return mode in (Mode.WHEELCHAIR_VEHICLE, Mode.STRETCHER_VEHICLE)
        if self.front_seat or self.ride_alone:
            return mode not in (Mode.PUBLIC_TRANSPORT, Mode.TRAIN, Mode.FLIGHT)
        return True


@dataclass(frozen=True)
class LineRide:
    """A ride on a booked line (anropsstyrd linjetrafik): the timetabled departure a leg
    matches, read from the line's timetable (lines.timetable)."""

    line_code: str
    principal: str  # the transport authority that runs the line
    departure_id: int
    first_stop_departs_at: datetime  # the departure from the line's first stop
    boards_at: datetime  # the timetabled time at the stop the traveller boards
    deadline_min: int  # the line's own booking deadline before first_stop_departs_at
    seats: int  # the line vehicle's seats and wheelchair places
    wheelchair_places: int
    seats_booked: int = 0  # taken on this departure by other bookings
    wheelchair_places_booked: int = 0

    def __post_init__(self) -> None:
        for name in ("seats", "wheelchair_places", "seats_booked", "wheelchair_places_booked"):
            _require(
                getattr(self, name) >= 0,
                f"line {name} must be >= 0, got {getattr(self, name)}",
                f"line.{name}",
            )
        require_aware(self.first_stop_departs_at, field="line.first_stop_departs_at")
        require_aware(self.boards_at, field="line.boards_at")
        _require(
            self.deadline_min >= 0,
            f"line deadline_min must be >= 0, got {self.deadline_min}",
            "line.deadline_min",
        )


@dataclass(frozen=True)
class Leg:
    """One single trip (enkelresa): outward or return, with its road distance.

    origin_municipality / destination_municipality are municipality codes, or
    OUTSIDE_REGIONS for an end beyond the centre's municipalities."""

    direction: str
    depart_at: datetime
    distance_km: Decimal
    origin_municipality: str
    destination_municipality: str
    origin_place: str | None = None  # gazetteer key, when the end is a known place
    destination_place: str | None = None
    nearest_unit_km: Decimal | None = None
    bus_fare_ore: int | None = None
    line: LineRide | None = None  # the booked line departure the leg rides, if any
    # Booked lines: the timetabled times ("07:30 AL 164") between the leg's stops that day.
    line_offers: tuple[str, ...] = ()
    # Where the leg starts and ends (lat, lon) and whether depart_at is an appointment to
    # arrive by (else the time the traveller is ready to leave): the public-transport check
    # plans on these.
    origin_point: tuple[float, float] | None = None
    destination_point: tuple[float, float] | None = None
    arrive_by: bool = False

    def __post_init__(self) -> None:
        _require(
            self.direction in ("outward", "return"),
            f"leg direction must be 'outward' or 'return', got {self.direction!r}",
            "leg.direction",
        )
        require_aware(self.depart_at, field="leg.depart_at")
        _require(
            self.distance_km >= 0,
            f"leg distance_km must be >= 0, got {self.distance_km}",
            "leg.distance_km",
        )
        if self.nearest_unit_km is not None:
            _require(
                self.nearest_unit_km >= 0,
                f"leg nearest_unit_km must be >= 0, got {self.nearest_unit_km}",
                "leg.nearest_unit_km",
            )
        if self.bus_fare_ore is not None:
            _require(
                self.bus_fare_ore >= 0,
                f"leg bus_fare_ore must be >= 0, got {self.bus_fare_ore}",
                "leg.bus_fare_ore",
            )

    @property
    def local_day(self) -> date:
        return self.depart_at.astimezone(STOCKHOLM).date()

    @property
    def local_time(self) -> time:
        return self.depart_at.astimezone(STOCKHOLM).time()


@dataclass(frozen=True)
class TransitLeg:
    """The public-transport check of one leg (kollektivtrafik): possible within the
    rulebook's limits or not, what a person reads ("buss 45 08:05–09:40, 1 byte"), and
    when the traveller leaves home or is home again."""

    direction: str
    possible: bool
    summary: str | None
    text: str
    leave: time | None = None
    arrive: time | None = None


@dataclass(frozen=True)
class Trip:
    """The trip asked for: service, paying principal, legs, purpose and circumstances.

    destination_place is the care unit's gazetteer key, the identity rules match on;
    destination_name is its display name, for the reasons a person reads. destination_kind
    names the kind of place (care_unit, dental, aids_centre, hospital...) for the record.
    public_transport_departure / _return are the local times the cheapest
    mode would leave home and come back, used for the accommodation rule; a
    PublicTransportTimes provider may supply them instead, and the public-transport check
    does when it finds journeys.
    """

    service: Service
    principal: str
    legs: tuple[Leg, ...]
    purpose: str | None = None
    referral: bool = False
    destination_is_nearest: bool = True
    destination_place: str | None = None
    destination_name: str | None = None
    destination_kind: str | None = None
    companions: tuple[Companion, ...] = ()
    needs: Needs = field(default_factory=Needs)
    requested_mode: Mode | None = None
    booked_at: datetime | None = None
    public_transport_departure: time | None = None
    public_transport_return: time | None = None
    distance_to_stop_km: Decimal | None = None
    # Närtrafik: gazetteer keys of the nearest stop and the nearest service point from home.
    nearest_stops: tuple[str, ...] = ()
    # The public-transport check per leg; None when no timetable was asked.
    public_transport: tuple[TransitLeg, ...] | None = None

    def __post_init__(self) -> None:
        _require(bool(self.legs), "a trip needs at least one leg", "trip.legs")
        if self.booked_at is not None:
            require_aware(self.booked_at, field="trip.booked_at")

    @property
    def day(self) -> date:
        """The trip date: the local date of the first leg; it selects rulebook versions."""
        return self.legs[0].local_day


@dataclass(frozen=True)
class AssessmentRequest:
    """Everything one assessment needs besides the rulebooks."""

    traveller: TravellerFacts
    trip: Trip
    issuers: tuple[Issuer, ...] = ()
