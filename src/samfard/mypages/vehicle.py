"""Follow the vehicle on the day: where the traveller's own vehicle is, when it is
expected against the promised window, and how far the trip has come.

Read only from what the live day already stores: the newest plan's stop of the
traveller's leg (its `planned_at` is the forecast the delay handler writes,
docs/live-day.md), the vehicle's newest position report, and the driver's reports on the
traveller's own legs. The traveller learns nothing of anyone else: not who else rides,
not the other stops, and the vehicle's position only as the nearest place in the
gazetteer's localities (an ort, never an address nor a clinic), so a position at another
traveller's door or dialysis unit names neither. The booking is read through the booking
use case with the traveller's actor, so scope and audit are the API's: another
traveller's trip is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.models import Booking, Leg
from samfard.booking.service import get_booking
from samfard.dispatch import store
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.models import Run, Stop
from samfard.geo.distance import km_between
from samfard.geo.models import Place, PlaceKind
from samfard.timeutil import STOCKHOLM

FOLLOWED = frozenset({"assigned", "in_progress"})

# The trip's state in the traveller's words, from the driver's reports on their leg.
STATE_SV = {
    "planned": "Planerad",  # the vehicle has other stops to make before it heads for you
    "on_way": "På väg",
    "arrived": "Framme",
    "picked_up": "Hämtad",
    "dropped_off": "Lämnad",
    "no_show": "Föraren hittade dig inte",
}


@dataclass(frozen=True)
class Whereabouts:
    """The vehicle's last reported position as a place name, and when it was reported."""

    near: str
    km: float
    at: datetime


@dataclass(frozen=True)
class FollowedTrip:
    booking_id: int
    leg_seq: int
    state: str  # a key of STATE_SV
    planned_pickup: datetime | None  # the plan's time, moved by the delay handler's forecasts
    promised_from: datetime | None
    promised_until: datetime | None
    position: Whereabouts | None
    as_of: datetime  # when the page was asked

    @property
    def state_sv(self) -> str:
        return STATE_SV[self.state]

    @property
    def expected_pickup(self) -> datetime | None:
        """When the vehicle is expected, while that is still to come. A planned time that
        has passed with no pickup reported is no expectation: "Bilen väntas 10:00" read at
        10:20 told the traveller a time that was already wrong."""
        if self.planned_pickup is None or self.planned_pickup < self.as_of:
            return None
        return self.planned_pickup

    @property
    def overdue(self) -> bool:
        """Still on the way after the time the plan expected it."""
        return (
            self.state == "on_way"
            and self.planned_pickup is not None
            and self.planned_pickup < self.as_of
        )

    @property
    def late(self) -> bool:
        """Expected after the promised window closes, or the window has closed with the
        vehicle still on the way."""
        if self.state != "on_way" or self.promised_until is None:
            return False
        latest = self.expected_pickup or (self.as_of if self.overdue else None)
        return latest is not None and latest > self.promised_until


def followable(booking: Booking, now: datetime) -> bool:
    """A trip is followed on its own day while assigned to a vehicle or under way."""
    return booking.status in FOLLOWED and booking.service_date == now.astimezone(STOCKHOLM).date()


def follow_trip(
    *, session: Session, actor: Actor, booking_id: int, now: datetime
) -> FollowedTrip | None:
    """The traveller's vehicle today, or None when the trip is not followed now (not today,
    not yet on a vehicle, or done). Out of the actor's scope raises as `get_booking`."""
    booking = get_booking(session=session, booking_id=booking_id, actor=actor, now=now)
    if not followable(booking, now):
        return None
    reports = _own_reports(session, booking.id)
    leg = _current_leg(sorted(booking.legs, key=lambda x: x.seq), reports)
    stop = _pickup_stop(session, booking, leg)
    if stop is None:
        return None
    # Arriving at the destination is still "hämtad" to the traveller; only the drop-off ends it.
    dropped = reports.get((leg.id, "dropoff")) == "dropped_off"
    run = session.get(Run, stop.run_id)
    waiting = "on_way" if run is None or heading_for(run, stop, now) else "planned"
    state = "dropped_off" if dropped else reports.get((leg.id, "pickup"), waiting)
    return FollowedTrip(
        booking_id=booking.id,
        leg_seq=leg.seq,
        state=state,
        planned_pickup=stop.planned_at,
        promised_from=stop.promised_from or leg.promised_pickup_from,
        promised_until=stop.promised_until or leg.promised_pickup_until,
        position=_whereabouts(session, run, booking) if run and state != "planned" else None,
        as_of=now,
    )


def heading_for(run: Run, stop: Stop, now: datetime) -> bool:
    """Whether the vehicle is by now expected to be driving to `stop`: the stop before it
    on the run is due (its time, moved by the forecasts of the day's reports), or it is
    the run's first and the run has started. "På väg, bilen väntas 19:15" was said at
    07:15 of a car with a day's trips before it (walk-through of 2026-12-06)."""
    before = [s.planned_at for s in run.stops if s.seq < stop.seq]
    return now >= (max(before) if before else run.start_at)


def _own_reports(session: Session, booking_id: int) -> dict[tuple[int, str], str]:
    """The latest report kind per (leg id, stop kind) of this booking, in report order."""
    rows = session.execute(
        select(StopEvent.leg_id, StopEvent.stop_kind, StopEvent.kind)
        .where(StopEvent.booking_id == booking_id, StopEvent.kind != "position")
        .order_by(StopEvent.at_vehicle, StopEvent.id)
    )
    return {(leg_id, stop_kind): kind for leg_id, stop_kind, kind in rows if leg_id and stop_kind}


def _current_leg(legs: list[Leg], reports: dict[tuple[int, str], str]) -> Leg:
    """The first leg not yet dropped off from the last leg a driver reported on (a leg
    before it is behind the traveller, reported or not: the page followed a way there
    nobody reported while the driver reported the way home; walk-through of the seventh
    session of 2026-12-06); the last leg once all are done."""
    reported = [i for i, leg in enumerate(legs) if any(k[0] == leg.id for k in reports)]
    for leg in legs[reported[-1] if reported else 0 :]:
        if reports.get((leg.id, "dropoff")) != "dropped_off":
            return leg
    return legs[-1]


def _pickup_stop(session: Session, booking: Booking, leg: Leg) -> Stop | None:
    plan = store.latest_plan(session, booking.service_date)
    if plan is None:
        return None
    for run in plan.runs:
        for stop in run.stops:
            if stop.leg_id == leg.id and stop.kind == "pickup":
                return stop
    return None


def _whereabouts(session: Session, run: Run, booking: Booking) -> Whereabouts | None:
    """The vehicle's newest reported position today, named by the nearest gazetteer place."""
    row = session.execute(
        select(StopEvent.lat, StopEvent.lon, StopEvent.at_vehicle)
        .where(
            StopEvent.vehicle_id == run.vehicle_id,
            StopEvent.service_date == booking.service_date,
            StopEvent.lat.is_not(None),
            StopEvent.lon.is_not(None),
        )
        .order_by(StopEvent.at_vehicle.desc(), StopEvent.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    lat, lon, at = row
    if lat is None or lon is None:  # excluded by the query; says so to the type checker
        return None
    places = session.execute(
        select(Place.name, Place.lat, Place.lon).where(Place.kind == PlaceKind.LOCALITY.value)
    ).all()
    if not places:
        return None
    km, name = min((km_between(lat, lon, p.lat, p.lon), p.name) for p in places)
    return Whereabouts(near=name, km=km, at=at)
