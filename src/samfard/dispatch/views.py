"""Stored plans and runs turned into their public shapes (one query per kind of row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking, Leg
from samfard.dispatch.goods_stops import GoodsAtStop, goods_at_stops
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
from samfard.dispatch.store import once_per_request
from samfard.goods.models import Consignment
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
    ids = {s.leg_id for s in stops if s.leg_id is not None}
    return {leg.id: leg for leg in session.scalars(select(Leg).where(Leg.id.in_(ids)))}


def _bookings(session: Session, stops: Iterable[Stop]) -> dict[int, Booking]:
    ids = {s.booking_id for s in stops if s.booking_id is not None}
    return {b.id: b for b in session.scalars(select(Booking).where(Booking.id.in_(ids)))}


def _where(stop: Stop, leg: Leg) -> tuple[str, float, float]:
    if stop.kind == "pickup":
        return leg.origin_address, leg.origin_lat, leg.origin_lon
    return leg.destination_address, leg.destination_lat, leg.destination_lon


OTHER_PRINCIPAL = "Annan huvudmans resa"


@dataclass(frozen=True)
class PlanView:
    """A plan as one reader may see it, and the travellers whose stops it shows."""

    plan: PlanPublic
    shown_travellers: frozenset[int]


def plan_public(session: Session, plan: PlanRun, actor: Actor) -> PlanView:
    """The plan for planners, cut to the reader's scope.

    A reader scoped to some principals sees the runs that carry their principals' trips;
    another principal's stop on such a run keeps its time and place in the order but shows
    no booking, person or address. Addresses of travellers with a protected identity are
    masked unless the reader may see protected identities: a planner needs the order and
    times, not where the person lives.
    """
    stops = [s for run in plan.runs for s in run.stops]
    legs, bookings = _legs(session, stops), _bookings(session, stops)
    goods = goods_at_stops(session, stops)
    protected = _protected(session, bookings.values(), actor)
    mine = {b.id for b in bookings.values() if actor.covers_principal(b.principal_code)}
    my_goods = {
        sid for sid, g in goods.items() if actor.covers_principal(g.consignment.principal_code)
    }
    runs, shown = [], set()
    for run in plan.runs:
        if not any(s.booking_id in mine or s.id in my_goods for s in run.stops):
            continue
        out = []
        for s in run.stops:
            if s.id in goods:
                out.append(_goods_stop(s, goods[s.id], actor, own=s.id in my_goods))
                continue
            assert s.leg_id is not None and s.booking_id is not None  # a passenger's stop
            address, lat, lon = _where(s, legs[s.leg_id])
            booking = bookings[s.booking_id]
            own = booking.id in mine
            hidden = not own or booking.traveller_id in protected
            if own:
                shown.add(booking.traveller_id)
            out.append(
                StopPublic(
                    seq=s.seq,
                    kind=s.kind,
                    planned_at=s.planned_at,
                    promised_from=s.promised_from,
                    promised_until=s.promised_until,
                    booking_id=booking.id if own else None,
                    booking_reference=booking.reference if own else None,
                    leg_seq=s.leg_seq,
                    address=(PROTECTED_ADDRESS if own else OTHER_PRINCIPAL) if hidden else address,
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
    unserved = [
        row for row in once_per_request(plan.unserved) if _own_unserved(session, row, actor)
    ]
    public = PlanPublic(
        id=plan.id,
        service_date=plan.service_date,
        version=plan.version,
        kind=plan.kind,
        created_at=plan.created_at,
        created_by=plan.created_by,
        changed_at=plan.changed_at,
        changed_by=plan.changed_by,
        change=plan.change,
        verified=plan.verified,
        objective=plan.objective,
        settings=plan.settings,
        runs=runs,
        unserved=[UnservedPublic.model_validate(row) for row in unserved],
    )
    return PlanView(public, frozenset(shown))


def _goods_stop(s: Stop, goods: GoodsAtStop, actor: Actor, *, own: bool) -> StopPublic:
    """A goods stop in the plan: another principal's goods keep only time and order."""
    hidden = not own or goods.masked_for(actor)
    address = (PROTECTED_ADDRESS if own else OTHER_PRINCIPAL) if hidden else goods.address
    return StopPublic(
        seq=s.seq,
        kind=s.kind,
        planned_at=s.planned_at,
        promised_from=None,
        promised_until=None,
        booking_id=None,
        booking_reference=goods.consignment.reference if own else None,
        leg_seq=None,
        consignment_id=goods.consignment.id if own else None,
        goods=goods.label_for(actor) if own else None,
        address=address,
        lat=None if hidden else goods.lat,
        lon=None if hidden else goods.lon,
    )


def _own_unserved(session: Session, row: dict[str, object], actor: Actor) -> bool:
    if actor.owns_everything:
        return True
    if row.get("consignment_id") is not None:
        consignment = session.get(Consignment, row["consignment_id"])
        return consignment is not None and actor.covers_principal(consignment.principal_code)
    booking = session.get(Booking, row.get("booking_id"))
    return booking is not None and actor.covers_principal(booking.principal_code)


def manifest_public(
    session: Session, run: Run, actor: Actor, now: datetime, *, drives_it: bool
) -> ManifestPublic:
    """The driver's view; each traveller on it is audited as read (caller commits).

    What is needed to pick up and nothing more: first name, where and when, needs,
    companions and the message to the driver. For a traveller with a protected identity
    the name is never shown without the right, and the address, position and message
    only to the driver of the run (`drives_it`), who must go there; a dispatcher or an
    administrator sees the stop without them.
    """
    legs, bookings = _legs(session, run.stops), _bookings(session, run.stops)
    goods = goods_at_stops(session, run.stops)
    ids = {b.traveller_id for b in bookings.values()}
    ids |= {
        g.consignment.recipient_traveller_id
        for g in goods.values()
        if g.consignment.recipient_traveller_id is not None
    }
    travellers = {t.id: t for t in session.scalars(select(Traveller).where(Traveller.id.in_(ids)))}
    entitled = actor.has(P.PROTECTED_IDENTITY_READ)
    stops = []
    for s in run.stops:
        if s.id in goods:
            stops.append(_manifest_goods(s, goods[s.id], actor, drives_it=drives_it))
            continue
        assert s.leg_id is not None and s.booking_id is not None  # a passenger's stop
        booking = bookings[s.booking_id]
        traveller = travellers[booking.traveller_id]
        hidden = traveller.protected_identity and not entitled
        leg = legs[s.leg_id]
        place = leg.origin_place_id if s.kind == "pickup" else leg.destination_place_id
        masked = hidden and not drives_it and place is None  # a hospital is no secret
        address, lat, lon = _where(s, leg)
        stops.append(
            ManifestStop(
                seq=s.seq,
                kind=s.kind,
                planned_at=s.planned_at,
                promised_from=s.promised_from,
                promised_until=s.promised_until,
                first_name=PROTECTED_NAME if hidden else traveller.first_name,
                address=PROTECTED_ADDRESS if masked else address,
                lat=None if masked else lat,
                lon=None if masked else lon,
                needs=list(booking.needs or ()),
                companions=len(booking.companions or ()),
                # Not even at a hospital: a message may say where the person lives.
                message_to_driver=None if hidden and not drives_it else booking.message_to_driver,
            )
        )
    audit.record_reads(
        session,
        actor,
        ((traveller_id, run.id) for traveller_id in sorted(ids)),
        record_type="run",
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


def _manifest_goods(s: Stop, goods: GoodsAtStop, actor: Actor, *, drives_it: bool) -> ManifestStop:
    """A goods stop as the driver needs it: what to load or unload and where; an aid's
    recipient is never named (the driver hands it over at the address)."""
    masked = goods.masked_for(actor, drives_it=drives_it)
    return ManifestStop(
        seq=s.seq,
        kind=s.kind,
        planned_at=s.planned_at,
        promised_from=None,
        promised_until=None,
        first_name=None,
        goods=goods.label_for(actor),
        address=PROTECTED_ADDRESS if masked else goods.address,
        lat=None if masked else goods.lat,
        lon=None if masked else goods.lon,
        needs=[],
        companions=0,
        message_to_driver=None,
    )
