"""Turning requested legs into stored legs: resolving places, checking they make sense."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from samfard.booking.models import Leg
from samfard.booking.schemas import LegCreate, Location
from samfard.errors import InputError
from samfard.geo.distance import km_between
from samfard.geo.places import get_place
from samfard.travellers.models import Traveller

SAME_SPOT_METRES = 50.0


@dataclass(frozen=True)
class Spot:
    place_id: int | None
    address: str
    lat: float
    lon: float
    kind: str  # place kind, or "home" / "address"


def resolve(session: Session, location: Location, traveller: Traveller, *, field: str) -> Spot:
    if location.place_id is not None:
        place = get_place(session=session, place_id=location.place_id, field=f"{field}.place_id")
        return Spot(
            place.id, f"{place.name}, {place.municipality}", place.lat, place.lon, place.kind
        )
    if location.home:
        return Spot(
            None, f"{traveller.street}, {traveller.city}", traveller.lat, traveller.lon, "home"
        )
    assert location.address is not None and location.lat is not None and location.lon is not None
    return Spot(None, location.address, location.lat, location.lon, "address")


def metres_between(a: Spot, b: Spot) -> float:
    return 1000 * km_between(a.lat, a.lon, b.lat, b.lon)


@dataclass(frozen=True)
class PlannedLeg:
    """A validated leg, ready to store."""

    origin: Spot
    destination: Spot
    pickup_at: datetime | None
    appointment_at: datetime | None
    return_of: int | None

    @property
    def anchor(self) -> datetime:
        anchor = self.pickup_at or self.appointment_at
        assert anchor is not None
        return anchor

    def to_row(self, seq: int) -> Leg:
        return Leg(
            seq=seq,
            direction="return" if self.return_of is not None else "outward",
            return_of_seq=self.return_of,
            origin_place_id=self.origin.place_id,
            origin_address=self.origin.address,
            origin_lat=self.origin.lat,
            origin_lon=self.origin.lon,
            destination_place_id=self.destination.place_id,
            destination_address=self.destination.address,
            destination_lat=self.destination.lat,
            destination_lon=self.destination.lon,
            requested_pickup_at=self.pickup_at,
            appointment_at=self.appointment_at,
        )


def plan_legs(
    session: Session, legs: list[LegCreate], traveller: Traveller, *, now: datetime
) -> list[PlannedLeg]:
    """Resolve and check every leg; the first problem found is reported with its field."""
    planned: list[PlannedLeg] = []
    for index, leg in enumerate(legs):
        field = f"legs[{index}]"
        origin = resolve(session, leg.origin, traveller, field=f"{field}.origin")
        destination = resolve(session, leg.destination, traveller, field=f"{field}.destination")
        candidate = PlannedLeg(
            origin, destination, leg.pickup_at, leg.appointment_at, leg.return_of
        )
        planned.append(check_leg(candidate, index=index, now=now, earlier=planned))
    return planned


def check_leg(
    leg: PlannedLeg, *, index: int, now: datetime, earlier: list[PlannedLeg]
) -> PlannedLeg:
    field = f"legs[{index}]"
    if metres_between(leg.origin, leg.destination) < SAME_SPOT_METRES:
        raise InputError(
            f"leg {index} starts where it ends ({leg.origin.address}); choose another destination",
            field=f"{field}.destination",
        )
    if leg.pickup_at is None and leg.appointment_at is None:
        raise InputError(
            f"leg {index} needs a pickup time or an appointment time", field=f"{field}.pickup_at"
        )
    if (
        leg.pickup_at is not None
        and leg.appointment_at is not None
        and leg.appointment_at <= leg.pickup_at
    ):
        raise InputError(
            f"leg {index}: the appointment {leg.appointment_at.isoformat()} is not after the "
            f"pickup {leg.pickup_at.isoformat()}",
            field=f"{field}.appointment_at",
        )
    if leg.anchor <= now:
        raise InputError(
            f"leg {index} is in the past ({leg.anchor.isoformat()}); book a future time",
            field=f"{field}.pickup_at" if leg.pickup_at else f"{field}.appointment_at",
        )
    if leg.return_of is not None and leg.return_of >= index:
        raise InputError(
            f"leg {index} returns from leg {leg.return_of}, which must come before it",
            field=f"{field}.return_of",
        )
    if leg.return_of is not None and leg.anchor <= earlier[leg.return_of].anchor:
        raise InputError(
            f"leg {index} returns before its outward leg {leg.return_of} has started",
            field=f"{field}.pickup_at",
        )
    return leg
