"""What the driver reported of the trip a deviation is about, for whoever handles it.

A traveller disputes a no-show ("the car never came"); the handler and the carrier weigh
it against the driver's reports: when the vehicle said it was at the door, when it gave
up. The card showed the deviation without them, and a walk-through (2026-12-06) had to
look them up elsewhere. Only the times and what was reported are shown, never a position:
a report made at a protected traveller's door would tell where they live.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.booking.models import Leg
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.driver.rules import SV

STOP_SV = {"pickup": "hämtning", "dropoff": "lämning"}


@dataclass(frozen=True, slots=True)
class DriverReport:
    at: datetime  # the vehicle's time of it
    what: str  # "Resa 1, hämtning: Framme"


def driver_reports(session: Session, booking_id: int | None) -> list[DriverReport]:
    """The booking's stop reports (not positions), in the vehicle's time order."""
    if booking_id is None:
        return []
    rows = session.execute(
        select(StopEvent.at_vehicle, StopEvent.kind, StopEvent.stop_kind, Leg.seq)
        .outerjoin(Leg, Leg.id == StopEvent.leg_id)
        .where(StopEvent.booking_id == booking_id, StopEvent.kind != "position")
        .order_by(StopEvent.at_vehicle, StopEvent.id)
    )
    return [
        DriverReport(
            at,
            f"Resa {'?' if seq is None else seq + 1}, {STOP_SV.get(stop_kind or '', 'stopp')}: "
            f"{SV.get(kind, kind)}",
        )
        for at, kind, stop_kind, seq in rows
    ]
