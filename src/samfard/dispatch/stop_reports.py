"""What the drivers have reported at the stops of a day, for the controller.

A run's page marks each stop reported (Framme, Hämtad, Lämnad, with the time the vehicle
gave) and lists the travellers who did not show (a no-show's stops leave the plan, so
the run no longer holds them); a leg whose pickup is reported is under way and cannot be
moved (`moves.move_leg`). The page offered Flytta for a traveller already on board, and
the move then failed with "Ladda om sidan och försök igen", which no reload could help.

Read from the driver's log (`StopEvent`, every report with its time) and, for reports
that reached dispatch without it (the simulator and tests publish `StopReported`
directly), from dispatch's summary (`StopDone`: the first report's time, the last one's
status). Rows name a leg or a consignment, not a stop: a re-plan rewrites stops, while what
was reported stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.models import Booking, Leg
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.driver.rules import POSITION, STOP_KINDS, SV
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.live_state import rid_of
from samfard.dispatch.planning_inputs import goods_request_id
from samfard.dispatch.schemas import StopPublic
from samfard.timeutil import STOCKHOLM

Key = tuple[str, str]
"""A stop across plan versions: the planner's request id ("b12.0", "g3") and its kind."""


@dataclass(frozen=True, slots=True)
class StopReport:
    """One report at a stop: what (arrived, picked_up, no_show, dropped_off), when, and
    by which vehicle (None where it was not recorded)."""

    kind: str
    at: datetime
    vehicle_id: int | None = None

    @property
    def sv(self) -> str:
        """ "Hämtad 10:42", as the driver's page says it."""
        return f"{SV[self.kind]} {self.at.astimezone(STOCKHOLM):%H:%M}"


def reports(
    session: Session, day: date, booking_ids: Iterable[int], consignment_ids: Iterable[int] = ()
) -> dict[Key, tuple[StopReport, ...]]:
    """The reports at every stop of these bookings' legs and consignments, oldest first."""
    bookings, goods = sorted(set(booking_ids)), sorted(set(consignment_ids))
    found: dict[Key, list[StopReport]] = {}
    if bookings:
        legs = session.execute(
            select(StopEvent.booking_id, Leg.seq, StopEvent.stop_kind, StopEvent.kind,
                   StopEvent.at_vehicle, StopEvent.vehicle_id)
            .join(Leg, Leg.id == StopEvent.leg_id)
            .where(StopEvent.service_date == day, StopEvent.booking_id.in_(bookings),
                   StopEvent.kind.in_(STOP_KINDS), StopEvent.stop_kind.is_not(None))
            .order_by(StopEvent.at_vehicle, StopEvent.id)
        )  # fmt: skip
        for booking_id, seq, stop_kind, kind, at, vehicle_id in legs:
            key = (rid_of(booking_id or 0, seq), str(stop_kind))
            found.setdefault(key, []).append(StopReport(kind, at, vehicle_id))
        for done in session.scalars(select(StopDone).where(StopDone.booking_id.in_(bookings))):
            key = (rid_of(done.booking_id, done.leg_seq), done.kind)
            if key not in found:  # reported to dispatch without the driver's log
                found[key] = [StopReport(done.status, done.at, done.vehicle_id)]
    if goods:
        loads = session.execute(
            select(StopEvent.consignment_id, StopEvent.stop_kind, StopEvent.kind,
                   StopEvent.at_vehicle, StopEvent.vehicle_id)
            .where(StopEvent.consignment_id.in_(goods), StopEvent.kind.in_(STOP_KINDS),
                   StopEvent.stop_kind.is_not(None))
            .order_by(StopEvent.at_vehicle, StopEvent.id)
        )  # fmt: skip
        for consignment_id, stop_kind, kind, at, vehicle_id in loads:
            key = (goods_request_id(consignment_id or 0), str(stop_kind))
            found.setdefault(key, []).append(StopReport(kind, at, vehicle_id))
    return {key: tuple(said) for key, said in found.items()}


def request_id(stop: StopPublic) -> str:
    """The planner's id of a stop as a plan shows it ("" for another principal's)."""
    if stop.consignment_id is not None:
        return goods_request_id(stop.consignment_id)
    if stop.booking_id is None or stop.leg_seq is None:
        return ""
    return rid_of(stop.booking_id, stop.leg_seq)


def reports_at(
    session: Session, day: date, stops: Iterable[StopPublic]
) -> dict[Key, tuple[StopReport, ...]]:
    """`reports` of the legs and goods of these stops (another principal's have none)."""
    shown = list(stops)
    return reports(
        session,
        day,
        (s.booking_id for s in shown if s.booking_id is not None),
        (s.consignment_id for s in shown if s.consignment_id is not None),
    )


def last_position_at(session: Session, day: date, vehicle_id: int) -> datetime | None:
    """When the vehicle last sent its position on `day` (None: it sent none), so the run's
    page tells whether the driver's app is still heard from."""
    return session.scalar(
        select(func.max(StopEvent.at_vehicle)).where(
            StopEvent.service_date == day,
            StopEvent.vehicle_id == vehicle_id,
            StopEvent.kind == POSITION,
        )
    )


@dataclass(frozen=True, slots=True)
class NoShow:
    """A traveller reported not shown at a pickup of a vehicle's run (their stops left it)."""

    booking_id: int
    leg_seq: int
    at: datetime


def no_shows(session: Session, day: date, vehicle_id: int) -> list[NoShow]:
    """The pickups of `day` where the driver of `vehicle_id` reported Uteblev, in order."""
    rows = session.scalars(
        select(StopDone)
        .where(StopDone.service_date == day, StopDone.vehicle_id == vehicle_id,
               StopDone.kind == "pickup", StopDone.status == "no_show")
        .order_by(StopDone.at, StopDone.id)
    )  # fmt: skip
    found = list(rows)
    said = reports(session, day, {row.booking_id for row in found})
    out = []
    for row in found:
        at = next(
            (r.at for r in said.get((rid_of(row.booking_id, row.leg_seq), "pickup"), ())
             if r.kind == "no_show"),
            row.at,
        )  # fmt: skip
        out.append(NoShow(row.booking_id, row.leg_seq, at))
    return out


@dataclass(frozen=True, slots=True)
class NoShowRow:
    """A no-show as a run's page lists it: "SF-… resa 1, Uteblev 11:41"."""

    reference: str
    leg_seq: int
    report: StopReport


def no_show_rows(
    session: Session, day: date, vehicle_id: int, actor: Actor
) -> tuple[NoShowRow, ...]:
    """`no_shows` of the principals the actor may read, by booking number."""
    missed = no_shows(session, day, vehicle_id)
    if not missed:
        return ()
    rows = session.execute(
        select(Booking.id, Booking.reference, Booking.principal_code).where(
            Booking.id.in_({m.booking_id for m in missed})
        )
    )
    shown = {bid: ref for bid, ref, principal in rows if actor.covers_principal(principal)}
    return tuple(
        NoShowRow(shown[m.booking_id], m.leg_seq, StopReport("no_show", m.at))
        for m in missed
        if m.booking_id in shown
    )
