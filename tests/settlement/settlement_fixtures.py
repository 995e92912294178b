"""A small planned day with the demo contracts, shared by the settlement tests."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard.costs.service import load_contract_files
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch.fleet import load_demo_fleet
from samfard.timeutil import local

DAY = date(2026, 11, 23)
PLAN_NOW = local(date(2026, 11, 22), time(18, 0))
SETTLE_NOW = local(date(2026, 11, 24), time(9, 0))


def plan_small_day(session: Session, *, trips: int = 30) -> None:
    """Demo contracts, a small demo day, a fifth of the demo fleet, and a stored plan."""
    load_contract_files(session)
    load_day(session=session, demo=generate_day(DAY, seed=3, trips=trips))
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    plan_fixed(session, DAY, now=PLAN_NOW, seed=1)
