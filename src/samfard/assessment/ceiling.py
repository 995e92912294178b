"""Fees the ceiling takes away after they were told: a trip approved after later-dated ones.

A trip is priced with the fees of the trips up to its own day, so a follow-up booked before
the weekly trips that come first, or a series approved from its end, would let the
period's total pass the ceiling (högkostnadsskydd). After every approval the ledger is
replayed in date order and each fee above what the ceiling leaves it is lowered
(`costs.fee_ledger.lower_to_ceiling`); the booking it belongs to has its stored decision
lowered with it, keeping the fee told before, so its letter, the desk and settlement say
the same. A fee is never raised after it was told.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy.orm import Session

from samfard.booking.models import Booking
from samfard.costs import fee_ledger
from samfard.rules.loader import RulebookSet, shipped_rulebooks


def lower_later_fees(
    session: Session,
    *,
    traveller_id: int,
    principal: str,
    day: date,
    now: datetime,
    rulebooks: RulebookSet | None = None,
) -> list[int]:
    """Lower the fees the ceiling no longer leaves (the rule in force on `day`); returns
    the ids of the bookings whose fees were lowered."""
    rule = fee_ledger.ceiling_rule(rulebooks or shipped_rulebooks(), principal, day)
    if rule is None:
        return []
    lowered = fee_ledger.lower_to_ceiling(
        session, traveller_id=traveller_id, principal=principal, rule=rule
    )
    by_booking: dict[int, dict[int, int]] = defaultdict(dict)
    for row in lowered:
        by_booking[row.booking_id][row.leg_index] = row.paid_ore
    for booking_id, paid in by_booking.items():
        booking = session.get(Booking, booking_id)
        assert booking is not None, "ledger rows belong to stored bookings"
        _lower_decision(booking, paid, at=now)
    return sorted(by_booking)


def _lower_decision(booking: Booking, paid: dict[int, int], *, at: datetime) -> None:
    decision = dict(booking.decision or {})
    legs = [dict(leg) for leg in decision.get("legs", [])]
    for leg in legs:
        if leg.get("leg_index") in paid:
            leg["fee_ore"] = paid[leg["leg_index"]]
    told = decision.get("fee_ore")
    decision["legs"] = legs
    decision["fee_ore"] = sum(int(leg.get("fee_ore", 0)) for leg in legs)
    decision["lowered_by_ceiling"] = {"at": at.isoformat(), "fee_before_ore": told}
    booking.decision = decision
