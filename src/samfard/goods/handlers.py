"""Goods' subscriptions on the message bus (samfard.events): an aid delivered to a
traveller's home keeps that home's address, so retention's pseudonymising of the traveller
reaches it without retention importing goods."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard import events
from samfard.access.retention import PSEUDONYM, coarse
from samfard.goods.models import Consignment


def traveller_pseudonymised(session: Session, event: events.TravellerPseudonymised) -> None:
    """Each end of the traveller's consignments that is not a public place (their home, an
    address) loses its address and keeps a coordinate of about a kilometre, as their legs do."""
    found = select(Consignment).where(Consignment.recipient_traveller_id == event.traveller_id)
    for consignment in session.scalars(found):
        if consignment.pickup_place_id is None:
            consignment.pickup_address = PSEUDONYM
        if consignment.dropoff_place_id is None:
            consignment.dropoff_address = PSEUDONYM
        consignment.pickup_lat = coarse(consignment.pickup_lat)
        consignment.pickup_lon = coarse(consignment.pickup_lon)
        consignment.dropoff_lat = coarse(consignment.dropoff_lat)
        consignment.dropoff_lon = coarse(consignment.dropoff_lon)


events.subscribe(events.TravellerPseudonymised, traveller_pseudonymised)
