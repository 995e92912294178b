"""Public transport first: a costlier mode only when the patient cannot go by bus or train.

Two parts. `GtfsCheck` asks the journey planner (samfard.geo.gtfs) about each leg of a
trip within the rulebook's limits and returns plain facts (TransitLeg); the engine puts
them on the Trip before the rules run, so a decision is reproducible from its input.
`choose` is the rule: when the traveller asks for a costlier mode than public transport,
public transport is chosen unless a certificate, a standing decision or a färdtjänst
permit says the patient cannot travel by it, or the check found no journey within the
limits for some leg. Either way the decision says why, citing the journey.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Protocol

from samfard.geo.gtfs.check import LegQuery, Limits, Planner
from samfard.geo.gtfs.store import configured_planner
from samfard.geo.traveltime import ROAD_MODEL, Point
from samfard.rules.decision import Draft
from samfard.rules.facts import AssessmentRequest, Leg, Mode, Service, TransitLeg, Trip
from samfard.rules.schema import PublicTransport, SjukresaVersion
from samfard.timeutil import STOCKHOLM

KEY = "public_transport"


class PublicTransportCheck(Protocol):
    """Checks each leg of a trip against a timetable within a rulebook's limits."""

    def check(self, trip: Trip, rule: PublicTransport) -> tuple[TransitLeg, ...] | None: ...


@dataclass(frozen=True)
class GtfsCheck:
    """The check on a GTFS feed (samfard.geo.gtfs); None for a trip whose legs lack
    positions (then nothing was checked)."""

    planner: Planner

    def check(self, trip: Trip, rule: PublicTransport) -> tuple[TransitLeg, ...] | None:
        limits = Limits(
            max_transfers=rule.max_transfers,
            max_walk_m=rule.max_walk_m,
            max_time_ratio=rule.max_travel_time_ratio,
            ratio_floor_min=rule.ratio_floor_min,
            arrive_before_min=rule.arrive_before_min,
            max_wait_min=rule.max_wait_min,
        )
        if any(leg.origin_point is None or leg.destination_point is None for leg in trip.legs):
            return None
        return tuple(self._leg(leg, limits) for leg in trip.legs)

    def _leg(self, leg: Leg, limits: Limits) -> TransitLeg:
        assert leg.origin_point is not None and leg.destination_point is not None
        local = leg.depart_at.astimezone(STOCKHOLM)
        origin, destination = Point(*leg.origin_point), Point(*leg.destination_point)
        car_s = ROAD_MODEL.seconds_for(
            ROAD_MODEL.road_m(Point(*leg.origin_point), Point(*leg.destination_point))
        )
        answer = self.planner.answer(
            LegQuery(
                direction=leg.direction,
                origin=origin,
                destination=destination,
                day=local.date(),
                at_s=local.hour * 3600 + local.minute * 60 + local.second,
                arrive_by=leg.arrive_by,
                car_s=round(car_s),
            ),
            limits,
        )
        journey = answer.journey
        return TransitLeg(
            direction=leg.direction,
            possible=journey is not None,
            summary=None if journey is None else journey.summary(),
            text=answer.text,
            leave=None if journey is None else _time(journey.leave_s),
            arrive=None if journey is None else _time(journey.arrive_s),
        )


def configured_check() -> GtfsCheck | None:
    """The check on the configured feed (SAMFARD_GTFS, else the demo feed); None when
    SAMFARD_GTFS=off: then nothing is checked and the authorisation decides alone."""
    planner = configured_planner()
    return None if planner is None else GtfsCheck(planner)


def _time(seconds: int) -> time:
    """A service-day time as a clock time (a journey past midnight wraps)."""
    seconds %= 24 * 3600
    return time(seconds // 3600, seconds % 3600 // 60)


def applies(trip: Trip) -> bool:
    return trip.service is Service.SJUKRESA


def _exemption(request: AssessmentRequest, mode: Mode) -> str | None:
    """What says the patient cannot travel by public transport, if anything does."""
    trip, traveller = request.trip, request.traveller
    days = [leg.local_day for leg in trip.legs]
    for cert in traveller.certificates:
        if mode in cert.modes and all(cert.valid_from <= d <= cert.valid_until for d in days):
            return f"a certificate from {cert.issuer_unit} for {mode.value}"
    for decision in traveller.decisions:
        if decision.mode is mode and all(decision.valid_on(d) for d in days):
            return f"a standing decision of the central travel service for {mode.value}"
    for permit in traveller.permits:
        if permit.service is Service.FARDTJANST and all(permit.valid_on(d) for d in days):
            return f"a färdtjänst permit from {permit.municipality}"
    return None


def _text(legs: list[TransitLeg] | tuple[TransitLeg, ...], direction: str) -> str:
    """The check's words for the leg in `direction`, kept as a fact of the reason so a page
    can show each leg ("" when the trip has no such leg here)."""
    return "; ".join(leg.text for leg in legs if leg.direction == direction)


def choose(d: Draft, version: SjukresaVersion, request: AssessmentRequest, asked: Mode) -> Mode:
    """Public transport instead of `asked` when the patient can and may go by it.

    Called only when public transport is allowed and fits the needs, and `asked` costs
    more. Returns the mode to assess, having said why in the Draft.
    """
    rule = version.public_transport
    legs = request.trip.public_transport
    key, source = (KEY, rule.source) if rule is not None else ("modes", version.source)
    exempt = _exemption(request, asked)
    if exempt is not None:
        d.add(
            "public_transport.exempt",
            f"{asked.value}: {exempt} says the patient cannot travel by public transport",
            key=key,
            source=source,
        )
        return asked
    if rule is None or legs is None:
        d.add(
            "public_transport.unchecked",
            f"{asked.value} asked for; public transport was not checked against a timetable "
            "(no limits in the rulebook, or no timetable or positions): the authorisation "
            "decides",
            key=key,
            source=source,
        )
        return asked
    impossible = [leg for leg in legs if not leg.possible]
    if impossible:
        d.add(
            "public_transport.not_possible",
            "no public-transport journey within the rules: "
            + "; ".join(f"{leg.direction}: {leg.text}" for leg in impossible),
            key=KEY,
            source=rule.source,
            outward=_text(impossible, "outward"),
            homeward=_text(impossible, "return"),
        )
        return asked
    d.add(
        "public_transport.possible",
        "public transport reaches the appointment and brings the patient back: "
        + "; ".join(f"{leg.direction} {leg.summary}" for leg in legs)
        + f"; {asked.value} is paid only when the patient cannot travel by public transport",
        key=KEY,
        source=rule.source,
        outward=_text(legs, "outward"),
        homeward=_text(legs, "return"),
    )
    return Mode.PUBLIC_TRANSPORT
