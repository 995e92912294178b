"""A booking changed before it is travelled is decided again.

What the rules weigh (needs, companions, purpose) decides the approval, the mode and the
fee, so none of them may stand for the trip as it was: a wheelchair added to a taxi trip
needs a wheelchair vehicle, a companion added may cost a fee, a purpose changed may not be
paid for at all. `booking.service.update_booking` publishes the change
(events.BookingChanged) and this module decides the trip again in the same transaction:

- still requested: decided as a new booking is (approved, denied, or left waiting);
- approved, scheduled or assigned: priced again under the ledger as it stands without its
  own fees. The rules approving it replace its decision and its fees; the rules refusing it
  undo the change (the caller is told why, with the rules cited, and the trip stands as
  it was approved); the rules asking for a person send it back to requested, out of any
  plan, to the assessors' queue. A trip an assessor approved goes back to an assessor
  whenever the rules alone would not approve it: the person approved the trip as it was.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.assessment.facts import needs_of, requested_mode
from samfard.assessment.service import (
    assess_new_booking,
    assess_trip,
    cite,
    decision_json,
    record_fees,
    trip_of,
    waiting_for_error,
)
from samfard.assessment.words_sv import why_about_sv
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.transitions import apply_transition
from samfard.costs import fee_ledger
from samfard.errors import DomainError, InputError
from samfard.rules.decision import Effect, Outcome
from samfard.rules.facts import Mode
from samfard.travellers.models import Traveller


def decide_again(
    session: Session,
    booking: Booking,
    traveller: Traveller,
    *,
    fields: tuple[str, ...],
    actor: Actor,
    now: datetime,
) -> None:
    """Decide `booking` again after `fields` changed, in the change's transaction."""
    changed = {
        "changed": list(fields),
        "fee_before_ore": (booking.decision or {}).get("fee_ore"),
        "mode_before": booking.mode,
    }
    by_assessor = _assessor_mode(booking)
    booking.mode = _mode_asked(booking, fields, by_assessor)
    if booking.status == BookingStatus.REQUESTED:
        assess_new_booking(session, booking, traveller, actor=actor, now=now)
        booking.decision = (booking.decision or {}) | changed
        return
    fee_ledger.forget(session, booking.id)
    what = ", ".join(fields)
    trip = trip_of(booking, by_assessor=by_assessor is not None and booking.mode == by_assessor)
    asked = trip.mode or requested_mode(booking.needs)
    try:
        decision = assess_trip(session, trip, traveller)
    except DomainError as error:
        booking.mode = asked.value
        booking.decision = waiting_for_error(error, at=now) | changed
        _back_to_assessor(session, booking, what, actor=actor, now=now)
        return
    stored = decision_json(decision, at=now)
    if decision.outcome is Outcome.REFUSED:
        because = "; ".join(cite(r) for r in decision.why(Effect.REFUSE))
        refused = InputError(
            f"the rules refuse booking {booking.reference} as changed ({because}); it stands "
            "as it was approved: change it otherwise, or cancel it",
            field=fields[0],
        )
        refused.detail_sv = " ".join(
            [f"Reglerna godtar inte resan {booking.reference} med ändringen:"]
            + why_about_sv(stored, BookingStatus.DENIED)
            + ["Resan står kvar som den beviljades."]
        )
        raise refused
    booking.mode = (decision.chosen_mode or asked).value
    booking.decision = stored | changed
    if decision.outcome is Outcome.AUTOMATIC:
        record_fees(session, booking, decision, actor=actor, now=now)
    else:
        _back_to_assessor(session, booking, what, actor=actor, now=now)


def _assessor_mode(booking: Booking) -> str | None:
    """The mode an assessor set on the booking, if one did."""
    assessor = (booking.decision or {}).get("assessor") or {}
    mode = assessor.get("mode")
    return mode if isinstance(mode, str) else None


def _mode_asked(booking: Booking, fields: tuple[str, ...], by_assessor: str | None) -> str | None:
    """The mode the trip asks for when decided again: the standing one, unless the needs
    changed and no assessor set it (the rules then choose from the new needs), or it no
    longer fits them (a wheelchair added to an assessor's taxi)."""
    if booking.mode is None or ("needs" in fields and by_assessor is None):
        return None
    return booking.mode if needs_of(booking.needs).fits(Mode(booking.mode)) else None


def _back_to_assessor(
    session: Session, booking: Booking, what: str, *, actor: Actor, now: datetime
) -> None:
    apply_transition(
        session,
        booking,
        BookingStatus.REQUESTED,
        actor=actor,
        now=now,
        reason=f"changed ({what}): the rules ask an assessor to decide it again",
    )
