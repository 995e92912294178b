"""The assessment engine: facts and a trip in, a cited Decision out.

Pure and deterministic: no clock, no database, no randomness. The paying principal's
rulebook version in force on each leg's date is applied (a trip across a version change is
assessed in parts, `version_split`); the Decision records which versions were used and a
stable hash of the inputs, so the same request against the same rulebooks can be replayed
and must give the same answer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Protocol

from samfard.errors import InputError, RuleError
from samfard.rules import booked_line, fardtjanst, sjukresa, transit, version_split
from samfard.rules import public_transport as transit_rules
from samfard.rules.common import band_fee
from samfard.rules.decision import Decision, RulebookRef
from samfard.rules.facts import AssessmentRequest, Mode, Service, Trip
from samfard.rules.loader import NATIONAL, Rulebook, RulebookSet
from samfard.rules.public_transport import PublicTransportCheck
from samfard.rules.schema import DistanceBands, SjukresaVersion

Assessor = Callable[[AssessmentRequest, Rulebook], Decision]

_ASSESSORS: dict[Service, Assessor] = {
    Service.SJUKRESA: sjukresa.assess,
    Service.FARDTJANST: fardtjanst.assess,
    Service.RIKSFARDTJANST: transit.assess_riksfardtjanst,
    Service.NARTRAFIK: transit.assess_nartrafik,
    Service.ANROPSSTYRD_LINJETRAFIK: booked_line.assess,
}


class CareAwareAssessor(Protocol):
    """An assessor of a service that a trip to care is not: it refuses `care_purposes`."""

    def __call__(
        self, request: AssessmentRequest, book: Rulebook, *, care_purposes: frozenset[str]
    ) -> Decision: ...


# Färdtjänst and riksfärdtjänst do not pay for what the region pays as a sjukresa.
PAID_BY_ANOTHER_WHEN_CARE: dict[Service, CareAwareAssessor] = {
    Service.FARDTJANST: fardtjanst.assess,
    Service.RIKSFARDTJANST: transit.assess_riksfardtjanst,
}


def care_purposes(rulebooks: RulebookSet, region: str, day: date) -> frozenset[str]:
    """The purposes region `region` reimburses as sjukresor on `day`, from its rulebook
    (none where the region has no rulebook here or none in force)."""
    book = rulebooks.find(region, Service.SJUKRESA)
    if book is None or book.versions[0].valid_from > day:
        return frozenset()
    _, version = book.version_on(day)
    if not isinstance(version, SjukresaVersion):  # pragma: no cover - loader guarantees it
        return frozenset()
    return frozenset(version.purposes.reimbursed)


def county_fare(rulebooks: RulebookSet, county: str, day: date) -> DistanceBands | None:
    """The county transport authority's ordinary single fare by distance on `day` (the fare
    table of its booked lines or närtrafik, RKM-22 or RKM-23), if it has one here."""
    for service in (Service.ANROPSSTYRD_LINJETRAFIK, Service.NARTRAFIK):
        book = rulebooks.find(f"RKM-{county}", service)
        if book is None or book.versions[0].valid_from > day:
            continue
        _, version = book.version_on(day)
        fare = getattr(version, "fare", None)
        if isinstance(fare, DistanceBands):
            return fare
    return None


def _with_bus_fares(request: AssessmentRequest, rulebooks: RulebookSet) -> AssessmentRequest:
    """Legs without a bus fare get the county's ordinary fare for their distance, where a
    rule prices or refunds by it.

    A municipality's färdtjänst fee may be a multiple of the bus fare for the same trip
    (Örnsköldsvik 1.5 x), and a region may refund the ticket of a sjukresa by public
    transport in full (Västernorrland); a booking knows neither fare, and without it every
    such färdtjänst trip waited for an assessor and every refund was 0. The fare is the one
    in force on the leg's own day and becomes a fact of the leg, so the input hash and the
    reason that uses it carry it."""
    trip = request.trip
    missing = [i for i, leg in enumerate(trip.legs) if leg.bus_fare_ore is None]
    if not missing or not _prices_by_fare(rulebooks, trip):
        return request
    legs = list(trip.legs)
    for i in missing:
        fare = county_fare(rulebooks, trip.principal[:2], legs[i].local_day)
        if fare is not None:
            legs[i] = dataclasses.replace(
                legs[i], bus_fare_ore=_fare_for(fare, legs[i].distance_km)
            )
    trip = dataclasses.replace(trip, legs=tuple(legs))
    return dataclasses.replace(request, trip=trip)


def _prices_by_fare(rulebooks: RulebookSet, trip: Trip) -> bool:
    """Färdtjänst may price by the bus fare; a sjukresa needs it where the version in force
    refunds the ticket of some mode."""
    if trip.service is Service.FARDTJANST:
        return True
    if trip.service is not Service.SJUKRESA:
        return False
    book = rulebooks.find(trip.principal, Service.SJUKRESA)
    if book is None or book.versions[0].valid_from > trip.day:
        return False
    _, version = book.version_on(trip.day)
    return isinstance(version, SjukresaVersion) and any(m.refund_ticket for m in version.modes)


def _fare_for(fare: DistanceBands, km: Decimal) -> int | None:
    found = band_fee(fare, km)
    return None if found is None else found[1]


class PublicTransportTimes(Protocol):
    """Supplies when the cheapest mode would leave home and come back (for accommodation)."""

    def times(self, trip: Trip) -> tuple[time | None, time | None]: ...


class GivenTimes:
    """The default: the times written on the trip itself."""

    def times(self, trip: Trip) -> tuple[time | None, time | None]:
        return trip.public_transport_departure, trip.public_transport_return


def _rulebook(rulebooks: RulebookSet, trip: Trip) -> Rulebook:
    if trip.service is Service.RIKSFARDTJANST:
        own = rulebooks.find(trip.principal, trip.service)
        return own if own is not None else rulebooks.get(NATIONAL, trip.service)
    return rulebooks.get(trip.principal, trip.service)


def assess(
    request: AssessmentRequest,
    rulebooks: RulebookSet,
    *,
    timetable: PublicTransportTimes | None = None,
    public_transport: PublicTransportCheck | None = None,
) -> Decision:
    """Assess one trip under the paying principal's rulebook.

    `public_transport` checks the legs against a timetable within the rulebook's limits
    before the rules run; its answer becomes a fact of the trip (and of the input hash).
    Raises RuleError when no rulebook or version applies, InputError when a fact the rule
    needs is missing (the message names the field).
    """
    trip = request.trip
    if timetable is not None:
        departure, home = timetable.times(trip)
        trip = dataclasses.replace(
            trip, public_transport_departure=departure, public_transport_return=home
        )
        request = dataclasses.replace(request, trip=trip)
    if trip.service not in _ASSESSORS:
        raise RuleError(
            f"service {trip.service.value} has no assessment rules yet",
            field="trip.service",
        )
    book = _rulebook(rulebooks, trip)
    parts = version_split.split(request, book)
    if len(parts) == 1:
        request, decision = _assess_part(request, rulebooks, book, public_transport)
    else:
        done: list[tuple[version_split.Part, Decision]] = []
        for part in parts:
            if done:
                part = version_split.carry(part, done[-1][1])
            try:
                asked, decision = _assess_part(part.request, rulebooks, book, public_transport)
            except InputError as error:
                raise version_split.renumbered(error, part.first) from error
            done.append((dataclasses.replace(part, request=asked), decision))
        decision = version_split.join(request, book, done)
        request = version_split.joined_request(request, [part for part, _ in done])
    return dataclasses.replace(
        decision,
        input_summary=input_summary(request),
        input_hash=input_hash(request, decision.rulebooks),
    )


def _assess_part(
    request: AssessmentRequest,
    rulebooks: RulebookSet,
    book: Rulebook,
    public_transport: PublicTransportCheck | None,
) -> tuple[AssessmentRequest, Decision]:
    """Legs under one rulebook version: the request with the facts the engine adds (the
    public-transport check, bus fares) and the service's decision on it."""
    if public_transport is not None:
        request = _checked(request, rulebooks, public_transport)
    request = _with_bus_fares(request, rulebooks)
    trip = request.trip
    if trip.service in PAID_BY_ANOTHER_WHEN_CARE:
        purposes = care_purposes(rulebooks, request.traveller.county, trip.day)
        return request, PAID_BY_ANOTHER_WHEN_CARE[trip.service](
            request, book, care_purposes=purposes
        )
    return request, _ASSESSORS[trip.service](request, book)


def _checked(
    request: AssessmentRequest, rulebooks: RulebookSet, check: PublicTransportCheck
) -> AssessmentRequest:
    """The request with the public-transport check of its legs, when the rulebook in force
    sets limits, the trip has none yet and public transport fits the traveller's needs."""
    trip = request.trip
    if trip.public_transport is not None or not transit_rules.applies(trip):
        return request
    if not trip.needs.fits(Mode.PUBLIC_TRANSPORT):
        return request
    _, version = _rulebook(rulebooks, trip).version_on(trip.day)
    if not isinstance(version, SjukresaVersion) or version.public_transport is None:
        return request
    legs = check.check(trip, version.public_transport)
    if legs is None:
        return request
    outward = next((leg for leg in legs if leg.direction == "outward"), None)
    back = next((leg for leg in legs if leg.direction == "return"), None)
    trip = dataclasses.replace(
        trip,
        public_transport=legs,
        public_transport_departure=trip.public_transport_departure
        or (outward.leave if outward is not None else None),
        public_transport_return=trip.public_transport_return
        or (back.arrive if back is not None else None),
    )
    return dataclasses.replace(request, trip=trip)


def input_summary(request: AssessmentRequest) -> str:
    """One line a person can read to recognise the request a decision answers."""
    trip, traveller = request.trip, request.traveller
    km = sum((leg.distance_km for leg in trip.legs), Decimal(0))
    return (
        f"{trip.service.value} paid by {trip.principal} on {trip.day}: {len(trip.legs)} leg(s), "
        f"{km} km, purpose {trip.purpose or '-'}, mode {trip.requested_mode or 'cheapest'}, "
        f"traveller aged {traveller.age} from {traveller.municipality}, "
        f"{len(trip.companions)} companion(s)"
    )


def _plain(value: object) -> object:
    """A JSON-ready, order-stable form of the facts; instants are normalised to UTC.
    Cheap cases first: this walk is most of the cost of an assessment."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int):
        return value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time | Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot hash a {type(value).__name__} fact")


def input_hash(request: AssessmentRequest, rulebooks: tuple[RulebookRef, ...]) -> str:
    """SHA-256 of the request and the rulebook versions used, as canonical JSON."""
    payload = {
        "request": _plain(request),
        "rulebooks": [[ref.file, str(ref.valid_from)] for ref in rulebooks],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
