"""Assessment of stored bookings: the rules decide at creation, an assessor decides the rest.

A booking is assessed in the transaction that creates it, so it is never stored without
its decision. Automatic approval moves it to approved and records its fees in the fee
ledger; an automatic refusal moves it to denied with the reasons (kept in the decision and
in the event); a booking the rules cannot settle stays requested and waits in the queue.
When the engine cannot assess at all (a missing fact, a service without rules), the booking
also waits for a person, with the error as the reason: it is never refused for our gap.

The stored decision (booking.decision) is the engine's Decision as JSON plus the decision
that stands: `outcome` is what stands ("automatic" or "refused" by the rules,
"needs_assessor" while waiting, "approved" or "denied" by an assessor), `rules_outcome`
what the rules said, `decided_by` ("rules" or "assessor") and `decided_at`, and for a person
the action and reason. The booking's `mode` column is the mode of that decision: the rules'
chosen mode, or the assessor's change of mode; the fee recorded in the ledger is the fee of
that mode.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.assessment.ceiling import lower_later_fees
from samfard.assessment.facts import TripInput, build_request, requested_mode
from samfard.assessment.words_sv import MODES_SV, why_about_sv
from samfard.booking.entitlement import check_record_scope
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.service import check_version, load_booking
from samfard.booking.transitions import apply_transition
from samfard.booking.views import decision_shown
from samfard.costs import fee_ledger
from samfard.db import transaction
from samfard.errors import Conflict, DomainError, InputError
from samfard.rules.decision import Decision, Effect, Outcome, Reason, cited, companion_fees
from samfard.rules.engine import assess
from samfard.rules.facts import Mode
from samfard.rules.loader import RulebookSet, shipped_rulebooks
from samfard.rules.public_transport import configured_check
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.travellers.views import can_see_identity

WAITING = "needs_assessor"
# What an assessor may approve: a booking waiting for a decision, or one denied and taken up
# again (omprövning). Anything later was approved already and has its fees in the ledger.
AWAITING_APPROVAL = frozenset({BookingStatus.REQUESTED.value, BookingStatus.DENIED.value})


def plain(value: object) -> object:
    """A JSON-ready form of a decision: enums by value, dates ISO, Decimals as strings."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise TypeError(f"cannot store a {type(value).__name__} in a decision")


def cite(reason: Reason, *, by_code: bool = False) -> str:
    """A reason with the rule it rests on, as written in decisions and letters. `by_code`
    names the reason by its code instead of its text, which may carry facts of the person
    (km from the home): how a booking's event log, read by anyone with the booking in
    scope, says why."""
    said = reason.code if by_code else reason.text
    if reason.citation is None:
        return said
    c = reason.citation
    return cited(said, c.file, c.key, c.valid_from)


def decision_json(decision: Decision, *, at: datetime | None = None) -> dict[str, Any]:
    """The Decision as stored on the booking, with the totals a reader looks for first;
    `at` is when it was taken (None for a trial that decides nothing)."""
    stored = plain(decision)
    assert isinstance(stored, dict)
    stored["fee_ore"] = decision.fee_ore
    stored["companion_fee_ore"] = sum(companion_fees(stored["companions"]).values())
    stored["reimbursement_ore"] = decision.reimbursement_ore
    stored["automatic"] = decision.outcome is Outcome.AUTOMATIC
    stored["needs_assessor_because"] = [cite(r) for r in decision.why(Effect.NEEDS_ASSESSOR)]
    stored["refused_because"] = [cite(r) for r in decision.why(Effect.REFUSE)]
    stored["rules_outcome"] = decision.outcome.value
    stored["decided_by"] = "rules"
    stored["decided_at"] = None if at is None else at.isoformat()
    return stored


def booking_mode(booking: Booking) -> Mode | None:
    """The mode stored on the booking (asked for, or decided), if any."""
    return None if booking.mode is None else Mode(booking.mode)


def trip_of(booking: Booking, *, mode: Mode | None = None, by_assessor: bool = False) -> TripInput:
    return TripInput(
        service=booking.service,
        principal=booking.principal_code,
        purpose=booking.purpose,
        legs=booking.legs,
        companions=booking.companions,
        needs=booking.needs,
        booked_at=booking.created_at,
        mode=mode or booking_mode(booking),
        booking_id=booking.id,
        assessor_decides=by_assessor,
    )


def assess_trip(
    session: Session,
    trip: TripInput,
    traveller: Traveller,
    *,
    rulebooks: RulebookSet | None = None,
) -> Decision:
    """Run the engine on a trip with the register's facts (reads only)."""
    books = rulebooks or shipped_rulebooks()
    request = build_request(session, trip, traveller, books)
    return assess(request, books, public_transport=configured_check())


def waiting_for_error(error: DomainError, *, at: datetime) -> dict[str, Any]:
    """The stored decision of a trip the rules could not assess: it waits for a person."""
    return {
        "outcome": WAITING,
        "rules_outcome": WAITING,
        "decided_by": "rules",
        "decided_at": at.isoformat(),
        "automatic": False,
        "needs_assessor_because": [f"the rules could not assess this trip: {error.message}"],
        "refused_because": [],
        "error_field": error.field,
    }


def _leg_days(booking: Booking) -> tuple[date, ...]:
    ordered = sorted(booking.legs, key=lambda leg: leg.seq)
    return tuple(leg.reference_time.astimezone(STOCKHOLM).date() for leg in ordered)


def _approve(
    session: Session,
    booking: Booking,
    decision: Decision,
    *,
    actor: Actor,
    now: datetime,
    reason: str,
    reason_by_person: bool = False,
) -> None:
    apply_transition(
        session,
        booking,
        BookingStatus.APPROVED,
        actor=actor,
        now=now,
        reason=reason,
        reason_by_person=reason_by_person,
    )
    record_fees(session, booking, decision, actor=actor, now=now)


def record_fees(
    session: Session, booking: Booking, decision: Decision, *, actor: Actor, now: datetime
) -> None:
    """The approved decision's fees in the fee ledger, leg by leg on the legs' dates; fees
    of later-dated trips the ceiling no longer leaves are lowered (assessment.ceiling)."""
    days = _leg_days(booking)
    fee_ledger.record(
        session,
        booking_id=booking.id,
        traveller_id=booking.traveller_id,
        decision=decision,
        trip_dates=days,
        at=now,
        by=actor.username,
    )
    lower_later_fees(
        session,
        traveller_id=booking.traveller_id,
        principal=decision.principal,
        day=days[0],
        now=now,
    )


def assess_new_booking(
    session: Session, booking: Booking, traveller: Traveller, *, actor: Actor, now: datetime
) -> None:
    """Assess a just-stored booking inside its creation transaction and act on the outcome.

    The booking's mode becomes the rules' chosen mode; when the rules cannot choose one it
    stays the mode asked for, or the vehicle the needs call for."""
    trip = trip_of(booking)
    try:
        decision = assess_trip(session, trip, traveller)
    except DomainError as error:
        booking.mode = (trip.mode or requested_mode(booking.needs)).value
        booking.decision = waiting_for_error(error, at=now)
        return
    booking.mode = (decision.chosen_mode or trip.mode or requested_mode(booking.needs)).value
    booking.decision = decision_json(decision, at=now)
    if decision.outcome is Outcome.AUTOMATIC:
        rulebook = ", ".join(f"{r.file} from {r.valid_from}" for r in decision.rulebooks)
        _approve(
            session,
            booking,
            decision,
            actor=actor,
            now=now,
            reason=f"approved automatically under {rulebook}",
        )
    elif decision.outcome is Outcome.REFUSED:
        apply_transition(
            session,
            booking,
            BookingStatus.DENIED,
            actor=actor,
            now=now,
            reason="denied automatically: "
            + "; ".join(cite(r, by_code=True) for r in decision.why(Effect.REFUSE)),
        )


def decide(
    *,
    session: Session,
    booking_id: int,
    action: str,
    reason: str,
    mode: Mode | None,
    version: int | None,
    actor: Actor,
    now: datetime,
) -> Booking:
    """An assessor approves, denies or changes the mode, in one transaction with the event.

    Approval re-runs the rules with today's ledger (other trips may have been approved since
    the booking was made) so the fees charged are the ones the ceiling allows now.
    """
    if not reason.strip():
        raise InputError("an assessor's decision needs a reason", field="reason")
    if action == "change_mode" and mode is None:
        raise InputError("changing the mode needs the new mode", field="mode")
    with transaction(session):
        booking = load_booking(session=session, booking_id=booking_id)
        check_record_scope(actor, booking)  # before the version: a 409 would tell it exists
        check_version(booking, version)
        decide_loaded(
            session, booking, action=action, reason=reason, mode=mode, actor=actor, now=now
        )
    return booking


def decide_loaded(
    session: Session,
    booking: Booking,
    *,
    action: str,
    reason: str,
    mode: Mode | None,
    actor: Actor,
    now: datetime,
) -> None:
    """An assessor's decision on a booking already loaded, in scope and of the version
    read, inside the caller's transaction: `decide` for one, `series_decision` for the
    waiting trips of a series together."""
    if action != "deny" and booking.status not in AWAITING_APPROVAL:
        # Checked here, not left to the fee ledger's unique key: scheduled -> approved is
        # a legal move (taken out of the plan) and would charge the fees a second time.
        approved = any(e.to_status == BookingStatus.APPROVED.value for e in booking.events)
        done = "it was approved already" if approved else "it was never approved and is closed"
        raise Conflict(
            f"booking {booking.reference} is {booking.status}, {done}; "
            "an assessor approves a requested booking, or a denied one on reconsideration",
            field="action",
        )
    if action == "deny":
        apply_transition(
            session,
            booking,
            BookingStatus.DENIED,
            actor=actor,
            now=now,
            reason=f"assessor: {reason}",
            reason_by_person=True,
        )
        stored = dict(booking.decision or {"rules_outcome": WAITING})
        outcome = "denied"
    else:
        stored = _approved_by_person(session, booking, mode, reason, actor=actor, now=now)
        outcome = "approved"
    booking.decision = by_person(
        stored, outcome, action=action, reason=reason, mode=mode, actor=actor, now=now
    )


def by_person(
    stored: dict[str, Any],
    outcome: str,
    *,
    action: str,
    reason: str,
    mode: Mode | None,
    actor: Actor,
    now: datetime,
) -> dict[str, Any]:
    """A stored decision as an assessor's `outcome` ("approved" or "denied"): by whom, when
    and why. Shared with the letter's preview, so it says what the decision will."""
    person = {
        "username": actor.username,
        "at": now.isoformat(),
        "action": action,
        "reason": reason,
        "mode": None if mode is None else mode.value,
    }
    return stored | {
        "outcome": outcome,
        "decided_by": "assessor",
        "decided_at": now.isoformat(),
        "assessor": person,
    }


def _approved_by_person(
    session: Session,
    booking: Booking,
    mode: Mode | None,
    reason: str,
    *,
    actor: Actor,
    now: datetime,
) -> dict[str, Any]:
    traveller = session.get(Traveller, booking.traveller_id)
    assert traveller is not None, "bookings reference a stored traveller"
    chosen = mode or suggested_mode(booking)
    try:
        trip = trip_of(booking, mode=chosen, by_assessor=mode is not None)
        decision = assess_trip(session, trip, traveller)
    except DomainError as error:
        # The rules cannot assess this trip (a fact they need is missing, or the service
        # has none): the person decides alone, and no fee is charged by rule.
        booking.mode = chosen.value
        apply_transition(
            session,
            booking,
            BookingStatus.APPROVED,
            actor=actor,
            now=now,
            reason=f"assessor: {reason}",
            reason_by_person=True,
        )
        return dict(booking.decision or {}) | {
            "chosen_mode": chosen.value,
            "fee_ore": 0,
            "legs": [],
            "rules_error": error.message,
        }
    if decision.outcome is Outcome.REFUSED:
        raise rules_refuse(booking, chosen, decision, visible=can_see_identity(traveller, actor))
    booking.mode = chosen.value
    _approve(
        session,
        booking,
        decision,
        actor=actor,
        now=now,
        reason=f"assessor: {reason}",
        reason_by_person=True,
    )
    return decision_json(decision, at=now)


def rules_refuse(
    booking: Booking, chosen: Mode, decision: Decision, *, visible: bool
) -> InputError:
    """The rules refuse the trip in the mode an assessor would approve: the refusal to
    answer (422, with the rules' reasons in Swedish as `detail_sv`, which the page shows).

    An assessor does not approve what the principal's rulebook refuses (no fee can be
    computed from it, docs/assessment.md), so a reconsideration (omprövning) does not
    override the rules; but they run again on today's register, so one of a trip the rules
    denied succeeds once what they refused on has changed there (a new certificate, a
    renewed permit). For such a trip the answer said "deny it", and the page only that the
    decision could not be saved (a walk-through, 2026-12-07): now it says that the denial
    stands, why, and what to do. A waiting trip's approval the rules refuse (the register
    changed since it waited, or the assessor chose a mode) said on the page too only that
    the decision could not be saved: now it names the mode, the reasons, and that the
    assessor may deny it or choose a mode the rules price.

    The reasons are given as the reader may see the decision (`decision_shown`, `visible`):
    for a protected identity the reader may not see, by their rules' codes, without the
    texts and facts worked out from the home (km from it, the walk to its stop)."""
    shown = decision_shown(decision_json(decision), visible=visible)
    because = "; ".join(shown["refused_because"])
    reasons_sv = why_about_sv(shown, BookingStatus.DENIED.value)
    if booking.status != BookingStatus.DENIED.value:
        waiting = InputError(
            f"the rules refuse {chosen.value} for booking {booking.reference} ({because}); "
            "deny it, or change the mode to one the rules price",
            field="mode",
        )
        mode_sv = MODES_SV.get(chosen.value, chosen.value)
        waiting.detail_sv = " ".join(
            [f"Resan kan inte beviljas med {mode_sv}, eftersom reglerna avslår det färdsättet:"]
            + reasons_sv
            + [DENY_OR_OTHER_MODE_SV]
        )
        return waiting
    refused = InputError(
        f"booking {booking.reference} stays denied: the rules still refuse {chosen.value} "
        f"({because}); record what has changed (a certificate, a permit) and reconsider "
        "again, or use change_mode with a mode the rules price",
        field="mode",
    )
    refused.detail_sv = " ".join(
        ["Resan kan inte beviljas vid omprövning, eftersom reglerna fortfarande avslår den:"]
        + reasons_sv
        + [RECONSIDER_LATER_SV]
    )
    return refused


DENY_OR_OTHER_MODE_SV = (
    "Avslå resan, eller ändra färdsätt i beställningen till ett som reglerna ersätter."
)


RECONSIDER_LATER_SV = (
    "Avslaget står kvar. Har underlaget ändrats, till exempel ett nytt sjukreseintyg eller "
    "tillstånd, registrera det först och ompröva sedan."
)


def suggested_mode(booking: Booking) -> Mode:
    """The mode an approval without a change of mode decides: the rules' choice, else the
    booking's own."""
    chosen = (booking.decision or {}).get("chosen_mode")
    if chosen:
        return Mode(chosen)
    return booking_mode(booking) or requested_mode(booking.needs)


def queue(
    *, session: Session, actor: Actor, now: datetime, principal: str | None, limit: int
) -> list[Booking]:
    """Bookings waiting for a person: requested, with a decision that needs an assessor."""
    statement = select(Booking).where(Booking.status == BookingStatus.REQUESTED.value)
    if principal is not None:
        actor.require_principal(principal)
        statement = statement.where(Booking.principal_code == principal)
    elif "*" not in actor.principal_codes:
        statement = statement.where(Booking.principal_code.in_(sorted(actor.principal_codes)))
    rows = session.scalars(statement.order_by(Booking.service_date, Booking.id))
    waiting = [b for b in rows if (b.decision or {}).get("outcome") == WAITING][:limit]
    with transaction(session):
        audit.record_bookings(
            session, actor, waiting, action="list", purpose="assessment queue", at=now
        )
    return waiting
