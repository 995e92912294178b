"""A deviation as an answer: the traveller's name only for roles that read the register,
and masked for a protected identity the reader may not see, with the free text about them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission
from samfard.booking.models import Booking
from samfard.quality.models import Deviation
from samfard.quality.schemas import (
    DeviationEventPublic,
    DeviationKind,
    DeviationPublic,
    DeviationStatus,
    Outcome,
    Severity,
)
from samfard.quality.service import answer_overdue
from samfard.travellers.models import Traveller
from samfard.travellers.views import display_name


def traveller_name(session: Session, deviation: Deviation, actor: Actor) -> str | None:
    if deviation.traveller_id is None or not actor.has(Permission.TRAVELLERS_READ):
        return None
    traveller = session.get(Traveller, deviation.traveller_id)
    return display_name(traveller, actor) if traveller is not None else None


# Said instead of a traveller's username to a reader outside the register (a carrier):
# a username may carry the person's name, and the carrier answers the report, not them.
TRAVELLER_SHOWN_AS = "traveller"


def _who(username: str, role: str, actor: Actor, *, protected: bool) -> str:
    """The username of whoever reported or handled, unless it is a traveller's and the
    reader may not read the register, or may not see who the deviation's traveller is
    (`protected`: their own account is named after them, access.account_names)."""
    if role == "traveller" and (protected or not actor.has(Permission.TRAVELLERS_READ)):
        return TRAVELLER_SHOWN_AS
    return username


# Said instead of the free text of a deviation about a protected identity (its
# description, the carrier's answer, the handling notes) to a reader who may not see them.
HIDDEN_TEXT = "Fritexten visas inte: avvikelsen gäller en person med skyddad identitet."


def free_text_hidden(session: Session, deviation: Deviation, actor: Actor) -> bool:
    """Whether the reader may not see what people wrote about this deviation: a traveller
    with skyddad identitet reporting that the car never came to their door at Storgatan 4
    told every carrier, operator and administrator reading it where they live, as a note to
    the driver would. The person themselves and those entitled to protected identities
    see it."""
    if actor.has(Permission.PROTECTED_IDENTITY_READ):
        return False
    booking = session.get(Booking, deviation.booking_id) if deviation.booking_id else None
    traveller_id = booking.traveller_id if booking is not None else deviation.traveller_id
    if traveller_id is None or actor.traveller_id == traveller_id:
        return False
    traveller = session.get(Traveller, traveller_id)
    return traveller is not None and traveller.protected_identity


def shown_text(text: str | None, *, hidden: bool) -> str | None:
    """A deviation's free text as a reader sees it: `HIDDEN_TEXT` in place of any text
    when it is hidden from them (`free_text_hidden`)."""
    return HIDDEN_TEXT if hidden and text else text


def deviation_public(
    session: Session, deviation: Deviation, actor: Actor, now: datetime
) -> DeviationPublic:
    booking = session.get(Booking, deviation.booking_id) if deviation.booking_id else None
    hidden = free_text_hidden(session, deviation, actor)
    return DeviationPublic(
        id=deviation.id,
        reference=deviation.reference,
        booking_id=deviation.booking_id,
        trip_key=deviation.trip_key,
        booking_reference=booking.reference if booking else None,
        traveller_name=traveller_name(session, deviation, actor),
        principal=deviation.principal_code,
        service=deviation.service,
        carrier=deviation.carrier_name,
        day=deviation.day,
        occurred_at=deviation.occurred_at,
        kind=DeviationKind(deviation.kind),
        severity=Severity(deviation.severity),
        description=shown_text(deviation.description, hidden=hidden) or "",
        reported_by=_who(deviation.reported_by, deviation.reporter_role, actor, protected=hidden),
        reporter_role=deviation.reporter_role,
        reported_at=deviation.reported_at,
        status=DeviationStatus(deviation.status),
        carrier_due_at=deviation.carrier_due_at,
        carrier_answer_overdue=answer_overdue(deviation, now),
        carrier_answer=shown_text(deviation.carrier_answer, hidden=hidden),
        outcome=Outcome(deviation.outcome) if deviation.outcome else None,
        penalty_ore=deviation.penalty_ore,
        principal_alerted_at=deviation.principal_alerted_at,
        closed_at=deviation.closed_at,
        version=deviation.version,
        events=[
            DeviationEventPublic(
                at=e.at,
                actor=_who(e.actor, e.actor_role, actor, protected=hidden),
                actor_role=e.actor_role,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                note=shown_text(e.note, hidden=hidden),
            )
            for e in deviation.events
        ],
    )
