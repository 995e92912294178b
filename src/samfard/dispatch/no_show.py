"""A traveller who does not show: the fee the paying principal's rulebook charges for it.

Subscribed to `events.BookingStatusChanged` (dispatch/handlers.py): whoever records the
no-show (the driver's report, an operator) moves the booking to no_show, and the fee is
recorded in the same transaction. The rulebook in force on the trip's day decides
(`no_show` section, bomkörningsavgift); a rulebook without one charges nothing. One charge
for the leg the driver reported the no-show at (or, recorded without a driver's report,
the first leg not yet picked up), never twice (unique per booking and leg): the return
trip a traveller never started is not charged again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.booking.models import Booking
from samfard.dispatch.live_models import NoShowCharge, StopDone
from samfard.errors import RuleError
from samfard.rules.facts import Service
from samfard.rules.loader import RulebookSet, shipped_rulebooks


def no_show_fee(rulebooks: RulebookSet, booking: Booking) -> tuple[int, str] | None:
    """(fee in öre, the rule's source) for a no-show on `booking`, or None."""
    try:
        service = Service(booking.service)
    except ValueError:
        return None
    book = rulebooks.find(booking.principal_code, service)
    if book is None:
        return None
    try:
        _, version = book.version_on(booking.service_date)
    except RuleError:
        return None
    if version.no_show is None:
        return None
    return version.no_show.fee_ore, f"{book.file}: {version.no_show.source}"


def record_no_show(
    session: Session,
    booking: Booking,
    *,
    at: datetime,
    by: str,
    rulebooks: RulebookSet | None = None,
) -> list[NoShowCharge]:
    """Charge the no-show fee (in the caller's transaction); see the module for which leg."""
    fee = no_show_fee(rulebooks or shipped_rulebooks(), booking)
    if fee is None:
        return []
    reported = {
        row.leg_seq: row.status
        for row in session.scalars(
            select(StopDone).where(StopDone.booking_id == booking.id, StopDone.kind == "pickup")
        )
    }
    charged = set(
        session.scalars(select(NoShowCharge.leg_seq).where(NoShowCharge.booking_id == booking.id))
    )
    legs = sorted(booking.legs, key=lambda leg: leg.seq)
    missed = [leg.seq for leg in legs if reported.get(leg.seq) == "no_show"]
    if not missed:
        missed = [leg.seq for leg in legs if reported.get(leg.seq) != "picked_up"][:1]
    rows = [
        NoShowCharge(
            booking_id=booking.id,
            leg_seq=seq,
            traveller_id=booking.traveller_id,
            principal_code=booking.principal_code,
            fee_ore=fee[0],
            rule_source=fee[1][:300],
            recorded_at=at,
            recorded_by=by,
        )
        for seq in missed
        if seq not in charged
    ]
    session.add_all(rows)
    session.flush()
    return rows
