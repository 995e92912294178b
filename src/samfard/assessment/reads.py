"""Read use cases around assessment: trial assessment, the letter, the ledger, issuers.

Each one is audited in its own transaction because each reads a traveller's data (or, for
the certificate report, only counts per unit and needs no audit entry per traveller).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.register import require_in_register
from samfard.assessment.facts import TripInput
from samfard.assessment.letters import LetterLeg, render_letter
from samfard.assessment.service import (
    assess_trip,
    by_person,
    decision_json,
    rules_refuse,
    suggested_mode,
    trip_of,
)
from samfard.booking.legs import plan_legs
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.schemas import BookingCreate
from samfard.booking.service import check_version, get_booking, prepare
from samfard.booking.views import decision_shown, leg_public
from samfard.costs.fee_ledger import FeeLedgerEntry, ceiling_rule, ceiling_status
from samfard.db import transaction
from samfard.errors import Conflict, DomainError, NotFound
from samfard.principals.service import get_principal
from samfard.rules.decision import Outcome
from samfard.rules.facts import Mode
from samfard.rules.ledger import CeilingRule, CeilingStatus
from samfard.rules.loader import shipped_rulebooks
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Certificate, Issuer, Traveller
from samfard.travellers.service import load_traveller
from samfard.travellers.views import can_see_identity, display_name


def trial_assessment(
    *, session: Session, data: BookingCreate, mode: Mode | None, actor: Actor, now: datetime
) -> dict[str, Any]:
    """What the rules would decide for a trip, as stored on a booking and shown to the
    caller (`decision_shown`), storing nothing but the audit of the read."""
    with transaction(session):
        traveller = prepare(
            session,
            traveller_id=data.traveller_id,
            principal_code=data.principal,
            service=data.service,
            actor=actor,
        )
        planned = plan_legs(session, data.legs, traveller, now=now)
        legs = [leg.to_row(seq) for seq, leg in enumerate(planned)]
        trip = TripInput(
            service=data.service,
            principal=data.principal,
            purpose=data.purpose,
            legs=legs,
            companions=[c.model_dump(mode="json") for c in data.companions],
            needs=[n.value for n in data.needs],
            booked_at=now,
            mode=mode,
        )
        decision = assess_trip(session, trip, traveller)
        audit.record(
            session,
            actor,
            traveller_id=traveller.id,
            record_type="traveller",
            record_id=traveller.id,
            action="read",
            purpose="trial assessment",
            at=now,
        )
    return decision_shown(decision_json(decision), visible=can_see_identity(traveller, actor))


def decision_letter(*, session: Session, booking_id: int, actor: Actor, now: datetime) -> str:
    """The Swedish decision letter of a booking (the read is audited by get_booking)."""
    booking = get_booking(session=session, booking_id=booking_id, actor=actor, now=now)
    if booking.decision is None:
        raise NotFound(
            f"booking {booking.reference} has no decision yet: it was stored before assessment ran",
            field="booking_id",
        )
    return _letter(session, booking, booking.decision, booking.status, actor=actor, now=now)


def previewed_letter(
    *,
    session: Session,
    booking_id: int,
    action: str,
    reason: str,
    version: int | None,
    actor: Actor,
    now: datetime,
) -> str:
    """The letter an assessor's decision (approve or deny, with `reason`) would give the
    waiting booking, stored nowhere: an approval priced as `decide` prices it (the rules
    run again with today's ledger, reads only). The read is audited by get_booking.

    Raises Conflict when the booking changed since `version` was read or is no longer
    waiting (its own letter stands), and
    InputError when the rules refuse the suggested mode, as approving would."""
    booking = get_booking(session=session, booking_id=booking_id, actor=actor, now=now)
    check_version(booking, version)
    if booking.status != BookingStatus.REQUESTED.value:
        raise Conflict(
            f"booking {booking.reference} is {booking.status}: decided already", field="action"
        )
    stored = dict(booking.decision or {})
    status = BookingStatus.DENIED if action == "deny" else BookingStatus.APPROVED
    if status is BookingStatus.APPROVED:
        traveller = load_traveller(session=session, traveller_id=booking.traveller_id)
        chosen = suggested_mode(booking)
        try:
            decision = assess_trip(session, trip_of(booking, mode=chosen), traveller)
        except DomainError:  # the person would decide alone, no fee by rule (as `decide`)
            stored |= {"chosen_mode": chosen.value, "fee_ore": 0, "legs": []}
        else:
            if decision.outcome is Outcome.REFUSED:
                # said as the approval says it, and hidden as it hides
                visible = can_see_identity(traveller, actor)
                raise rules_refuse(booking, chosen, decision, visible=visible)
            stored = decision_json(decision, at=now)
    outcome = "denied" if status is BookingStatus.DENIED else "approved"
    decided = by_person(
        stored, outcome, action=action, reason=reason, mode=None, actor=actor, now=now
    )
    return _letter(session, booking, decided, status.value, actor=actor, now=now)


def _letter(
    session: Session,
    booking: Booking,
    stored: dict[str, Any],
    status: str,
    *,
    actor: Actor,
    now: datetime,
) -> str:
    """The letter of `booking` with the decision `stored` in `status`, as `actor` may read
    it: a protected traveller's name and addresses masked."""
    traveller = load_traveller(session=session, traveller_id=booking.traveller_id)
    principal = get_principal(session=session, code=booking.principal_code)
    visible = can_see_identity(traveller, actor)
    legs = []
    for leg in sorted(booking.legs, key=lambda leg: leg.seq):
        shown = leg_public(leg, visible=visible)  # a protected home address is masked
        legs.append(
            LetterLeg(
                leg.reference_time,
                leg.appointment_at is not None,
                shown.origin_address,
                shown.destination_address,
            )
        )
    code = traveller.postal_code
    postal = f"{code[:3]} {code[3:]}" if len(code) == 5 else code
    address = f"{traveller.street}, {postal} {traveller.city}"
    return render_letter(
        reference=booking.reference,
        service=booking.service,
        principal_name=principal.name,
        traveller_name=display_name(traveller, actor),
        traveller_address=address if visible else None,
        status=status,
        decision=decision_shown(stored, visible=visible),
        legs=legs,
        written_on=now.astimezone(STOCKHOLM).date(),
    )


@dataclass(frozen=True)
class LedgerView:
    day: date
    rule: CeilingRule
    status: CeilingStatus
    entries: list[FeeLedgerEntry]


def fee_ledger_view(
    *,
    session: Session,
    traveller_id: int,
    principal: str,
    day: date | None,
    actor: Actor,
    now: datetime,
) -> LedgerView:
    """Where a traveller stands with the fee ceiling of `principal` on `day` (default today)."""
    actor.require_principal(principal)
    on = day or now.astimezone(STOCKHOLM).date()
    with transaction(session):
        if session.get(Traveller, traveller_id) is None:
            raise NotFound(f"no traveller with id {traveller_id}", field="traveller_id")
        require_in_register(session, actor, traveller_id)
        rule = ceiling_rule(shipped_rulebooks(), principal, on)
        if rule is None:
            raise NotFound(
                f"principal {principal} has no fee ceiling (only regions' sjukresor do)",
                field="principal",
            )
        status = ceiling_status(
            session, traveller_id=traveller_id, principal=principal, rule=rule, day=on
        )
        entries = list(
            session.scalars(
                select(FeeLedgerEntry)
                .where(
                    FeeLedgerEntry.traveller_id == traveller_id,
                    FeeLedgerEntry.principal_code == principal,
                )
                .order_by(FeeLedgerEntry.trip_date, FeeLedgerEntry.id)
            )
        )
        audit.record(
            session,
            actor,
            traveller_id=traveller_id,
            record_type="fee_ledger",
            record_id=traveller_id,
            action="read",
            purpose="fee ceiling status",
            at=now,
        )
    return LedgerView(day=on, rule=rule, status=status, entries=entries)


@dataclass(frozen=True)
class IssuerCount:
    principal: str
    unit: str
    issuer_hsa_id: str | None
    issuer_name: str | None
    certified_today: bool | None
    certificates: int


def certificate_report(*, session: Session, actor: Actor, now: datetime) -> list[IssuerCount]:
    """Certificates per issuer and unit, within the actor's principals (counts only)."""
    statement = (
        select(Certificate.principal_code, Certificate.unit, Issuer, func.count(Certificate.id))
        .outerjoin(Issuer, Certificate.issuer_id == Issuer.id)
        .group_by(Certificate.principal_code, Certificate.unit, Issuer.id)
        .order_by(Certificate.principal_code, Certificate.unit, Issuer.id)
    )
    if "*" not in actor.principal_codes:
        statement = statement.where(Certificate.principal_code.in_(sorted(actor.principal_codes)))
    today = now.astimezone(STOCKHOLM).date()
    return [
        IssuerCount(
            principal=principal,
            unit=unit,
            issuer_hsa_id=None if issuer is None else issuer.hsa_id,
            issuer_name=None if issuer is None else issuer.name,
            certified_today=None if issuer is None else issuer.certified_on(today),
            certificates=count,
        )
        for principal, unit, issuer, count in session.execute(statement)
    ]
