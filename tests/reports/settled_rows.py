"""Settled runs and trips written straight into the settled tables, one trip per run, as
settlement (`costs.service.settle_day`) writes them: for report tests that need a month of
known figures without planning a day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from samfard.costs.models import SettledRun, SettledTrip
from samfard.costs.service import insert_settled
from samfard.db import transaction
from samfard.timeutil import local

CARRIER = "Demo Taxi Jämtland Härjedalen"
SETTLED_AT = local(date(2026, 11, 1), time(3, 0))


@dataclass(frozen=True)
class Trip:
    key: str
    principal: str
    day: date
    cost: int  # öre, allocated (and standalone: the trip rode alone)
    direct_m: int = 10_000


def _run(trip: Trip, settled_at: datetime) -> dict[str, Any]:
    return {
        "run_ref": f"run-{trip.key}",
        "source": "plan",
        "day": trip.day,
        "carrier": CARRIER,
        "contract_code": "JH-TAXI-2026",
        "vehicle_type": "taxi",
        "basis": "planned",
        "start_at": local(trip.day, time(8, 0)),
        "end_at": local(trip.day, time(9, 0)),
        "driven_m": trip.direct_m,
        "driving_cmin": 2000,
        "waiting_cmin": 0,
        "start_fee_ore": 0,
        "distance_ore": trip.cost,
        "driving_time_ore": 0,
        "waiting_time_ore": 0,
        "surcharge_ore": 0,
        "supplements_ore": 0,
        "fixed_ore": 0,
        "driver_ore": 0,
        "total_ore": trip.cost,
        "settled_at": settled_at,
    }


def _trip(trip: Trip) -> dict[str, Any]:
    pickup = local(trip.day, time(8, 0))
    return {
        "trip_key": trip.key,
        "run_ref": f"run-{trip.key}",
        "booking_id": None,
        "leg_seq": None,
        "principal_code": trip.principal,
        "service": "sjukresa",
        "day": trip.day,
        "pickup_at": pickup,
        "passengers": 1,
        "run_passengers": 1,
        "direct_m": trip.direct_m,
        "standalone_ore": trip.cost,
        "allocated_ore": trip.cost,
        "fee_ore": 0,
        "stretcher": False,
        "dialysis": False,
        "wheelchair": False,
        "promised_pickup": pickup,
        "actual_pickup": None,
        "deviations": 0,
        "carrier": CARRIER,
        "contract_code": "JH-TAXI-2026",
    }


def settle(session: Session, trips: Sequence[Trip], *, settled_at: datetime = SETTLED_AT) -> None:
    """Insert the trips, each on a run of its own, in one transaction."""
    with transaction(session):
        insert_settled(session, [_run(t, settled_at) for t in trips], [_trip(t) for t in trips])


def settle_again(
    session: Session, day: date, trips: Sequence[Trip], *, settled_at: datetime = SETTLED_AT
) -> None:
    """Replace a day's settled rows as settling the day again does: delete, then insert."""
    with transaction(session):
        refs = select(SettledRun.run_ref).where(SettledRun.day == day)
        session.execute(delete(SettledTrip).where(SettledTrip.run_ref.in_(refs)))
        session.execute(delete(SettledRun).where(SettledRun.day == day))
        insert_settled(session, [_run(t, settled_at) for t in trips], [_trip(t) for t in trips])
