"""A small planned day with the demo contracts and the accounts a deviation involves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import STRONG_PASSWORD, plan_fixed
from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.access.service import actor_for_user, create_user
from samfard.booking.models import Booking
from samfard.costs.service import load_contract_files
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.models import Run, Stop, Vehicle
from samfard.timeutil import local

DAY = date(2026, 11, 23)
PLAN_NOW = local(date(2026, 11, 22), time(18, 0))
AFTER = local(date(2026, 11, 23), time(17, 0))


@dataclass(frozen=True)
class QualityWorld:
    booking: Booking  # driven by a procured carrier (its contract has penalty terms)
    carrier_id: int
    carrier_name: str
    operator: Actor  # scoped to the booking's principal
    other_operator: Actor  # scoped to another principal
    carrier: Actor
    other_carrier: Actor
    traveller: Actor
    principal_admin: Actor


def _actor(session: Session, username: str, role: Role, **extra: object) -> Actor:
    user = create_user(
        session=session,
        username=username,
        password=STRONG_PASSWORD,
        role=role,
        now=PLAN_NOW,
        **extra,  # type: ignore[arg-type]
    )
    return actor_for_user(user)


def build_quality_world(session: Session) -> QualityWorld:
    load_contract_files(session)
    load_day(session=session, demo=generate_day(DAY, seed=3, trips=30))
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    plan_fixed(session, DAY, now=PLAN_NOW, seed=1)
    row = session.execute(
        select(Stop.booking_id, Vehicle.carrier_id, Vehicle.carrier_name)
        .join(Run, Run.id == Stop.run_id)
        .join(Vehicle, Vehicle.id == Run.vehicle_id)
        .where(Vehicle.carrier_name.like("%Taxi%"), Stop.kind == "pickup")
        .order_by(Stop.booking_id)
        .limit(1)
    ).one()
    booking = session.get(Booking, row.booking_id)
    assert booking is not None
    principal = booking.principal_code
    other = "2281" if principal != "2281" else "2380"
    return QualityWorld(
        booking=booking,
        carrier_id=row.carrier_id,
        carrier_name=row.carrier_name,
        operator=_actor(session, "q-operator", Role.OPERATOR, principal_codes=[principal]),
        other_operator=_actor(session, "q-other", Role.OPERATOR, principal_codes=[other]),
        carrier=_actor(session, "q-carrier", Role.CARRIER_DISPATCHER, carrier_id=row.carrier_id),
        other_carrier=_actor(
            session, "q-carrier2", Role.CARRIER_DISPATCHER, carrier_id=row.carrier_id + 1000
        ),
        traveller=_actor(session, "q-traveller", Role.TRAVELLER, traveller_id=booking.traveller_id),
        principal_admin=_actor(
            session, "q-admin", Role.PRINCIPAL_ADMIN, principal_codes=[principal]
        ),
    )
