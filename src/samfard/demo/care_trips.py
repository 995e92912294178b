"""The care units' own bookings in the demo year, booked and settled so the follow-up per
unit (/enheter) has settled cost to show.

The follow-up ties a settled trip to a unit only through its booking: `settled_trip.
booking_id` -> `booking.care_unit`, which the booking service sets when care staff book
(vårdenhetens bokning). The invented history (demo.history) has no bookings, so it cannot
honestly be credited to any unit. Instead a certified nurse books the trip a vehicle
certificate is for through `booking.service.create_booking` at the moment of issue (so the
booking carries her unit and the assessment checks the certificate), and once the visit has
passed each leg is settled as history settles a run driven alone (`history.settle_alone`:
the stored contracts, `settle_run`, `settled_rows`), tied to the booking and leg. Planning
a year of past days with the engine would cost minutes; the history's stand-in geometry
(road km from the great-circle distance) is the same one the reports already rest on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.assessment import service as assessment
from samfard.booking import service as booking_service
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.schemas import BookingCreate, LegCreate, Location, Need
from samfard.costs import contracts as pricing_contracts
from samfard.costs.contracts import Contract, VehicleType
from samfard.costs.pricing import TripFacts
from samfard.demo.history import BOARDING, settle_alone
from samfard.geo.distance import km_between
from samfard.geo.models import Place
from samfard.timeutil import local
from samfard.travellers.models import Traveller

VEHICLES = {
    "taxi": (VehicleType.TAXI, []),
    "wheelchair_vehicle": (VehicleType.WHEELCHAIR, [Need.WHEELCHAIR]),
    "stretcher_vehicle": (VehicleType.STRETCHER, [Need.STRETCHER]),
}
ROAD_FACTOR = Decimal("1.45")  # road km per great-circle km (geo.traveltime)


def book_and_settle(
    *,
    traveller: Traveller,
    nurse: Actor,
    mode: str,
    place: Place,
    visit: date,
    with_return: bool,
    booked_at: datetime,
    contracts: Sequence[Contract],
    rng: random.Random,
    settle_before: date,
    principal: str,
    purpose: str,
    session: Session,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Book the visit's trip as the nurse and settle its legs, for a visit before
    `settle_before` (the demo day, whose bookings the day's own generator makes; the
    year stays in the past); nothing for public transport, which the region does not book."""
    if mode not in VEHICLES or visit >= settle_before:
        return [], []
    vehicle, needs = VEHICLES[mode]
    appointment = local(visit, time(rng.randint(9, 13), rng.choice((0, 30))))
    legs = [
        LegCreate(
            origin=Location(home=True),
            destination=Location(place_id=place.id),
            appointment_at=appointment,
        )
    ]
    if with_return:
        legs.append(
            LegCreate(
                origin=Location(place_id=place.id),
                destination=Location(home=True),
                pickup_at=appointment + timedelta(hours=2),
                return_of=0,
            )
        )
    # The certificate was just added by id, not through this patient's loaded collection;
    # a request has a session of its own, the demo one long session, so reload it.
    session.expire(traveller, ["certificates"])
    booking, _ = booking_service.create_booking(
        session=session,
        actor=nurse,
        now=booked_at,
        data=BookingCreate(
            traveller_id=traveller.id,
            service="sjukresa",
            principal=principal,
            legs=legs,
            needs=needs,
            purpose=purpose,
        ),
    )
    if booking.status == BookingStatus.REQUESTED.value:
        # The rules left it to an assessor (a taxi needs a decision in Jämtland): the
        # region's assessor approves it through the assessor's own action, as in the demo day.
        booking = assessment.decide(
            session=session,
            booking_id=booking.id,
            action="approve",
            reason="demo: the assessor approves the care unit's booking",
            mode=None,
            version=None,
            actor=Actor(
                user_id=None,
                username="demo-assessor",
                role=Role.ASSESSOR,
                principal_codes=frozenset({principal}),
            ),
            now=booked_at + timedelta(minutes=20),
        )
    if booking.status != BookingStatus.APPROVED.value:
        return [], []
    km = (
        Decimal(str(round(km_between(traveller.lat, traveller.lon, place.lat, place.lon), 1)))
        * ROAD_FACTOR
    )
    minutes = (km * 60 / 55 + 4).quantize(Decimal("0.01"))
    runs: list[dict[str, Any]] = []
    trips: list[dict[str, Any]] = []
    for leg in sorted(booking.legs, key=lambda leg: leg.seq):
        pickup = leg.requested_pickup_at or appointment - timedelta(minutes=float(minutes) + 10)
        facts = TripFacts(
            trip_id=f"b{booking.id}.{leg.seq}",
            principal=principal,
            service="sjukresa",
            pickup_at=pickup,
            direct_km=km.quantize(Decimal("0.1")),
            direct_minutes=minutes,
            boarding_minutes=BOARDING[vehicle],
            needs=frozenset(pricing_contracts.Need(n.value) for n in needs),
        )
        done = settle_alone(
            contracts,
            facts,
            vehicle,
            county=principal,
            leg=(booking.id, leg.seq),
            rng=rng,
            now=booked_at,
        )
        if done is not None:
            runs.append(done[0])
            trips += done[1]
    return runs, trips
