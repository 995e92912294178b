"""A small planned demo day shared by the dispatch tests (loaded into the test session).

It is planned by the demo's fixed-step engine (no clock): the same plan under any load, so
a test that looks for a leg to move or a shared run finds the same one on a busy CI machine
as here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, plan_fixed
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import service
from samfard.dispatch.fleet import load_demo_fleet
from samfard.timeutil import local

DAY = date(2026, 11, 23)
PLAN_NOW = local(date(2026, 11, 22), time(18, 0))
TIME_LIMIT_S = 1.0
CONTROLLER_LOGIN = "trafikledare"  # the traffic controller's account of the page tests


@dataclass(frozen=True)
class PlannedDay:
    approved_before: frozenset[int]  # booking ids approved when the day was planned
    outcome: service.PlanOutcome


def load_demo(session: Session, *, trips: int = 40, scale: float = 0.2) -> frozenset[int]:
    """Load a demo day and a small fleet; return the ids of the approved bookings."""
    load_day(session=session, demo=generate_day(DAY, seed=1, trips=trips))
    with transaction(session):
        load_demo_fleet(session, scale=scale)
    rows = session.scalars(
        select(Booking.id).where(
            Booking.service_date == DAY, Booking.status == BookingStatus.APPROVED.value
        )
    )
    return frozenset(rows)


def plan_demo_day(session: Session) -> PlannedDay:
    approved = load_demo(session)
    outcome = plan_fixed(session, DAY, now=PLAN_NOW, seed=1)
    return PlannedDay(approved, outcome)


def add_controller(session: Session) -> None:
    """The traffic controller's account (every principal), which the page tests log in as
    (`CONTROLLER_LOGIN`)."""
    create_user(session=session, username=CONTROLLER_LOGIN, password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
