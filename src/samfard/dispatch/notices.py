"""What dispatch tells travellers: the vehicle is on its way, the pickup time changed.

Dispatch only publishes `events.TravellerNotice`; the notification outbox subscribes and
sends it by the traveller's channel. The text names the booking's reference and times,
never a person, so a protected identity cannot leak through a message.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from samfard import events
from samfard.access.actor import Actor
from samfard.booking.models import Booking
from samfard.timeutil import STOCKHOLM

ON_THE_WAY = "on_the_way"
NEW_TIME = "new_time"


def _clock(moment: datetime) -> str:
    return f"{moment.astimezone(STOCKHOLM):%H:%M}"


def on_the_way(
    session: Session, booking: Booking, expected: datetime, *, actor: Actor, at: datetime
) -> None:
    """The vehicle has left its previous stop and comes to this traveller next."""
    text = (
        f"Resa {booking.reference}: bilen är på väg till dig och beräknas vara framme "
        f"cirka {_clock(expected)}."
    )
    _publish(session, booking, ON_THE_WAY, text, actor=actor, at=at)


def new_time(
    session: Session, booking: Booking, expected: datetime, *, actor: Actor, at: datetime
) -> None:
    """The pickup will be later than the time the traveller was promised."""
    text = (
        f"Resa {booking.reference}: bilen är försenad och beräknas hämta dig cirka "
        f"{_clock(expected)}. Vi ber om ursäkt."
    )
    _publish(session, booking, NEW_TIME, text, actor=actor, at=at)


def new_promise(
    session: Session,
    booking: Booking,
    start: datetime,
    end: datetime,
    *,
    actor: Actor,
    at: datetime,
) -> None:
    """A re-plan gave the traveller a new pickup window (the old one could not be kept)."""
    text = f"Resa {booking.reference}: ny hämtningstid mellan {_clock(start)} och {_clock(end)}."
    _publish(session, booking, NEW_TIME, text, actor=actor, at=at)


def _publish(
    session: Session, booking: Booking, kind: str, text: str, *, actor: Actor, at: datetime
) -> None:
    events.publish(
        session,
        events.TravellerNotice(
            actor=actor,
            at=at,
            traveller_id=booking.traveller_id,
            booking_id=booking.id,
            kind=kind,
            text=text,
        ),
    )
