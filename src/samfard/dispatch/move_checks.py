"""What a move checks before it plans anything, and how its refusals name things.

A leg whose pickup a driver has reported has begun (or ended, for a no-show) where it is,
and is refused with why (`require_not_begun`, 422); a booking no vehicle is to carry is
refused saying its state (`require_movable`); a refusal of the verifier names the trips
and runs it found at fault (`names_for`, with dispatch.move_words).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.dispatch import stop_reports, store
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.models import Vehicle
from samfard.dispatch.move_words import Names
from samfard.dispatch.planning_inputs import DayProblem
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.errors import Conflict, InputError
from samfard.planning.model import Solution


class LegUnderWay(InputError):
    """The leg's pickup is reported (Framme, Hämtad or Uteblev): the trip has begun, or
    ended, where it was, and no other vehicle can take it. `detail_sv` says so."""

    title = "Leg under way"


# Bookings whose legs may move: those to plan, and one under way (its return, say) for a
# leg not yet begun; a reported pickup is refused first (`require_not_begun`).
MOVABLE = frozenset({*store.PLANNABLE, BookingStatus.IN_PROGRESS.value})
STATUS_SV = {
    BookingStatus.REQUESTED.value: "väntar på beslut och är inte planerad",
    BookingStatus.DENIED.value: "är avslagen",
    BookingStatus.CANCELLED.value: "är avbokad",
    BookingStatus.NO_SHOW.value: "är rapporterad Uteblev",
    BookingStatus.COMPLETED.value: "är redan genomförd",
}


def require_not_begun(session: Session, booking: Booking, leg_seq: int) -> None:
    """Refuse a leg whose pickup a driver has reported: the traveller is on board (or the
    vehicle is at the door, or they did not show), so it stays where it is. The page
    offered Flytta for such a leg and the move failed with "Ladda om sidan och försök
    igen", which no reload could help."""
    done = session.scalar(
        select(StopDone).where(
            StopDone.booking_id == booking.id,
            StopDone.leg_seq == leg_seq,
            StopDone.kind == "pickup",
        )
    )
    if done is None:
        return
    said = stop_reports.reports(session, booking.service_date, [booking.id])
    report = next(
        (r for r in reversed(said.get((f"b{booking.id}.{leg_seq}", "pickup"), ()))),
        stop_reports.StopReport(done.status, done.at),
    )
    vehicle = session.get(Vehicle, done.vehicle_id)
    run = f" med {vehicle_name_sv(vehicle.code)}" if vehicle is not None else ""
    trip = f"{booking.reference} resa {leg_seq + 1}"
    why = {
        "arrived": "bilen är framme vid hämtningen",
        "picked_up": "resenären sitter i bilen",
        "no_show": "resenären kom inte, och resan är borttagen ur planen",
    }.get(report.kind, "resan har börjat")
    refused = LegUnderWay(
        f"leg {leg_seq} of {booking.reference} is under way: its pickup was reported "
        f"{report.kind}; a leg whose pickup is reported cannot be moved",
        field="leg_seq",
    )
    refused.detail_sv = (
        f"{trip} går inte att flytta: hämtningen är rapporterad {report.sv}{run}, så {why}."
    )
    raise refused


def require_movable(booking: Booking) -> None:
    """Refuse a booking no vehicle is to carry, saying why in Swedish."""
    if booking.status in MOVABLE and store.by_vehicle(booking):
        return
    refused = Conflict(
        f"booking {booking.reference} is {booking.status} and cannot be planned",
        field="booking_id",
    )
    why = STATUS_SV.get(booking.status, "går inte med något fordon i planen")
    if booking.status in MOVABLE:
        why = "görs inte med bil längre (resenären åker själv, med buss eller tåg)"
    refused.detail_sv = f"Resan {booking.reference} {why}, så den kan inte flyttas."
    raise refused


def names_for(session: Session, day: DayProblem, solution: Solution) -> Names:
    """Trips by booking number and runs by vehicle name, for a refusal's words."""
    ids = {leg.booking_id for leg in day.legs.values()}
    references = dict(
        session.execute(select(Booking.id, Booking.reference).where(Booking.id.in_(ids))).all()
    )
    trips = {
        rid: f"{references.get(leg.booking_id, leg.booking_id)} resa {leg.leg_seq + 1}"
        for rid, leg in day.legs.items()
    }
    trips.update({rid: f"godset {goods.consignment_id}" for rid, goods in day.consignments.items()})
    rows = {
        vid: row
        for vid, row in day.vehicles.items()
        if vid in {r.vehicle_id for r in solution.routes}
    }
    codes = dict(
        session.execute(
            select(Vehicle.id, Vehicle.code).where(Vehicle.id.in_(set(rows.values())))
        ).all()
    )
    vehicles = {vid: vehicle_name_sv(codes.get(row, str(row))) for vid, row in rows.items()}
    return Names(trips, vehicles, day.at)
