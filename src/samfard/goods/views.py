"""How consignments leave the service layer: an aid's recipient masked where protected.

An end of a consignment that is not a public place (the recipient's home, a free
address) is the recipient's own address when the aid goes to or comes from them, so for
a recipient with a protected identity it is hidden, coordinates included, from anyone
without the right to see protected identities (as a booking's legs are).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.goods.models import Consignment
from samfard.goods.prices import GoodsKind
from samfard.goods.schemas import ConsignmentEnd, ConsignmentPublic, ConsignmentStatus
from samfard.travellers.free_text import shown_free_text
from samfard.travellers.models import Traveller
from samfard.travellers.views import MASKED_ADDRESS, can_see_identity, display_name


def recipients(session: Session, rows: Iterable[Consignment]) -> dict[int, Traveller]:
    ids = {c.recipient_traveller_id for c in rows if c.recipient_traveller_id is not None}
    if not ids:
        return {}
    return {t.id: t for t in session.scalars(select(Traveller).where(Traveller.id.in_(ids)))}


def _end(
    place_id: int | None, address: str, lat: float, lon: float, *, visible: bool
) -> ConsignmentEnd:
    if visible or place_id is not None:
        return ConsignmentEnd(place_id=place_id, address=address, lat=lat, lon=lon)
    return ConsignmentEnd(place_id=None, address=MASKED_ADDRESS, lat=None, lon=None)


def consignment_public(
    row: Consignment, actor: Actor, people: Mapping[int, Traveller]
) -> ConsignmentPublic:
    person = None if row.recipient_traveller_id is None else people.get(row.recipient_traveller_id)
    visible = person is None or can_see_identity(person, actor)
    return ConsignmentPublic(
        id=row.id,
        reference=row.reference,
        principal=row.principal_code,
        kind=GoodsKind(row.kind),
        units=row.units,
        description=shown_free_text(row.description, visible=visible),
        recipient_traveller_id=row.recipient_traveller_id,
        recipient_name=None if person is None else display_name(person, actor),
        status=ConsignmentStatus(row.status),
        service_date=row.service_date,
        pickup=_end(
            row.pickup_place_id,
            row.pickup_address,
            row.pickup_lat,
            row.pickup_lon,
            visible=visible,
        ),
        dropoff=_end(
            row.dropoff_place_id,
            row.dropoff_address,
            row.dropoff_lat,
            row.dropoff_lon,
            visible=visible,
        ),
        pickup_from=row.pickup_from,
        pickup_until=row.pickup_until,
        dropoff_from=row.dropoff_from,
        dropoff_until=row.dropoff_until,
        price_list=row.price_list_code,
        price_ore=row.price_ore,
        cancel_reason=shown_free_text(row.cancel_reason, visible=visible),
        created_at=row.created_at,
    )


def consignments_public(
    session: Session, rows: list[Consignment], actor: Actor
) -> list[ConsignmentPublic]:
    people = recipients(session, rows)
    return [consignment_public(row, actor, people) for row in rows]


def is_open(row: Consignment) -> bool:
    """Still to be carried (booked or planned): what the planner and the desk act on."""
    return row.status in (ConsignmentStatus.BOOKED.value, ConsignmentStatus.PLANNED.value)
