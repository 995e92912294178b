"""Demo goods (seed 003): parcels between hospitals and health centres, and aids to
travellers' homes, booked for the demo day through the goods service.

Drawn from the seed alone (the same seed gives the same goods): the regions send samples
from the health centres to the hospital's laboratory in the morning and medicines back
around noon (bussgods); the aids centre at the hospital delivers aids (hjälpmedel) to
travellers of the day, paid by the region, or by the traveller's municipality where it
has a goods price list. Each consignment is booked by `goods.service.create_consignment`
as the centre's desk would book it, so the demo holds nothing the service would refuse.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.booking.schemas import Location
from samfard.db import transaction
from samfard.demo.model import booked_at
from samfard.geo.models import Place, PlaceKind
from samfard.goods import service
from samfard.goods.models import Consignment
from samfard.goods.price_store import demo_price_lists, load_price_lists, store_price_list
from samfard.goods.prices import GoodsKind
from samfard.goods.schemas import ConsignmentCreate
from samfard.timeutil import local
from samfard.travellers.models import Traveller

# The demo books goods as the centre's desk, scoped to every principal.
DESK = Actor(
    user_id=None, username="demo-godsdesk", role=Role.OPERATOR, principal_codes=frozenset("*")
)
AIDS = ("Rollator", "Rullstol", "Duschstol", "Toalettförhöjning", "Sänglyftare")
HOSPITAL_OF_REGION = {"23": "Östersunds sjukhus", "22": "Sundsvalls sjukhus"}


@dataclass(frozen=True)
class Recipient:
    """A traveller of the demo day an aid may be delivered to (home and municipality)."""

    traveller_id: int
    region: str
    municipality: str


def goods_count(trips: int) -> int:
    """About one consignment per 30 trips, at least four."""
    return max(4, trips // 30)


def _window(day: date, start: time, hours: float) -> tuple[datetime, datetime]:
    begin = local(day, start)
    return begin, begin + timedelta(hours=hours)


def draw_goods(
    day: date,
    *,
    seed: int,
    count: int,
    health_centres: dict[str, list[Place]],
    hospitals: dict[str, Place],
    recipients: list[Recipient],
    municipal_lists: frozenset[str],
) -> list[ConsignmentCreate]:
    """`count` consignments for `day`, the same for the same seed and inputs."""
    rng = random.Random(f"goods-{seed}-{day.isoformat()}")
    drawn: list[ConsignmentCreate] = []
    regions = sorted(hospitals)
    for k in range(count):
        aid = bool(recipients) and k % 3 == 2
        if aid:
            person = rng.choice(recipients)
            region = person.region
            payer = person.municipality if person.municipality in municipal_lists else region
            pick_from, pick_until = _window(day, time(rng.choice((9, 10, 13))), 2)
            drawn.append(
                ConsignmentCreate(
                    principal=payer,
                    kind=GoodsKind.AID,
                    units=rng.choice((1, 2, 2, 3)),
                    description=rng.choice(AIDS),
                    recipient_traveller_id=person.traveller_id,
                    pickup=Location(place_id=hospitals[region].id),
                    dropoff=Location(home=True),
                    pickup_from=pick_from,
                    pickup_until=pick_until,
                    dropoff_from=pick_from,
                    dropoff_until=pick_until + timedelta(hours=4),
                )
            )
            continue
        region = rng.choice(regions)
        centre = rng.choice(health_centres[region])
        hospital = hospitals[region]
        morning = rng.random() < 0.6  # samples in, medicines out
        start = time(7, 30) if morning else time(11, 30)
        pick_from, pick_until = _window(day, start, 2)
        ends = (centre, hospital) if morning else (hospital, centre)
        drawn.append(
            ConsignmentCreate(
                principal=region,
                kind=GoodsKind.PARCEL,
                units=rng.choice((1, 1, 2)),
                description="Prover till laboratoriet" if morning else "Läkemedel",
                pickup=Location(place_id=ends[0].id),
                dropoff=Location(place_id=ends[1].id),
                pickup_from=pick_from,
                pickup_until=pick_until,
                dropoff_from=pick_from,
                dropoff_until=pick_until + timedelta(hours=3),
            )
        )
    return drawn


def _region_of(municipality_code: str) -> str:
    return municipality_code[:2]


def load_demo_goods(*, session: Session, day: date, seed: int, trips: int) -> int:
    """Store the demo goods price lists (if missing) and book the day's demo goods, once;
    returns how many consignments were booked (0 when the day has goods already)."""
    with transaction(session):
        stored = {p.code for p in load_price_lists(session)}
        for price_list in demo_price_lists():
            if price_list.code not in stored:
                store_price_list(session, price_list)
    if session.scalar(select(func.count(Consignment.id)).where(Consignment.service_date == day)):
        return 0
    places = list(session.scalars(select(Place).order_by(Place.key)))
    hospitals = {
        region: next(p for p in places if p.name == name)
        for region, name in HOSPITAL_OF_REGION.items()
    }
    centres: dict[str, list[Place]] = {}
    for p in places:
        if p.kind == PlaceKind.HEALTH_CENTRE.value and _region_of(p.municipality_code) in hospitals:
            centres.setdefault(_region_of(p.municipality_code), []).append(p)
    recipients = _recipients(session, day, set(hospitals))
    municipal = frozenset(p.principal for p in demo_price_lists() if len(p.principal) == 4)
    drafts = draw_goods(
        day,
        seed=seed,
        count=goods_count(trips),
        health_centres=centres,
        hospitals=hospitals,
        recipients=recipients,
        municipal_lists=municipal,
    )
    now = booked_at(day)
    for draft in drafts:
        service.create_consignment(session=session, data=draft, actor=DESK, now=now)
    return len(drafts)


def _recipients(session: Session, day: date, regions: set[str]) -> list[Recipient]:
    """The day's travellers who live in the two regions, in id order (deterministic)."""
    rows = session.execute(
        select(Traveller.id, Traveller.municipality_code)
        .join(Booking, Booking.traveller_id == Traveller.id)
        .where(Booking.service_date == day)
        .distinct()
        .order_by(Traveller.id)
    )
    return [
        Recipient(tid, _region_of(code), code) for tid, code in rows if _region_of(code) in regions
    ]
