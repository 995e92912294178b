"""Turning requested legs into stored legs: resolving places, checking they make sense."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.booking.models import Leg
from samfard.booking.schemas import LegCreate, LegTime, Location
from samfard.dates_sv import date_sv
from samfard.errors import InputError
from samfard.geo.distance import km_between
from samfard.geo.models import Place
from samfard.geo.places import get_place, search_key
from samfard.geo.traveltime import ROAD_MODEL, Point
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller

SAME_SPOT_METRES = 50.0
# How near a point must be to a gazetteer place's to be taken as placed there (a home or
# address copied from the place's coordinates): a tenth of a metre, for the floats' sake.
PLACED_DEGREES = 1e-6
SHORTEST_DRIVE_SHARE = 0.84
"""The share of the geodesic model's drive time a drive is taken to need at least.

The model's largest error against known roads is under 16 % (docs/travel-times.md), so a
return refused with this share could not have been reached even on the straightest road
the model was calibrated on, whichever travel times planning uses (the model or OSRM).
Planning still leaves out a return its own times cannot reach (dispatch.leg_order).
"""


@dataclass(frozen=True)
class Spot:
    """One end of a leg. `placed_at` names the gazetteer place whose point the end has: a
    gazetteer place's own (approximate, places.csv: within about 2 km), or a town's for a
    home or address without coordinates of its own. None: a point of its own, or not
    looked up (`placed`), which the same-place check takes as the stricter case."""

    place_id: int | None
    address: str
    lat: float
    lon: float
    kind: str  # place kind, or "home" / "address"
    placed_at: str | None = None

    @property
    def approximate(self) -> bool:
        """The point stands for a place, not for this address: a gazetteer point."""
        return self.place_id is not None or self.placed_at is not None


def resolve(
    session: Session, location: Location, traveller: Traveller | None, *, field: str
) -> Spot:
    """One end as a spot. `traveller` is whose home `home` means: a trip's traveller, or the
    recipient of goods (None only where the schema allows no home)."""
    if location.place_id is not None:
        place = get_place(session=session, place_id=location.place_id, field=f"{field}.place_id")
        return Spot(
            place.id,
            f"{place.name}, {place.municipality}",
            place.lat,
            place.lon,
            place.kind,
            place.name,
        )
    if location.home:
        assert traveller is not None  # the schemas ask for a traveller with home
        return Spot(
            None, f"{traveller.street}, {traveller.city}", traveller.lat, traveller.lon, "home"
        )
    assert location.address is not None and location.lat is not None and location.lon is not None
    return Spot(None, location.address, location.lat, location.lon, "address")


def placed(session: Session, spot: Spot) -> Spot:
    """The spot with the gazetteer place whose point it has, if any (`Spot.placed_at`)."""
    if spot.placed_at is not None:
        return spot
    place = session.scalars(
        select(Place)
        .where(
            Place.lat.between(spot.lat - PLACED_DEGREES, spot.lat + PLACED_DEGREES),
            Place.lon.between(spot.lon - PLACED_DEGREES, spot.lon + PLACED_DEGREES),
        )
        .order_by(Place.population.desc(), Place.id)
        .limit(1)
    ).first()
    return spot if place is None else replace(spot, placed_at=place.name)


def resolve_ends(
    session: Session,
    origin: Location,
    destination: Location,
    traveller: Traveller | None,
    *,
    fields: tuple[str, str],
) -> tuple[Spot, Spot]:
    """A leg's two ends resolved (`resolve`; `fields` names each end in an error); where
    they lie on one point, each with the gazetteer place whose point it has, so the
    same-place check can tell two streets of a town, both placed at the town, from one
    place (`same_place`). Goods use it too, their ends being a consignment's."""
    ends = (
        resolve(session, origin, traveller, field=fields[0]),
        resolve(session, destination, traveller, field=fields[1]),
    )
    if metres_between(*ends) >= SAME_SPOT_METRES:
        return ends
    return placed(session, ends[0]), placed(session, ends[1])


def same_place(a: Spot, b: Spot) -> bool:
    """Whether a leg's ends are one place: the same gazetteer place, the home twice, the same
    address written twice, or two ends within SAME_SPOT_METRES of which one at least has a
    point of its own (typed coordinates: the caller said where it is).

    Two ends each only placed at a gazetteer point (`Spot.approximate`) are not one place
    for sharing it: the gazetteer has no street index, so "Storgatan 12, Östersund" and
    "Kyrkgatan 20, Östersund" both lie at Östersund's point, and two gazetteer places
    (a hospital and its dialysis unit) may lie 30 m apart on points good to 2 km."""
    if a.place_id is not None and a.place_id == b.place_id:
        return True
    if a.kind == "home" and b.kind == "home":
        return True
    if _written(a.address) == _written(b.address):
        return True
    if a.approximate and b.approximate:
        return False
    return metres_between(a, b) < SAME_SPOT_METRES


def _written(address: str) -> str:
    """An address as written, whatever its case, accents, spaces and commas."""
    return " ".join(search_key(address).replace(",", " ").split())


def metres_between(a: Spot, b: Spot) -> float:
    return 1000 * km_between(a.lat, a.lon, b.lat, b.lon)


def model_drive_seconds(origin: Spot, destination: Spot) -> float:
    """The direct drive by the planner's default travel times (the geodesic model)."""
    road_m = ROAD_MODEL.road_m(
        Point(origin.lat, origin.lon), Point(destination.lat, destination.lon)
    )
    return ROAD_MODEL.seconds_for(road_m)


def shortest_drive(origin: Spot, destination: Spot) -> timedelta:
    """The least time the drive can take, to the next whole minute (SHORTEST_DRIVE_SHARE)."""
    seconds = model_drive_seconds(origin, destination) * SHORTEST_DRIVE_SHARE
    return timedelta(minutes=math.ceil(seconds / 60))


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
        origin, destination = resolve_ends(
            session,
            leg.origin,
            leg.destination,
            traveller,
            fields=(f"legs[{index}].origin", f"legs[{index}].destination"),
        )
        candidate = PlannedLeg(
            origin, destination, leg.pickup_at, leg.appointment_at, leg.return_of
        )
        planned.append(
            check_leg(
                candidate,
                index=index,
                now=now,
                earlier=planned,
                protected_home=traveller.protected_identity,
            )
        )
    return planned


def check_leg(
    leg: PlannedLeg,
    *,
    index: int,
    now: datetime,
    earlier: list[PlannedLeg],
    protected_home: bool,
) -> PlannedLeg:
    """The leg, or an InputError naming the field to fix: its ends (`check_ends`), then its
    times (`check_times`)."""
    check_ends(leg, index=index, protected_home=protected_home)
    return check_times(leg, index=index, now=now, earlier=earlier, protected_home=protected_home)


def check_ends(leg: PlannedLeg, *, index: int, protected_home: bool) -> None:
    """Refuse a leg that starts where it ends (`same_place`).

    With a `protected_home` (skyddad identitet), no check measures the home against a
    place the caller picked: each answer would tell how far the home is from it, and a
    few would locate it. A trip to the home's neighbour is then taken as any short trip,
    and a return is not checked against the outward's drive; the planner still plans
    both as they are."""
    silent = protected_home and measures_home(leg.origin, leg.destination)
    if not silent and same_place(leg.origin, leg.destination):
        # Not the resolved address: for a traveller's home it may be a protected one.
        raise InputError(
            f"leg {index} starts where it ends; choose another destination",
            field=f"legs[{index}].destination",
        )


def check_times(
    leg: PlannedLeg,
    *,
    index: int,
    now: datetime,
    earlier: list[PlannedLeg],
    protected_home: bool,
) -> PlannedLeg:
    """The leg, or an InputError naming the time to fix: one of them given, an appointment
    after its pickup, not in the past, a return after its outward (and, but for a
    protected home measured against a chosen place, after the outward can arrive)."""
    field = f"legs[{index}]"
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
    outward = earlier[leg.return_of] if leg.return_of is not None else None
    if (
        outward is not None
        and leg.pickup_at is not None
        and not (protected_home and measures_home(outward.origin, outward.destination))
    ):
        _check_return_after_arrival(leg, outward, index=index)
    return leg


def measures_home(origin: Spot, destination: Spot) -> bool:
    """One end is the home and the other a place the caller chose: what no answer may
    measure for a protected home (home to home says nothing of where the home is)."""
    return (origin.kind == "home") != (destination.kind == "home")


def _check_return_after_arrival(leg: PlannedLeg, outward: PlannedLeg, *, index: int) -> None:
    """A return picked up before the outward leg can arrive would need the traveller in
    two places at once; the operator on the phone is told the earliest time to offer."""
    if outward.pickup_at is None or leg.pickup_at is None:
        return  # an outward to an appointment arrives before it; the return is after it
    arrival = outward.pickup_at + shortest_drive(outward.origin, outward.destination)
    if leg.pickup_at < arrival:
        local = arrival.astimezone(STOCKHOLM)
        km = metres_between(outward.origin, outward.destination) / 1000
        raise InputError(
            f"leg {index} is picked up before its outward leg {leg.return_of} can arrive: "
            f"{km:.0f} km as the crow flies takes until {local:%H:%M} at the earliest; "
            f"book the return at {local:%H:%M} or later",
            field=f"legs[{index}].pickup_at",
        )


@dataclass(frozen=True)
class Retimed:
    """A leg's new time, checked: the request's field that gave it, and both times."""

    seq: int
    field: str  # the request's field: legs[0].pickup_at
    pickup_at: datetime | None
    appointment_at: datetime | None


def retime(
    stored: list[Leg], times: list[LegTime], traveller: Traveller, *, now: datetime
) -> list[Retimed]:
    """New times for stored legs, checked as a new booking's are (`check_times`: not in the
    past, an appointment after its pickup, a return after its outward) and on the day each
    leg travels; an InputError names the request's field (`legs[0].pickup_at`). The places
    are not checked again: they were when the trip was booked, and a new time moves none.

    The time sent replaces the one the leg is timed by: a pickup sent to a leg timed by its
    appointment times it by the pickup (and the other way round); a leg with both keeps
    the one not sent."""
    by_seq = {leg.seq: leg for leg in stored}
    asked: dict[int, Retimed] = {}
    for index, new in enumerate(times):
        name = f"legs[{index}]"
        leg = by_seq.get(new.seq)
        if leg is None:
            raise InputError(
                f"the booking has no leg {new.seq}: its legs are 0 to {len(stored) - 1}",
                field=f"{name}.seq",
            )
        if new.seq in asked:
            raise InputError(f"leg {new.seq} is given twice; give each leg once", field=name)
        if (new.pickup_at is None) == (new.appointment_at is None):
            raise InputError(
                f"leg {new.seq}: give the new pickup_at or the new appointment_at, one of them",
                field=f"{name}.pickup_at" if new.pickup_at is None else f"{name}.appointment_at",
            )
        field = f"{name}.pickup_at" if new.pickup_at is not None else f"{name}.appointment_at"
        moment = new.pickup_at or new.appointment_at
        assert moment is not None
        _check_same_day(leg, moment, field=field)
        if new.pickup_at is not None:
            kept = leg.appointment_at if leg.requested_pickup_at is not None else None
            asked[new.seq] = Retimed(new.seq, field, new.pickup_at, kept)
        else:
            kept = leg.requested_pickup_at if leg.appointment_at is not None else None
            asked[new.seq] = Retimed(new.seq, field, kept, new.appointment_at)
    checked: list[PlannedLeg] = []
    for leg in sorted(stored, key=lambda leg: leg.seq):
        new_time = asked.get(leg.seq)
        candidate = PlannedLeg(
            stored_spot(leg, "origin", traveller),
            stored_spot(leg, "destination", traveller),
            new_time.pickup_at if new_time else leg.requested_pickup_at,
            new_time.appointment_at if new_time else leg.appointment_at,
            leg.return_of_seq,
        )
        outward = asked.get(leg.return_of_seq) if leg.return_of_seq is not None else None
        blamed = new_time or outward  # a return checked again after its outward moved
        if blamed is not None:
            try:
                check_times(
                    candidate,
                    index=leg.seq,
                    now=now,
                    earlier=checked,
                    protected_home=traveller.protected_identity,
                )
            except InputError as error:
                moved = InputError(error.message, field=blamed.field)
                moved.detail_sv = error.detail_sv
                raise moved from error
        checked.append(candidate)
    return [asked[seq] for seq in sorted(asked)]


def _check_same_day(leg: Leg, moment: datetime, *, field: str) -> None:
    """A new time falls on the day the leg travels: another day is another trip."""
    day = leg.reference_time.astimezone(STOCKHOLM).date()
    local = moment.astimezone(STOCKHOLM)
    if local.date() != day:
        refused = InputError(
            f"leg {leg.seq} travels on {day}; the new time {local:%Y-%m-%d %H:%M} is on "
            "another day: cancel this booking and book the new day",
            field=field,
        )
        refused.detail_sv = (
            f"Den nya tiden är en annan dag ({date_sv(local, 'long')}) än resans "
            f"({date_sv(day, 'long')}): "
            "avbeställ resan och boka den nya dagen."
        )
        raise refused


def stored_spot(leg: Leg, end: str, traveller: Traveller) -> Spot:
    """A stored leg's origin or destination as `resolve` made it: a gazetteer place, the
    traveller's home (no place, at the home), or an address."""
    place_id: int | None = getattr(leg, f"{end}_place_id")
    address: str = getattr(leg, f"{end}_address")
    lat: float = getattr(leg, f"{end}_lat")
    lon: float = getattr(leg, f"{end}_lon")
    if place_id is not None:
        return Spot(place_id, address, lat, lon, "place")
    spot = Spot(None, address, lat, lon, "address")
    home = Spot(None, "", traveller.lat, traveller.lon, "home")
    at_home = metres_between(spot, home) < SAME_SPOT_METRES
    return Spot(None, address, lat, lon, "home") if at_home else spot
