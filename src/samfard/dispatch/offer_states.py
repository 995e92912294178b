"""Where the carriers' answers stand on a day: the vehicles whose run a carrier has taken
(accepted, or the region's own fleet) and those whose carrier said no (declined).

Kept apart from `dispatch.handoff`, which makes and answers the offers, because planning,
live insertion and re-planning read these answers too: nothing may be planned on a
declined vehicle, and a trip placed on a taken run is the carrier's (assigned) at once.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.dispatch.live_models import RunOffer

OFFERED, ACCEPTED, DECLINED = "offered", "accepted", "declined"
STATES_SV = {OFFERED: "Erbjuden", ACCEPTED: "Accepterad", DECLINED: "Avböjd"}


def vehicles_answered(session: Session, day: date, state: str) -> set[int]:
    """The ids of the vehicles whose offer of `day` is in `state`."""
    rows = session.scalars(
        select(RunOffer.vehicle_id).where(RunOffer.service_date == day, RunOffer.state == state)
    )
    return set(rows)
