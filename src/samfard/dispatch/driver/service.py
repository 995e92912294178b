"""Use cases of the driver: today's run with its reports, and recording a report.

A report is stored once per client event id: the driver's page queues reports while the
connection is poor and replays them, so the same report may arrive twice; the second post
gets the stored one back (200) and changes nothing. A new report is checked against what was
reported at the stop before (dispatch.driver.rules), moves the booking through its lifecycle
(picked up: in progress; no-show; the last leg dropped off: completed), is published on the
message bus (events.StopReported / PositionReported, for the controller's alerts and
re-planning) and announced on the change feed, all in one transaction.

Scope: a driver reports only on runs of their own vehicle (`app_user.vehicle_id`) of
today's service day (a run that goes on past midnight is still its service day's: a
run's day is its service day, not the wall-clock date), in any plan version of that day
(a report of something that happened stays true when the day was re-planned meanwhile);
a carrier's dispatcher only on their carrier's runs; other accounts need every
principal (`*`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from samfard import changes, events
from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.access.permissions import Role
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.driver.rules import (
    POSITION,
    SV,
    Reported,
    asks_first,
    check_report,
    stop_time,
)
from samfard.dispatch.driver.schemas import StopEventCreate, StopEventPublic
from samfard.dispatch.models import Run, Stop
from samfard.errors import Conflict, Forbidden, InputError, NotFound
from samfard.goods.models import Consignment
from samfard.goods.schemas import ConsignmentStatus
from samfard.timeutil import STOCKHOLM, local

# A vehicle's clock may run a little ahead of the server's; more than this is a wrong clock.
CLOCK_SKEW = timedelta(minutes=5)
# A run that goes on past midnight stays reportable this long after its expected end.
OVERTIME = timedelta(hours=3)


@dataclass(frozen=True)
class Recorded:
    """A stored report, and whether this post only replayed it."""

    event: StopEventPublic
    replayed: bool


def public(row: StopEvent) -> StopEventPublic:
    return StopEventPublic(
        id=row.id,
        client_event_id=row.client_event_id,
        kind=row.kind,
        run_id=row.run_id,
        stop_id=row.stop_id,
        booking_id=row.booking_id,
        at=row.at_vehicle.astimezone(UTC),
        received_at=row.received_at.astimezone(UTC),
        reported_by=row.username,
        lat=row.lat,
        lon=row.lon,
    )


def runs_today(run: Run, now: datetime) -> bool:
    """Whether `run` is the driver's run now: a run's day is its service day, not the
    wall-clock date, so a run of yesterday that goes on past midnight (its forecast end,
    plus OVERTIME for a late last report) is still today's."""
    today = now.astimezone(STOCKHOLM).date()
    service_date = run.plan_run.service_date
    if service_date == today:
        return True
    return service_date == today - timedelta(days=1) and now <= run.end_at + OVERTIME


def check_run_scope(session: Session, run: Run, actor: Actor, now: datetime) -> None:
    """Whether the actor may report on (and follow) this run; Forbidden says why not."""
    if actor.role is Role.DRIVER:
        today = now.astimezone(STOCKHOLM).date()
        if actor.vehicle_id is None or run.vehicle_id != actor.vehicle_id:
            raise NotFound(f"no run with id {run.id}", field="run_id")  # another vehicle's
        if not runs_today(run, now):
            raise Forbidden(
                f"run {run.id} is not a run of today ({today}); a driver reports only today "
                "(a run of yesterday only while it is still under way after midnight)",
                field="run_id",
            )
    elif actor.carrier_id is not None:
        if run.vehicle.carrier_id != actor.carrier_id:
            raise NotFound(f"no run with id {run.id}", field="run_id")  # another carrier's
    elif not actor.owns_everything:
        raise Forbidden(
            "only a driver, the carrier's dispatcher or an account scoped to every principal "
            "(*) reports on a run",
            field="run_id",
        )


def record_report(
    *, session: Session, data: StopEventCreate, actor: Actor, now: datetime
) -> Recorded:
    """Store one report from the vehicle, or return the stored one for a replayed id."""
    actor.require(P.STOPS_REPORT)
    try:
        with transaction(session):
            stored = _stored(session, data, actor)
            if stored is not None:
                return Recorded(public(stored), replayed=True)
            row = _record(session, data, actor, now)
            return Recorded(public(row), replayed=False)
    except IntegrityError:
        # The same id posted twice at once: the other post stored it first.
        with transaction(session):
            stored = _stored(session, data, actor)
        if stored is None:  # pragma: no cover - the unique key was the only constraint
            raise
        return Recorded(public(stored), replayed=True)


@dataclass(frozen=True)
class EarlyReport:
    """A report the driver is asked about first: the stop's time and promised window."""

    stop_at: datetime
    promised_from: datetime | None
    promised_until: datetime | None


def early_report(
    *, session: Session, actor: Actor, run_id: int, stop_id: int, now: datetime
) -> EarlyReport | None:
    """What to ask before a report made now at `stop_id` is recorded, or None when it goes
    at once (`rules.asks_first`): the page without script asks on a page of its own, as
    the page with script asks before it queues. A stop not on the run is left to
    `record_report` to refuse; another vehicle's run is refused here (no times of it)."""
    actor.require(P.STOPS_REPORT)
    with transaction(session):
        run = session.get(Run, run_id, options=[selectinload(Run.vehicle)])
        stop = session.get(Stop, stop_id)
        if run is None or stop is None or stop.run_id != run.id:
            return None
        check_run_scope(session, run, actor, now)
        if stop.consignment_id is not None:
            reported = _goods_reports(session, stop.consignment_id, stop.kind)
        else:
            reported = _reports(session, stop.leg_id or 0, stop.kind)
        if not asks_first(
            stop_kind=stop.kind,
            planned_at=stop.planned_at,
            promised_from=stop.promised_from,
            reported=bool(reported),
            at=now,
        ):
            return None
        return EarlyReport(
            stop_time(stop.planned_at, stop.promised_from), stop.promised_from, stop.promised_until
        )


def _stored(session: Session, data: StopEventCreate, actor: Actor) -> StopEvent | None:
    row = session.scalar(select(StopEvent).where(StopEvent.client_event_id == data.client_event_id))
    if row is None:
        return None
    same = (
        row.user_id == actor.user_id
        and row.run_id == data.run_id
        and row.stop_id == data.stop_id
        and row.kind == data.kind
        and row.at_vehicle == data.at
    )
    if not same:
        raise Conflict(
            f"client_event_id {data.client_event_id} was already used for another report; "
            "make a new id for every report",
            field="client_event_id",
        )
    return row


def _record(session: Session, data: StopEventCreate, actor: Actor, now: datetime) -> StopEvent:
    run = session.get(Run, data.run_id, options=[selectinload(Run.vehicle)])
    if run is None:
        raise NotFound(f"no run with id {data.run_id}", field="run_id")
    check_run_scope(session, run, actor, now)
    if data.at > now + CLOCK_SKEW:
        raise InputError(
            f"at {data.at.isoformat()} is in the future (the server's time is "
            f"{now.isoformat()}); check the device's clock",
            field="at",
        )
    day = run.plan_run.service_date
    if data.at < local(day, time(0)):  # a position of 1900 was stored (probe of 2026-12-06)
        raise InputError(
            f"at {data.at.isoformat()} is before the run's day, {day}; check the device's clock",
            field="at",
        )
    row = StopEvent(
        client_event_id=data.client_event_id,
        kind=data.kind,
        service_date=run.plan_run.service_date,
        vehicle_id=run.vehicle_id,
        run_id=run.id,
        at_vehicle=data.at,
        received_at=now,
        user_id=actor.user_id,
        username=actor.username,
        lat=data.lat,
        lon=data.lon,
    )
    if data.kind == POSITION:
        session.add(row)
        session.flush()
        events.publish(
            session,
            events.PositionReported(
                actor=actor,
                at=data.at,
                vehicle_id=run.vehicle_id,
                lat=float(data.lat or 0.0),
                lon=float(data.lon or 0.0),
            ),
        )
    else:
        _record_stop(session, run, row, data, actor, now)
    changes.announce(session, topic=f"run:{run.id}", kind=data.kind, ref_id=row.id, at=now)
    if data.kind != POSITION:
        topic = f"plan:{day.isoformat()}"
        changes.announce(session, topic=topic, kind=data.kind, ref_id=run.id, at=now)
    return row


def _record_stop(
    session: Session,
    run: Run,
    row: StopEvent,
    data: StopEventCreate,
    actor: Actor,
    now: datetime,
) -> None:
    stop = session.get(Stop, data.stop_id)
    if stop is None or stop.run_id != run.id:
        raise Conflict(
            f"stop {data.stop_id} is not (or no longer) on run {run.id}; reload the run",
            field="stop_id",
        )
    if stop.consignment_id is not None:
        _record_goods_stop(session, stop, stop.consignment_id, row, data, actor, now)
        return
    assert stop.leg_id is not None  # a stop carries a leg or a consignment
    here = _reports(session, stop.leg_id, stop.kind)
    pickup = _reports(session, stop.leg_id, "pickup") if stop.kind == "dropoff" else []
    check_report(
        stop_kind=stop.kind,
        kind=data.kind,
        at=data.at,
        here=here,
        pickup=pickup,
        no_show_from=stop.promised_from,
    )
    row.stop_id, row.stop_kind = stop.id, stop.kind
    row.leg_id, row.booking_id = stop.leg_id, stop.booking_id
    session.add(row)
    session.flush()
    booking = session.get(Booking, stop.booking_id)
    if booking is None:  # pragma: no cover - a stop's booking is a foreign key
        raise NotFound(f"no booking {stop.booking_id}", field="stop_id")
    audit.record_booking(
        session, actor, booking, action="update", purpose=f"driver report {data.kind}", at=now
    )
    _move_booking(session, booking, data.kind, actor, now)
    events.publish(
        session,
        events.StopReported(
            actor=actor,
            at=data.at,
            run_id=run.id,
            stop_id=stop.id,
            booking_id=stop.booking_id,
            status=data.kind,
            leg_seq=stop.leg_seq,
            stop_kind=stop.kind,
            stop_seq=stop.seq,
        ),
    )


def _reports(session: Session, leg_id: int, stop_kind: str) -> list[Reported]:
    rows = session.scalars(
        select(StopEvent)
        .where(StopEvent.leg_id == leg_id, StopEvent.stop_kind == stop_kind)
        .order_by(StopEvent.at_vehicle, StopEvent.id)
    )
    return [Reported(r.kind, r.at_vehicle) for r in rows]


def _goods_reports(session: Session, consignment_id: int, stop_kind: str) -> list[Reported]:
    rows = session.scalars(
        select(StopEvent)
        .where(StopEvent.consignment_id == consignment_id, StopEvent.stop_kind == stop_kind)
        .order_by(StopEvent.at_vehicle, StopEvent.id)
    )
    return [Reported(r.kind, r.at_vehicle) for r in rows]


GOODS_STATUS_AFTER = {
    "picked_up": ConsignmentStatus.PICKED_UP,
    "dropped_off": ConsignmentStatus.DELIVERED,
}


def _record_goods_stop(
    session: Session,
    stop: Stop,
    consignment_id: int,
    row: StopEvent,
    data: StopEventCreate,
    actor: Actor,
    now: datetime,
) -> None:
    """A report at a goods stop: loaded (picked up) or unloaded (delivered). Goods have no
    no-show; goods not there to load are the orderer's to re-book, told by the desk."""
    if data.kind == "no_show":
        raise InputError(
            "goods have no no-show: report arrived, and tell the desk the goods were not there",
            field="kind",
        )
    here = _goods_reports(session, consignment_id, stop.kind)
    pickup = _goods_reports(session, consignment_id, "pickup") if stop.kind == "dropoff" else []
    check_report(stop_kind=stop.kind, kind=data.kind, at=data.at, here=here, pickup=pickup)
    row.stop_id, row.stop_kind, row.consignment_id = stop.id, stop.kind, consignment_id
    session.add(row)
    session.flush()
    consignment = session.get(Consignment, consignment_id)
    if consignment is None:  # pragma: no cover - a stop's consignment is a foreign key
        raise NotFound(f"no consignment {consignment_id}", field="stop_id")
    target = GOODS_STATUS_AFTER.get(data.kind)
    if target is not None:
        consignment.status = target.value
        consignment.updated_at = now
    if consignment.recipient_traveller_id is not None:
        audit.record(
            session,
            actor,
            traveller_id=consignment.recipient_traveller_id,
            record_type="consignment",
            record_id=consignment.id,
            action="update",
            purpose=f"driver report {data.kind}",
            at=now,
        )


def _move_booking(
    session: Session, booking: Booking, kind: str, actor: Actor, now: datetime
) -> None:
    """Picked up: in progress (through assigned, the run is the vehicle's now); no-show;
    the drop-off of the booking's last leg still open: completed."""
    status = BookingStatus(booking.status)
    reason = f"driver reported {SV[kind].lower()} ({kind})"
    if kind in ("picked_up", "no_show"):
        target = BookingStatus.IN_PROGRESS if kind == "picked_up" else BookingStatus.NO_SHOW
        if status is BookingStatus.IN_PROGRESS and kind == "picked_up":
            return  # the return leg of a booking already under way
        if status is BookingStatus.SCHEDULED:
            apply_transition(
                session, booking, BookingStatus.ASSIGNED, actor=actor, now=now, reason=reason
            )
        apply_transition(session, booking, target, actor=actor, now=now, reason=reason)
    elif kind == "dropped_off":
        left = {leg.id for leg in booking.legs} - _dropped_legs(session, booking.id)
        if not left:
            apply_transition(
                session, booking, BookingStatus.COMPLETED, actor=actor, now=now, reason=reason
            )


def _dropped_legs(session: Session, booking_id: int) -> set[int]:
    rows = session.scalars(
        select(StopEvent.leg_id).where(
            StopEvent.booking_id == booking_id, StopEvent.kind == "dropped_off"
        )
    )
    return {leg_id for leg_id in rows if leg_id is not None}


def todays_run(*, session: Session, actor: Actor, now: datetime) -> Run | None:
    """The driver's run in the newest plan of today (or of yesterday, while that run is
    still under way after midnight), or None when their vehicle has none."""
    if actor.vehicle_id is None:
        raise Forbidden(
            "your account drives no vehicle; an administrator sets vehicle_id on driver accounts",
            field="vehicle_id",
        )
    today = now.astimezone(STOCKHOLM).date()
    for day in (today, today - timedelta(days=1)):
        plan = store.latest_plan(session, day)
        run = (
            None
            if plan is None
            else next((r for r in plan.runs if r.vehicle_id == actor.vehicle_id), None)
        )
        if run is not None and runs_today(run, now):
            return run
    return None


def run_reports(session: Session, run: Run) -> dict[int, list[StopEventPublic]]:
    """The reports at each stop of `run`, oldest first, by stop id (also reports made on
    the same leg and stop kind in an earlier plan version of the day)."""
    by_key = {(s.leg_id, s.consignment_id, s.kind): s.id for s in run.stops}
    legs = [s.leg_id for s in run.stops if s.leg_id is not None]
    goods = [s.consignment_id for s in run.stops if s.consignment_id is not None]
    rows = session.scalars(
        select(StopEvent)
        .where(or_(StopEvent.leg_id.in_(legs), StopEvent.consignment_id.in_(goods)))
        .order_by(StopEvent.at_vehicle, StopEvent.id)
    )
    out: dict[int, list[StopEventPublic]] = {s.id: [] for s in run.stops}
    for row in rows:
        stop_id = by_key.get((row.leg_id, row.consignment_id, row.stop_kind or ""))
        if stop_id is not None:
            out[stop_id].append(public(row))
    return out
