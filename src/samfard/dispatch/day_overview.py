"""The newest plan of a day as an overview: every run with its stops' times and places,
read as plain rows, for the traffic page's timeline and map.

`service.read_plan` builds the full public plan (addresses, references, promises) from
ORM objects; on a 3 000-trip day that is some 10 000 objects and one audit object per
traveller, too slow for a page a controller reloads all day. This read takes only what
the overview draws, in three queries, and writes its audit entries in one statement. It
applies the same rules as `views.plan_public` and `service.read_plan`: a reader scoped to
some principals sees the runs carrying their trips, another principal's stop keeps its
time but not its place, a protected traveller's place is hidden from a reader without
the right, the unplanned legs are the reader's own, and every traveller whose stop is
shown is audited as read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking, Leg
from samfard.db import transaction
from samfard.dispatch.models import PlanRun, Run, Stop, Vehicle
from samfard.dispatch.store import once_per_request
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.errors import NotFound
from samfard.goods.models import Consignment
from samfard.travellers.models import Traveller


@dataclass(frozen=True, slots=True)
class OverviewStop:
    kind: str  # pickup | dropoff
    planned_at: datetime
    lat: float | None  # None: hidden (protected identity, or another principal's trip)
    lon: float | None
    goods: bool = False  # a consignment's stop, not a traveller's


@dataclass(frozen=True, slots=True)
class OverviewRun:
    id: int
    vehicle_code: str
    vehicle_type: str
    carrier_name: str
    start_at: datetime
    end_at: datetime
    distance_km: float
    stops: tuple[OverviewStop, ...]

    @property
    def vehicle_name(self) -> str:
        """The vehicle as the page names it (Swedish words for a demo code)."""
        return vehicle_name_sv(self.vehicle_code)


@dataclass(frozen=True, slots=True)
class DayOverview:
    plan_id: int
    version: int
    kind: str
    created_at: datetime
    created_by: str
    changed_at: datetime | None  # the last change made in place (PlanRun.note_change)
    changed_by: str | None
    change: str | None
    runs: tuple[OverviewRun, ...]
    unserved: tuple[dict[str, Any], ...]


def day_overview(*, session: Session, day: date, actor: Actor, now: datetime) -> DayOverview:
    """The overview of `day`'s newest plan as the actor may see it; NotFound without one."""
    actor.require(P.PLANS_READ)
    with transaction(session):
        plan = session.execute(
            select(
                PlanRun.id,
                PlanRun.version,
                PlanRun.kind,
                PlanRun.created_at,
                PlanRun.created_by,
                PlanRun.changed_at,
                PlanRun.changed_by,
                PlanRun.change,
                PlanRun.unserved,
            )
            .where(PlanRun.service_date == day)
            .order_by(PlanRun.version.desc())
            .limit(1)
        ).first()
        if plan is None:
            raise NotFound(
                f"no plan for {day} yet: POST /api/v1/plans/{day} or run "
                f"`samfard plan --date {day}`",
                field="date",
            )
        stops, shown = _stops(session, plan.id, actor)
        runs = tuple(
            OverviewRun(
                id=row.id,
                vehicle_code=row.code,
                vehicle_type=row.vehicle_type,
                carrier_name=row.carrier_name,
                start_at=row.start_at,
                end_at=row.end_at,
                distance_km=row.distance_km,
                stops=tuple(stops[row.id]),
            )
            for row in session.execute(
                select(
                    Run.id,
                    Run.start_at,
                    Run.end_at,
                    Run.distance_km,
                    Vehicle.code,
                    Vehicle.vehicle_type,
                    Vehicle.carrier_name,
                )
                .join(Vehicle, Run.vehicle_id == Vehicle.id)
                .where(Run.plan_run_id == plan.id)
                .order_by(Run.id)
            )
            if row.id in stops
        )
        unserved = _own_unserved(session, once_per_request(plan.unserved or ()), actor)
        audit.record_reads(
            session,
            actor,
            ((traveller_id, plan.id) for traveller_id in sorted(shown)),
            record_type="plan",
            action="read",
            purpose="day plan",
            at=now,
        )
    return DayOverview(
        plan_id=plan.id,
        version=plan.version,
        kind=plan.kind,
        created_at=plan.created_at,
        created_by=plan.created_by,
        changed_at=plan.changed_at,
        changed_by=plan.changed_by,
        change=plan.change,
        runs=runs,
        unserved=tuple(unserved),
    )


def run_stops(session: Session, plan_id: int, actor: Actor) -> dict[int, list[OverviewStop]]:
    """The stops of the plan's runs that carry the actor's trips, in order, each with its
    place as the actor may see it (None where hidden); nothing is audited, so a caller
    must not show a traveller from them."""
    return _stops(session, plan_id, actor)[0]


def _stops(
    session: Session, plan_id: int, actor: Actor
) -> tuple[dict[int, list[OverviewStop]], set[int]]:
    """Stops by run, only for runs carrying at least one of the actor's trips, and the
    travellers whose stops are shown."""
    entitled = actor.has(P.PROTECTED_IDENTITY_READ)
    passengers = session.execute(
        select(
            Stop.run_id,
            Stop.seq,
            Stop.kind,
            Stop.planned_at,
            Booking.principal_code,
            Booking.traveller_id,
            Traveller.protected_identity,
            Leg.origin_lat,
            Leg.origin_lon,
            Leg.destination_lat,
            Leg.destination_lon,
        )
        .join(Run, Stop.run_id == Run.id)
        .join(Booking, Stop.booking_id == Booking.id)
        .join(Traveller, Booking.traveller_id == Traveller.id)
        .join(Leg, Stop.leg_id == Leg.id)
        .where(Run.plan_run_id == plan_id)
        .order_by(Stop.run_id, Stop.seq)
    )
    rows = sorted(
        [*((*row, False) for row in passengers), *_goods_stops(session, plan_id)],
        key=lambda r: (r[0], r[1]),
    )
    by_run: dict[int, list[OverviewStop]] = {}
    carries_mine: set[int] = set()
    shown: dict[int, set[int]] = {}
    covers: dict[str, bool] = {}  # per principal code: 5 000 stops, a handful of codes
    for (
        run_id,
        _seq,
        kind,
        planned_at,
        principal,
        traveller_id,
        protected,
        origin_lat,
        origin_lon,
        destination_lat,
        destination_lon,
        goods,
    ) in rows:
        own = covers.get(principal)
        if own is None:
            own = covers[principal] = actor.covers_principal(principal)
        pickup = kind == "pickup"
        if not own or (protected and not entitled):
            lat = lon = None
        else:
            lat, lon = (origin_lat, origin_lon) if pickup else (destination_lat, destination_lon)
        stops = by_run.get(run_id)
        if stops is None:
            stops = by_run[run_id] = []
        stops.append(OverviewStop(kind, planned_at, lat, lon, goods))
        if own:
            carries_mine.add(run_id)
            if traveller_id is not None:
                shown.setdefault(run_id, set()).add(traveller_id)
    kept = {run_id: stops for run_id, stops in by_run.items() if run_id in carries_mine}
    travellers = {t for run_id in kept for t in shown.get(run_id, ())}
    return kept, travellers


def _goods_stops(session: Session, plan_id: int) -> list[tuple[Any, ...]]:
    """The plan's goods stops in the passengers' row shape: the aid's recipient stands in
    for the traveller (an end at a public place is never hidden, so it reports no
    protection), and goods without a recipient name nobody."""
    rows = session.execute(
        select(
            Stop.run_id,
            Stop.seq,
            Stop.kind,
            Stop.planned_at,
            Consignment.principal_code,
            Consignment.recipient_traveller_id,
            Traveller.protected_identity,
            Consignment.pickup_place_id,
            Consignment.dropoff_place_id,
            Consignment.pickup_lat,
            Consignment.pickup_lon,
            Consignment.dropoff_lat,
            Consignment.dropoff_lon,
        )
        .join(Run, Stop.run_id == Run.id)
        .join(Consignment, Stop.consignment_id == Consignment.id)
        .outerjoin(Traveller, Consignment.recipient_traveller_id == Traveller.id)
        .where(Run.plan_run_id == plan_id)
    )
    shaped: list[tuple[Any, ...]] = []
    for row in rows:
        run_id, seq, kind, at, principal, recipient, protected, p_place, d_place = row[:9]
        public_place = (p_place if kind == "pickup" else d_place) is not None
        hidden = bool(protected) and not public_place
        shaped.append((run_id, seq, kind, at, principal, recipient, hidden, *row[9:], True))
    return shaped


def _own_unserved(
    session: Session, rows: list[dict[str, Any]], actor: Actor
) -> list[dict[str, Any]]:
    if actor.owns_everything or not rows:
        return rows
    ids = {int(row["booking_id"]) for row in rows if row.get("booking_id") is not None}
    goods = {int(row["consignment_id"]) for row in rows if row.get("consignment_id") is not None}
    codes: dict[int, str] = dict(
        session.execute(select(Booking.id, Booking.principal_code).where(Booking.id.in_(ids))).all()
    )
    goods_codes: dict[int, str] = dict(
        session.execute(
            select(Consignment.id, Consignment.principal_code).where(Consignment.id.in_(goods))
        ).all()
    )

    def principal_of(row: dict[str, Any]) -> str:
        if row.get("consignment_id") is not None:
            return goods_codes.get(int(row["consignment_id"]), "")
        return codes.get(int(row["booking_id"]), "")

    return [row for row in rows if actor.covers_principal(principal_of(row))]
