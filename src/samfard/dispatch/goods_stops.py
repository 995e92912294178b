"""The goods behind stored stops, read once for a page or a view of runs.

A stop carries a booking leg or a consignment (dispatch.models.Stop); every reader of
runs shows both. This module reads the consignments of a set of stops and says, for each
goods stop, where it is and whether its address must be masked: an aid's end that is not
a public place is its recipient's address, hidden as a protected traveller's home is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.dispatch.models import Stop
from samfard.goods.models import Consignment
from samfard.travellers.free_text import shown_free_text
from samfard.travellers.models import Traveller

GOODS_KIND_LABEL = {"parcel": "Bussgods", "aid": "Hjälpmedel"}


@dataclass(frozen=True, slots=True)
class GoodsAtStop:
    """A consignment as one of its two stops shows it."""

    consignment: Consignment
    address: str
    lat: float
    lon: float
    public_place: bool  # a gazetteer place (a hospital, a town): never a secret
    recipient_protected: bool  # the aid's recipient has a protected identity

    def label_for(self, actor: Actor) -> str:
        """What the driver loads: "Hjälpmedel, 3 kolli (Rullstol)". The description is free
        text that may name a protected recipient or their home, so only those who may see
        who they are read it (the driver, who may see the address, may not)."""
        c = self.consignment
        what = f"{GOODS_KIND_LABEL.get(c.kind, c.kind)}, {c.units} kolli"
        visible = not self.recipient_protected or actor.has(P.PROTECTED_IDENTITY_READ)
        described = shown_free_text(c.description, visible=visible)
        return f"{what} ({described})" if described else what

    def masked_for(self, actor: Actor, *, drives_it: bool = False) -> bool:
        """Whether this stop's address is hidden from `actor` (the driver of the run may
        see it, as with a protected traveller's home)."""
        return (
            self.recipient_protected
            and not self.public_place
            and not drives_it
            and not actor.has(P.PROTECTED_IDENTITY_READ)
        )


def goods_at_stops(session: Session, stops: Iterable[Stop]) -> dict[int, GoodsAtStop]:
    """Stop id -> the goods it loads or unloads, for the goods stops among `stops`."""
    goods_stops = [s for s in stops if s.consignment_id is not None]
    if not goods_stops:
        return {}
    ids = {s.consignment_id for s in goods_stops}
    rows = {c.id: c for c in session.scalars(select(Consignment).where(Consignment.id.in_(ids)))}
    people = {c.recipient_traveller_id for c in rows.values() if c.recipient_traveller_id}
    protected = set(
        session.scalars(
            select(Traveller.id).where(Traveller.id.in_(people), Traveller.protected_identity)
        )
        if people
        else ()
    )
    found: dict[int, GoodsAtStop] = {}
    for stop in goods_stops:
        c = rows[stop.consignment_id or 0]
        pickup = stop.kind == "pickup"
        found[stop.id] = GoodsAtStop(
            consignment=c,
            address=c.pickup_address if pickup else c.dropoff_address,
            lat=c.pickup_lat if pickup else c.dropoff_lat,
            lon=c.pickup_lon if pickup else c.dropoff_lon,
            public_place=(c.pickup_place_id if pickup else c.dropoff_place_id) is not None,
            recipient_protected=c.recipient_traveller_id in protected,
        )
    return found
