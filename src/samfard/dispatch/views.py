"""Stored plans and runs turned into their public shapes (one query per kind of row)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking, Leg
from samfard.dispatch.models import PlanRun, Run, Stop
from samfard.dispatch.schemas import (
    ManifestPublic,
    ManifestStop,
    PlanPublic,
    RunPublic,
    StopPublic,
    UnservedPublic,
    VehiclePublic,
)
from samfard.travellers.models import Traveller

PROTECTED_NAME = "Resenär (skyddad identitet)"
PROTECTED_ADDRESS = "Skyddad adress"


def _protected(session: Session, bookings: Iterable[Booking], actor: Actor) -> set[int]:
    """Ids of travellers on these bookings whose identity the actor may not see."""
    if actor.has(P.PROTECTED_IDENTITY_READ):
        return set()
    ids = {b.traveller_id for b in bookings}
    rows = session.scalars(
        select(Traveller.id).where(Traveller.id.in_(ids), Traveller.protected_identity)
    )
    return set(rows)


def _legs(session: Session, stops: Iterable[Stop]) -> dict[int, Leg]:
    ids = {s.leg_id for s in stops}
    return {leg.id: leg for leg in session.scalars(select(Leg).where(Leg.id.in_(ids)))}


def _bookings(session: Session, stops: Iterable[Stop]) -> dict[int, Booking]:
    ids = {s.booking_id for s in stops}
    return {b.id: b for b in session.scalars(select(Booking).where(Booking.id.in_(ids)))}


def _where(stop: Stop, leg: Leg) -> tuple[str, float, float]:
    if stop.kind == "pickup":
        return leg.origin_address, leg.origin_lat, leg.origin_lon
    return leg.destination_address, leg.destination_lat, leg.destination_lon


def plan_public(session: Session, plan: PlanRun, actor: Actor) -> PlanPublic:
    """The plan for planners. Addresses of travellers with a protected identity are
    masked unless the reader may see protected identities: a planner needs the order and
    times, not where the person lives."""
    stops = [s for run in plan.runs for s in run.stops]
    legs, bookings = _legs(session, stops), _bookings(session, stops)
    protected = _protected(session, bookings.values(), actor)
    runs = []
    for run in plan.runs:
        out = []
        for s in run.stops:
            address, lat, lon = _where(s, legs[s.leg_id])
            hidden = bookings[s.booking_id].traveller_id in protected
            out.append(
                StopPublic(
                    seq=s.seq,
                    kind=s.kind,
                    planned_at=s.planned_at,
                    promised_from=s.promised_from,
                    promised_until=s.promised_until,
                    booking_id=s.booking_id,
                    booking_reference=bookings[s.booking_id].reference,
                    leg_seq=s.leg_seq,
                    address=PROTECTED_ADDRESS if hidden else address,
                    lat=None if hidden else lat,
                    lon=None if hidden else lon,
                )
            )
        runs.append(
            RunPublic(
                id=run.id,
                vehicle=VehiclePublic(
                    id=run.vehicle.id,
                    code=run.vehicle.code,
                    vehicle_type=run.vehicle.vehicle_type,
                    carrier_name=run.vehicle.carrier_name,
                    depot_name=run.vehicle.depot_name,
                ),
                start_at=run.start_at,
                end_at=run.end_at,
                distance_km=run.distance_km,
                stops=out,
            )
        )
    return PlanPublic(
        id=plan.id,
        service_date=plan.service_date,
        version=plan.version,
        kind=plan.kind,
        created_at=plan.created_at,
        created_by=plan.created_by,
        verified=plan.verified,
        objective=plan.objective,
        settings=plan.settings,
        runs=runs,
        unserved=[UnservedPublic.model_validate(row) for row in plan.unserved],
    )


def manifest_public(session: Session, run: Run, actor: Actor, now: datetime) -> ManifestPublic:
    """The driver's view; each traveller on it is audited as read (caller commits)."""
    legs, bookings = _legs(session, run.stops), _bookings(session, run.stops)
    ids = {b.traveller_id for b in bookings.values()}
    travellers = {t.id: t for t in session.scalars(select(Traveller).where(Traveller.id.in_(ids)))}
    stops = []
    for s in run.stops:
        booking = bookings[s.booking_id]
        traveller = travellers[booking.traveller_id]
        hidden = traveller.protected_identity and not actor.has(P.PROTECTED_IDENTITY_READ)
        address, lat, lon = _where(s, legs[s.leg_id])
        stops.append(
            ManifestStop(
                seq=s.seq,
                kind=s.kind,
                planned_at=s.planned_at,
                promised_from=s.promised_from,
                promised_until=s.promised_until,
                first_name=PROTECTED_NAME if hidden else traveller.first_name,
                address=address,
                lat=lat,
                lon=lon,
                needs=list(booking.needs or ()),
                companions=len(booking.companions or ()),
                message_to_driver=booking.message_to_driver,
            )
        )
    for traveller_id in sorted(ids):
        audit.record(
            session,
            actor,
            traveller_id=traveller_id,
            record_type="run",
            record_id=run.id,
            action="read",
            purpose="driver manifest",
            at=now,
        )
    return ManifestPublic(
        run_id=run.id,
        service_date=run.plan_run.service_date,
        vehicle_code=run.vehicle.code,
        start_at=run.start_at,
        end_at=run.end_at,
        stops=stops,
    )
