"""The outbox's subscriptions on the message bus: a TravellerNotice becomes an SMS.

Whoever knows something a traveller should hear (the live day: the vehicle is on its way, a
new time) publishes `events.TravellerNotice`; this handler puts it in the outbox in the
publisher's transaction, so a notice of a change rolled back is never sent.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from samfard import events
from samfard.notify.service import enqueue_for_traveller
from samfard.travellers.models import Traveller


def on_traveller_notice(session: Session, event: events.TravellerNotice) -> None:
    traveller = session.get(Traveller, event.traveller_id)
    if traveller is None:
        return
    enqueue_for_traveller(
        session,
        traveller=traveller,
        kind=event.kind,
        text=event.text,
        now=event.at,
        booking_id=event.booking_id,
    )


events.subscribe(events.TravellerNotice, on_traveller_notice)
