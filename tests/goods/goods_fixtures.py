"""Shared builders of the goods tests: the demo price lists stored, and request bodies."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import iso, place_id, plan_fixed
from samfard.access.actor import SYSTEM
from samfard.booking.models import Leg
from samfard.booking.schemas import Location
from samfard.costs.service import load_contract_files
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import store
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.models import PlanRun, Stop
from samfard.goods import service as goods
from samfard.goods.models import Consignment
from samfard.goods.price_store import demo_price_lists, store_price_list
from samfard.goods.prices import GoodsKind
from samfard.goods.schemas import ConsignmentCreate
from samfard.timeutil import local

MONDAY = date(2026, 11, 23)


def store_demo_prices(session: Session) -> None:
    with transaction(session):
        for price_list in demo_price_lists():
            store_price_list(session, price_list)


def parcel(client: TestClient, token: str, **changes: Any) -> dict[str, Any]:
    """Samples from Östersund's hospital to Strömsund, morning to noon on Monday."""
    body: dict[str, Any] = {
        "principal": "23",
        "kind": "parcel",
        "units": 2,
        "description": "Provrör",
        "pickup": {"place_id": place_id(client, token, "Östersunds sjukhus")},
        "dropoff": {"place_id": place_id(client, token, "Strömsund")},
        "pickup_from": iso(MONDAY, "08:00"),
        "pickup_until": iso(MONDAY, "10:00"),
        "dropoff_from": iso(MONDAY, "09:00"),
        "dropoff_until": iso(MONDAY, "12:00"),
    }
    body.update(changes)
    return body


DAY = MONDAY
PLAN_NOW = local(date(2026, 11, 22), time(18, 0))
SETTLE_NOW = local(date(2026, 11, 24), time(9, 0))


def goods_stops(session: Session, consignment_id: int, day: date = DAY) -> list[Stop]:
    """The consignment's stops in the newest plan of `day` (older versions keep theirs)."""
    plan = store.latest_plan(session, day)
    assert plan is not None
    return [s for run in plan.runs for s in run.stops if s.consignment_id == consignment_id]


def planned_day(session: Session, *, trips: int = 24) -> PlanRun:
    """Demo contracts and goods prices, a small demo day and fleet, planned (version 1)."""
    load_contract_files(session)
    store_demo_prices(session)
    load_day(session=session, demo=generate_day(DAY, seed=3, trips=trips))
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    plan_fixed(session, DAY, now=PLAN_NOW, seed=1)
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    return plan


def planned_pickups(plan: PlanRun) -> list[Stop]:
    """The plan's passenger pickups in time order."""
    return sorted(
        (s for run in plan.runs for s in run.stops if s.kind == "pickup" and s.booking_id),
        key=lambda s: (s.planned_at, s.id),
    )


def goods_along(
    session: Session, stop: Stop, *, principal: str = "23", units: int = 1
) -> ConsignmentCreate:
    """A parcel from a planned passenger's origin to their destination, its pickup window
    20 minutes either side of their planned pickup: goods a run can take on the way."""
    leg = session.get(Leg, stop.leg_id)
    assert leg is not None
    at = stop.planned_at
    return ConsignmentCreate(
        principal=principal,
        kind=GoodsKind.PARCEL,
        units=units,
        description="Prover",
        pickup=Location(address="Lastkaj", lat=leg.origin_lat, lon=leg.origin_lon),
        dropoff=Location(address="Mottagning", lat=leg.destination_lat, lon=leg.destination_lon),
        pickup_from=at - timedelta(minutes=20),
        pickup_until=at + timedelta(minutes=20),
        dropoff_from=at,
        dropoff_until=at + timedelta(hours=3),
    )


def planned_day_with_goods(session: Session, *, trips: int = 24) -> list[Consignment]:
    """A small demo day planned, then goods booked along three planned passengers' legs
    (same ends, windows around their planned times; inserted live into the plan) and the
    day planned again, so goods and passengers can share runs."""
    plan = planned_day(session, trips=trips)
    booked: list[Consignment] = []
    for stop, principal in zip(planned_pickups(plan)[::3], ("23", "22", "23"), strict=False):
        data = goods_along(session, stop, principal=principal)
        row, _ = goods.create_consignment(session=session, data=data, actor=SYSTEM, now=PLAN_NOW)
        booked.append(row)
    plan_fixed(session, DAY, now=PLAN_NOW, seed=1)
    return booked
